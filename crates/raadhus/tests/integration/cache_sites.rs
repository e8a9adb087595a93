//! The render caches of every site a node serves share one memory limit:
//! a node with subsites holds at most `cache_max_bytes` of pages in all.

use raadhus::config::Layer;
use raadhus_domain::NewsForm;
use serde_json::Value;

use crate::site_support::{SCHOOL, news_on, subsite};
use crate::support::{TestApp, published};

/// The cache figures of `host`'s site (its `/healthz`).
async fn cache_of(app: &TestApp, host: &str) -> Value {
    app.get_on(host, "/healthz").await.json()["cache"].clone()
}

#[tokio::test]
async fn every_sites_pages_together_stay_within_the_limit() {
    let limit: u64 = 256 * 1024;
    let app = TestApp::spawn_with(Layer {
        demo: Some(false),
        cache_max_bytes: Some(limit.to_string()),
        ..Layer::default()
    })
    .await;
    let main_host = "127.0.0.1";
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let body = "Et langt afsnit om skolens og kommunens planer for de kommende år. ".repeat(150);
    for day in 1..=20 {
        for site in [app.site, school] {
            let title = format!("Planer {day}");
            news_on(
                &app,
                site,
                NewsForm {
                    body: &body,
                    ..published(&title, &format!("{day:02}.02.2026"))
                },
            )
            .await;
        }
    }
    app.settled().await;
    let paths: Vec<String> = (1..=20)
        .map(|day| format!("/nyheder/planer-{day}"))
        .collect();

    // The main site's pages first: they fit beside each other.
    for path in &paths[..5] {
        assert_eq!(
            app.get_on(main_host, path).await.header("x-cache"),
            Some("miss")
        );
    }
    let before = cache_of(&app, main_host).await;
    assert!(before["entries"].as_u64().unwrap() >= 5, "{before}");
    // Then every page of the subsite, in both encodings: the two sites
    // together never pass the limit, and the main site's pages, used
    // longest ago, make room.
    for path in &paths {
        app.get_on(SCHOOL, path).await;
        app.send_with_headers("GET", path, &[("host", SCHOOL), ("accept-encoding", "br")])
            .await;
        let (main, sub) = (
            cache_of(&app, main_host).await,
            cache_of(&app, SCHOOL).await,
        );
        let total = main["bytes"].as_u64().unwrap() + sub["bytes"].as_u64().unwrap();
        assert!(total <= limit, "{total} after {path}: {main} {sub}");
        assert_eq!(main["max_bytes"].as_u64(), Some(limit));
    }
    let main = cache_of(&app, main_host).await;
    assert!(main["evictions"].as_u64().unwrap() > 0, "{main}");
    assert_eq!(
        app.get_on(main_host, &paths[0]).await.header("x-cache"),
        Some("miss"),
        "the oldest page of the main site went"
    );
    assert_eq!(
        app.get_on(SCHOOL, &paths[19]).await.header("x-cache"),
        Some("hit"),
        "the newest page of the subsite stays"
    );
    app.stop().await;
}
