//! HTTP caching and compression of public pages and feeds.

use std::io::Read;

use reqwest::StatusCode;

use crate::support::{TestApp, published};

const CACHEABLE: &[&str] = &[
    "/",
    "/nyheder",
    "/nyheder/en-nyhed",
    "/hjemmesider",
    "/nyheder/feed.atom",
    "/nyheder/feed.rss",
    "/sitemap.xml",
    "/robots.txt",
];

async fn conditional(app: &TestApp, path: &str, header: &str, value: &str) -> StatusCode {
    app.send_with_header("GET", path, header, value)
        .await
        .status
}

#[tokio::test]
async fn public_pages_and_feeds_answer_304_when_unchanged() {
    let app = TestApp::spawn().await;
    app.news(published("En nyhed", "01.02.2026")).await;
    for &path in CACHEABLE {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let etag = page
            .header("etag")
            .unwrap_or_else(|| panic!("{path}: no ETag"))
            .to_string();
        let modified = page
            .header("last-modified")
            .unwrap_or_else(|| panic!("{path}: no Last-Modified"))
            .to_string();
        assert!(modified.ends_with(" GMT"), "{modified}");
        assert_eq!(
            conditional(&app, path, "if-none-match", &etag).await,
            StatusCode::NOT_MODIFIED,
            "{path}"
        );
        assert_eq!(
            conditional(&app, path, "if-modified-since", &modified).await,
            StatusCode::NOT_MODIFIED,
            "{path}"
        );
        assert_eq!(
            conditional(&app, path, "if-none-match", "W/\"forkert\"").await,
            StatusCode::OK,
            "{path}"
        );
        let long_ago = "Mon, 01 Jan 2001 00:00:00 GMT";
        assert_eq!(
            conditional(&app, path, "if-modified-since", long_ago).await,
            StatusCode::OK,
            "{path}"
        );
        // HEAD carries the same validators.
        let head = app.head(path).await;
        assert_eq!(head.header("etag"), Some(etag.as_str()), "{path}");
    }
    // Admin pages, the API and health are never answered from validators.
    assert!(app.get("/healthz").await.header("etag").is_none());
    app.stop().await;
}

#[tokio::test]
async fn a_change_gives_new_validators() {
    let app = TestApp::spawn().await;
    app.news(published("En nyhed", "01.02.2026")).await;
    let before = app.get("/nyheder").await;
    let etag = before.header("etag").unwrap().to_string();
    let modified = before.header("last-modified").unwrap().to_string();
    // Last-Modified has whole seconds: let the next change fall in a later one.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    app.news(published("En anden nyhed", "02.02.2026")).await;
    // Written by another connection, as another process would: wait until
    // the node has applied it.
    app.settled().await;
    let after = app
        .send_with_header("GET", "/nyheder", "if-none-match", &etag)
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(after.body.contains("En anden nyhed"));
    assert_ne!(after.header("etag"), Some(etag.as_str()));
    let since = app
        .send_with_header("GET", "/nyheder", "if-modified-since", &modified)
        .await;
    assert_eq!(since.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn text_is_compressed_with_gzip_and_brotli() {
    let app = TestApp::spawn_with_demo().await;
    let plain = app.get("/nyheder").await;
    for (encoding, path) in [
        ("gzip", "/nyheder"),
        ("br", "/nyheder"),
        ("gzip", "/nyheder/feed.atom"),
        ("br", "/sitemap.xml"),
    ] {
        let (status, headers, bytes) = app.raw_bytes(path, encoding).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some(encoding),
            "{path}"
        );
        assert!(
            headers
                .get("vary")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.to_lowercase().contains("accept-encoding"))
        );
        let mut text = String::new();
        match encoding {
            "gzip" => flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .unwrap(),
            _ => brotli::Decompressor::new(&bytes[..], 4096)
                .read_to_string(&mut text)
                .unwrap(),
        };
        assert!(
            bytes.len() < text.len() / 2,
            "{encoding} {path}: {} of {}",
            bytes.len(),
            text.len()
        );
        if path == "/nyheder" {
            assert_eq!(text, plain.body);
        }
    }
    app.stop().await;
}

/// A page's answer as sent plainly, and its gzip form decompressed: the
/// plain form of a page of 16 KB or more is sent from the render cache's
/// spool with `sendfile`, the compressed one (smaller) is copied.
async fn plain_and_gzip(app: &TestApp, path: &str) -> (Vec<u8>, Vec<u8>) {
    // The length the server writes (from the body itself) is the body's.
    let length = |headers: &reqwest::header::HeaderMap| {
        headers
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
    };
    let (status, headers, plain) = app.raw_bytes(path, "identity").await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert!(headers.get("content-encoding").is_none(), "{path}");
    assert_eq!(length(&headers), Some(plain.len()), "{path}");
    let (status, headers, gzip) = app.raw_bytes(path, "gzip").await;
    assert_eq!(status, StatusCode::OK, "{path}");
    assert_eq!(length(&headers), Some(gzip.len()), "{path}: gzip");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    (plain, unzipped)
}

#[tokio::test]
async fn large_cached_answers_arrive_whole_and_change_with_the_page() {
    let app = TestApp::spawn_with_demo().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for path in ["/nyheder/feed.atom", "/hjemmesider"] {
        // Rendered (the miss), then from the cache, twice.
        for _ in 0..3 {
            let (plain, unzipped) = plain_and_gzip(&app, path).await;
            assert!(plain.len() >= raadhus_web::MIN_SPOOLED, "{path}");
            assert!(plain == unzipped, "{path}: the plain answer differs");
        }
    }
    // A new article: the feed changes, and its new answer is sent.
    let title = "Sandkassen på torvet får nyt sand";
    let article = serde_json::json!({
        "title": title,
        "body": "Sandet skiftes i næste uge.",
        "news_date": "2026-12-01",
        "status": "published",
    });
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&article.to_string()),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    for _ in 0..2 {
        let (plain, unzipped) = plain_and_gzip(&app, "/nyheder/feed.atom").await;
        assert!(String::from_utf8_lossy(&plain).contains(title));
        assert!(plain == unzipped, "the changed feed's plain answer differs");
    }
    app.stop().await;
}
