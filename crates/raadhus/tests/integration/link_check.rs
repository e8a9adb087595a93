//! The background link checker against a real local HTTP server (never the
//! internet): statuses recorded (HEAD, GET after a refused HEAD, redirect
//! chains, time-outs, 429), the report in the API and the admin with where
//! each broken link is used, the directory's health, private addresses
//! refused by default, one run at a time across nodes (the lease), the
//! pause between requests to one host, the scheduler, and `raadhus links
//! check`.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use raadhus::config::{Layer, LinkSettings};
use raadhus::links::{CheckError, check_site};
use raadhus_domain::link_check::{Health, LinkCheck, TOO_MANY_REDIRECTS};
use raadhus_domain::{SiteUrls, Topic, TopicInput, Website, WebsiteInput};
use raadhus_usecases::Actor;
use serde_json::{Value, json};

use crate::cli::raadhus;
use crate::support::TestApp;

/// What the local server was asked: method, path, when.
type Log = Arc<Mutex<Vec<(Method, String, Instant)>>>;

/// A local HTTP server with an answer for every case the checker meets.
struct Target {
    addr: SocketAddr,
    log: Log,
}

impl Target {
    async fn start() -> Self {
        let log: Log = Arc::default();
        let seen = log.clone();
        let app = Router::new().fallback(move |method: Method, uri: axum::http::Uri| {
            let seen = seen.clone();
            async move {
                let path = uri.path().to_string();
                seen.lock()
                    .unwrap()
                    .push((method.clone(), path.clone(), Instant::now()));
                answer(&method, &path).await
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { addr, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests for `path`, by method.
    fn asked(&self, path: &str) -> Vec<Method> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, p, _)| p == path)
            .map(|(m, _, _)| m.clone())
            .collect()
    }

    fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

fn redirect(to: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

async fn answer(method: &Method, path: &str) -> Response {
    match path {
        "/ok" | "/ok2" | "/ok3" | "/ok4" | "/end" => StatusCode::OK.into_response(),
        "/missing" => StatusCode::NOT_FOUND.into_response(),
        "/error" => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        "/wait" => StatusCode::TOO_MANY_REQUESTS.into_response(),
        "/no-head" if method == Method::HEAD => StatusCode::METHOD_NOT_ALLOWED.into_response(),
        "/no-head" => StatusCode::OK.into_response(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(4)).await;
            StatusCode::OK.into_response()
        }
        "/hop/3" => redirect("/hop/2"),
        "/hop/2" => redirect("/hop/1"),
        "/hop/1" => redirect("/end"),
        "/dead-end" => redirect("gone"),
        "/loop" => redirect("/loop"),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn settings(allow_private: bool, host_delay_ms: u64) -> LinkSettings {
    LinkSettings {
        interval_hours: 0,
        timeout: Duration::from_secs(1),
        host_delay: Duration::from_millis(host_delay_ms),
        allow_private,
    }
}

fn urls(app: &TestApp) -> SiteUrls {
    SiteUrls::new(url::Url::parse(&app.url("/")).unwrap())
}

/// Creates a published article (`what` = "news") or page ("pages") with
/// `body` through the API; returns its id.
async fn publish(app: &TestApp, token: &str, what: &str, title: &str, body: &str) -> i64 {
    let body = json!({"title": title, "body": body, "status": "published"}).to_string();
    let page = app
        .api("POST", &format!("/api/v1/{what}"), Some(token), Some(&body))
        .await;
    assert!(page.status.is_success(), "{}", page.body);
    page.json()["id"].as_i64().unwrap()
}

async fn news(app: &TestApp, token: &str, title: &str, body: &str) -> i64 {
    publish(app, token, "news", title, body).await
}

/// Creates a website of the directory; returns its id.
async fn website(app: &TestApp, name: &str, url: &str) -> i64 {
    let cases = app.usecases();
    let topic: Topic = cases
        .create(
            app.site,
            &Actor::cli(),
            &TopicInput::new(&format!("Emne {name}"), None, 0).unwrap(),
        )
        .await
        .unwrap();
    let input = WebsiteInput::new(name, url, None, vec![topic.id], 0, None).unwrap();
    cases
        .create::<Website>(app.site, &Actor::cli(), &input)
        .await
        .unwrap()
        .id
}

async fn checks(app: &TestApp) -> Vec<LinkCheck> {
    app.store.link_checks(app.site).await.unwrap()
}

fn find<'a>(checks: &'a [LinkCheck], url: &str) -> &'a LinkCheck {
    checks
        .iter()
        .find(|c| c.url == url)
        .unwrap_or_else(|| panic!("{url} not checked: {checks:?}"))
}

#[tokio::test]
async fn statuses_are_recorded_and_broken_links_are_reported_where_they_are_used() {
    let app = TestApp::spawn().await;
    let target = Target::start().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let t = |path: &str| target.url(path);
    let article = news(
        &app,
        &token,
        "Skolestart",
        &format!(
            "Se [planen]({}) og [siden]({}#afsnit), [fejl]({}), [kun GET]({}), \
             [langsom]({}), [kæde]({}), [blindgyde]({}), [løkke]({}), [vent]({}), \
             [her på sitet](/nyheder/x) og [mail](mailto:a@b.dk).",
            t("/ok"),
            t("/missing"),
            t("/error"),
            t("/no-head"),
            t("/slow"),
            t("/hop/3"),
            t("/dead-end"),
            t("/loop"),
            t("/wait"),
        ),
    )
    .await;
    let content_page = publish(
        &app,
        &token,
        "pages",
        "Affald",
        &format!("[x]({})", t("/missing")),
    )
    .await;
    let school = website(&app, "Skolen", &t("/error")).await;
    website(&app, "Biblioteket", &t("/ok")).await;

    let summary = check_site(&app.usecases(), app.site, &urls(&app), &settings(true, 0))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.checked, 9, "{summary:?}");
    assert_eq!(summary.later, 1);
    assert_eq!(summary.refused, 0);

    let checks = checks(&app).await;
    let status = |path: &str| {
        let c = find(&checks, &t(path));
        (c.health, c.status)
    };
    assert_eq!(status("/ok"), (Health::Ok, Some(200)));
    assert_eq!(status("/missing"), (Health::Broken, Some(404)));
    assert_eq!(status("/error"), (Health::Broken, Some(500)));
    assert_eq!(status("/no-head"), (Health::Ok, Some(200)));
    assert_eq!(status("/hop/3"), (Health::Ok, Some(200)));
    assert_eq!(status("/dead-end"), (Health::Broken, Some(404)));
    assert_eq!(status("/wait"), (Health::Later, Some(429)));
    let slow = find(&checks, &t("/slow"));
    assert_eq!(slow.health, Health::Broken);
    assert_eq!(
        slow.error.as_deref(),
        Some("Intet svar inden for 1 sekunder")
    );
    let looping = find(&checks, &t("/loop"));
    assert_eq!(looping.error.as_deref(), Some(TOO_MANY_REDIRECTS));

    // HEAD first; GET only where HEAD was refused or failed.
    assert_eq!(target.asked("/ok"), [Method::HEAD]);
    assert_eq!(target.asked("/no-head"), [Method::HEAD, Method::GET]);
    assert_eq!(target.asked("/missing"), [Method::HEAD, Method::GET]);
    assert_eq!(target.asked("/wait"), [Method::HEAD]);
    assert_eq!(target.asked("/hop/1"), [Method::HEAD]);
    assert_eq!(target.asked("/end"), [Method::HEAD]);
    // The loop is followed 5 times after the first request, no more.
    assert_eq!(target.asked("/loop").len(), 6);

    // The API lists the broken ones with where they are used.
    let unauthorised = app.api("GET", "/api/v1/reports/links", None, None).await;
    assert_eq!(unauthorised.status, StatusCode::UNAUTHORIZED);
    let report = app
        .api("GET", "/api/v1/reports/links", Some(&token), None)
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let report = report.json();
    let listed: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["url"].as_str().unwrap())
        .collect();
    let mut expected = vec![
        t("/dead-end"),
        t("/error"),
        t("/loop"),
        t("/missing"),
        t("/slow"),
    ];
    expected.sort();
    assert_eq!(listed, expected);
    let missing: &Value = report
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["url"] == t("/missing"))
        .unwrap();
    assert_eq!(missing["status"], 404);
    assert_eq!(missing["error"], Value::Null);
    assert!(missing["checked_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        missing["used_in"],
        json!([
            {"kind": "news", "id": article, "title": "Skolestart",
             "admin_url": format!("/admin/nyheder/{article}")},
            {"kind": "page", "id": content_page, "title": "Affald",
             "admin_url": format!("/admin/sider/{content_page}")},
        ])
    );
    let error = report
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["url"] == t("/error"))
        .unwrap();
    assert_eq!(error["used_in"][1]["kind"], "website");
    assert_eq!(
        error["used_in"][1]["admin_url"],
        format!("/admin/hjemmesider/{school}")
    );

    // The admin's page lists them, linked to where they are used.
    let editor = app.editor().await;
    let admin = app.get_as(&editor, "/admin/doede-links").await;
    assert_eq!(admin.status, StatusCode::OK, "{}", admin.body);
    assert!(admin.body.contains(&t("/missing")), "{}", admin.body);
    assert!(admin.body.contains("Fejl: 404"));
    assert!(admin.body.contains("Intet svar inden for 1 sekunder"));
    let links = admin.attrs("td a", "href");
    assert!(
        links.contains(&format!("/admin/nyheder/{article}")),
        "{links:?}"
    );
    assert!(links.contains(&format!("/admin/sider/{content_page}")));
    assert!(links.contains(&format!("/admin/hjemmesider/{school}")));
    assert!(!admin.body.contains(&t("/wait")), "429 is not broken");
    let nav = admin.texts("nav a[aria-current='page']");
    assert_eq!(nav, ["Døde links"]);

    // The directory's admin shows each website's health.
    website(&app, "Musikskolen", &t("/ok2")).await;
    let directory = app.get_as(&editor, "/admin/hjemmesider").await;
    let mut health = directory.texts("td[data-label='Linktjek']");
    health.sort();
    assert_eq!(
        health,
        ["Fejl: 500", "Ikke tjekket", "Virker"],
        "{}",
        directory.body
    );

    // A link fixed in the content leaves the report at once (where a link
    // is used is read from the content as it is now).
    let current = app
        .api(
            "GET",
            &format!("/api/v1/pages/{content_page}"),
            Some(&token),
            None,
        )
        .await
        .json();
    let fixed = json!({"title": "Affald", "body": "Ingen links.", "status": "published",
                       "version": current["version"]});
    let saved = app
        .api(
            "PUT",
            &format!("/api/v1/pages/{content_page}"),
            Some(&token),
            Some(&fixed.to_string()),
        )
        .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let report = app
        .api("GET", "/api/v1/reports/links", Some(&token), None)
        .await
        .json();
    let missing = report
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["url"] == t("/missing"))
        .unwrap();
    assert_eq!(missing["used_in"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn private_addresses_are_not_checked_unless_allowed() {
    let app = TestApp::spawn().await;
    let target = Target::start().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let by_name = format!("http://localhost:{}/ok", target.addr.port());
    news(
        &app,
        &token,
        "Intern",
        &format!(
            "[a]({}) [b]({by_name}) [c](http://[::1]:9/)",
            target.url("/ok")
        ),
    )
    .await;
    let summary = check_site(&app.usecases(), app.site, &urls(&app), &settings(false, 0))
        .await
        .unwrap();
    assert_eq!(summary.refused, 3, "{summary:?}");
    assert_eq!(target.count(), 0, "no request reached the private address");
    let refused = checks(&app).await;
    assert!(
        refused.iter().all(|c| c.health == Health::Refused),
        "{refused:?}"
    );
    assert!(find(&refused, &by_name).label().starts_with("Ikke tjekket"));
    // Not broken: the report does not list them.
    let report = app
        .api("GET", "/api/v1/reports/links", Some(&token), None)
        .await
        .json();
    assert_eq!(report, json!([]));

    // Allowed, they are asked.
    check_site(&app.usecases(), app.site, &urls(&app), &settings(true, 0))
        .await
        .unwrap();
    assert_eq!(find(&checks(&app).await, &by_name).health, Health::Ok);
    assert_eq!(target.asked("/ok").len(), 2);
}

#[tokio::test]
async fn one_node_checks_at_a_time_and_requests_to_a_host_are_paced() {
    let app = TestApp::spawn().await;
    let other = app.another_node().await;
    let target = Target::start().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let paths = ["/ok", "/ok2", "/ok3", "/ok4"];
    let body: String = paths
        .iter()
        .map(|p| format!("[x]({}) ", target.url(p)))
        .collect();
    news(&app, &token, "Mange links", &body).await;
    let delay = 400;
    let (cases, other_cases, site_urls) = (app.usecases(), other.usecases(), urls(&app));
    let paced = settings(true, delay);
    let (first, second) = tokio::join!(
        check_site(&cases, app.site, &site_urls, &paced),
        check_site(&other_cases, other.site, &site_urls, &paced),
    );
    let (done, busy) = match (first, second) {
        (Ok(s), Err(e)) | (Err(e), Ok(s)) => (s, e),
        (a, b) => panic!("one run should check, one find it busy: {a:?} {b:?}"),
    };
    assert!(matches!(busy, CheckError::Busy), "{busy}");
    assert_eq!(done.checked, 4);
    // Each address asked once, by one node.
    for path in paths {
        assert_eq!(target.asked(path), [Method::HEAD], "{path}");
    }
    // One host: one request at a time, `delay` apart.
    let mut times: Vec<Instant> = target.log.lock().unwrap().iter().map(|e| e.2).collect();
    times.sort();
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= Duration::from_millis(delay - 100), "{gap:?}");
    }
    // The lease is free again: a later run goes ahead.
    assert!(app.store.last_link_run(app.site).await.unwrap().is_some());
    check_site(
        &other.usecases(),
        other.site,
        &urls(&app),
        &settings(true, 0),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_scheduler_checks_when_a_run_is_due() {
    let target = Target::start().await;
    let app = TestApp::spawn_with(Layer {
        demo: Some(false),
        links_interval_hours: Some("24".into()),
        links_allow_private: Some(true),
        links_timeout: Some("2".into()),
        ..Layer::default()
    })
    .await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    news(&app, &token, "Link", &format!("[x]({})", target.url("/ok"))).await;
    // A subsite's links are checked too, as its own.
    let input = raadhus_domain::SubsiteInput::parse("Skolen", "skolen.example.dk", None, None)
        .expect("valid subsite");
    let school = app
        .usecases()
        .add_subsite(app.site, &Actor::cli(), input)
        .await
        .expect("subsite stored")
        .site
        .id;
    let form = raadhus_domain::NewsForm {
        title: "Skolens link",
        body: &format!("[y]({})", target.url("/skole")),
        news_date: "2026-11-02",
        status: "published",
        ..raadhus_domain::NewsForm::default()
    };
    let content = raadhus_domain::NewsContent::new(form, jiff::civil::date(2026, 11, 2)).unwrap();
    app.usecases()
        .create_news(
            school,
            &Actor::cli(),
            raadhus_domain::NewsDraft::unchanged(content),
        )
        .await
        .unwrap();
    // The scheduler looks a minute after start; the test's clock is moved.
    let mut waited = 0;
    while app.store.last_link_run(app.site).await.unwrap().is_none()
        || app.store.last_link_run(school).await.unwrap().is_none()
    {
        assert!(waited < 100, "no run started");
        app.clock.advance(jiff::SignedDuration::from_secs(61));
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(
        find(&checks(&app).await, &target.url("/ok")).health,
        Health::Ok
    );
    assert_eq!(target.asked("/ok"), [Method::HEAD]);
    // (The target knows no /skole: a broken link, on the subsite's list.)
    let school_checks = app.store.link_checks(school).await.unwrap();
    assert_eq!(
        find(&school_checks, &target.url("/skole")).health,
        Health::Broken
    );
    assert!(!school_checks.iter().any(|c| c.url == target.url("/ok")));
    assert!(
        !checks(&app)
            .await
            .iter()
            .any(|c| c.url == target.url("/skole"))
    );
    // Not again before the interval has passed.
    app.clock.advance(jiff::SignedDuration::from_mins(5));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(target.asked("/ok").len(), 1);
}

#[tokio::test]
async fn the_command_checks_now_and_prints_what_is_broken() {
    let app = TestApp::spawn().await;
    let target = Target::start().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    news(
        &app,
        &token,
        "Links",
        &format!("[a]({}) [b]({})", target.url("/ok"), target.url("/missing")),
    )
    .await;
    let database = app.db.database_url();
    let data = app.data_dir().display().to_string();
    // Run off the test's runtime, which serves the target meanwhile.
    let run = move |extra: &'static [&'static str]| {
        let (database, data) = (database.clone(), data.clone());
        tokio::task::spawn_blocking(move || {
            raadhus()
                .args([
                    "--log",
                    "warn",
                    "--data",
                    &data,
                    "--database-url",
                    &database,
                ])
                .args([
                    "links",
                    "check",
                    "--links-timeout",
                    "2",
                    "--links-host-delay-ms",
                    "0",
                ])
                .args(extra)
                .output()
                .unwrap()
        })
    };
    let target_url = target.url("/missing");
    let out = run(&["--links-allow-private"]).await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("checked 2 links: 1 work, 1 broken"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("broken: {target_url} (Fejl: 404)")),
        "{stdout}"
    );
    assert_eq!(target.asked("/ok"), [Method::HEAD]);

    // While another node holds the lease, the command cannot run.
    let now = jiff::Timestamp::now();
    assert!(
        app.store
            .take_link_lease(
                app.site,
                "en anden node",
                now,
                now + jiff::SignedDuration::from_mins(5)
            )
            .await
            .unwrap()
    );
    let out = run(&[]).await.unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("another node is checking"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
