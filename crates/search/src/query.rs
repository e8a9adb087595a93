//! From what a visitor typed to a tantivy query: words and quoted phrases,
//! each matching title, summary or body (also with a typo, also as a part
//! of a compound), and the filters.

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query as TantivyQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;

use crate::{DANISH, DANISH_PARTS_QUERY, MAX_QUERY_CHARS, SearchIndex, SearchQuery};

/// Words shorter than this are not matched with typos.
const FUZZY_MIN_CHARS: usize = 5;
/// Most words (and phrases) of a query that are searched for.
pub(crate) const MAX_QUERY_PARTS: usize = 12;
/// Weight of a match in the parts of a compound, below a whole word's.
const PARTS_BOOST: f32 = 0.4;

/// Weight of a match in a website's name, on top of the title's: a search
/// for "svømmehallen" finds the swimming pool's own site first.
const NAME_BOOST: f32 = 4.0;

/// A query taken apart: one query a word (or phrase) of the text, and the
/// filters every result must pass.
pub(crate) struct Built {
    pub words: Vec<Box<dyn TantivyQuery>>,
    /// The documents of the site searched (none: of every site): not a
    /// filter, as the facets count only this site's.
    site: Option<Box<dyn TantivyQuery>>,
    filters: Vec<Box<dyn TantivyQuery>>,
}

impl Built {
    /// Documents of the site with all the words (whatever the filters).
    pub fn all(&self) -> Box<dyn TantivyQuery> {
        self.of_site(Box::new(BooleanQuery::new(
            self.words
                .iter()
                .map(|w| (Occur::Must, w.box_clone()))
                .collect(),
        )))
    }

    /// The documents of `query` that are the site's.
    fn of_site(&self, query: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
        match &self.site {
            Some(site) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(site.box_clone(), 0.0)),
                ),
            ])),
            None => query,
        }
    }

    /// Documents of the site with at least `minimum` of the words (whatever
    /// the filters); the more they have, the higher they rank (the scores of
    /// the words add up).
    pub fn at_least(&self, minimum: usize) -> Box<dyn TantivyQuery> {
        let words = self
            .words
            .iter()
            .map(|w| (Occur::Should, w.box_clone()))
            .collect();
        self.of_site(Box::new(BooleanQuery::with_minimum_required_clauses(
            words, minimum,
        )))
    }

    /// The documents of `words` that are the site's and pass the filters;
    /// the filters add nothing to the score.
    pub fn filtered(&self, words: Box<dyn TantivyQuery>) -> Box<dyn TantivyQuery> {
        let mut clauses = vec![(Occur::Must, words)];
        clauses.extend(self.site.iter().chain(&self.filters).map(|f| {
            let filter: Box<dyn TantivyQuery> = Box::new(ConstScoreQuery::new(f.box_clone(), 0.0));
            (Occur::Must, filter)
        }));
        Box::new(BooleanQuery::new(clauses))
    }
}

impl SearchIndex {
    /// The words of `text` as the analyzer named `analyzer` sees them.
    pub(crate) fn terms(&self, analyzer: &str, text: &str) -> Vec<String> {
        let Some(mut analyzer) = self.index.tokenizers().get(analyzer) else {
            return Vec::new();
        };
        let mut stream = analyzer.token_stream(text);
        let mut terms = Vec::new();
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
        terms
    }

    /// Takes the query apart: each word (or quoted phrase) matches title,
    /// summary or body; the title weighs most, a website's name more. Words of 5+ letters also
    /// match with one typo. Stop words are no words. Any input is accepted:
    /// there is no query syntax to get wrong. `None`: no words.
    pub(crate) fn build(&self, query: &SearchQuery) -> Option<Built> {
        let f = &self.fields;
        let text: String = query.text.chars().take(MAX_QUERY_CHARS).collect();
        let mut parts: Vec<(bool, &str)> = Vec::new();
        for (i, piece) in text.split('"').enumerate() {
            let phrase = i % 2 == 1;
            if phrase {
                parts.push((true, piece));
            } else {
                parts.extend(piece.split_whitespace().map(|w| (false, w)));
            }
        }
        let weighted = [
            (f.title, 3.0_f32),
            (f.summary, 1.5),
            (f.body, 1.0),
            (f.name, NAME_BOOST),
        ];
        let mut words: Vec<Box<dyn TantivyQuery>> = Vec::new();
        for (phrase, piece) in parts.into_iter().take(MAX_QUERY_PARTS) {
            let terms = self.terms(DANISH, piece);
            if terms.is_empty() {
                continue;
            }
            let mut alternatives: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
            for &(field, boost) in &weighted {
                let field_terms: Vec<Term> = terms
                    .iter()
                    .map(|t| Term::from_field_text(field, t))
                    .collect();
                if phrase && field_terms.len() > 1 {
                    let q = PhraseQuery::new(field_terms);
                    alternatives
                        .push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
                    continue;
                }
                for (term, word) in field_terms.into_iter().zip(&terms) {
                    let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                    alternatives.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(exact), boost)),
                    ));
                    if !phrase && word.chars().count() >= FUZZY_MIN_CHARS {
                        let fuzzy = FuzzyTermQuery::new(term, 1, true);
                        alternatives.push((
                            Occur::Should,
                            Box::new(BoostQuery::new(Box::new(fuzzy), boost * 0.5)),
                        ));
                    }
                }
            }
            if !phrase && terms.len() == 1 {
                alternatives.extend(self.parts_query(piece));
            }
            words.push(Box::new(BooleanQuery::new(alternatives)));
        }
        if words.is_empty() {
            return None;
        }
        let mut filters: Vec<Box<dyn TantivyQuery>> = Vec::new();
        if let Some(kind) = query.kind {
            let term = Term::from_field_text(f.kind, kind.as_str());
            filters.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        if let Some(year) = query.year {
            let term = Term::from_field_u64(f.year, year);
            filters.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        let site = query.site.map(|site| {
            let term = Term::from_field_u64(f.site, site);
            let site: Box<dyn TantivyQuery> =
                Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            site
        });
        Some(Built {
            words,
            site,
            filters,
        })
    }

    /// A word in the parts of compounds, weighing less than a whole word:
    /// "skole" finds "Byskole", and a compound finds the compounds it is
    /// part of ("cykelsti" finds "supercykelstien").
    fn parts_query(&self, word: &str) -> Option<(Occur, Box<dyn TantivyQuery>)> {
        let mut parts: Vec<Term> = self
            .terms(DANISH_PARTS_QUERY, word)
            .iter()
            .map(|t| Term::from_field_text(self.fields.parts, t))
            .collect();
        let query: Box<dyn TantivyQuery> = match parts.len() {
            0 => return None,
            1 => Box::new(TermQuery::new(
                parts.remove(0),
                IndexRecordOption::WithFreqs,
            )),
            _ => Box::new(PhraseQuery::new(parts)),
        };
        Some((Occur::Should, Box::new(BoostQuery::new(query, PARTS_BOOST))))
    }
}
