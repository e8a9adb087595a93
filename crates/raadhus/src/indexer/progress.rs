//! How far this node has followed the change journal, for `/metrics`: the
//! follower notes each step here, and a scrape compares it with the
//! journal's newest entry.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The follower's position. Cheap to clone; clones share it.
#[derive(Clone, Debug)]
pub struct Progress(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// The last journal entry applied to the search index and the caches.
    applied: AtomicI64,
    /// When the follower last found nothing more to apply, as time since
    /// `start` (milliseconds).
    caught_up: AtomicU64,
    start: Instant,
}

/// How far behind the journal's newest entry this node is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lag {
    /// Entries not yet applied.
    pub changes: i64,
    /// 0 when none are; else the time since the follower last had applied
    /// every entry it found, which no entry not yet applied is older than
    /// (give or take the follower's poll).
    pub seconds: f64,
}

impl Progress {
    /// A follower that has applied the journal through `seq`, and found
    /// nothing more.
    pub(super) fn caught_up_at(seq: i64) -> Self {
        Self(Arc::new(Inner {
            applied: AtomicI64::new(seq),
            caught_up: AtomicU64::new(0),
            start: Instant::now(),
        }))
    }

    /// The follower applied the journal through `seq`.
    pub(super) fn applied(&self, seq: i64) {
        self.0.applied.store(seq, Ordering::Relaxed);
    }

    /// The follower applied the journal through `seq` and found nothing
    /// after it.
    pub(super) fn caught_up(&self, seq: i64) {
        self.applied(seq);
        let since = millis(self.0.start.elapsed());
        self.0.caught_up.store(since, Ordering::Relaxed);
    }

    /// How far behind `head`, the journal's newest entry, this node is now.
    pub fn lag(&self, head: i64) -> Lag {
        self.lag_at(head, self.0.start.elapsed())
    }

    /// [`Progress::lag`] when `now` has passed since the start.
    fn lag_at(&self, head: i64, now: Duration) -> Lag {
        let changes = head
            .saturating_sub(self.0.applied.load(Ordering::Relaxed))
            .max(0);
        let seconds = if changes == 0 {
            0.0
        } else {
            let since = Duration::from_millis(self.0.caught_up.load(Ordering::Relaxed));
            now.saturating_sub(since).as_secs_f64()
        };
        Lag { changes, seconds }
    }
}

fn millis(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lag_is_entries_and_time_since_the_follower_was_last_caught_up() {
        let progress = Progress::caught_up_at(5);
        let at = Duration::from_secs;
        assert_eq!(
            progress.lag_at(5, at(30)),
            Lag {
                changes: 0,
                seconds: 0.0
            }
        );
        // Three entries came; the follower was last caught up at the start.
        assert_eq!(
            progress.lag_at(8, at(30)),
            Lag {
                changes: 3,
                seconds: 30.0
            }
        );
        progress.applied(7);
        assert_eq!(progress.lag_at(8, at(31)).changes, 1);
        progress.caught_up(8);
        assert_eq!(progress.lag_at(8, at(40)).seconds, 0.0);
        let later = progress.lag_at(9, progress.0.start.elapsed() + at(2));
        assert_eq!(later.changes, 1);
        assert!((later.seconds - 2.0).abs() < 0.01, "{later:?}");
        // A head older than what was applied (read before the follower's
        // last step) is no lag.
        assert_eq!(progress.lag_at(6, at(50)).changes, 0);
    }
}
