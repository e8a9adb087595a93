//! Splitting Danish compounds into their parts with a real Danish word list
//! (see `data/README.md`): "affaldsindsamling" → affalds + indsamling,
//! "supercykelstien" → super + cykel + sti, "Byskole" → by + skole.
//!
//! A compound is one or more *heads* (the forms words take at the start or
//! in the middle of a compound, Danish linking letters -s- and -e- included,
//! as the dictionary's compounding rules give them) followed by one *tail*
//! (a word that may end a compound) that may carry an inflection ("stien",
//! "pladser"). Of all splits, the one with the fewest parts wins, then the
//! one whose shortest part is longest. Ordinary words are kept whole:
//! stop words ("for", "under") are no parts ("forældre" is not for +
//! ældre), and a word the dictionary knows whole is split only into parts
//! of 3 letters or more ("nyhed" is not ny + hed; "madaffald" is mad +
//! affald).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::sync::LazyLock;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::analyzer::fold;

static HEADS: &[u8] = include_bytes!("../data/heads.txt.gz");
static TAILS: &[u8] = include_bytes!("../data/tails.txt.gz");

/// Shortest head; 2 only in words the dictionary does not know whole.
const MIN_HEAD: usize = 2;
/// Shortest part of a word the dictionary knows whole, and shortest tail.
const MIN_PART: usize = 3;
/// Shortest part of a word shorter than [`SHORT_PARTS_FROM`].
const LONG_PART: usize = 4;
/// Length from which a word may have parts shorter than [`LONG_PART`].
const SHORT_PARTS_FROM: usize = 7;
/// Inflections a compound's last part may carry ("sti|en", "plads|er").
const ENDINGS: &[&str] = &[
    "e", "en", "n", "et", "t", "er", "r", "ere", "erne", "ene", "ne", "es", "s", "ens", "ets",
    "ers", "ernes", "enes", "nes", "ts", "ns", "ede", "de", "te", "ste", "est",
];

/// Words that end far more Danish words as a suffix of derivation or
/// inflection than as the last part of a compound ("myndig|hed",
/// "produkt|ion", "bil|lede" in "billede"): no tails.
const SUFFIXES: &[&str] = &[
    "ale", "and", "des", "ende", "ere", "gen", "hed", "ion", "isme", "lede", "len", "ler", "let",
    "lig", "ret", "ring", "sen", "skab", "ske", "ten",
];

/// A set of words in little memory: their text one after another, and
/// where each starts, sorted so that words are found by binary search.
struct WordSet {
    text: String,
    starts: Vec<u32>,
}

impl WordSet {
    /// The words of a gzip'd list, one a line, less stop words, folded.
    fn load(gz: &[u8], except: &[&str]) -> Self {
        let mut list = String::new();
        if let Err(e) = flate2::read::GzDecoder::new(gz).read_to_string(&mut list) {
            tracing::error!(error = %e, "the compound word list cannot be read; compounds are not split");
            list.clear();
        }
        let mut is_stop_word = crate::analyzer::stop_word_test();
        let mut words: Vec<String> = list
            .lines()
            .filter(|w| !is_stop_word(w) && !except.contains(w))
            .map(fold)
            .collect();
        words.sort_unstable();
        words.dedup();
        let mut set = Self {
            text: String::with_capacity(words.iter().map(String::len).sum()),
            starts: Vec::with_capacity(words.len() + 1),
        };
        for word in &words {
            set.starts.push(set.text.len() as u32);
            set.text.push_str(word);
        }
        set.starts.push(set.text.len() as u32);
        set
    }

    fn len(&self) -> usize {
        self.starts.len() - 1
    }

    fn word(&self, i: usize) -> &[u8] {
        &self.text.as_bytes()[self.starts[i] as usize..self.starts[i + 1] as usize]
    }

    fn contains(&self, word: &[u8]) -> bool {
        let i = partition(0, self.len(), |i| self.word(i) < word);
        i < self.len() && self.word(i) == word
    }

    /// The ends `i` (after `from`) at which `word[from..i]` is in the set,
    /// walking the sorted words sharing a growing prefix.
    fn ends_from(&self, word: &[u8], from: usize, out: &mut Vec<usize>) {
        out.clear();
        let (mut lo, mut hi) = (0, self.len());
        for (depth, &b) in word[from..].iter().enumerate() {
            // Words in lo..hi share word[from..from + depth]; narrow to the
            // ones whose next byte is b (a word ending here sorts first).
            let byte = |i: usize| self.word(i).get(depth).copied();
            lo = partition(lo, hi, |i| byte(i) < Some(b));
            hi = partition(lo, hi, |i| byte(i) == Some(b));
            if lo == hi {
                return;
            }
            if self.word(lo).len() == depth + 1 {
                out.push(from + depth + 1);
            }
        }
    }
}

/// The first index in `lo..hi` for which `before` is false (`before` is
/// true for a start of the range and false for the rest).
fn partition(mut lo: usize, mut hi: usize, before: impl Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

struct Lexicon {
    heads: WordSet,
    tails: WordSet,
}

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| Lexicon {
    heads: WordSet::load(HEADS, &[]),
    tails: WordSet::load(TAILS, SUFFIXES),
});

impl Lexicon {
    /// The word, or its stem before an inflection (the longest), if it may
    /// end a compound.
    fn tail<'a>(&self, word: &'a str) -> Option<&'a str> {
        if word.len() >= MIN_PART && self.tails.contains(word.as_bytes()) {
            return Some(word);
        }
        ENDINGS
            .iter()
            .filter_map(|ending| word.strip_suffix(ending))
            .filter(|stem| stem.len() >= MIN_PART && self.tails.contains(stem.as_bytes()))
            .max_by_key(|stem| stem.len())
    }
}

/// The parts of `word` (lower case, folded) if it is a compound; the last
/// part without its inflection. Empty for a word that is not a compound.
///
/// A word the dictionary knows (maybe inflected: "politikerne") is split as
/// its dictionary form, with no inflection inside ("politiker" is not
/// politi + ker|ne), into parts of 3 letters or more. Parts shorter than 4
/// letters are taken only in words of 7 letters or more ("skolen" is not
/// sko + len, "byskole" is by + skole).
pub fn split(word: &str) -> Vec<&str> {
    if word.len() < MIN_HEAD + MIN_PART {
        return Vec::new();
    }
    let lexicon = &*LEXICON;
    let known = lexicon.tail(word);
    let word = known.unwrap_or(word);
    let short_parts = word.chars().count() >= SHORT_PARTS_FROM;
    let min_head = if short_parts { MIN_HEAD } else { LONG_PART };
    let min_tail = if short_parts { MIN_PART } else { LONG_PART };
    let bytes = word.as_bytes();
    let n = bytes.len();
    // best[i]: the best split of word[..i] into heads, as (parts, shortest
    // part, start of the last part).
    let mut best: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, usize::MAX, 0));
    let mut ends = Vec::new();
    let better = |new: (usize, usize, usize), old: Option<(usize, usize, usize)>| {
        old.is_none_or(|old| (new.0, std::cmp::Reverse(new.1)) < (old.0, std::cmp::Reverse(old.1)))
    };
    let mut whole: Option<(usize, usize, usize)> = None;
    let mut whole_tail = "";
    for from in 0..n {
        let Some((parts, shortest, _)) = best[from] else {
            continue;
        };
        if parts > 0 && word.is_char_boundary(from) {
            let rest = &word[from..];
            let tail = if known.is_some() {
                lexicon.tails.contains(rest.as_bytes()).then_some(rest)
            } else {
                lexicon.tail(rest)
            };
            if let Some(tail) = tail.filter(|t| t.len() >= min_tail) {
                let candidate = (parts + 1, shortest.min(tail.len()), from);
                if better(candidate, whole) {
                    whole = Some(candidate);
                    whole_tail = tail;
                }
            }
        }
        lexicon.heads.ends_from(bytes, from, &mut ends);
        for &end in &ends {
            let len = end - from;
            if len < min_head || n - end < min_tail {
                continue;
            }
            let candidate = (parts + 1, shortest.min(len), from);
            if better(candidate, best[end]) {
                best[end] = Some(candidate);
            }
        }
    }
    let Some((_, _, mut from)) = whole else {
        return Vec::new();
    };
    let mut found = vec![whole_tail];
    while from > 0 {
        let Some((_, _, start)) = best[from] else {
            break;
        };
        found.push(&word[start..from]);
        from = start;
    }
    // A part that is a compound itself is split too: "supercykelsti" is
    // super + cykelsti by the fewest parts, and cykelsti is cykel + sti.
    let mut parts = Vec::with_capacity(found.len());
    for part in found.into_iter().rev() {
        let inner = split(part);
        if inner.is_empty() {
            parts.push(part);
        } else {
            parts.extend(inner);
        }
    }
    parts
}

/// Most words come again and again: the splits of the last words seen on
/// this thread, forgotten all at once when there are many.
const CACHED_WORDS: usize = 50_000;

thread_local! {
    static CACHE: RefCell<HashMap<String, Vec<String>>> = RefCell::new(HashMap::new());
}

/// [`split`], owned and last part first, from the cache when it can.
fn split_cached(word: &str) -> Vec<String> {
    CACHE.with_borrow_mut(|cache| {
        if let Some(parts) = cache.get(word) {
            return parts.clone();
        }
        let parts: Vec<String> = split(word).into_iter().rev().map(str::to_string).collect();
        if cache.len() >= CACHED_WORDS {
            cache.clear();
        }
        cache.insert(word.to_string(), parts.clone());
        parts
    })
}

/// Replaces each compound by its parts, at consecutive positions (a gap
/// between words, so that a phrase of parts stays inside one word).
/// `keep_simple` keeps words that are not compounds (for queries); without
/// it they are dropped (for the index's field of parts).
#[derive(Clone)]
pub struct Decompound {
    pub keep_simple: bool,
}

impl TokenFilter for Decompound {
    type Tokenizer<T: Tokenizer> = DecompoundTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DecompoundTokenizer<T> {
        DecompoundTokenizer(tokenizer, self.keep_simple)
    }
}

#[derive(Clone)]
pub struct DecompoundTokenizer<T>(T, bool);

impl<T: Tokenizer> Tokenizer for DecompoundTokenizer<T> {
    type TokenStream<'a> = DecompoundStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DecompoundStream {
            inner: self.0.token_stream(text),
            keep_simple: self.1,
            pending: Vec::new(),
            token: Token::default(),
            position: 0,
        }
    }
}

pub struct DecompoundStream<S> {
    inner: S,
    keep_simple: bool,
    /// Parts still to give, last first.
    pending: Vec<String>,
    token: Token,
    position: usize,
}

impl<S: TokenStream> TokenStream for DecompoundStream<S> {
    fn advance(&mut self) -> bool {
        if let Some(part) = self.pending.pop() {
            self.token.text = part;
            self.token.position = self.position;
            self.position += 1;
            return true;
        }
        while self.inner.advance() {
            let source = self.inner.token();
            let mut parts = split_cached(&source.text);
            if parts.is_empty() {
                if !self.keep_simple {
                    continue;
                }
                parts.push(source.text.clone());
            }
            // A gap before each word.
            self.position += 1;
            self.token = Token {
                offset_from: source.offset_from,
                offset_to: source.offset_to,
                position_length: 1,
                ..Token::default()
            };
            self.pending = parts;
            return self.advance();
        }
        false
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_split_into_their_parts() {
        assert_eq!(split("supercykelstien"), ["super", "cykel", "sti"]);
        assert_eq!(split("affaldsindsamling"), ["affalds", "indsamling"]);
        assert_eq!(split("madaffald"), ["mad", "affald"]);
        assert_eq!(split("byskole"), ["by", "skole"]);
        assert_eq!(split("fjordskolen"), ["fjord", "skole"]);
        assert_eq!(split("parkeringspladser"), ["parkerings", "plads"]);
        assert_eq!(split("cykelsti"), ["cykel", "sti"]);
        // Folded like the index: typed with or without ø.
        assert_eq!(split(&fold("genbrugspladsen")), ["gen", "brug", "plads"]);
        assert_eq!(split(&fold("svømmehallen")), split("svoemmehallen"));
        assert_eq!(split(&fold("skolebørn")), ["skole", "boern"]);
    }

    #[test]
    fn ordinary_words_are_not_split() {
        for word in [
            "nyhed",
            "nyheder",
            "kommune",
            "forældre",
            "betaling",
            "borger",
            "skole",
            "affald",
            "parkering",
            "undervisning",
            "kalender",
            "personale",
            "billede",
            "formand",
            "produktion",
            "myndighed",
            "skolen",
            "bussen",
        ] {
            assert_eq!(split(&fold(word)), Vec::<&str>::new(), "{word}");
        }
    }
}
