//! The site's next scheduled change, kept between renders. Every cacheable
//! page expires when the next publish or unpublish time of any article or
//! page passes, and asking the database for it on each render cost more
//! than the render at a million articles (PostgreSQL plans the query
//! afresh each time). What it answered stays true until a change lands
//! (every invalidation starts a new generation), the time it named passes,
//! or the clock is set back; then the database is asked again.

use jiff::Timestamp;

use super::{Generation, RenderCache};

/// What the database answered, and when.
#[derive(Debug, Clone, Copy)]
pub(super) struct NextChange {
    /// The cache's generation when the question was asked.
    generation: u64,
    /// The time the answer was for.
    asked_at: Timestamp,
    /// The answer: the next scheduled time after `asked_at`, if any.
    at: Option<Timestamp>,
}

impl RenderCache {
    /// The site's next scheduled change after `now`, if still known:
    /// `Some(None)` when nothing is scheduled, `None` when the database
    /// must be asked.
    pub fn next_scheduled(&self, now: Timestamp) -> Option<Option<Timestamp>> {
        if self.max_bytes() == 0 {
            return None;
        }
        let known = (*self.shared.schedule.lock().ok()?)?;
        let current = known.generation == self.generation().0
            && known.asked_at <= now
            && known.at.is_none_or(|at| at > now);
        current.then_some(known.at)
    }

    /// Notes the database's answer `at` for `asked_at`, asked in
    /// `generation` (taken before asking): an answer a change overtook is
    /// not used.
    pub fn schedule_known(
        &self,
        generation: Generation,
        asked_at: Timestamp,
        at: Option<Timestamp>,
    ) {
        if let Ok(mut schedule) = self.shared.schedule.lock() {
            *schedule = Some(NextChange {
                generation: generation.0,
                asked_at,
                at,
            });
        }
    }
}
