//! What the public site counts without cookies or personal data: addresses
//! not found, searches without results and page views; the reports in the
//! API (`/api/v1/reports/not-found`, `/searches`, `/views`) and in the
//! admin ("Rapporter", the editors, the dashboard); the cap on what is
//! kept; several nodes adding up; counting turned off.

use std::time::{Duration, Instant};

use jiff::civil::Date;
use raadhus::config::Layer;
use raadhus_domain::counting::{MAX_ROWS, kept_since};
use raadhus_store::Tally;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Page, TestApp, published};

const FIREFOX: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// A GET as a person's browser sends it.
async fn browse(app: &TestApp, path: &str) -> Page {
    app.send_with_header("GET", path, "user-agent", FIREFOX)
        .await
}

/// A report of the API, which must answer a plain JSON array.
async fn report(app: &TestApp, token: &str, name: &str) -> Vec<Value> {
    let page = app
        .api("GET", &format!("/api/v1/reports/{name}"), Some(token), None)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.json()
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", page.body))
        .clone()
}

/// Polls the report `name` until `done` holds of it, for at most 10
/// seconds (the reports are at most about 10 seconds behind); returns it.
async fn report_within_10_s(
    app: &TestApp,
    token: &str,
    name: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let start = Instant::now();
    loop {
        let rows = report(app, token, name).await;
        if done(&rows) {
            return rows;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{name} not as expected within 10 s: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The row of `rows` whose `key` is `value`.
fn row<'a>(rows: &'a [Value], key: &str, value: &str) -> Option<&'a Value> {
    rows.iter().find(|r| r[key] == value)
}

#[tokio::test]
async fn addresses_not_found_are_counted_by_path_without_their_query() {
    let app = TestApp::spawn().await;
    let token = app.api_token("api@vesterfjord.example", "editor").await;
    for path in [
        "/gammel-side?id=7&utm_source=nyhedsbrev",
        "/gammel-side",
        "/gammel-side/",
        "/Om%20os",
        "/nyheder/findes-ikke",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // A HEAD of a missing page (a link checker) is a 404 too.
    assert_eq!(app.head("/gammel-side").await.status, StatusCode::NOT_FOUND);
    // Not public pages: not counted.
    for path in [
        "/api/v1/findes-ikke",
        "/static/findes-ikke.css",
        "/medier/999/abc/fil.pdf",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let session = app.editor().await;
    app.get_as(&session, "/admin/findes-ikke").await;

    let rows = report_within_10_s(&app, &token, "not-found", |rows| {
        row(rows, "path", "/gammel-side").is_some_and(|r| r["count"] == 4)
    })
    .await;
    let paths: Vec<&str> = rows.iter().filter_map(|r| r["path"].as_str()).collect();
    assert_eq!(
        paths[0], "/gammel-side",
        "the most asked for first: {rows:?}"
    );
    let mut rest = paths[1..].to_vec();
    rest.sort_unstable();
    assert_eq!(rest, ["/Om%20os", "/nyheder/findes-ikke"], "{rows:?}");
    let first = &rows[0];
    assert_eq!(
        first
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec![
            "count".to_string(),
            "last_seen".to_string(),
            "path".to_string()
        ])
    );
    let seen: jiff::Timestamp = first["last_seen"].as_str().unwrap().parse().unwrap();
    assert!(seen <= jiff::Timestamp::now());

    // `limit` bounds the list; a bad one is a JSON error.
    let one = app
        .api(
            "GET",
            "/api/v1/reports/not-found?limit=1",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(one.json().as_array().map(Vec::len), Some(1));
    for bad in ["0", "1001", "mange"] {
        let refused = app
            .api(
                "GET",
                &format!("/api/v1/reports/not-found?limit={bad}"),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(refused.json()["field"], "limit");
    }
    app.stop().await;
}

#[tokio::test]
async fn every_report_needs_a_token() {
    let app = TestApp::spawn().await;
    for name in ["not-found", "searches", "views", "feedback"] {
        let path = format!("/api/v1/reports/{name}");
        let refused = app.api("GET", &path, None, None).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(refused.json()["error"].is_string());
        let wrong = app.api("GET", &path, Some("forkert"), None).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let doc = app.get("/api/v1/openapi.json").await.json();
    for name in ["not-found", "searches", "views", "feedback"] {
        let operation = &doc["paths"][format!("/api/v1/reports/{name}")]["get"];
        assert_eq!(operation["tags"], json!(["reports"]), "{name}");
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"]["type"], "array",
            "{name}: {operation}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn searches_without_results_are_counted_but_personal_data_is_never_kept() {
    let app = TestApp::spawn().await;
    let token = app.api_token("api@vesterfjord.example", "editor").await;
    app.news(published("Havnebadet åbner", "2026-06-01")).await;
    app.settled().await;
    for q in [
        "Storskrald",
        // The same search again (now from the render cache), written otherwise.
        "  storskrald ",
        "STORSKRALD",
        // Found something: not counted.
        "havnebadet",
        // Personal data: never kept.
        "010190-1234",
        "0101901234",
        "anne@example.dk",
        "+45 12 34 56 78",
    ] {
        let page = app
            .get(&format!(
                "/soeg?q={}",
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{q}");
        assert_eq!(page.body.contains("Havnebadet åbner"), q == "havnebadet");
    }
    // Narrowed by type or year: the visitor's own choice, not counted.
    app.get("/soeg?q=parkering&type=nyhed").await;
    app.get("/soeg?q=parkering&aar=2020").await;
    // The API's search is for programs: not counted.
    app.get("/api/v1/search?q=vejarbejde").await;

    let rows = report_within_10_s(&app, &token, "searches", |rows| {
        row(rows, "query", "storskrald").is_some_and(|r| r["count"] == 3)
    })
    .await;
    assert_eq!(rows, vec![json!({"query": "storskrald", "count": 3})]);
    // The database outlives the node.
    let (store, site, _db) = (app.store.clone(), app.site, app.db.clone());
    app.stop().await;
    // Nothing else reached the database either.
    let kept = store.search_report(site, 1000).await.unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
}

#[tokio::test]
async fn views_are_counted_for_browsers_but_not_robots() {
    let app = TestApp::spawn().await;
    let token = app.api_token("api@vesterfjord.example", "editor").await;
    let page = app.page(None, "Affald og genbrug").await;
    let article = app.news(published("Havnebadet åbner", "2026-06-01")).await;
    let news = "/nyheder/havnebadet-aabner";

    // Rendered once, then from the cache: every one counts.
    for _ in 0..3 {
        assert_eq!(browse(&app, &page.path).await.status, StatusCode::OK);
    }
    // A browser that has the page asks again and gets 304: a view too.
    let etag = browse(&app, &page.path).await;
    let etag = etag.header("etag").unwrap().to_string();
    let again = app
        .send_with_headers(
            "GET",
            &page.path,
            &[("user-agent", FIREFOX), ("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Not views: robots, programs, no User-Agent, HEAD, a missing page.
    app.send_with_header("GET", &page.path, "user-agent", GOOGLEBOT)
        .await;
    app.send_with_header("GET", &page.path, "user-agent", "curl/8.5.0")
        .await;
    app.get(&page.path).await;
    app.send_with_header("HEAD", &page.path, "user-agent", FIREFOX)
        .await;
    browse(&app, "/findes-ikke").await;
    browse(&app, news).await;

    let rows = report_within_10_s(&app, &token, "views", |rows| {
        row(rows, "path", &page.path).is_some_and(|r| r["views"] == 5)
            && row(rows, "path", news).is_some()
    })
    .await;
    assert_eq!(
        rows,
        vec![
            json!({"path": page.path, "views": 5}),
            json!({"path": news, "views": 1}),
        ]
    );

    // The editors see them beside the page and on the dashboard.
    let session = app.editor().await;
    let editor = app
        .get_as(&session, &format!("/admin/sider/{}", page.id))
        .await;
    assert_eq!(
        editor.texts("#visninger"),
        ["Visninger de sidste 30 dage: 5"]
    );
    let dashboard = app.get_as(&session, "/admin").await;
    assert_eq!(
        dashboard.texts("[aria-labelledby=mest-sete] li a"),
        ["Affald og genbrug", "Havnebadet åbner"]
    );
    let report = app.get_as(&session, "/admin/rapporter/visninger").await;
    assert_eq!(report.status, StatusCode::OK);
    assert_eq!(report.texts("tbody td[data-label=Visninger]"), ["5", "1"]);
    assert_eq!(
        report.attrs("tbody th a", "href"),
        [
            format!("/admin/sider/{}", page.id),
            format!("/admin/nyheder/{}", article.id)
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_admin_reports_show_what_was_not_found_with_a_way_to_redirect_it() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    browse(&app, "/b%C3%B8rn/skole").await;
    browse(&app, "/b%C3%B8rn/skole").await;
    browse(&app, "/soeg?q=Sk%C3%B8jte").await;
    // Stopped, the node writes what it counted; it starts again at once.
    let app = app.pause().await.resume().await;

    let overview = app.get_as(&session, "/admin/rapporter").await;
    assert_eq!(overview.status, StatusCode::OK);
    assert_eq!(
        overview.texts(".report-nav a"),
        [
            "Sider der ikke findes",
            "Søgninger uden resultater",
            "Visninger de sidste 30 dage",
            "Tilbagemeldinger"
        ]
    );
    assert_eq!(
        overview.attrs(
            "nav[aria-label=Administration] a[aria-current=page]",
            "href"
        ),
        ["/admin/rapporter"]
    );

    let missing = app.get_as(&session, "/admin/rapporter/ikke-fundet").await;
    assert_eq!(missing.texts("caption").len(), 1);
    assert_eq!(missing.texts("tbody th"), ["/børn/skole"]);
    assert_eq!(missing.texts("tbody td[data-label=Gange]"), ["2"]);
    let link = missing.attrs("tbody a", "href");
    assert_eq!(
        link,
        ["/admin/omdirigeringer/ny?fra=%2Fb%25C3%25B8rn%2Fskole"]
    );
    let form = app.get_as(&session, &link[0]).await;
    assert_eq!(
        form.attrs("input[name=from]", "value"),
        ["/b%C3%B8rn/skole"]
    );

    // Redirected: said so, and no more "Opret omdirigering".
    let made = app
        .post_as(
            &session,
            "/admin/omdirigeringer/ny",
            &[
                ("from", "/b%C3%B8rn/skole"),
                ("to", "/"),
                ("permanent", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let missing = app.get_as(&session, "/admin/rapporter/ikke-fundet").await;
    assert_eq!(
        missing.texts("tbody td[data-label=Handling]"),
        ["Omdirigeres til /"]
    );
    let dashboard = app.get_as(&session, "/admin").await;
    assert_eq!(
        dashboard.texts("[aria-labelledby=ikke-fundet] li .report__key"),
        ["/børn/skole"]
    );

    let searches = app.get_as(&session, "/admin/rapporter/soegninger").await;
    assert_eq!(searches.texts("tbody th"), ["skøjte"]);
    assert_eq!(searches.attrs("tbody a", "href"), ["/soeg?q=sk%C3%B8jte"]);
    // "Tilbagemeldinger" is one of the reports.
    let feedback = app.get_as(&session, "/admin/tilbagemeldinger").await;
    assert_eq!(
        feedback.attrs(".report-nav a[aria-current=page]", "href"),
        ["/admin/tilbagemeldinger"]
    );
    app.stop().await;
}

#[tokio::test]
async fn the_counts_are_written_when_the_server_stops() {
    let app = TestApp::spawn().await;
    app.get("/sidst-foer-stop").await;
    // The database outlives the node.
    let (store, site, _db) = (app.store.clone(), app.site, app.db.clone());
    app.stop().await;
    let kept = store.not_found_report(site, 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].key.as_str(), kept[0].hits),
        ("/sidst-foer-stop", 1)
    );
}

#[tokio::test]
async fn a_scanner_cannot_fill_the_database() {
    let app = TestApp::spawn().await;
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let full = Tally {
        not_found: (0..MAX_ROWS).map(|i| (format!("/wp-{i}"), 1)).collect(),
        searches: (0..MAX_ROWS).map(|i| (format!("s{i}"), 1)).collect(),
        ..Tally::default()
    };
    let now = jiff::Timestamp::now();
    app.store
        .add_counts(app.site, &full, today, now)
        .await
        .unwrap();
    let more = Tally {
        not_found: vec![("/ny-side".into(), 50), ("/wp-7".into(), 2)],
        searches: vec![("ny søgning".into(), 50), ("s7".into(), 2)],
        ..Tally::default()
    };
    app.store
        .add_counts(app.site, &more, today, now)
        .await
        .unwrap();
    let kept = app.store.not_found_report(app.site, 1000).await.unwrap();
    assert_eq!(kept[0].key, "/wp-7", "kept ones grow");
    assert_eq!(kept[0].hits, 3);
    assert!(
        kept.iter().all(|r| r.key != "/ny-side"),
        "full: no new ones"
    );
    let searches = app.store.search_report(app.site, 1).await.unwrap();
    assert_eq!((searches[0].key.as_str(), searches[0].hits), ("s7", 3));
    let all = app.store.search_report(app.site, u32::MAX).await.unwrap();
    assert_eq!(all.len() as i64, MAX_ROWS);
    assert!(all.iter().all(|r| r.key != "ny søgning"));
    app.stop().await;
}

#[tokio::test]
async fn counts_older_than_four_hundred_days_are_deleted() {
    let app = TestApp::spawn().await;
    // The server's own scheduler prunes by today's date at any moment, so
    // the counts here are recent, and the pruning is asked for as on a day
    // 395 days ahead: counts of 10 days ago are then over 400 days old,
    // today's are not, and only this test's call deletes anything.
    let today: Date = raadhus_domain::date::local_date(jiff::Timestamp::now());
    let old_day = today.checked_sub(jiff::Span::new().days(10)).unwrap();
    let old_time = jiff::Timestamp::now()
        .checked_sub(jiff::SignedDuration::from_hours(24 * 10))
        .unwrap();
    let later = today.checked_add(jiff::Span::new().days(395)).unwrap();
    let tally = |name: &str| Tally {
        views: vec![(format!("/{name}"), 1)],
        not_found: vec![(format!("/{name}"), 1)],
        searches: vec![(name.to_string(), 1)],
    };
    app.store
        .add_counts(app.site, &tally("gammel"), old_day, old_time)
        .await
        .unwrap();
    app.store
        .add_counts(app.site, &tally("ny"), today, jiff::Timestamp::now())
        .await
        .unwrap();
    let deleted = app.store.prune_counts(kept_since(later)).await.unwrap();
    assert_eq!(deleted, 3);
    assert_eq!(app.store.prune_counts(kept_since(later)).await.unwrap(), 0);
    let views = app.store.views_report(app.site, old_day, 10).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].path, "/ny");
    let missed = app.store.not_found_report(app.site, 10).await.unwrap();
    assert_eq!(missed.len(), 1);
    assert_eq!(
        app.store.search_report(app.site, 10).await.unwrap().len(),
        1
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_on_two_nodes_add_up_within_ten_seconds() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    let token = a.api_token("api@vesterfjord.example", "editor").await;
    let page = a.page(None, "Kontakt").await;
    b.settled().await;
    let start = Instant::now();
    for _ in 0..2 {
        assert_eq!(browse(&a, &page.path).await.status, StatusCode::OK);
    }
    for _ in 0..3 {
        assert_eq!(browse(&b, &page.path).await.status, StatusCode::OK);
    }
    b.get("/kun-paa-b").await;
    a.get("/kun-paa-b").await;
    report_within_10_s(&a, &token, "views", |rows| {
        row(rows, "path", &page.path).is_some_and(|r| r["views"] == 5)
    })
    .await;
    let missed = report_within_10_s(&b, &token, "not-found", |rows| {
        row(rows, "path", "/kun-paa-b").is_some_and(|r| r["count"] == 2)
    })
    .await;
    assert_eq!(missed.len(), 1);
    assert!(start.elapsed() < Duration::from_secs(10));
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn nothing_is_counted_when_counting_is_off() {
    let app = TestApp::spawn_with(Layer {
        demo: Some(false),
        counting: Some(false),
        ..Layer::default()
    })
    .await;
    let page = app.page(None, "Affald og genbrug").await;
    browse(&app, &page.path).await;
    browse(&app, "/findes-ikke").await;
    browse(&app, "/soeg?q=storskrald").await;
    let session = app.editor().await;
    let overview = app.get_as(&session, "/admin/rapporter").await;
    assert!(
        overview
            .texts(".notice")
            .iter()
            .any(|t| t.contains("Optællingen er slået fra")),
        "{}",
        overview.body
    );
    // The database outlives the node.
    let (store, site, _db) = (app.store.clone(), app.site, app.db.clone());
    // Stopping writes whatever was counted: nothing.
    app.stop().await;
    let since = raadhus_domain::counting::report_since(raadhus_domain::date::local_date(
        jiff::Timestamp::now(),
    ));
    assert!(
        store
            .views_report(site, since, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.not_found_report(site, 10).await.unwrap().is_empty());
    assert!(store.search_report(site, 10).await.unwrap().is_empty());
}
