//! What a scrape reads from the node as it is: every site's render cache
//! (the counters it keeps anyway) and the database pool.

use std::fmt;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;
use raadhus_store::Store;

use crate::tenants::Tenants;

/// The `site` label of the main site (subsites have their host).
pub const MAIN_SITE: &str = "main";

/// Every site's render cache: `render_cache_*{site}`.
pub struct Caches(pub Tenants);

impl fmt::Debug for Caches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Caches")
    }
}

/// A cache's figures as a scrape shows them.
struct Figures {
    hits: u64,
    misses: u64,
    evictions: u64,
    invalidations: u64,
    entries: u64,
    bytes: u64,
    limit: u64,
}

/// One metric of every site's cache: its name (before the unit), help,
/// type, whether it is in bytes, and its figure.
type Figure = (
    &'static str,
    &'static str,
    MetricType,
    bool,
    fn(&Figures) -> u64,
);

const FIGURES: [Figure; 7] = [
    (
        "render_cache_hits",
        "Requests answered from the site's render cache.",
        MetricType::Counter,
        false,
        |f| f.hits,
    ),
    (
        "render_cache_misses",
        "Looks in the site's render cache that found no fresh page (which was then rendered).",
        MetricType::Counter,
        false,
        |f| f.misses,
    ),
    (
        "render_cache_evictions",
        "Pages dropped from the site's render cache to stay within its limit.",
        MetricType::Counter,
        false,
        |f| f.evictions,
    ),
    (
        "render_cache_invalidations",
        "Changes that dropped pages from the site's render cache.",
        MetricType::Counter,
        false,
        |f| f.invalidations,
    ),
    (
        "render_cache_entries",
        "Pages in the site's render cache.",
        MetricType::Gauge,
        false,
        |f| f.entries,
    ),
    (
        "render_cache",
        "Memory the pages in the site's render cache take.",
        MetricType::Gauge,
        true,
        |f| f.bytes,
    ),
    (
        "render_cache_limit",
        "Most memory the render caches of every site may take together (cache_max_bytes; 0: off).",
        MetricType::Gauge,
        true,
        |f| f.limit,
    ),
];

impl Collector for Caches {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        let sites: Vec<(String, Figures)> = self
            .0
            .all()
            .iter()
            .map(|tenant| {
                let stats = tenant.cache.stats();
                let figures = Figures {
                    hits: stats.hits,
                    misses: stats.misses,
                    evictions: stats.evictions,
                    invalidations: stats.invalidations,
                    entries: u64::try_from(stats.entries).unwrap_or(u64::MAX),
                    bytes: u64::try_from(stats.bytes).unwrap_or(u64::MAX),
                    limit: u64::try_from(stats.max_bytes).unwrap_or(u64::MAX),
                };
                (tenant.host().unwrap_or(MAIN_SITE).to_string(), figures)
            })
            .collect();
        let bytes = Unit::Bytes;
        for (name, help, kind, in_bytes, figure) in FIGURES {
            let mut metric =
                encoder.encode_descriptor(name, help, in_bytes.then_some(&bytes), kind)?;
            for (site, figures) in &sites {
                let labels = [("site", site.as_str())];
                let sample = metric.encode_family(&labels)?;
                let value = figure(figures);
                match kind {
                    MetricType::Counter => ConstCounter::new(value).encode(sample)?,
                    _ => ConstGauge::new(value).encode(sample)?,
                }
            }
        }
        Ok(())
    }
}

/// The database pool: `db_pool_connections_*`.
#[derive(Debug)]
pub struct Pool(pub Store);

impl Collector for Pool {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        let pool = self.0.pool_use();
        let figures = [
            (
                "db_pool_connections_open",
                "Database connections open (idle or in use).",
                pool.open,
            ),
            (
                "db_pool_connections_idle",
                "Open database connections waiting for work.",
                pool.idle,
            ),
            (
                "db_pool_connections_in_use",
                "Database connections in use by a query, a transaction or the journal's listener.",
                pool.in_use(),
            ),
            (
                "db_pool_connections_max",
                "Most database connections the pool opens.",
                pool.max,
            ),
        ];
        for (name, help, value) in figures {
            let metric = encoder.encode_descriptor(name, help, None, MetricType::Gauge)?;
            ConstGauge::new(value).encode(metric)?;
        }
        Ok(())
    }
}
