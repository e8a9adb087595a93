//! The render cache: public pages come from memory (`x-cache: hit`) until
//! something they show changes; every kind of change drops exactly the pages
//! showing it, before the change is acknowledged; validators and encodings
//! work on cached pages; memory stays within the configured limit.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, ToSpan};
use raadhus::config::Layer;
use raadhus_domain::NewsForm;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Page, TestApp, published};

fn x_cache(page: &Page) -> &str {
    page.header("x-cache").unwrap_or("none")
}

/// GETs `path` and says whether it came from the cache.
async fn cached(app: &TestApp, path: &str) -> bool {
    let page = app.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    x_cache(&page) == "hit"
}

/// Fetches every path twice once the node has applied every change:
/// afterwards each is in the cache.
async fn warm(app: &TestApp, paths: &[&str]) {
    app.settled().await;
    for &path in paths {
        app.get(path).await;
        assert!(cached(app, path).await, "{path} is not cached");
    }
}

/// Which of `paths` are still served from the cache.
async fn still_cached(app: &TestApp, paths: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for &path in paths {
        if cached(app, path).await {
            hits.push(path.to_string());
        }
    }
    hits
}

struct Api<'a> {
    app: &'a TestApp,
    token: String,
}

impl<'a> Api<'a> {
    async fn new(app: &'a TestApp) -> Self {
        let token = app.api_token("robot@vesterfjord.example", "editor").await;
        Self { app, token }
    }

    /// Sends `body` and insists on success: the change is acknowledged.
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let page = self
            .app
            .api(method, path, Some(&self.token), body.as_deref())
            .await;
        assert!(page.status.is_success(), "{method} {path}: {}", page.body);
        if page.body.is_empty() {
            Value::Null
        } else {
            page.json()
        }
    }

    async fn create_news(&self, article: Value) -> i64 {
        self.send("POST", "/api/v1/news", Some(article)).await["id"]
            .as_i64()
            .expect("id")
    }

    /// Replaces an article with `article` (at its current version).
    async fn update_news(&self, id: i64, mut article: Value) {
        let path = format!("/api/v1/news/{id}");
        let current = self.send("GET", &path, None).await;
        article["version"] = current["version"].clone();
        article["slug"] = current["slug"].clone();
        self.send("PUT", &path, Some(article)).await;
    }
}

/// Eleven older articles (the second page of the list) and two on top.
async fn site_with_news(api: &Api<'_>) -> (i64, i64, i64) {
    for day in 1..=11 {
        api.create_news(json!({
            "title": format!("Ældre nyhed {day}"),
            "body": "Arkivtekst.",
            "news_date": format!("2025-01-{day:02}"),
            "status": "published",
        }))
        .await;
    }
    let contact = api
        .send(
            "POST",
            "/api/v1/contacts",
            Some(json!({"name": "Mette Lund", "job_title": "pressechef", "phone": "27852451"})),
        )
        .await["id"]
        .as_i64()
        .expect("contact id");
    let a = api
        .create_news(json!({
            "title": "Borgermøde om skolen",
            "body": "Kom og hør om planerne.",
            "news_date": "2026-03-02",
            "status": "published",
            "contacts": [{"id": contact}],
        }))
        .await;
    let b = api
        .create_news(json!({
            "title": "Ny cykelsti",
            "body": "Stien åbner til foråret.",
            "news_date": "2026-03-01",
            "status": "published",
        }))
        .await;
    (a, b, contact)
}

const A: &str = "/nyheder/borgermoede-om-skolen";
const B: &str = "/nyheder/ny-cykelsti";
const PAGE_2: &str = "/nyheder?side=2";

#[tokio::test]
async fn each_change_drops_exactly_the_pages_that_show_it() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app).await;
    let (a, b, contact) = site_with_news(&api).await;
    let all = [
        "/",
        "/nyheder",
        PAGE_2,
        A,
        B,
        "/hjemmesider",
        "/nyheder/feed.atom",
        "/sitemap.xml",
        "/soeg?q=skolen",
    ];
    warm(&app, &all).await;

    // A typo fixed in A: its page, the lists and feed showing it, search and
    // the sitemap; not B, not the second page, not the directory.
    api.update_news(
        a,
        json!({"title": "Borgermøde om skolen", "body": "Kom og hør om de nye planer.",
               "news_date": "2026-03-02", "status": "published", "contacts": [{"id": contact}]}),
    )
    .await;
    assert_eq!(
        still_cached(&app, &all).await,
        [PAGE_2, B, "/hjemmesider"],
        "{} {:?}",
        app.get("/healthz").await.body,
        app.store.changes_since(0, 100).await.unwrap()
    );
    assert!(app.get(A).await.body.contains("de nye planer"));

    // The contact person renamed: only the article naming them.
    warm(&app, &all).await;
    api.send(
        "PUT",
        &format!("/api/v1/contacts/{contact}"),
        Some(json!({"name": "Mette Lund-Hansen", "job_title": "pressechef", "phone": "27852451"})),
    )
    .await;
    let hits = still_cached(&app, &all).await;
    assert_eq!(
        (hits.len(), hits.contains(&A.to_string())),
        (all.len() - 1, false)
    );
    assert!(app.get(A).await.body.contains("Mette Lund-Hansen"));

    // A website added: the directory, the front page's widget, search, sitemap.
    warm(&app, &all).await;
    let topic = api
        .send("POST", "/api/v1/topics", Some(json!({"name": "Skoler"})))
        .await["id"]
        .clone();
    api.send(
        "POST",
        "/api/v1/sites",
        Some(
            json!({"name": "Egelund Skole", "url": "https://egelund.example/", "topics": [topic]}),
        ),
    )
    .await;
    assert_eq!(
        still_cached(&app, &all).await,
        ["/nyheder", PAGE_2, A, B, "/nyheder/feed.atom"]
    );
    assert!(app.get("/hjemmesider").await.body.contains("Egelund Skole"));
    assert!(app.get("/").await.body.contains("Egelund Skole"));

    // A new article published: every list moves, and so may the related
    // news ("Flere nyheder") of A, which names a contact person; B, naming
    // nobody, has none and stays.
    warm(&app, &all).await;
    api.create_news(
        json!({"title": "Vinterberedskab", "body": "Saltbilerne er klar.",
                           "news_date": "2026-03-03", "status": "published"}),
    )
    .await;
    assert_eq!(
        still_cached(&app, &all).await,
        [B, "/hjemmesider"],
        "{}",
        app.get("/healthz").await.body
    );
    assert!(app.get("/").await.body.contains("Vinterberedskab"));
    assert!(app.get(PAGE_2).await.body.contains("Ældre nyhed 1<"));

    // A unpublished (back to draft): gone from its page and every list.
    warm(&app, &all).await;
    api.update_news(
        a,
        json!({"title": "Borgermøde om skolen", "body": "Kom.", "news_date": "2026-03-02", "status": "draft"}),
    )
    .await;
    assert_eq!(app.get(A).await.status, StatusCode::NOT_FOUND);
    for path in ["/", "/nyheder", "/nyheder/feed.atom", "/sitemap.xml"] {
        assert!(!app.get(path).await.body.contains("Borgermøde"), "{path}");
    }
    assert!(!app.get("/soeg?q=skolen").await.body.contains("Borgermøde"));

    // B deleted: its page is gone at once.
    assert!(cached(&app, B).await);
    api.send("DELETE", &format!("/api/v1/news/{b}"), None).await;
    assert_eq!(app.get(B).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/nyheder").await.body.contains("Ny cykelsti"));
    app.stop().await;
}

#[tokio::test]
async fn a_contact_edit_reaches_every_article_naming_them_and_no_other() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let contact = app
        .contact("Jens Krog", "vejchef", "jk@kommune.example", "86 12 34 56")
        .await;
    let mut naming = Vec::new();
    for (i, title) in [
        "Vejarbejde på Storegade",
        "Ny rundkørsel",
        "Glatførebekæmpelse",
    ]
    .into_iter()
    .enumerate()
    {
        let article = app
            .news(NewsForm {
                contact_ids: vec![contact.id],
                ..published(title, &format!("0{}.02.2026", i + 1))
            })
            .await;
        naming.push(format!("/nyheder/{}", article.content.slug));
    }
    let other = app
        .news(published("Bibliotekets åbningstider", "04.02.2026"))
        .await;
    let other = format!("/nyheder/{}", other.content.slug);
    let naming: Vec<&str> = naming.iter().map(String::as_str).collect();
    warm(&app, &naming).await;
    warm(&app, &[other.as_str(), "/nyheder"]).await;

    let saved = app
        .post_as(
            &session,
            &format!("/admin/kontaktpersoner/{}", contact.id),
            &[
                ("name", "Jens Krog Madsen"),
                ("job_title", "vejchef"),
                ("email", "jk@kommune.example"),
                ("phone", "86 12 34 56"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for path in &naming {
        let page = app.get(path).await;
        assert_eq!(x_cache(&page), "miss", "{path}");
        assert!(page.body.contains("Jens Krog Madsen"), "{path}");
    }
    assert!(
        cached(&app, &other).await,
        "an article not naming them stays"
    );
    assert!(cached(&app, "/nyheder").await, "lists do not show contacts");
    app.stop().await;
}

#[tokio::test]
async fn scheduled_times_reach_cached_pages_at_once() {
    let app = TestApp::spawn().await;
    app.news(published("Sommerferie på rådhuset", "01.02.2026"))
        .await;
    let start = app.clock.now();
    let scheduled = app
        .news(NewsForm {
            status: "scheduled",
            publish_at: Some(start + 1.hour()),
            unpublish_at: Some(start + 3.hours()),
            ..published("Vejarbejde i weekenden", "01.03.2026")
        })
        .await;
    let path = format!("/nyheder/{}", scheduled.content.slug);
    let lists = ["/", "/nyheder", "/nyheder/feed.atom", "/sitemap.xml"];
    warm(&app, &lists).await;

    // Publish time passes: no save happened, yet no list is served stale.
    app.clock.advance(SignedDuration::from_hours(2));
    for path in lists {
        let page = app.get(path).await;
        assert_eq!(x_cache(&page), "miss", "{path}");
        assert!(page.body.contains("ejarbejde"), "{path}");
    }
    // The scheduler records the change (here, rather than in its next round,
    // which under load may fall between the two requests of `warm`).
    raadhus::scheduler::tick(&app.store, app.clock.now())
        .await
        .expect("scheduler");
    warm(&app, &[path.as_str()]).await;

    // Unpublish time passes: its cached page goes too.
    app.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    assert!(!app.get("/nyheder").await.body.contains("Vejarbejde"));
    app.stop().await;
}

/// The site's next scheduled time is kept between renders: a time saved
/// after it was last asked must still reach the pages rendered since.
#[tokio::test]
async fn a_time_scheduled_after_the_last_render_still_expires_new_pages() {
    let app = TestApp::spawn().await;
    app.news(published("Sommerferie på rådhuset", "01.02.2026"))
        .await;
    // Nothing is scheduled when the front page is rendered.
    warm(&app, &["/"]).await;
    let start = app.clock.now();
    app.news(NewsForm {
        status: "scheduled",
        publish_at: Some(start + 1.hour()),
        ..published("Vejarbejde i weekenden", "01.03.2026")
    })
    .await;
    // Rendered after the save: it expires at the article's publish time.
    warm(&app, &["/nyheder", "/nyheder/feed.atom"]).await;
    assert!(!app.get("/nyheder").await.body.contains("Vejarbejde"));

    app.clock.advance(SignedDuration::from_hours(2));
    for path in ["/", "/nyheder", "/nyheder/feed.atom"] {
        let page = app.get(path).await;
        assert_eq!(x_cache(&page), "miss", "{path}");
        assert!(page.body.contains("Vejarbejde"), "{path}");
    }
    // Known again after the time passed: nothing more lies ahead.
    warm(&app, &["/nyheder"]).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_save_is_followed_by_a_stale_page() {
    let app = Arc::new(TestApp::spawn().await);
    let api = Api::new(&app).await;
    let id = api
        .create_news(
            json!({"title": "Udgave 0", "body": "Tekst 0", "news_date": "2026-03-01",
                            "status": "published", "slug": "udgaver"}),
        )
        .await;
    // Readers keep the page and the lists in the cache as fast as they can,
    // so renders overlap every save.
    let stop = Arc::new(AtomicBool::new(false));
    let mut readers = Vec::new();
    for path in ["/nyheder/udgaver", "/", "/nyheder", "/nyheder/udgaver"] {
        let (app, stop) = (app.clone(), stop.clone());
        readers.push(tokio::spawn(async move {
            let mut reads = 0_u32;
            while !stop.load(Ordering::Relaxed) && reads < 100_000 {
                app.get(path).await;
                reads += 1;
            }
            reads
        }));
    }
    for version in 1..=15 {
        let title = format!("Udgave {version}");
        api.update_news(
            id,
            json!({"title": title, "body": format!("Tekst {version}"),
                   "news_date": "2026-03-01", "status": "published"}),
        )
        .await;
        for path in ["/nyheder/udgaver", "/", "/nyheder"] {
            let page = app.get(path).await;
            assert!(
                page.body.contains(&format!("{title}<")),
                "{path} after saving {title} ({})",
                x_cache(&page)
            );
        }
    }
    stop.store(true, Ordering::Relaxed);
    for reader in readers {
        assert!(reader.await.expect("reader") > 0);
    }
    match Arc::try_unwrap(app) {
        Ok(app) => app.stop().await,
        Err(_) => panic!("readers still hold the app"),
    }
}

#[tokio::test]
async fn cached_pages_answer_validators_head_and_encodings() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app).await;
    let id = api
        .create_news(
            json!({"title": "Havnen får ny kaj", "body": "Tekst om havnen. ".repeat(100),
                            "news_date": "2026-03-01", "status": "published"}),
        )
        .await;
    let path = "/nyheder/havnen-faar-ny-kaj";
    // Once the index follower has seen the save too, nothing else drops the page.
    app.settled().await;
    let first = app.get(path).await;
    assert_eq!(x_cache(&first), "miss");
    let etag = first.header("etag").expect("etag").to_string();
    let modified = first.header("last-modified").expect("date").to_string();
    assert!(cached(&app, path).await);

    for (header, value) in [("if-none-match", &etag), ("if-modified-since", &modified)] {
        let page = app.send_with_header("GET", path, header, value).await;
        assert_eq!(page.status, StatusCode::NOT_MODIFIED, "{header}");
        assert_eq!(x_cache(&page), "hit");
        assert!(page.body.is_empty());
    }

    let head = app.head(path).await;
    assert_eq!(
        (head.status, x_cache(&head), head.body.as_str()),
        (StatusCode::OK, "hit", "")
    );
    assert_eq!(
        head.header("content-length"),
        Some(first.body.len().to_string().as_str())
    );

    let (_, headers, br) = app.raw_bytes(path, "br").await;
    assert_eq!(headers.get("content-encoding").unwrap(), "br");
    let mut text = String::new();
    brotli::Decompressor::new(&br[..], 4096)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, first.body);
    let (_, headers, gz) = app.raw_bytes(path, "gzip").await;
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, first.body);

    // After a save the old validators no longer match.
    api.update_news(
        id,
        json!({"title": "Havnen får ny kaj", "body": "Ny tekst.", "news_date": "2026-03-01", "status": "published"}),
    )
    .await;
    let page = app
        .send_with_header("GET", path, "if-none-match", &etag)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_ne!(page.header("etag"), Some(etag.as_str()));
    app.stop().await;
}

#[tokio::test]
async fn memory_stays_within_the_configured_limit() {
    let limit = 256 * 1024;
    let app = TestApp::spawn_with(Layer {
        cache_max_bytes: Some(limit.to_string()),
        ..Layer::default()
    })
    .await;
    let body = "Et langt afsnit om kommunens budget og planer for de kommende år. ".repeat(150);
    let mut paths = Vec::new();
    for day in 1..=28 {
        let title = format!("Budgetnyt {day}");
        let article = app
            .news(NewsForm {
                body: &body,
                ..published(&title, &format!("{day:02}.02.2026"))
            })
            .await;
        paths.push(format!("/nyheder/{}", article.content.slug));
    }
    app.settled().await;
    for path in &paths {
        app.get(path).await;
        app.raw_bytes(path, "br").await;
        let stats = app.get("/healthz").await.json()["cache"].clone();
        assert!(
            stats["bytes"].as_u64().unwrap() <= limit,
            "{stats} after {path}"
        );
    }
    let stats = app.get("/healthz").await.json()["cache"].clone();
    assert!(stats["evictions"].as_u64().unwrap() > 0, "{stats}");
    assert!(
        cached(&app, paths.last().unwrap()).await,
        "the newest stays"
    );
    assert!(!cached(&app, &paths[0]).await, "the oldest went first");
    app.stop().await;
}

#[tokio::test]
async fn tracking_parameters_share_the_page_they_link_to() {
    let app = TestApp::spawn().await;
    let api = Api::new(&app).await;
    site_with_news(&api).await;
    warm(&app, &["/", PAGE_2]).await;
    let shared = app.get("/?fbclid=IwAR0abc&utm_source=facebook").await;
    assert_eq!((shared.status, x_cache(&shared)), (StatusCode::OK, "hit"));
    let page = app.get("/nyheder?utm_medium=sms&side=2").await;
    assert_eq!(x_cache(&page), "hit");
    assert!(page.body.contains("Ældre nyhed 1<"));
    // A parameter the page reads is part of the key, however it is written.
    let encoded = app.get("/nyheder?%73ide=2").await;
    assert_eq!(x_cache(&encoded), "hit");
    let search = app.get("/soeg?q=skolen&type=hjemmeside").await;
    assert_eq!(x_cache(&search), "miss");
    assert!(!search.body.contains("Borgermøde"));
    app.stop().await;
}

#[tokio::test]
async fn a_zero_limit_turns_the_cache_off() {
    let app = TestApp::spawn_with(Layer {
        cache_max_bytes: Some("0".into()),
        ..Layer::default()
    })
    .await;
    app.news(published("Ingen cache", "01.02.2026")).await;
    for _ in 0..3 {
        let page = app.get("/nyheder/ingen-cache").await;
        assert_eq!((page.status, x_cache(&page)), (StatusCode::OK, "miss"));
        assert!(page.header("etag").is_some());
    }
    assert_eq!(app.get("/healthz").await.json()["cache"]["entries"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_page_asked_for_by_many_at_once_is_rendered_once() {
    let app = Arc::new(TestApp::spawn_with_demo().await);
    app.settled().await;
    for path in ["/", "/nyheder", "/soeg?q=skole"] {
        // Everyone asks at the same moment, for a page not in the cache.
        let barrier = Arc::new(tokio::sync::Barrier::new(40));
        let asks: Vec<_> = (0..40)
            .map(|_| {
                let (app, barrier) = (app.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    let page = app.get(path).await;
                    assert_eq!(page.status, StatusCode::OK);
                    (x_cache(&page).to_string(), page.body)
                })
            })
            .collect();
        let mut answers = Vec::new();
        for ask in asks {
            answers.push(ask.await.expect("request"));
        }
        let rendered = answers.iter().filter(|(c, _)| c == "miss").count();
        assert_eq!(rendered, 1, "{path}: rendered {rendered} times");
        assert!(
            answers.iter().all(|(_, body)| *body == answers[0].1),
            "{path}"
        );
    }
    match Arc::try_unwrap(app) {
        Ok(app) => app.stop().await,
        Err(_) => panic!("requests still hold the app"),
    }
}
