//! What holds for every public page: language, headers, no cookies, nothing
//! from other hosts, error pages, health and static assets.

use reqwest::StatusCode;

use crate::support::TestApp;

const PUBLIC_PAGES: &[&str] = &["/", "/nyheder", "/hjemmesider", "/hjemmesider?emne=skoler"];

#[tokio::test]
async fn public_pages_are_danish_html_without_cookies_or_foreign_resources() {
    let app = TestApp::spawn_with_demo().await;
    let first_article = app.get("/nyheder").await.attrs(".news-item a", "href")[0].clone();
    let mut paths: Vec<&str> = PUBLIC_PAGES.to_vec();
    paths.push(&first_article);
    for &path in &paths {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(page.header("cache-control"), Some("no-cache"), "{path}");
        assert!(page.header("set-cookie").is_none(), "{path} sets a cookie");
        assert_eq!(page.attrs("html", "lang"), ["da"], "{path}");
        assert_eq!(page.texts("a.skip-link"), ["Gå til indhold"], "{path}");
        assert_eq!(page.count("main#indhold"), 1, "{path}");
        assert_eq!(page.count("h1"), 1, "{path} must have exactly one h1");
        for (sel, attr) in [
            ("script", "src"),
            ("link", "href"),
            ("img", "src"),
            ("iframe", "src"),
        ] {
            for value in page.attrs(sel, attr) {
                let local = value.starts_with('/') && !value.starts_with("//");
                let canonical = value.starts_with(&app.url("/"));
                assert!(local || canonical, "{path}: {sel} loads {value}");
            }
        }
        assert_eq!(
            page.count(crate::support::EXECUTABLE_INLINE_SCRIPT),
            0,
            "{path} has inline script"
        );
        assert_eq!(page.count("[style]"), 0, "{path} has inline style");
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_pages_get_a_danish_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/findes-ikke",
        "/nyheder/findes-ikke",
        "/nyheder/a/b",
        "/static/style.css",
        "/static/..%2fCargo.toml",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(page.texts("h1"), ["Siden findes ikke"], "{path}");
        assert_eq!(page.attrs("html", "lang"), ["da"]);
        assert!(
            page.header("content-type")
                .unwrap_or_default()
                .starts_with("text/html")
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn head_works_on_pages() {
    let app = TestApp::spawn_with_demo().await;
    for path in ["/", "/nyheder", "/hjemmesider", "/healthz"] {
        let page = app.head(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.is_empty());
    }
    assert_eq!(app.head("/findes-ikke").await.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn health_check_reports_the_database() {
    let app = TestApp::spawn().await;
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], "ok");
    // The suite runs on the backend it was asked for, never silently on another.
    let expected = if crate::database::postgres_base().is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(json["backend"], expected);
    app.stop().await;
}

#[tokio::test]
async fn static_assets_have_hashed_names_and_cache_forever() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await;
    let css = home.attrs("link[rel=stylesheet]", "href");
    assert_eq!(css.len(), 1);
    assert!(
        css[0].starts_with("/static/style.") && css[0].ends_with(".css"),
        "{}",
        css[0]
    );
    let asset = app.get(&css[0]).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert_eq!(
        asset.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(asset.body.contains(".skip-link"));
    let js = app.get("/hjemmesider").await.attrs("script[src]", "src");
    assert_eq!(js.len(), 1);
    let script = app.get(&js[0]).await;
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        script.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // A wrong hash is not the asset.
    let stale = css[0].replace("/static/style.", "/static/style.0");
    assert_eq!(app.get(&stale).await.status, StatusCode::NOT_FOUND);
    app.stop().await;
}

#[tokio::test]
async fn front_page_shows_site_name_latest_news_and_directory() {
    let app = TestApp::spawn_with_demo().await;
    let page = app.get("/").await;
    assert_eq!(page.texts("h1"), ["Vesterfjord Kommune"]);
    assert_eq!(page.texts("title"), ["Vesterfjord Kommune"]);
    assert_eq!(page.count(".news-item"), 5);
    assert_eq!(
        page.texts("#find-hjemmeside"),
        ["Find en af kommunens andre hjemmesider"]
    );
    assert_eq!(
        page.attrs("form.directory-form", "action"),
        ["/hjemmesider"]
    );
    assert_eq!(
        page.texts("form.directory-form button:not([name])"),
        ["Gå ind på den valgte hjemmeside"]
    );
    assert!(page.count("select#hjemmeside option") > 15);
    app.stop().await;
}

#[tokio::test]
async fn an_empty_site_still_renders_every_page() {
    let app = TestApp::spawn().await;
    for path in ["/", "/nyheder", "/hjemmesider"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    assert!(
        app.get("/nyheder")
            .await
            .body
            .contains("Der er ingen nyheder endnu.")
    );
    assert!(
        app.get("/hjemmesider")
            .await
            .body
            .contains("Der er ingen hjemmesider i oversigten endnu.")
    );
    assert_eq!(app.get("/").await.texts("h1"), ["Raadhus"]);
    app.stop().await;
}

#[tokio::test]
async fn configured_site_name_is_shown() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        site_name: Some("Bakkeby Kommune".into()),
        ..Default::default()
    })
    .await;
    let page = app.get("/").await;
    assert_eq!(page.texts("h1"), ["Bakkeby Kommune"]);
    assert_eq!(page.texts(".site-name"), ["Bakkeby Kommune"]);
    app.stop().await;
}

#[tokio::test]
async fn the_accessibility_statement_is_linked_when_configured() {
    let app = TestApp::spawn().await;
    assert!(
        app.get("/")
            .await
            .attrs("footer a[href='/was']", "href")
            .is_empty()
    );
    assert_eq!(app.get("/was").await.status, StatusCode::NOT_FOUND);
    app.stop().await;

    let statement = "https://www.was.digst.dk/vesterfjord-dk";
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        was_url: Some(statement.into()),
        ..Default::default()
    })
    .await;
    for path in ["/", "/nyheder", "/findes-ikke"] {
        let page = app.get(path).await;
        assert_eq!(
            page.texts("footer a[href='/was']"),
            ["Tilgængelighedserklæring"],
            "{path}"
        );
    }
    let was = app.get("/was").await;
    assert_eq!(was.status, StatusCode::SEE_OTHER);
    assert_eq!(was.header("location"), Some(statement));
    app.stop().await;
}
