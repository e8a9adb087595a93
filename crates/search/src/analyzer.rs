//! The Danish analyzer: words, lower case, no stop words, æ ø å folded to
//! ae oe aa, then stemmed. Folding comes before stemming so that a word typed
//! with or without the Danish letters reaches the same stem; the stemmer runs
//! twice because Danish Snowball removes one suffix at a time
//! ("virksomhederne" → "virksomhed" → "virksom").

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter,
    TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::compound::Decompound;

/// Words, lower case, no stop words, folded.
fn words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(stop_words())
        .filter(DanishFolding)
}

pub fn danish() -> TextAnalyzer {
    words()
        .filter(Stemmer::new(Language::Danish))
        .filter(Stemmer::new(Language::Danish))
        .build()
}

/// The parts of compounds, stemmed like [`danish`] ("madaffald" → mad
/// affald); `keep_simple` keeps the words that are not compounds too.
pub fn danish_parts(keep_simple: bool) -> TextAnalyzer {
    words()
        .filter(Decompound { keep_simple })
        .filter(Stemmer::new(Language::Danish))
        .filter(Stemmer::new(Language::Danish))
        .build()
}

/// Words as written, in lower case: not stemmed, not folded, stop words
/// kept (the vocabulary "Mente du" suggests from).
pub fn words_as_written() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .build()
}

fn stop_words() -> StopWordFilter {
    StopWordFilter::new(Language::Danish).unwrap_or_else(|| StopWordFilter::remove(Vec::new()))
}

/// Tells whether a word (lower case) is a Danish stop word.
pub fn stop_word_test() -> impl FnMut(&str) -> bool {
    let mut analyzer = TextAnalyzer::builder(RawTokenizer::default())
        .filter(stop_words())
        .build();
    move |word| !analyzer.token_stream(word).advance()
}

/// Spells æ ø å (and ä ö ü é) the way they are typed on a keyboard without them.
#[derive(Clone)]
pub struct DanishFolding;

impl TokenFilter for DanishFolding {
    type Tokenizer<T: Tokenizer> = FoldingTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> FoldingTokenizer<T> {
        FoldingTokenizer(tokenizer)
    }
}

#[derive(Clone)]
pub struct FoldingTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for FoldingTokenizer<T> {
    type TokenStream<'a> = FoldingStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldingStream(self.0.token_stream(text))
    }
}

pub struct FoldingStream<S>(S);

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        match c {
            'æ' | 'ä' => out.push_str("ae"),
            'ø' | 'ö' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            'ü' => out.push_str("ue"),
            'é' | 'è' | 'ê' => out.push('e'),
            c => out.push(c),
        }
    }
    out
}

impl<S: TokenStream> TokenStream for FoldingStream<S> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if !token.text.is_ascii() {
            token.text = fold(&token.text);
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut analyzer = danish();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn inflections_meet_in_one_stem() {
        assert_eq!(terms("virksomhederne"), terms("virksomhed"));
        assert_eq!(terms("erhvervsklimaet"), terms("erhvervsklima"));
        assert_eq!(terms("borgmesteren"), terms("borgmester"));
    }

    #[test]
    fn danish_letters_match_their_keyboard_spelling() {
        assert_eq!(terms("Århus"), terms("aarhus"));
        assert_eq!(terms("Søby"), terms("soeby"));
        assert_eq!(terms("Ærø"), terms("aeroe"));
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(terms("og i på at"), Vec::<String>::new());
    }
}
