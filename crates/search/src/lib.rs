//! The full-text index of Raadhus, built on tantivy with a Danish analyzer:
//! lower-casing, Danish stop words, Danish Snowball stemming, and folding of
//! æ ø å to ae oe aa so that a search typed either way finds the other.
//!
//! The index is a cache of the database: it can always be rebuilt from it,
//! and a missing or damaged index is rebuilt rather than being fatal.

mod analyzer;
mod compound;
mod facets;
mod query;
mod rank;
mod rebuild;
mod suggest;

pub use rebuild::Rebuild;

use std::path::Path;
use std::sync::Mutex;

use facets::CountsCollector;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// Name of the analyzer in the index.
const DANISH: &str = "da";
/// Name of the analyzer of the field of compound parts. The number is
/// raised when the splitting changes: the schema then differs, and an
/// index built by an older version is rebuilt on start.
const DANISH_PARTS: &str = "da_parts_1";
/// The same for a query: a word that is not a compound is kept.
const DANISH_PARTS_QUERY: &str = "da_parts_query";
/// Name of the analyzer of the words as written (lower case only): the
/// site's vocabulary for "Mente du" suggestions (suggest.rs).
const WORDS: &str = "da_words";
/// Longest query text taken into account; the pages cut longer queries here
/// and tell the visitor.
pub const MAX_QUERY_CHARS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
    #[error(
        "the search index is in use by another process (a running server keeps it up to date itself)"
    )]
    Busy,
    #[error("the search index is being rebuilt")]
    Rebuilding,
}

/// What kind of thing a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    News,
    Website,
    /// A file of the media library (a PDF) linked from a public article.
    Document,
    /// A content page ("Borger › Affald og genbrug").
    Page,
}

impl Kind {
    /// All kinds, in the order the search page lists them.
    pub const ALL: [Kind; 4] = [Self::Page, Self::News, Self::Website, Self::Document];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::News => "nyhed",
            Self::Website => "hjemmeside",
            Self::Document => "dokument",
            Self::Page => "side",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "nyhed" => Some(Self::News),
            "hjemmeside" => Some(Self::Website),
            "dokument" => Some(Self::Document),
            "side" => Some(Self::Page),
            _ => None,
        }
    }
}

/// One thing to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Names the thing among all documents (e.g. `nyhed:12`): an update
    /// replaces the document with the same key.
    pub key: String,
    /// The id of the site it belongs to.
    pub site: u64,
    pub kind: Kind,
    pub title: String,
    /// A short text shown when the body has no match (lead or description).
    pub summary: String,
    /// Plain text.
    pub body: String,
    pub url: String,
    /// ISO date (`2017-12-18`) for news.
    pub date: Option<String>,
    pub year: Option<u64>,
    /// A document's type and size.
    pub file: Option<FileInfo>,
    /// The keys of the documents this one belongs with (a document: the
    /// articles linking it), so that a change of one finds the others
    /// ([`SearchIndex::keys_linking`]).
    pub links: Vec<String>,
}

/// What a hit that is a file says about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// Short type name: "PDF".
    pub label: String,
    /// Bytes.
    pub size: u64,
}

/// What to look for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    /// The site whose documents are searched; `None`: every site's.
    pub site: Option<u64>,
    pub kind: Option<Kind>,
    pub year: Option<u64>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The id of the site it belongs to.
    pub site: u64,
    pub kind: Kind,
    pub title: String,
    pub url: String,
    pub date: Option<String>,
    /// HTML: escaped text with the matched words in `<mark>`.
    pub excerpt_html: String,
    /// For a document: its type and size.
    pub file: Option<FileInfo>,
    pub score: f32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// No document has all the words: these have some of them.
    pub partial: bool,
    /// The years with results of the query's kind (regardless of its
    /// year), with their counts, newest first.
    pub years: Vec<(u64, usize)>,
    /// The kinds with results in the query's year (regardless of its kind),
    /// with their counts, in the order of [`Kind::ALL`].
    pub kinds: Vec<(Kind, usize)>,
    /// "Mente du": the text with the words the site does not have
    /// replaced by the nearest words it has.
    pub suggestion: Option<String>,
}

struct Fields {
    key: Field,
    site: Field,
    kind: Field,
    title: Field,
    summary: Field,
    body: Field,
    url: Field,
    date: Field,
    year: Field,
    /// A news item's date as a day number, for ranking (see rank.rs).
    day: Field,
    file_label: Field,
    file_size: Field,
    links: Field,
    /// The parts of the compounds of title, summary and body.
    parts: Field,
    /// A website's name (its title once more): a match weighs most, as
    /// people search for a place by its name.
    name: Field,
    /// The words of title, summary and body as written, in lower case.
    words: Field,
}

pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Taken out while a [`Rebuild`] runs.
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let danish = TextFieldIndexing::default()
        .set_tokenizer(DANISH)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default()
        .set_indexing_options(danish.clone())
        .set_stored();
    let fields = Fields {
        key: builder.add_text_field("key", STRING | STORED),
        site: builder.add_u64_field("site", INDEXED | STORED),
        kind: builder.add_text_field(facets::KIND_FIELD, STRING | STORED | FAST),
        title: builder.add_text_field("title", text.clone()),
        summary: builder.add_text_field("summary", text.clone()),
        body: builder.add_text_field("body", text),
        url: builder.add_text_field("url", STORED),
        date: builder.add_text_field("date", STORED),
        year: builder.add_u64_field(facets::YEAR_FIELD, INDEXED | FAST),
        day: builder.add_i64_field(rank::DAY_FIELD, FAST),
        file_label: builder.add_text_field("file_label", STORED),
        file_size: builder.add_u64_field("file_size", STORED),
        links: builder.add_text_field("links", STRING),
        parts: builder.add_text_field(
            "parts",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(DANISH_PARTS)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        ),
        name: builder.add_text_field("name", TextOptions::default().set_indexing_options(danish)),
        words: builder.add_text_field(
            "words",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(IndexRecordOption::Basic),
            ),
        ),
    };
    (builder.build(), fields)
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it if missing. An index that cannot
    /// be opened (damaged, or of another schema) is removed and created anew;
    /// `rebuilt` tells the caller to fill it again.
    pub fn open(dir: &Path) -> Result<(Self, bool), SearchError> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
        let opened = Index::open_in_dir(dir).and_then(|index| {
            if index.schema() == schema {
                Ok(index)
            } else {
                Err(tantivy::TantivyError::SchemaError("schema changed".into()))
            }
        });
        let (index, fresh) = match opened {
            Ok(index) => (index, false),
            Err(e) => {
                if dir.join("meta.json").exists() {
                    tracing::warn!(error = %e, dir = %dir.display(), "search index damaged; creating it anew");
                } else {
                    tracing::info!(dir = %dir.display(), "creating the search index");
                }
                std::fs::remove_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                std::fs::create_dir_all(dir).map_err(|e| SearchError::Directory(e.to_string()))?;
                (Index::create_in_dir(dir, schema)?, true)
            }
        };
        index.tokenizers().register(DANISH, analyzer::danish());
        index
            .tokenizers()
            .register(DANISH_PARTS, analyzer::danish_parts(false));
        index
            .tokenizers()
            .register(DANISH_PARTS_QUERY, analyzer::danish_parts(true));
        index
            .tokenizers()
            .register(WORDS, analyzer::words_as_written());
        let writer = index
            .writer_with_num_threads(1, 15_000_000)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Busy,
                e => SearchError::Index(e),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((
            Self {
                index,
                reader,
                writer: Mutex::new(Some(writer)),
                fields,
            },
            fresh,
        ))
    }

    /// Replaces everything in the index with `docs`, in one commit that
    /// remembers `position` (see [`SearchIndex::position`]).
    pub fn replace_all(&self, docs: &[Document], position: &str) -> Result<(), SearchError> {
        let mut rebuild = self.rebuild()?;
        rebuild.add(docs)?;
        rebuild.commit(position).map(drop)
    }

    /// Removes the documents with the keys `remove` and every document of
    /// each site and kind of `remove_kinds` (of no kind: every document of
    /// the site), then adds `add`, in one commit that remembers `position`.
    pub fn update(
        &self,
        remove: &[String],
        remove_kinds: &[(u64, Option<Kind>)],
        add: &[Document],
        position: &str,
    ) -> Result<(), SearchError> {
        self.write(position, |writer| {
            for key in remove.iter().chain(add.iter().map(|d| &d.key)) {
                writer.delete_term(Term::from_field_text(self.fields.key, key));
            }
            for &(site, kind) in remove_kinds {
                let mut both = vec![(
                    Occur::Must,
                    self.term_query(Term::from_field_u64(self.fields.site, site)),
                )];
                if let Some(kind) = kind {
                    both.push((
                        Occur::Must,
                        self.term_query(Term::from_field_text(self.fields.kind, kind.as_str())),
                    ));
                }
                writer.delete_query(Box::new(BooleanQuery::new(both)))?;
            }
            self.add(writer, add)
        })
    }

    /// The documents with `term`.
    fn term_query(&self, term: Term) -> Box<dyn tantivy::query::Query> {
        Box::new(TermQuery::new(term, IndexRecordOption::Basic))
    }

    /// The keys of the documents that link `key` (see [`Document::links`]).
    pub fn keys_linking(&self, key: &str) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.links, key),
            IndexRecordOption::Basic,
        );
        let mut keys = Vec::new();
        for address in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(key) = doc.get_first(self.fields.key).and_then(|v| v.as_str()) {
                keys.push(key.to_string());
            }
        }
        keys.sort();
        Ok(keys)
    }

    /// What the last commit was told to remember: the caller's mark of how
    /// far the index has followed its source. `None` for a new index.
    pub fn position(&self) -> Result<Option<String>, SearchError> {
        Ok(self.index.load_metas()?.payload)
    }

    /// Runs `change` on the writer and commits with `position`; on an error
    /// (also one writing the files, say on a full disk) nothing of it is
    /// kept and the writer is made anew, so a later write can succeed.
    fn write(
        &self,
        position: &str,
        change: impl FnOnce(&mut IndexWriter) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.take_writer()?;
        let written = match change(&mut writer) {
            Ok(()) => self.commit(&mut writer, position),
            Err(e) => writer.rollback().map_err(SearchError::from).and(Err(e)),
        };
        self.put_writer(writer);
        written
    }

    /// The writer, taken out until [`SearchIndex::put_writer`].
    fn take_writer(&self) -> Result<IndexWriter, SearchError> {
        self.writer
            .lock()
            .map_err(|_| SearchError::Directory("index writer poisoned".into()))?
            .take()
            .ok_or(SearchError::Rebuilding)
    }

    fn put_writer(&self, writer: IndexWriter) {
        *self.writer.lock().unwrap_or_else(|e| e.into_inner()) = Some(writer);
    }

    /// Commits what `writer` was given, remembering `position`, and shows
    /// it to searches; rolls it back if that fails.
    fn commit(&self, writer: &mut IndexWriter, position: &str) -> Result<(), SearchError> {
        let committed = writer.prepare_commit().and_then(|mut commit| {
            commit.set_payload(position);
            commit.commit()
        });
        if let Err(e) = committed {
            writer.rollback()?;
            return Err(e.into());
        }
        self.reader.reload()?;
        Ok(())
    }

    fn add(&self, writer: &IndexWriter, docs: &[Document]) -> Result<(), SearchError> {
        let f = &self.fields;
        for d in docs {
            let mut document = doc!(
                f.key => d.key.as_str(),
                f.site => d.site,
                f.kind => d.kind.as_str(),
                f.title => d.title.as_str(),
                f.summary => d.summary.as_str(),
                f.body => d.body.as_str(),
                f.url => d.url.as_str(),
                f.parts => d.title.as_str(),
                f.parts => d.summary.as_str(),
                f.parts => d.body.as_str(),
                f.words => d.title.as_str(),
                f.words => d.summary.as_str(),
                f.words => d.body.as_str(),
            );
            if let Some(date) = &d.date {
                document.add_text(f.date, date);
                if let Ok(date) = date.parse::<jiff::civil::Date>() {
                    document.add_i64(f.day, rank::day_number(date));
                }
            }
            if d.kind == Kind::Website {
                document.add_text(f.name, &d.title);
            }
            if let Some(year) = d.year {
                document.add_u64(f.year, year);
            }
            if let Some(file) = &d.file {
                document.add_text(f.file_label, &file.label);
                document.add_u64(f.file_size, file.size);
            }
            for link in &d.links {
                document.add_text(f.links, link);
            }
            writer.add_document(document)?;
        }
        Ok(())
    }

    pub fn search(&self, query: &SearchQuery) -> Result<Results, SearchError> {
        let Some(built) = self.build(query) else {
            return Ok(Results::default());
        };
        let searcher = self.reader.searcher();
        let per_page = query.per_page.clamp(1, 100);
        // No page starts past the last document. tantivy reserves room for
        // `offset + per_page` hits, so an unchecked page number from a URL
        // (`?side=4294967295`) would ask for hundreds of GB and abort.
        let offset = query
            .page
            .saturating_sub(1)
            .saturating_mul(per_page)
            .min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        // The counts of the words' matches by kind and year give the facets
        // and the number of results passing the filters.
        let mut q = built.all();
        let mut counts = searcher.search(&q, &CountsCollector)?;
        let mut partial = false;
        if counts.total(query.kind, query.year) == 0 {
            // No document has all the words: those with the most of them.
            for minimum in (1..built.words.len()).rev() {
                let some = built.at_least(minimum);
                let some_counts = searcher.search(&some, &CountsCollector)?;
                if some_counts.total(query.kind, query.year) > 0 {
                    (q, counts, partial) = (some, some_counts, true);
                    break;
                }
            }
        }
        let total = counts.total(query.kind, query.year);
        let top = if total == 0 {
            Vec::new()
        } else {
            let today = rank::today();
            searcher.search(
                &built.filtered(q.box_clone()),
                &rank::top_docs(per_page, offset, today),
            )?
        };
        let f = &self.fields;
        let suggestion = self.suggestion(&searcher, &query.text, &built)?;
        let mut body_snippets = SnippetGenerator::create(&searcher, &*q, f.body)?;
        body_snippets.set_max_num_chars(220);
        let mut summary_snippets = SnippetGenerator::create(&searcher, &*q, f.summary)?;
        summary_snippets.set_max_num_chars(220);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let mut snippet = body_snippets.snippet_from_doc(&doc);
            if snippet.highlighted().is_empty() {
                snippet = summary_snippets.snippet_from_doc(&doc);
            }
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let excerpt_html = if snippet.is_empty() {
                escape(&text(f.summary))
            } else {
                snippet.to_html()
            };
            let date = text(f.date);
            let file_label = text(f.file_label);
            let file = (!file_label.is_empty()).then(|| FileInfo {
                label: file_label,
                size: doc
                    .get_first(f.file_size)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0),
            });
            hits.push(Hit {
                site: doc
                    .get_first(f.site)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default(),
                kind: Kind::parse(&text(f.kind)).unwrap_or(Kind::News),
                title: text(f.title),
                url: text(f.url),
                date: (!date.is_empty()).then_some(date),
                excerpt_html,
                file,
                score,
            });
        }
        Ok(Results {
            hits,
            total,
            partial,
            years: counts.years(query.kind),
            kinds: counts.kinds(query.year),
            suggestion,
        })
    }

    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests;
