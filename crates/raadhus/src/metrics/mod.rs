//! `/metrics` for operators, in the OpenMetrics text format Prometheus
//! scrapes, on an address of its own (`metrics_addr`, off by default) that
//! the public never reaches: it answers `GET /metrics` and nothing else.
//!
//! Almost everything is read when scraped, from what the node keeps anyway:
//! the sites' render caches, the database pool, how far the journal
//! follower has got. Counted as they happen are only the background tasks'
//! runs ([`Runs`]) and, by the request front, the requests
//! ([`raadhus_web::RequestMetrics`]). docs/operations.md lists every metric.

mod collectors;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, text};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use raadhus_store::Store;
use raadhus_web::RequestMetrics;

use crate::indexer::Progress;
use crate::tenants::Tenants;

/// The Content-Type of OpenMetrics text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Most connections the metrics listener serves at once: scrapers are few.
pub const MAX_CONNECTIONS: usize = 16;

/// How long a scrape waits for the journal's newest entry; without it the
/// journal's lag is left out of that scrape.
const HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// Every metric's name begins with this and `_`.
const PREFIX: &str = "raadhus";

/// A background task whose runs are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// The scheduler's look for articles and pages whose time has come.
    Schedule,
    /// Removing expired sessions, old counts and old journal entries.
    Prune,
    /// A check of one site's links to other sites.
    LinkCheck,
    /// Writing what was counted (views, searches) to the database.
    Counts,
}

impl Task {
    const ALL: [Task; 4] = [Task::Schedule, Task::Prune, Task::LinkCheck, Task::Counts];

    fn label(self) -> &'static str {
        match self {
            Task::Schedule => "schedule",
            Task::Prune => "prune",
            Task::LinkCheck => "link_check",
            Task::Counts => "counts",
        }
    }
}

/// The outcomes of a run, as labelled.
const OUTCOMES: [&str; 2] = ["ok", "error"];

/// Runs of the background tasks by task and outcome: `scheduler_runs_total
/// {task, outcome}`, every series there from the start. Cheap to clone;
/// clones count together.
#[derive(Debug, Clone, Default)]
pub struct Runs(std::sync::Arc<[[AtomicU64; OUTCOMES.len()]; Task::ALL.len()]>);

impl Runs {
    /// Counts a run of `task` that succeeded (`ok`) or failed.
    pub fn record(&self, task: Task, ok: bool) {
        let row = Task::ALL
            .iter()
            .position(|t| *t == task)
            .unwrap_or_default();
        self.0[row][usize::from(!ok)].fetch_add(1, Ordering::Relaxed);
    }
}

impl Collector for Runs {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> std::fmt::Result {
        let mut runs = encoder.encode_descriptor(
            "scheduler_runs",
            "Runs of the background tasks, by task and outcome (ok or error).",
            None,
            MetricType::Counter,
        )?;
        for (task, counts) in Task::ALL.iter().zip(self.0.iter()) {
            for (outcome, n) in OUTCOMES.iter().zip(counts) {
                let labels = [("task", task.label()), ("outcome", outcome)];
                ConstCounter::new(n.load(Ordering::Relaxed))
                    .encode(runs.encode_family(&labels)?)?;
            }
        }
        Ok(())
    }
}

/// What `/metrics` shows. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: std::sync::Arc<Inner>,
}

struct Inner {
    registry: Registry,
    store: Store,
    progress: Progress,
}

/// What the metrics are read from.
pub struct Sources {
    pub requests: RequestMetrics,
    pub tenants: Tenants,
    pub store: Store,
    pub progress: Progress,
    pub runs: Runs,
}

impl Metrics {
    pub fn new(sources: Sources) -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        registry.register(
            "build",
            "The version of Raadhus running",
            Info::new([("version", env!("CARGO_PKG_VERSION"))]),
        );
        registry.register_collector(Box::new(sources.runs));
        registry.register_collector(Box::new(collectors::Caches(sources.tenants)));
        registry.register_collector(Box::new(collectors::Pool(sources.store.clone())));
        registry.register_collector(Box::new(sources.requests));
        Self {
            inner: std::sync::Arc::new(Inner {
                registry,
                store: sources.store,
                progress: sources.progress,
            }),
        }
    }

    /// Every metric as OpenMetrics text, read now.
    pub async fn encode(&self) -> Result<String, std::fmt::Error> {
        let head = tokio::time::timeout(HEAD_TIMEOUT, self.inner.store.latest_change()).await;
        // Read when asked, so kept out of the long-lived registry.
        let mut now = Registry::with_prefix(PREFIX);
        match head {
            Ok(Ok(head)) => {
                let lag = self.inner.progress.lag(head);
                now.register(
                    "journal_lag_changes",
                    "Entries of the change journal this node has not yet applied to its search index and render caches",
                    ConstGauge::new(lag.changes),
                );
                now.register_with_unit(
                    "journal_lag",
                    "0 when this node has applied the whole change journal; else how long it has been behind",
                    Unit::Seconds,
                    ConstGauge::new(lag.seconds),
                );
            }
            Ok(Err(error)) => {
                tracing::debug!(%error, "metrics: cannot read the journal's newest entry");
            }
            Err(_) => tracing::debug!("metrics: the journal's newest entry took too long"),
        }
        let mut out = String::with_capacity(16 * 1024);
        text::encode_registry(&mut out, &self.inner.registry)?;
        text::encode_registry(&mut out, &now)?;
        text::encode_eof(&mut out)?;
        Ok(out)
    }
}

/// The metrics listener's router: `GET /metrics` (and `HEAD`), 405 for
/// other methods there, 404 everywhere else.
pub fn router(metrics: Metrics) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .with_state(metrics)
}

async fn scrape(State(metrics): State<Metrics>) -> Response {
    match metrics.encode().await {
        Ok(text) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response(),
        Err(std::fmt::Error) => {
            tracing::error!("could not encode the metrics");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_counted_by_task_and_outcome_from_zero() {
        let runs = Runs::default();
        runs.record(Task::Schedule, true);
        runs.clone().record(Task::Schedule, true);
        runs.record(Task::LinkCheck, false);
        let mut registry = Registry::with_prefix(PREFIX);
        registry.register_collector(Box::new(runs));
        let mut out = String::new();
        text::encode(&mut out, &registry).unwrap();
        let samples: Vec<&str> = out.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            samples,
            [
                r#"raadhus_scheduler_runs_total{task="schedule",outcome="ok"} 2"#,
                r#"raadhus_scheduler_runs_total{task="schedule",outcome="error"} 0"#,
                r#"raadhus_scheduler_runs_total{task="prune",outcome="ok"} 0"#,
                r#"raadhus_scheduler_runs_total{task="prune",outcome="error"} 0"#,
                r#"raadhus_scheduler_runs_total{task="link_check",outcome="ok"} 0"#,
                r#"raadhus_scheduler_runs_total{task="link_check",outcome="error"} 1"#,
                r#"raadhus_scheduler_runs_total{task="counts",outcome="ok"} 0"#,
                r#"raadhus_scheduler_runs_total{task="counts",outcome="error"} 0"#,
            ]
        );
    }
}
