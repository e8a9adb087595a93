//! Facets: how many documents a query matches of each kind and each year,
//! counted in one pass over the matches from the fast fields `kind` and
//! `year` (no stored document is read).
//!
//! The counts are taken without the filters, so that both facets come from
//! one pass: the years are counted within the type filter (and without the
//! year filter), the types within the year filter (and without the type
//! filter), as a visitor choosing one of them expects.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::Kind;

/// Names of the fast fields read (see `schema` in lib.rs).
pub(crate) const KIND_FIELD: &str = "kind";
pub(crate) const YEAR_FIELD: &str = "year";

/// How many documents matched, by kind and year (`None`: no year, as for
/// pages, websites and documents).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Counts(HashMap<(Kind, Option<u64>), usize>);

impl Counts {
    /// The documents that pass both filters (`None`: no filter).
    pub fn total(&self, kind: Option<Kind>, year: Option<u64>) -> usize {
        self.0
            .iter()
            .filter(|((k, y), _)| passes(kind, *k) && (year.is_none() || *y == year))
            .map(|(_, n)| n)
            .sum()
    }

    /// The years with matches of `kind` (all kinds if `None`), newest first.
    pub fn years(&self, kind: Option<Kind>) -> Vec<(u64, usize)> {
        let mut years: HashMap<u64, usize> = HashMap::new();
        for (&(k, y), &n) in &self.0 {
            if let (Some(y), true) = (y, passes(kind, k)) {
                *years.entry(y).or_default() += n;
            }
        }
        let mut years: Vec<(u64, usize)> = years.into_iter().collect();
        years.sort_unstable_by_key(|&(year, _)| std::cmp::Reverse(year));
        years
    }

    /// The kinds with matches in `year` (all years if `None`), in the order
    /// of [`Kind::ALL`].
    pub fn kinds(&self, year: Option<u64>) -> Vec<(Kind, usize)> {
        Kind::ALL
            .iter()
            .map(|&kind| (kind, self.total(Some(kind), year)))
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

fn passes(filter: Option<Kind>, kind: Kind) -> bool {
    filter.is_none_or(|f| f == kind)
}

/// Collects the [`Counts`] of the documents a query matches.
pub(crate) struct CountsCollector;

impl Collector for CountsCollector {
    type Fruit = Counts;
    type Child = SegmentCounts;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentCounts> {
        let fast = reader.fast_fields();
        Ok(SegmentCounts {
            kinds: fast.str(KIND_FIELD)?,
            years: fast.column_opt(YEAR_FIELD)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Counts>) -> tantivy::Result<Counts> {
        let mut all = Counts::default();
        for segment in segments {
            for (key, n) in segment.0 {
                *all.0.entry(key).or_default() += n;
            }
        }
        Ok(all)
    }
}

/// The counts of one segment, by the segment's own number of the kind
/// (its term ordinal), named at harvest.
pub(crate) struct SegmentCounts {
    kinds: Option<StrColumn>,
    years: Option<Column<u64>>,
    counts: HashMap<(Option<u64>, Option<u64>), usize>,
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let kind = self.kinds.as_ref().and_then(|k| k.ords().first(doc));
        *self
            .counts
            .entry((kind, self.years.as_ref().and_then(|y| y.first(doc))))
            .or_default() += 1;
    }

    fn harvest(self) -> Counts {
        let mut counts = Counts::default();
        let mut name = String::new();
        for ((ord, year), n) in self.counts {
            let kind = match (&self.kinds, ord) {
                (Some(kinds), Some(ord)) if kinds.ord_to_str(ord, &mut name).unwrap_or(false) => {
                    Kind::parse(&name)
                }
                _ => None,
            };
            // Every document has a kind; one without would be no result.
            if let Some(kind) = kind {
                *counts.0.entry((kind, year)).or_default() += n;
            }
        }
        counts
    }
}
