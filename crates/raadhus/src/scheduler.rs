//! The scheduler: a background task that notices when scheduled articles and
//! pages go public or go away, records it in the audit log and the change
//! journal exactly once (however many nodes run it), and carries on from where
//! it stopped after a restart.
//!
//! Visibility itself never waits for the scheduler: the public pages compare
//! publish and unpublish times with the clock on every request.

use std::time::Duration;

use jiff::Timestamp;
use raadhus_store::{Store, StoreError, Transition};
use raadhus_usecases::Clock;

use crate::metrics::{Runs, Task};

/// How often the scheduler looks.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// Records every transition up to `now` not yet recorded, exactly once
/// however many nodes run the scheduler. Returns the ones this call recorded.
pub async fn tick(store: &Store, now: Timestamp) -> Result<Vec<Transition>, StoreError> {
    let transitions = store.advance_scheduler(now, describe).await?;
    for t in &transitions {
        tracing::info!(
            entity = t.item.entity(),
            id = t.id,
            published = t.published,
            "scheduled change"
        );
    }
    Ok(transitions)
}

/// The audit log's action and summary for a transition.
fn describe(t: &Transition) -> (&'static str, String) {
    if t.published {
        ("publish", raadhus_domain::audit::went_public(&t.title))
    } else {
        ("unpublish", raadhus_domain::audit::taken_down(&t.title))
    }
}

/// How often expired sessions, sign-in failures older than a day, feedback
/// comments older than 90 days, counts older than 400 days and old entries
/// of the change journal are removed.
const PRUNE_INTERVAL: Duration = Duration::from_secs(600);

/// How many of the newest journal entries are kept: a node that was away for
/// more changes than this rebuilds its search index when it comes back.
pub const JOURNAL_KEPT: i64 = 100_000;

/// Runs [`tick`] every [`INTERVAL`] until the task is dropped, starts a
/// check of the site's links when one is due (see [`crate::links`]), and
/// now and then removes expired sessions, old sign-in failures, expired
/// feedback comments, old counts and old journal entries; counts its runs
/// and their outcomes in `runs`.
pub async fn run(store: Store, clock: Clock, mut links: crate::links::Background, runs: Runs) {
    let mut interval = tokio::time::interval(INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pruned: Option<Timestamp> = None;
    loop {
        interval.tick().await;
        let now = clock.now();
        let ticked = tick(&store, now).await;
        if let Err(e) = &ticked {
            tracing::warn!(error = %e, "scheduler could not run; trying again");
        }
        runs.record(Task::Schedule, ticked.is_ok());
        links.tick(now).await;
        let prune_due =
            pruned.is_none_or(|at| now.duration_since(at).unsigned_abs() >= PRUNE_INTERVAL);
        if prune_due {
            pruned = Some(now);
            runs.record(Task::Prune, prune(&store, now).await);
        }
    }
}

/// Removes expired sessions, old sign-in failures, expired feedback
/// comments, old counts and old journal entries; whether all went well.
async fn prune(store: &Store, now: Timestamp) -> bool {
    let mut ok = true;
    let day_ago = now
        .checked_sub(jiff::SignedDuration::from_hours(24))
        .unwrap_or(now);
    if let Err(e) = store.prune_sessions(now, day_ago).await {
        ok = false;
        tracing::warn!(error = %e, "could not remove expired sessions");
    }
    let expired = raadhus_domain::feedback::comments_expire_before(now);
    match store.prune_feedback_comments(expired).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(comments = n, "deleted expired feedback comments"),
        Err(e) => {
            ok = false;
            tracing::warn!(error = %e, "could not delete expired feedback comments");
        }
    }
    let kept_since = raadhus_domain::counting::kept_since(raadhus_domain::date::local_date(now));
    match store.prune_counts(kept_since).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(rows = n, "deleted counts older than 400 days"),
        Err(e) => {
            ok = false;
            tracing::warn!(error = %e, "could not delete old counts");
        }
    }
    match store.prune_changes(JOURNAL_KEPT).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(entries = n, "pruned the change journal"),
        Err(e) => {
            ok = false;
            tracing::warn!(error = %e, "could not prune the change journal");
        }
    }
    ok
}
