//! Counters and locks that every server thread uses on every request,
//! split so that threads do not share the cache line they write.
//!
//! An atomic add (or a lock's count of readers) is cheap while one core
//! owns its cache line; when two threads write the same line for every
//! request, each write waits for the line to come over from the other core.
//! A [`Striped`] counter gives each thread a line of its own (threads are
//! given stripes in turn as they first count, so the server's threads,
//! which start together, share one only once more than [`STRIPES`]
//! threads count) and adds the stripes up when it is read, which is rare
//! (a scrape of `/metrics`, a report).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

use crossbeam_utils::CachePadded;

/// How many stripes: more than the server threads of the machines this
/// runs on (one per core), so that each has its own.
pub const STRIPES: usize = 16;

/// The stripe of the calling thread: below [`STRIPES`].
pub fn stripe() -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static STRIPE: usize = NEXT.fetch_add(1, Relaxed) % STRIPES;
    }
    STRIPE.with(|stripe| *stripe)
}

/// A counter added to by many threads at once and read now and then.
pub struct Striped([CachePadded<AtomicU64>; STRIPES]);

impl Striped {
    pub fn new() -> Self {
        Self(std::array::from_fn(|_| CachePadded::new(AtomicU64::new(0))))
    }

    pub fn add(&self, n: u64) {
        self.0[stripe()].fetch_add(n, Relaxed);
    }

    /// The sum of every thread's additions.
    pub fn get(&self) -> u64 {
        self.0
            .iter()
            .fold(0, |sum, stripe| sum.wrapping_add(stripe.load(Relaxed)))
    }
}

impl Default for Striped {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Striped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Striped").field(&self.get()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_threads_additions_are_counted() {
        let counter = Striped::new();
        std::thread::scope(|scope| {
            for _ in 0..STRIPES + 3 {
                scope.spawn(|| {
                    for _ in 0..1000 {
                        counter.add(1);
                    }
                });
            }
        });
        counter.add(5);
        assert_eq!(counter.get(), (STRIPES as u64 + 3) * 1000 + 5);
    }
}
