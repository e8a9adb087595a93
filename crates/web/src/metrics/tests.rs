//! Counting requests and encoding them as Prometheus scrapes them.
use super::*;

use prometheus_client::registry::Registry;

/// The OpenMetrics text a scrape of `metrics` gets.
fn scraped(metrics: &RequestMetrics) -> String {
    let mut registry = Registry::with_prefix("raadhus");
    registry.register_collector(Box::new(metrics.clone()));
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &registry).expect("encodes");
    text
}

/// The value of the sample `name` (with its labels, as written).
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .map(|value| value.parse().expect("a number"))
}

#[test]
fn requests_are_counted_by_route_and_status() {
    let metrics = RequestMetrics::default();
    metrics.observe("/nyheder", 200, Duration::from_micros(300));
    metrics.observe("/nyheder", 200, Duration::from_micros(300));
    metrics.observe("/nyheder", 404, Duration::from_micros(2_000));
    metrics.observe("/{*path}", 301, Duration::from_micros(50));
    let text = scraped(&metrics);
    let count = |labels: &str| sample(&text, &format!("raadhus_http_requests_total{{{labels}}}"));
    assert_eq!(
        count(r#"route="/nyheder",status="200""#),
        Some(2.0),
        "{text}"
    );
    assert_eq!(count(r#"route="/nyheder",status="404""#), Some(1.0));
    assert_eq!(count(r#"route="/{*path}",status="301""#), Some(1.0));
    assert_eq!(
        count(r#"route="/nyheder",status="500""#),
        None,
        "never answered"
    );
    assert!(
        text.contains("# TYPE raadhus_http_requests counter\n"),
        "{text}"
    );
    assert!(text.ends_with("# EOF\n"));
}

#[test]
fn latency_buckets_are_cumulative_and_include_their_bound() {
    let metrics = RequestMetrics::default();
    metrics.observe("/", 200, Duration::from_micros(100)); // on the first bound: in it
    metrics.observe("/", 200, Duration::from_micros(101));
    metrics.observe("/", 200, Duration::from_micros(2_000));
    metrics.observe("/", 503, Duration::from_secs(20)); // beyond the last
    let text = scraped(&metrics);
    let bucket = |le: &str| {
        sample(
            &text,
            &format!(r#"raadhus_http_request_duration_seconds_bucket{{le="{le}",route="/"}}"#),
        )
    };
    assert_eq!(bucket("0.0001"), Some(1.0), "{text}");
    assert_eq!(bucket("0.00025"), Some(2.0));
    assert_eq!(bucket("0.001"), Some(2.0));
    assert_eq!(bucket("0.0025"), Some(3.0));
    assert_eq!(bucket("10.0"), Some(3.0));
    assert_eq!(bucket("+Inf"), Some(4.0));
    let count = sample(
        &text,
        r#"raadhus_http_request_duration_seconds_count{route="/"}"#,
    );
    assert_eq!(count, Some(4.0));
    let sum = sample(
        &text,
        r#"raadhus_http_request_duration_seconds_sum{route="/"}"#,
    )
    .expect("sum");
    assert!((sum - 20.002201).abs() < 1e-9, "{sum}");
    assert!(text.contains("# UNIT raadhus_http_request_duration_seconds seconds\n"));
}

#[test]
fn clones_count_together_from_many_threads() {
    let metrics = RequestMetrics::default();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let metrics = metrics.clone();
            s.spawn(move || {
                for i in 0..10_000u64 {
                    let status = if i % 10 == 0 { 304 } else { 200 };
                    metrics.observe("/", status, Duration::from_micros(i % 3_000));
                }
            });
        }
    });
    let text = scraped(&metrics);
    let ok = sample(
        &text,
        r#"raadhus_http_requests_total{route="/",status="200"}"#,
    );
    let not_modified = sample(
        &text,
        r#"raadhus_http_requests_total{route="/",status="304"}"#,
    );
    assert_eq!(ok, Some(36_000.0));
    assert_eq!(not_modified, Some(4_000.0));
    let count = sample(
        &text,
        r#"raadhus_http_request_duration_seconds_count{route="/"}"#,
    );
    assert_eq!(count, Some(40_000.0));
}

#[test]
fn routes_beyond_the_limit_are_counted_as_other() {
    let metrics = RequestMetrics::default();
    for i in 0..MAX_ROUTES {
        metrics.observe(&format!("/r{i}"), 200, Duration::from_micros(1));
    }
    metrics.observe("/r0", 200, Duration::from_micros(1));
    metrics.observe("/one-too-many", 200, Duration::from_micros(1));
    metrics.observe("/and-another", 404, Duration::from_micros(1));
    let text = scraped(&metrics);
    assert_eq!(
        sample(
            &text,
            r#"raadhus_http_requests_total{route="/r0",status="200"}"#
        ),
        Some(2.0),
        "a known route is still counted apart"
    );
    assert!(!text.contains("one-too-many"));
    assert_eq!(
        sample(
            &text,
            r#"raadhus_http_requests_total{route="other",status="200"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            r#"raadhus_http_requests_total{route="other",status="404"}"#
        ),
        Some(1.0)
    );
}

#[test]
fn odd_statuses_and_route_names_are_encoded_safely() {
    let metrics = RequestMetrics::default();
    metrics.observe("a\"b\\c\nd", 999, Duration::from_micros(1));
    metrics.observe("/", 42, Duration::from_micros(1));
    let text = scraped(&metrics);
    assert!(
        text.contains(r#"raadhus_http_requests_total{route="a\"b\\c\nd",status="999"} 1"#),
        "{text}"
    );
    // Not a status `StatusCode` can hold: counted as the nearest one.
    assert_eq!(
        sample(
            &text,
            r#"raadhus_http_requests_total{route="/",status="100"}"#
        ),
        Some(1.0)
    );
}
