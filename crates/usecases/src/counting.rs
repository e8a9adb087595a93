//! Counting views, addresses not found and searches without results (see
//! [`raadhus_domain::counting`]) cheaply enough for every public request:
//! a request only adds one to a number in this node's memory (one lock,
//! one hash lookup, no database); [`UseCases::write_counts`] moves what was
//! counted to the database, where each node adds its own increments. The
//! binary does that every few seconds and when it stops.
//!
//! Memory is bounded: at most [`MAX_PENDING_KEYS`] distinct keys of each
//! kind wait for the next write; more are not counted until then.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use raadhus_domain::SiteId;
use raadhus_domain::counting::{MAX_PENDING_KEYS, counted_path};
use raadhus_store::Tally;

use crate::{Result, UseCases};

/// This node's counts not yet in the database. Cheap to clone; clones
/// count together. One made with [`Counter::off`] counts nothing.
#[derive(Clone, Debug)]
pub struct Counter {
    pending: Option<Arc<Mutex<Pending>>>,
}

#[derive(Debug, Default)]
struct Pending {
    /// Request paths as they came (made canonical when written).
    views: HashMap<String, i64>,
    not_found: HashMap<String, i64>,
    /// Normalised queries.
    searches: HashMap<String, i64>,
}

/// Adds one to `key`, unless it is new and `counts` is full.
fn bump(counts: &mut HashMap<String, i64>, key: &str) {
    if let Some(n) = counts.get_mut(key) {
        *n = n.saturating_add(1);
    } else if counts.len() < MAX_PENDING_KEYS {
        counts.insert(key.to_string(), 1);
    }
}

/// Adds `n` to `key`, unless it is new and `counts` is full.
fn add(counts: &mut HashMap<String, i64>, key: String, n: i64) {
    if let Some(m) = counts.get_mut(&key) {
        *m = m.saturating_add(n);
    } else if counts.len() < MAX_PENDING_KEYS {
        counts.insert(key, n);
    }
}

/// The counts of paths as written: canonical, only those that count, the
/// counts of one path written in several ways added up.
fn paths(counts: HashMap<String, i64>) -> Vec<(String, i64)> {
    let mut merged: HashMap<String, i64> = HashMap::with_capacity(counts.len());
    for (raw, n) in counts {
        if let Some(path) = counted_path(&raw) {
            let total = merged.entry(path).or_default();
            *total = total.saturating_add(n);
        }
    }
    merged.into_iter().collect()
}

impl Counter {
    /// A counter that counts.
    pub fn on() -> Self {
        Self {
            pending: Some(Arc::default()),
        }
    }

    /// A counter that counts nothing (counting turned off).
    pub fn off() -> Self {
        Self { pending: None }
    }

    pub fn is_on(&self) -> bool {
        self.pending.is_some()
    }

    fn lock(&self) -> Option<MutexGuard<'_, Pending>> {
        self.pending
            .as_ref()
            .map(|p| p.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// A person viewed the public page at the request path `path`.
    pub fn viewed(&self, path: &str) {
        if let Some(mut p) = self.lock() {
            bump(&mut p.views, path);
        }
    }

    /// Nothing was found at the request path `path`.
    pub fn not_found(&self, path: &str) {
        if let Some(mut p) = self.lock() {
            bump(&mut p.not_found, path);
        }
    }

    /// A search for `query` (normalised, see
    /// [`raadhus_domain::counting::search_query`]) found nothing.
    pub fn found_nothing(&self, query: &str) {
        if let Some(mut p) = self.lock() {
            bump(&mut p.searches, query);
        }
    }

    /// Takes what was counted, as it is written.
    fn take(&self) -> Tally {
        let Some(mut p) = self.lock() else {
            return Tally::default();
        };
        let taken = std::mem::take(&mut *p);
        drop(p);
        Tally {
            views: paths(taken.views),
            not_found: paths(taken.not_found),
            searches: taken.searches.into_iter().collect(),
        }
    }

    /// Puts back what could not be written, to be written next time.
    fn put_back(&self, tally: Tally) {
        let Some(mut p) = self.lock() else {
            return;
        };
        let p = &mut *p;
        for (counts, kind) in [
            (&mut p.views, tally.views),
            (&mut p.not_found, tally.not_found),
            (&mut p.searches, tally.searches),
        ] {
            for (key, n) in kind {
                add(counts, key, n);
            }
        }
    }
}

impl UseCases {
    /// Writes what `counter` has counted since it was last written to the
    /// database, as counted today; the site's counts grow by as much. If
    /// the database fails, the counts wait in memory for the next time.
    pub async fn write_counts(&self, counter: &Counter, site: SiteId) -> Result<()> {
        let tally = counter.take();
        if tally.is_empty() {
            return Ok(());
        }
        let now = self.now();
        let day = raadhus_domain::date::local_date(now);
        if let Err(e) = self.store().add_counts(site, &tally, day, now).await {
            counter.put_back(tally);
            return Err(e.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_counted_in_their_canonical_form() {
        let counter = Counter::on();
        for path in ["/Om%20os/", "/Om os", "/Om%20os", "/admin/x", "/gammel"] {
            counter.not_found(path);
        }
        let mut tally = counter.take();
        tally.not_found.sort();
        assert_eq!(
            tally.not_found,
            vec![("/Om%20os".to_string(), 3), ("/gammel".to_string(), 1)]
        );
        assert!(counter.take().is_empty(), "taken once");
    }

    #[test]
    fn memory_holds_a_bounded_number_of_keys() {
        let counter = Counter::on();
        for i in 0..MAX_PENDING_KEYS + 10 {
            counter.not_found(&format!("/side-{i}"));
        }
        // Keys already held still count.
        counter.not_found("/side-0");
        let tally = counter.take();
        assert_eq!(tally.not_found.len(), MAX_PENDING_KEYS);
        assert!(tally.not_found.contains(&("/side-0".to_string(), 2)));
    }

    #[test]
    fn what_could_not_be_written_waits_for_the_next_time() {
        let counter = Counter::on();
        counter.viewed("/");
        counter.found_nothing("storskrald");
        let tally = counter.take();
        counter.viewed("/");
        counter.put_back(tally);
        let again = counter.take();
        assert_eq!(again.views, vec![("/".to_string(), 2)]);
        assert_eq!(again.searches, vec![("storskrald".to_string(), 1)]);
    }

    #[test]
    fn a_counter_that_is_off_counts_nothing() {
        let counter = Counter::off();
        counter.viewed("/");
        counter.not_found("/x");
        counter.found_nothing("x");
        assert!(!counter.is_on());
        assert!(counter.take().is_empty());
    }
}
