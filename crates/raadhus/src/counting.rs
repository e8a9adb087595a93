//! Writing what this node counted (views, addresses not found, searches
//! without results; see `raadhus_usecases::Counter`) to the database every
//! [`INTERVAL`], so that the reports are at most about 10 seconds behind,
//! and once more when the server stops.

use std::time::Duration;

use raadhus_usecases::UseCases;

use crate::metrics::{Runs, Task};
use crate::tenants::Tenants;

/// How often the counts are written.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Writes the counts every [`INTERVAL`] until the task is dropped, each
/// time counted in `runs`.
pub async fn run(usecases: UseCases, tenants: Tenants, runs: Runs) {
    let mut interval = tokio::time::interval(INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        runs.record(Task::Counts, write(&usecases, &tenants).await);
    }
}

/// Writes every site's counts now; a failure is logged (the counts wait in
/// memory for the next time). Whether every site's were written.
pub async fn write(usecases: &UseCases, tenants: &Tenants) -> bool {
    let mut ok = true;
    for tenant in tenants.all() {
        if let Err(e) = usecases.write_counts(&tenant.counter, tenant.site).await {
            ok = false;
            tracing::warn!(error = %raadhus_domain::chain::Chain(&e), site = tenant.site.0, "could not write the counts; trying again");
        }
    }
    ok
}
