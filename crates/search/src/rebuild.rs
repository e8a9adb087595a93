//! Rebuilding the whole index from documents given in batches, so that the
//! caller never holds them all: the writer flushes what it was given to
//! segments on disk as its memory budget fills, and searches see nothing of
//! it until the commit replaces the whole index at once.

use tantivy::IndexWriter;

use crate::{Document, SearchError, SearchIndex};

/// A rebuild in progress ([`SearchIndex::rebuild`]). It holds the index's
/// writer: other writes fail with [`SearchError::Rebuilding`] meanwhile.
/// Dropped uncommitted, it leaves the index as it was.
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    writer: Option<IndexWriter>,
    added: usize,
}

impl SearchIndex {
    /// Begins replacing everything in the index.
    pub fn rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let writer = self.take_writer()?;
        if let Err(e) = writer.delete_all_documents() {
            self.put_writer(writer);
            return Err(e.into());
        }
        Ok(Rebuild {
            index: self,
            writer: Some(writer),
            added: 0,
        })
    }
}

impl Rebuild<'_> {
    /// Adds `docs` to the new index.
    pub fn add(&mut self, docs: &[Document]) -> Result<(), SearchError> {
        let writer = self.writer.as_ref().ok_or(SearchError::Rebuilding)?;
        self.index.add(writer, docs)?;
        self.added += docs.len();
        Ok(())
    }

    /// Replaces the index with the documents added, in one commit that
    /// remembers `position` (see [`SearchIndex::position`]); gives their
    /// number.
    pub fn commit(mut self, position: &str) -> Result<usize, SearchError> {
        let mut writer = self.writer.take().ok_or(SearchError::Rebuilding)?;
        let committed = self.index.commit(&mut writer, position);
        self.index.put_writer(writer);
        committed?;
        Ok(self.added)
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        if let Some(mut writer) = self.writer.take() {
            if let Err(e) = writer.rollback() {
                tracing::warn!(error = %e, "cannot roll an unfinished rebuild of the search index back");
            }
            self.index.put_writer(writer);
        }
    }
}
