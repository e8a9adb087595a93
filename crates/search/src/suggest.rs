//! "Mente du": a better spelling of a query, taken from the site's own
//! words. The index keeps every word of title, summary and body as written
//! (lower case, not stemmed, not folded: the `words` field), so that a
//! suggestion is a word people write, spelled the way the site spells it.
//!
//! A word of the query is respelled only when the site does not have it:
//! not as typed, not with æ ø å typed the other way, and not inflected
//! (its stem) or as part of a compound. Then the nearest word of the site
//! is taken: one edit away (a transposition is one), two for words of 8+
//! letters, the fewest edits first, then the most common. The term
//! dictionary is walked with a Levenshtein automaton, so a lookup costs
//! the same whether the site has a thousand words or a million, and words
//! the site has cost one dictionary lookup.

use std::collections::BTreeSet;

use tantivy::collector::Count;
use tantivy::query::FuzzyTermQuery;
use tantivy::{Searcher, Term};

use crate::analyzer::fold;
use crate::query::MAX_QUERY_PARTS;
use crate::{
    DANISH, DANISH_PARTS_QUERY, MAX_QUERY_CHARS, SearchError, SearchIndex, SearchQuery, WORDS,
};

/// Words shorter than this are not respelled (too many words are near).
const MIN_CHARS: usize = 4;
/// Words of this many letters may be two edits from the suggestion.
const TWO_EDITS_CHARS: usize = 8;
/// Most ways of typing æ ø å tried for one word (2 to the power of the
/// number of "ae", "oe" and "aa" in it, up to this).
const MAX_SPELLINGS: usize = 8;

impl SearchIndex {
    /// The query with its misspelled words replaced by the site's nearest
    /// words, when that finds something with the same filters. `None`:
    /// every word is the site's, nothing near was found, or the text is
    /// only quoted phrases (kept as typed).
    pub(crate) fn suggestion(
        &self,
        searcher: &Searcher,
        query: &SearchQuery,
    ) -> Result<Option<String>, SearchError> {
        let Some(text) = self.respell(searcher, &query.text)? else {
            return Ok(None);
        };
        let respelled = SearchQuery {
            text,
            ..query.clone()
        };
        // Words of deleted documents stay in the dictionary until a merge,
        // and a filter may leave out the documents with the word: a
        // suggestion must find something.
        let Some(built) = self.build(&respelled) else {
            return Ok(None);
        };
        let found = searcher.search(&built.filtered(built.at_least(1)), &Count)?;
        Ok((found > 0).then_some(respelled.text))
    }

    /// `text` with each word the site does not have replaced by the
    /// nearest word it has; `None` when no word changes.
    fn respell(&self, searcher: &Searcher, text: &str) -> Result<Option<String>, SearchError> {
        let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
        let Some(mut words) = self.index.tokenizers().get(WORDS) else {
            return Ok(None);
        };
        let mut out = String::with_capacity(text.len());
        let mut changed = false;
        let mut seen = 0;
        for (i, piece) in text.split('"').enumerate() {
            if i > 0 {
                out.push('"');
            }
            let mut kept = 0;
            // A quoted phrase is kept as typed.
            if i % 2 == 0 {
                let mut stream = words.token_stream(piece);
                while stream.advance() && seen < MAX_QUERY_PARTS {
                    seen += 1;
                    let token = stream.token();
                    let Some(better) = self.better_word(searcher, &token.text)? else {
                        continue;
                    };
                    let typed = &piece[token.offset_from..token.offset_to];
                    out.push_str(&piece[kept..token.offset_from]);
                    out.push_str(&same_case(typed, &better));
                    kept = token.offset_to;
                    changed = true;
                }
            }
            out.push_str(&piece[kept..]);
        }
        Ok(changed.then_some(out))
    }

    /// The site's word for `word` (lower case, as written), when the site
    /// does not have `word` itself.
    fn better_word(&self, searcher: &Searcher, word: &str) -> Result<Option<String>, SearchError> {
        if word.chars().count() < MIN_CHARS
            || word.chars().any(|c| c.is_numeric())
            || self.terms(DANISH, word).is_empty()
            || self.has_word(searcher, word)?
        {
            return Ok(None);
        }
        let spellings = spellings(word);
        // Æ ø å typed the other way: "groenne" is the site's "grønne".
        if let Some(found) = self.most_common(searcher, spellings[1..].iter().cloned())? {
            return Ok(Some(found));
        }
        if self.matches_inflected(searcher, word)? {
            return Ok(None);
        }
        let most = if word.chars().count() >= TWO_EDITS_CHARS {
            2
        } else {
            1
        };
        for distance in 1..=most {
            // In alphabetical order: of words as common, the first wins.
            let mut near = BTreeSet::new();
            for spelling in &spellings {
                let term = Term::from_field_text(self.fields.words, spelling);
                let automaton = FuzzyTermQuery::new(term, distance, true).automaton()?;
                for segment in searcher.segment_readers() {
                    let inverted = segment.inverted_index(self.fields.words)?;
                    let mut stream = inverted
                        .terms()
                        .search(&automaton)
                        .into_stream()
                        .map_err(tantivy::TantivyError::from)?;
                    while let Some((key, _)) = stream.next() {
                        if let Ok(found) = std::str::from_utf8(key)
                            && !found.chars().any(|c| c.is_numeric())
                            && !self.terms(DANISH, found).is_empty()
                        {
                            near.insert(found.to_string());
                        }
                    }
                }
            }
            if let Some(found) = self.most_common(searcher, near.into_iter())? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Whether the site has `word` as written (lower case).
    fn has_word(&self, searcher: &Searcher, word: &str) -> Result<bool, SearchError> {
        Ok(searcher.doc_freq(&Term::from_field_text(self.fields.words, word))? > 0)
    }

    /// Of `candidates`, the word in the most documents of the site (the
    /// first given of those as common); `None` when the site has none of
    /// them.
    fn most_common(
        &self,
        searcher: &Searcher,
        candidates: impl Iterator<Item = String>,
    ) -> Result<Option<String>, SearchError> {
        let mut best: Option<(u64, String)> = None;
        for word in candidates {
            let count = searcher.doc_freq(&Term::from_field_text(self.fields.words, &word))?;
            if count > 0 && best.as_ref().is_none_or(|(most, _)| count > *most) {
                best = Some((count, word));
            }
        }
        Ok(best.map(|(_, word)| word))
    }

    /// Whether the search finds `word` without a typo: another form of a
    /// word of the site ("skolerne" for "skole") or part of a compound.
    fn matches_inflected(&self, searcher: &Searcher, word: &str) -> Result<bool, SearchError> {
        let f = &self.fields;
        for term in self.terms(DANISH, word) {
            for field in [f.title, f.summary, f.body] {
                if searcher.doc_freq(&Term::from_field_text(field, &term))? > 0 {
                    return Ok(true);
                }
            }
        }
        let parts = self.terms(DANISH_PARTS_QUERY, word);
        for part in &parts {
            if searcher.doc_freq(&Term::from_field_text(f.parts, part))? == 0 {
                return Ok(false);
            }
        }
        Ok(!parts.is_empty())
    }
}

/// `word` (lower case) and the other ways of typing its Danish letters:
/// "grønne" and "groenne", "aarhus" and "århus"; `word` first.
fn spellings(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let mut push = |spelling: String| {
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    };
    push(fold(word));
    // Each "ae", "oe", "aa" typed either way ("paaskeaeg" may be "påskeæg"
    // or "påskeaeg"); the first few of them.
    let pieces = split_digraphs(word);
    let varied = pieces
        .iter()
        .filter(|p| letter(p).is_some())
        .count()
        .min(MAX_SPELLINGS.ilog2() as usize);
    for mask in 1..1usize << varied {
        let mut spelling = String::with_capacity(word.len());
        let mut n = 0;
        for piece in &pieces {
            match letter(piece) {
                Some(letter) if n < varied && (mask >> n) & 1 == 1 => spelling.push(letter),
                _ => spelling.push_str(piece),
            }
            n += usize::from(letter(piece).is_some());
        }
        push(spelling);
    }
    out
}

/// The Danish letter a digraph is typed for.
fn letter(piece: &str) -> Option<char> {
    match piece {
        "ae" => Some('æ'),
        "oe" => Some('ø'),
        "aa" => Some('å'),
        _ => None,
    }
}

/// `word` in pieces: each "ae", "oe", "aa" (read from the left) a piece of
/// its own, the letters between them the others.
fn split_digraphs(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut kept = 0;
    let mut i = 0;
    let bytes = word.as_bytes();
    while i + 1 < bytes.len() {
        // ASCII pairs: the slices are at character boundaries.
        if matches!(&bytes[i..i + 2], b"ae" | b"oe" | b"aa") {
            pieces.push(&word[kept..i]);
            pieces.push(&word[i..i + 2]);
            i += 2;
            kept = i;
        } else {
            i += 1;
        }
    }
    pieces.push(&word[kept..]);
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// `better` with the first letter in capitals when `typed` has it so.
fn same_case(typed: &str, better: &str) -> String {
    let mut letters = better.chars();
    match (typed.chars().next(), letters.next()) {
        (Some(first), Some(better_first)) if first.is_uppercase() => {
            better_first.to_uppercase().chain(letters).collect()
        }
        _ => better.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_letters_are_tried_both_ways() {
        assert_eq!(spellings("skole"), ["skole"]);
        assert_eq!(spellings("grønne"), ["grønne", "groenne"]);
        assert_eq!(spellings("groenne"), ["groenne", "grønne"]);
        assert_eq!(spellings("aarhus"), ["aarhus", "århus"]);
        let mut both = spellings("paaskeaeg");
        both.sort();
        assert_eq!(both, ["paaskeaeg", "paaskeæg", "påskeaeg", "påskeæg"]);
    }

    #[test]
    fn many_digraphs_give_a_bounded_number_of_spellings() {
        assert!(
            spellings("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
                .len()
                <= MAX_SPELLINGS + 1
        );
    }

    #[test]
    fn the_typed_capital_is_kept() {
        assert_eq!(same_case("Affalt", "affald"), "Affald");
        assert_eq!(same_case("affalt", "affald"), "affald");
        assert_eq!(same_case("Aeble", "æble"), "Æble");
    }
}
