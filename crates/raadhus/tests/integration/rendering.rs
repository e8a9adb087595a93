//! Article bodies are rendered once, when saved, in time linear in their
//! length and off the async workers: the worst bodies we could construct are
//! saved and served quickly while `/healthz` keeps answering; bodies nested
//! too deep are refused with a clear error; HTML stored by an older Raadhus
//! is rendered again; and both feeds stay well-formed XML whatever is
//! stored, also values written into the database outside Raadhus.

use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use raadhus::config::Layer;
use raadhus_domain::markup::MAX_NESTING;
use reqwest::StatusCode;
use serde_json::json;

use crate::faults::Raw;
use crate::support::{Page, TestApp, TestDb};

/// Every request is rendered: the render cache is off.
fn uncached() -> Layer {
    Layer {
        demo: Some(false),
        cache_max_bytes: Some("0".into()),
        ..Layer::default()
    }
}

/// Parses `page` as XML 1.0 with a parser that checks well-formedness
/// (every character too: the feed crates' own readers do not), then as its
/// kind of feed; returns the HTML contents of its entries.
fn feed_contents(page: &Page, atom: bool) -> Vec<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    if let Err(e) = roxmltree::Document::parse(&page.body) {
        panic!("ill-formed XML: {e}");
    }
    if atom {
        let feed = atom_syndication::Feed::read_from(Cursor::new(page.body.as_bytes()))
            .expect("an Atom feed");
        feed.entries()
            .iter()
            .filter_map(|e| e.content().and_then(|c| c.value()).map(str::to_string))
            .collect()
    } else {
        let channel =
            rss::Channel::read_from(Cursor::new(page.body.as_bytes())).expect("an RSS feed");
        channel
            .items()
            .iter()
            .filter_map(|i| i.content().map(str::to_string))
            .collect()
    }
}

/// GETs `path` and says how long it took.
async fn timed_get(app: &TestApp, path: &str) -> (Page, Duration) {
    let start = Instant::now();
    let page = app.get(path).await;
    (page, start.elapsed())
}

/// Publishes an article through the API and answers the API's answer.
async fn publish(app: &TestApp, token: &str, title: &str, body: &str) -> Page {
    let request = json!({ "title": title, "body": body, "status": "published" });
    app.api(
        "POST",
        "/api/v1/news",
        Some(token),
        Some(&request.to_string()),
    )
    .await
}

/// A generous bound for a debug build on a busy machine (a feed of eight
/// 200 KB bodies took 5.3 s there): the quadratic rendering this guards
/// against took 12.9 s for one 40 KB body, minutes for these.
const QUICK: Duration = Duration::from_secs(20);

/// On a runtime of several threads, as the server's main runtime is: on the
/// test's single thread the health checks shared it with the test's own
/// work (publishing, reading the answers), and one took 2.9 s in a full run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worst_bodies_are_saved_and_served_quickly_while_healthz_answers() {
    let app = Arc::new(TestApp::spawn_with(uncached()).await);
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Meanwhile: the health check, again and again (bounded).
    let done = Arc::new(AtomicBool::new(false));
    let health = tokio::spawn({
        let (app, done) = (app.clone(), done.clone());
        async move {
            let mut slowest = Duration::ZERO;
            for _ in 0..10_000 {
                if done.load(Ordering::Relaxed) {
                    break;
                }
                let (page, took) = timed_get(&app, "/healthz").await;
                assert_eq!(page.status, StatusCode::OK);
                slowest = slowest.max(took);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            slowest
        }
    });
    let wanted = [
        "quotes",
        "lists",
        "emphasis",
        "ampersands",
        "section_signs",
        "tags_with_attributes",
        "star_a",
        "links",
    ];
    let bodies = raadhus_synth::hostile::bodies();
    let mut slugs = Vec::new();
    for (name, body) in bodies.iter().filter(|(n, _)| wanted.contains(n)) {
        let start = Instant::now();
        let saved = publish(&app, &token, &format!("Svær tekst {name}"), body).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{name}: {}", saved.body);
        assert!(
            start.elapsed() < QUICK,
            "{name}: saved in {:?}",
            start.elapsed()
        );
        slugs.push(saved.json()["slug"].as_str().expect("a slug").to_string());
    }
    assert_eq!(slugs.len(), wanted.len());
    for slug in &slugs {
        let (page, took) = timed_get(&app, &format!("/nyheder/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(took < QUICK, "/nyheder/{slug} took {took:?}");
    }
    for (path, atom) in [("/nyheder/feed.atom", true), ("/nyheder/feed.rss", false)] {
        let (page, took) = timed_get(&app, path).await;
        assert!(took < QUICK, "{path} took {took:?}");
        assert_eq!(feed_contents(&page, atom).len(), wanted.len());
    }
    done.store(true, Ordering::Relaxed);
    let slowest = health.await.expect("the health checks ran");
    assert!(
        slowest < Duration::from_secs(2),
        "/healthz took {slowest:?}"
    );
}

#[tokio::test]
async fn bodies_nested_too_deep_are_refused_everywhere_with_the_reason() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // The body that stalled the server: 40 KB of `>`.
    let deep = ">".repeat(40_000);
    let api = publish(&app, &token, "Dyb", &deep).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", api.body);
    assert_eq!(api.json()["field"], "body");
    let message = api.json()["error"].as_str().unwrap_or_default().to_string();
    assert!(
        message.contains("40000 niveauer") && message.contains(&format!("højst {MAX_NESTING}")),
        "{message}"
    );

    // Saving or previewing the form: the reason on the body field, the
    // editor's text kept.
    for action in ["save", "preview"] {
        let form = app
            .post_as(
                &session,
                "/admin/nyheder/ny",
                &[
                    ("title", "Dyb"),
                    ("body", &deep),
                    ("status", "draft"),
                    ("action", action),
                ],
            )
            .await;
        assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        let said = form.texts("#body-fejl").join(" ");
        assert!(
            said.contains("niveauer inden i hinanden"),
            "{action}: {said}"
        );
        assert_eq!(form.texts("textarea#body").join(""), deep);
    }

    // The live preview says why instead of rendering; a body within the
    // limits is rendered, raw HTML as text.
    let preview = app
        .post_as(&session, "/admin/markdown", &[("body", &deep)])
        .await;
    assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        preview.body.contains("niveauer inden i hinanden"),
        "{}",
        preview.body
    );
    let fine = format!("{} *citat* <b>x</b>", ">".repeat(MAX_NESTING - 2));
    let preview = app
        .post_as(&session, "/admin/markdown", &[("body", &fine)])
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert_eq!(preview.count("blockquote"), MAX_NESTING - 2);
    assert!(
        preview.body.contains("<em>citat</em> &lt;b&gt;x&lt;/b&gt;"),
        "{}",
        preview.body
    );
    // Nothing was saved.
    let list = app.api("GET", "/api/v1/news", Some(&token), None).await;
    assert_eq!(list.json()["total"], 0, "{}", list.body);
    app.stop().await;
}

#[tokio::test]
async fn html_stored_by_an_older_raadhus_is_rendered_again() {
    let app = TestApp::spawn_with(uncached()).await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let saved = publish(&app, &token, "Gammel", "Første *tekst*").await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    let mut raw = Raw::open(&app.db).await;
    // An article from before stored HTML, and one saved by a node of an
    // older Raadhus (body and version changed, HTML not).
    raw.execute("UPDATE news SET body_html = NULL, body_html_version = 0, body_html_renderer = 0")
        .await;
    assert_eq!(
        app.get("/nyheder/gammel").await.texts(".article__body em"),
        ["tekst"]
    );
    raw.execute("UPDATE news SET body = 'Anden *udgave*', version = version + 1")
        .await;
    let page = app.get("/nyheder/gammel").await;
    assert_eq!(page.texts(".article__body em"), ["udgave"]);
    assert_eq!(
        app.store.unrendered_news(0, 10).await.expect("read").len(),
        1
    );
    // The background pass (run by every node after start) stores it.
    let renderer = raadhus_usecases::Renderer::default();
    assert_eq!(
        raadhus::backfill::pass(&app.store, &renderer)
            .await
            .expect("pass"),
        1
    );
    assert!(
        app.store
            .unrendered_news(0, 10)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM news WHERE body_html LIKE '%<em>udgave</em>%'")
            .await,
        1
    );
    assert_eq!(
        app.get("/nyheder/gammel").await.texts(".article__body em"),
        ["udgave"]
    );
    app.stop().await;
}

#[tokio::test]
async fn an_import_stores_rendered_bodies() {
    let db = TestDb::new().await;
    let store = db.store().await;
    store
        .import(&raadhus_synth::export(5))
        .await
        .expect("the import loads");
    assert!(store.unrendered_news(0, 10).await.expect("read").is_empty());
    let mut raw = Raw::open(&db).await;
    assert_eq!(
        raw.number("SELECT COUNT(*) FROM news WHERE body_html LIKE '<p>%'")
            .await,
        5
    );
}

#[tokio::test]
async fn both_feeds_are_well_formed_whatever_is_stored() {
    let db = TestDb::new().await;
    {
        let store = db.store().await;
        store
            .primary_site("Vesterfjord", jiff::Timestamp::now())
            .await
            .expect("a site");
        Raw::open(&db)
            .await
            .execute("UPDATE sites SET name = 'Vesterfjord\u{b}Kommune\u{ffff}'")
            .await;
        store.close().await;
    }
    let app = TestApp::spawn_on(db, uncached()).await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Through the API: character references CommonMark decodes to
    // characters XML forbids, and `]]>` where RSS puts the HTML in CDATA.
    for (title, body) in [
        ("Referencer", "Lodret&#11;tabulator &#xFFFF; og &#xFFFE;."),
        ("Cdata", "Slut ]]> her [l](https://x.dk/ \"a]]>b\")."),
        ("Ren", "Helt *almindelig* tekst."),
    ] {
        let saved = publish(&app, &token, title, body).await;
        assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    }
    // Written into the database outside Raadhus: every text of an article,
    // its stored HTML, and a body whose HTML is rendered on request.
    let mut raw = Raw::open(&app.db).await;
    raw.execute(
        "UPDATE news SET title = 'Titel\u{b}\u{ffff}', lead = 'Manchet\u{fffe}\u{1}',
                         body_html = '<p>Gemt\u{b}\u{ffff}</p>' WHERE slug = 'ren'",
    )
    .await;
    raw.execute(
        "UPDATE news SET body = 'Brødtekst\u{b}\u{c}\u{fffe}', body_html = NULL WHERE slug = 'cdata'",
    )
    .await;
    for (path, atom) in [("/nyheder/feed.atom", true), ("/nyheder/feed.rss", false)] {
        let page = app.get(path).await;
        let contents = feed_contents(&page, atom);
        assert_eq!(contents.len(), 3, "{path}");
        assert!(
            contents.iter().any(|c| c.contains("Gemt\u{fffd}\u{fffd}")),
            "{path}: {contents:?}"
        );
        assert!(
            contents
                .iter()
                .any(|c| c.contains("Lodret\u{fffd}tabulator")),
            "{path}: {contents:?}"
        );
        assert!(page.body.contains("Titel\u{fffd}\u{fffd}"), "{path}");
        assert!(page.body.contains("Vesterfjord\u{fffd}Kommune"), "{path}");
    }
    app.stop().await;
}
