//! `/metrics` for operators: served on an address of its own only when one
//! is configured, in the OpenMetrics text format, with what the node's
//! render caches, database pool, journal follower and background tasks did.

use std::net::SocketAddr;
use std::time::Duration;

use raadhus::config::{Config, Layer};
use reqwest::StatusCode;

use crate::site_support::{SCHOOL, subsite};
use crate::support::{TestApp, TestDb};

/// A node with the demo content and `/metrics` on a port of its own.
async fn with_metrics() -> (TestApp, SocketAddr) {
    let app = TestApp::spawn_with(Layer {
        metrics_addr: Some("127.0.0.1:0".into()),
        ..Layer::default()
    })
    .await;
    let metrics = app.metrics.expect("the metrics listener's address");
    assert_ne!(metrics, app.addr);
    (app, metrics)
}

async fn request(method: reqwest::Method, addr: SocketAddr, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(method, format!("http://{addr}{path}"))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("the metrics listener answers")
}

/// The metrics as a scrape gets them.
async fn scrape(addr: SocketAddr) -> String {
    let answer = request(reqwest::Method::GET, addr, "/metrics").await;
    assert_eq!(answer.status(), StatusCode::OK);
    let kind = answer.headers().get("content-type").cloned();
    assert_eq!(
        kind.as_ref().and_then(|v| v.to_str().ok()),
        Some("application/openmetrics-text; version=1.0.0; charset=utf-8")
    );
    let text = answer.text().await.expect("body");
    assert!(text.ends_with("# EOF\n"), "{text}");
    text
}

/// The value of the sample `name` (its labels as written), if there is one.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .map(|value| value.parse().expect("a number"))
}

fn value(text: &str, name: &str) -> f64 {
    sample(text, name).unwrap_or_else(|| panic!("no {name} in\n{text}"))
}

/// Scrapes until `done` holds of the text (bounded), and returns it.
async fn scrape_until(addr: SocketAddr, done: impl Fn(&str) -> bool) -> String {
    for _ in 0..100 {
        let text = scrape(addr).await;
        if done(&text) {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the metrics never got there:\n{}", scrape(addr).await);
}

#[tokio::test]
async fn metrics_show_the_cache_pool_journal_tasks_and_build_on_their_own_address() {
    let (app, metrics) = with_metrics().await;
    app.settled().await;
    let main = |name: &str| format!("raadhus_render_cache_{name}{{site=\"main\"}}");
    let before = scrape(metrics).await;
    let first = app.get("/").await;
    let second = app.get("/").await;
    assert_eq!(first.header("x-cache"), Some("miss"));
    assert_eq!(second.header("x-cache"), Some("hit"));
    let after = scrape(metrics).await;
    let moved = |name: &str| value(&after, &main(name)) - value(&before, &main(name));
    assert_eq!(moved("hits_total"), 1.0, "{after}");
    assert_eq!(moved("misses_total"), 1.0);
    assert!(value(&after, &main("entries")) >= 1.0);
    assert!(value(&after, &main("bytes")) > 0.0);
    assert_eq!(
        value(&after, &main("limit_bytes")),
        raadhus::config::DEFAULT_CACHE_MAX_BYTES as f64
    );
    assert!(sample(&after, &main("evictions_total")).is_some());
    assert!(after.contains("# TYPE raadhus_render_cache_hits counter\n"));
    assert!(after.contains("# UNIT raadhus_render_cache_bytes bytes\n"));

    // The database pool, read as it is.
    let pool = |name: &str| value(&after, &format!("raadhus_db_pool_connections_{name}"));
    let (open, idle, in_use, max) = (pool("open"), pool("idle"), pool("in_use"), pool("max"));
    assert!(max >= 1.0 && open >= 1.0 && open <= max, "{after}");
    assert_eq!(idle + in_use, open);

    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        sample(
            &after,
            &format!("raadhus_build_info{{version=\"{version}\"}}")
        ),
        Some(1.0)
    );

    // Every task's series from the start; the scheduler and the counts
    // writer have run (each runs at once on start).
    let runs = |task: &str, outcome: &str| {
        format!("raadhus_scheduler_runs_total{{task=\"{task}\",outcome=\"{outcome}\"}}")
    };
    for task in ["schedule", "prune", "link_check", "counts"] {
        assert!(sample(&after, &runs(task, "error")).is_some(), "{task}");
    }
    let ran = scrape_until(metrics, |text| {
        sample(text, &runs("schedule", "ok")) >= Some(2.0)
            && sample(text, &runs("counts", "ok")) >= Some(1.0)
            && sample(text, &runs("prune", "ok")) >= Some(1.0)
    })
    .await;
    assert_eq!(value(&ran, &runs("schedule", "error")), 0.0);

    // This node has applied the whole journal.
    let caught_up = scrape_until(metrics, |text| {
        sample(text, "raadhus_journal_lag_changes") == Some(0.0)
    })
    .await;
    assert!(caught_up.contains("# UNIT raadhus_journal_lag_seconds seconds\n"));
    assert_eq!(value(&caught_up, "raadhus_journal_lag_seconds"), 0.0);

    // Requests by route and status, the render cache's hits (answered
    // before routing) under the route that rendered them; their latency.
    assert!(after.contains("# TYPE raadhus_http_requests counter\n"));
    assert!(after.contains("# TYPE raadhus_http_request_duration_seconds histogram\n"));
    let requests = |text: &str, route: &str, status: u16| {
        sample(
            text,
            &format!("raadhus_http_requests_total{{route=\"{route}\",status=\"{status}\"}}"),
        )
        .unwrap_or(0.0)
    };
    assert_eq!(
        requests(&after, "/", 200) - requests(&before, "/", 200),
        2.0,
        "{after}"
    );
    let count = |text: &str| {
        sample(
            text,
            "raadhus_http_request_duration_seconds_count{route=\"/\"}",
        )
        .unwrap_or(0.0)
    };
    assert_eq!(count(&after) - count(&before), 2.0, "{after}");
    assert_eq!(app.get("/findes-ikke").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/nyheder").await.status, StatusCode::OK);
    let later = scrape(metrics).await;
    assert!(requests(&later, "fallback", 404) >= 1.0, "{later}");
    assert!(requests(&later, "/nyheder", 200) >= 1.0, "{later}");

    // The listener answers GET /metrics and nothing else; the site never
    // serves /metrics.
    for path in ["/", "/healthz", "/metrics/", "/nyheder"] {
        let answer = request(reqwest::Method::GET, metrics, path).await;
        assert_eq!(answer.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let answer = request(method.clone(), metrics, "/metrics").await;
        assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);

    // A subsite's cache is shown under its host.
    subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let sites = scrape(metrics).await;
    let school = format!("raadhus_render_cache_misses_total{{site=\"{SCHOOL}\"}}");
    assert!(value(&sites, &school) >= 1.0, "{sites}");
    app.stop().await;
}

#[tokio::test]
async fn metrics_are_served_nowhere_unless_configured() {
    let app = TestApp::spawn().await;
    assert_eq!(app.metrics, None);
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_metrics_address_in_use_stops_start_up_with_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address");
    let db = TestDb::new().await;
    let data = tempfile::tempdir().expect("temp dir");
    let layer = Layer {
        demo: Some(false),
        metrics_addr: Some(addr.to_string()),
        ..Layer::default()
    }
    .or(db.layer(data.path()));
    let config = Config::resolve(layer).expect("config");
    let error = match raadhus::Application::build(&config).await {
        Ok(_) => panic!("started on a metrics address in use"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.starts_with(&format!("cannot listen for /metrics on {addr}: ")),
        "{error}"
    );
}
