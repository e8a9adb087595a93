//! What the request front measures of each request, for the operators'
//! `/metrics`: how many requests each route answered with each status, and
//! how long they took.
//!
//! [`RequestMetrics::observe`] runs for every request, cached hits included
//! (tens of thousands a second on two cores), so once a route has been seen
//! it allocates nothing and takes no lock but a read lock of its thread's
//! own: each route has atomic counters, a set per thread made when the
//! route is first observed, and a scrape adds them up ([`Collector`]).
//! prometheus-client's own types would cost more there: its `Histogram`
//! takes a mutex on every observation, and a `Family` is looked up by an
//! owned label set.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use crossbeam_utils::CachePadded;
use crossbeam_utils::sync::{ShardedLock, ShardedLockReadGuard};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::registry::Unit;

use crate::striped::{STRIPES, stripe};

/// Upper bounds of the latency histogram's buckets, in nanoseconds: 100 µs
/// to 10 s (a bucket holds the requests that took at most its bound).
pub const BUCKETS_NANOS: [u64; 16] = [
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    500_000_000,
    1_000_000_000,
    2_500_000_000,
    5_000_000_000,
    10_000_000_000,
];

/// Most routes counted apart: a route first seen after this many is counted
/// as [`OTHER_ROUTE`], so a caller that passes raw paths cannot grow the
/// memory (and the scrape) without bound.
pub const MAX_ROUTES: usize = 256;

/// The route of requests beyond [`MAX_ROUTES`].
pub const OTHER_ROUTE: &str = "other";

/// Requests by route and status, and their latency by route. Cheap to
/// clone; clones count together.
#[derive(Clone, Default)]
pub struct RequestMetrics {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    routes: ShardedLock<HashMap<Box<str>, Route>>,
    /// Whether reaching [`MAX_ROUTES`] was logged.
    warned: AtomicBool,
}

/// One route's counters: a set per server thread (see [`crate::striped`]),
/// added up when scraped.
struct Route {
    stripes: Box<[CachePadded<Counts>; STRIPES]>,
}

/// The counters of one route that one thread adds to.
struct Counts {
    /// Requests by status: one table per hundred (1xx … 9xx), made when the
    /// route first answers a status of that hundred.
    statuses: [OnceLock<Box<[AtomicU64; 100]>>; 9],
    /// Requests by latency bucket ([`BUCKETS_NANOS`], then one beyond the
    /// last bound); not cumulative.
    buckets: [AtomicU64; BUCKETS_NANOS.len() + 1],
    /// The requests' time added up, in nanoseconds.
    nanos: AtomicU64,
}

impl Route {
    fn new() -> Self {
        Self {
            stripes: Box::new(std::array::from_fn(|_| {
                CachePadded::new(Counts {
                    statuses: [const { OnceLock::new() }; 9],
                    buckets: [const { AtomicU64::new(0) }; BUCKETS_NANOS.len() + 1],
                    nanos: AtomicU64::new(0),
                })
            })),
        }
    }

    fn observe(&self, status: u16, elapsed: Duration) {
        let mine = &self.stripes[stripe()];
        // `StatusCode` is always within 100–999.
        let status = status.clamp(100, 999);
        let counts = mine.statuses[usize::from(status / 100 - 1)]
            .get_or_init(|| Box::new([const { AtomicU64::new(0) }; 100]));
        counts[usize::from(status % 100)].fetch_add(1, Ordering::Relaxed);
        let nanos = u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_NANOS
            .iter()
            .position(|&bound| nanos <= bound)
            .unwrap_or(BUCKETS_NANOS.len());
        mine.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        mine.nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Every status answered, with how often, in order.
    fn statuses(&self) -> BTreeMap<u16, u64> {
        let mut statuses = BTreeMap::new();
        for counts in self.stripes.iter() {
            for (hundred, table) in (1u16..).zip(&counts.statuses) {
                let Some(table) = table.get() else { continue };
                for (i, n) in (0u16..).zip(table.iter()) {
                    let n = n.load(Ordering::Relaxed);
                    if n > 0 {
                        *statuses.entry(hundred * 100 + i).or_default() += n;
                    }
                }
            }
        }
        statuses
    }

    /// The histogram as the encoder takes it: sum in seconds, count, and
    /// each bucket's upper bound (seconds) with its own count.
    fn histogram(&self) -> (f64, u64, Vec<(f64, u64)>) {
        let bounds = BUCKETS_NANOS
            .iter()
            .map(|&nanos| nanos as f64 / 1e9)
            .chain([f64::INFINITY]);
        let buckets: Vec<(f64, u64)> = bounds
            .enumerate()
            .map(|(i, bound)| {
                let n = self
                    .stripes
                    .iter()
                    .map(|counts| counts.buckets[i].load(Ordering::Relaxed))
                    .sum();
                (bound, n)
            })
            .collect();
        // The count is the buckets' own, so the +Inf bucket always equals it.
        let count = buckets.iter().map(|(_, n)| n).sum();
        let nanos: u64 = self
            .stripes
            .iter()
            .map(|counts| counts.nanos.load(Ordering::Relaxed))
            .sum();
        (nanos as f64 / 1e9, count, buckets)
    }
}

impl RequestMetrics {
    /// Counts one request of `route` (a route pattern or name, never a raw
    /// path: at most [`MAX_ROUTES`] are counted apart) answered with
    /// `status` after `elapsed`.
    pub fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        if let Some(known) = self.read().get(route) {
            known.observe(status, elapsed);
            return;
        }
        self.observe_new(route, status, elapsed);
    }

    /// [`RequestMetrics::observe`] for a route not seen before (or seen by
    /// another request meanwhile).
    #[cold]
    fn observe_new(&self, route: &str, status: u16, elapsed: Duration) {
        let mut routes = self
            .shared
            .routes
            .write()
            .unwrap_or_else(|e| e.into_inner());
        let route = if routes.contains_key(route) || routes.len() < MAX_ROUTES {
            route
        } else {
            if !self.shared.warned.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    max = MAX_ROUTES,
                    "too many routes for /metrics; further ones are counted as \"{OTHER_ROUTE}\""
                );
            }
            OTHER_ROUTE
        };
        routes
            .entry(route.into())
            .or_insert_with(Route::new)
            .observe(status, elapsed);
    }

    fn read(&self) -> ShardedLockReadGuard<'_, HashMap<Box<str>, Route>> {
        self.shared.routes.read().unwrap_or_else(|e| e.into_inner())
    }
}

impl fmt::Debug for RequestMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestMetrics")
            .field("routes", &self.read().len())
            .finish()
    }
}

/// `http_requests_total{route,status}` and
/// `http_request_duration_seconds{route}` (under the registry's prefix),
/// routes in order.
impl Collector for RequestMetrics {
    fn encode(&self, mut encoder: DescriptorEncoder<'_>) -> fmt::Result {
        let routes = self.read();
        let mut sorted: Vec<(&str, &Route)> = routes
            .iter()
            .map(|(name, route)| (&**name, route))
            .collect();
        sorted.sort_unstable_by_key(|&(name, _)| name);
        {
            let mut requests = encoder.encode_descriptor(
                "http_requests",
                "Requests answered, by route and status.",
                None,
                MetricType::Counter,
            )?;
            for &(name, route) in &sorted {
                for (status, n) in route.statuses() {
                    let labels = ([("route", name)], [("status", status)]);
                    ConstCounter::new(n).encode(requests.encode_family(&labels)?)?;
                }
            }
        }
        let seconds = Unit::Seconds;
        let mut durations = encoder.encode_descriptor(
            "http_request_duration",
            "How long requests took to be answered, by route.",
            Some(&seconds),
            MetricType::Histogram,
        )?;
        for &(name, route) in &sorted {
            let (sum, count, buckets) = route.histogram();
            durations
                .encode_family(&[("route", name)])?
                .encode_histogram::<NoLabelSet>(sum, count, &buckets, None)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
