//! The scheduler: a background task that notices when scheduled articles go
//! public or go away, records it in the audit log, and carries on from where it
//! stopped after a restart.
//!
//! Visibility itself never waits for the scheduler: the public pages compare
//! publish and unpublish times with the clock on every request.

use std::time::Duration;

use jiff::Timestamp;
use raadhus_store::{Audit, Store, StoreError, Transition};
use raadhus_web::Clock;

use crate::indexer::Follower;

/// How often the scheduler looks.
pub const INTERVAL: Duration = Duration::from_secs(1);

/// Handles every transition up to `now` not yet handled. Returns them.
pub async fn tick(store: &Store, now: Timestamp) -> Result<Vec<Transition>, StoreError> {
    let Some(last) = store.scheduler_last_run().await? else {
        store.set_scheduler_last_run(now).await?;
        return Ok(Vec::new());
    };
    if now <= last {
        return Ok(Vec::new());
    }
    let transitions = store.transitions(last, now).await?;
    for t in &transitions {
        let (action, summary) = if t.published {
            (
                "publish",
                format!("{} went public at its scheduled time", t.title),
            )
        } else {
            (
                "unpublish",
                format!("{} was taken down at its scheduled time", t.title),
            )
        };
        let record = Audit {
            site: Some(t.site),
            user_id: None,
            action,
            entity: "news",
            entity_id: Some(t.news_id),
            summary: &summary,
        };
        store.audit(&record, t.at).await?;
        tracing::info!(news = t.news_id, action, "scheduled change");
    }
    store.set_scheduler_last_run(now).await?;
    Ok(transitions)
}

/// How many ticks between clean-ups of expired sessions and old sign-in failures.
const PRUNE_EVERY: u32 = 600;

/// Runs [`tick`] every [`INTERVAL`] until the task is dropped, keeps the
/// search index following the database, and now and then removes expired
/// sessions and sign-in failures older than a day.
pub async fn run(store: Store, clock: Clock, mut index: Follower) {
    let mut interval = tokio::time::interval(INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for round in (0..PRUNE_EVERY).cycle() {
        interval.tick().await;
        let now = clock.now();
        if let Err(e) = tick(&store, now).await {
            tracing::warn!(error = %e, "scheduler could not run; trying again");
        }
        index.follow(&store, now).await;
        if round == 0 {
            let day_ago = now
                .checked_sub(jiff::SignedDuration::from_hours(24))
                .unwrap_or(now);
            if let Err(e) = store.prune_sessions(now, day_ago).await {
                tracing::warn!(error = %e, "could not remove expired sessions");
            }
        }
    }
}
