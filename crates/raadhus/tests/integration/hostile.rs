//! Hostile input over real HTTP: a corpus of XSS payloads in every editable
//! field, through the admin and through the API, checked by parsing every
//! page that shows them as a browser would; SQL metacharacters; path
//! traversal; oversized, deeply nested and non-UTF-8 bodies; header floods
//! and slow clients. The server must answer each with a clear error, never a
//! 500, and keep serving.

use std::time::Duration;

use reqwest::StatusCode;
use scraper::{Html, Selector};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{Page, Session, TestApp};

/// The payloads of `data/xss-payloads.txt`.
pub(crate) fn payloads() -> Vec<String> {
    let list: Vec<String> = include_str!("data/xss-payloads.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("# "))
        .map(|l| l.replace("\\n", "\n").replace("\\t", "\t"))
        .collect();
    assert!(list.len() >= 100, "only {} payloads", list.len());
    list
}

/// A URL a browser would run or load as a document of its own.
fn dangerous_url(value: &str) -> bool {
    // Browsers ignore leading spaces and control characters and every tab
    // and newline inside a URL before they read its scheme.
    let cleaned: String = value
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

/// Asserts that `html`, parsed as a browser parses it, can run nothing: no
/// script but our own files and JSON-LD data, no event handler, no
/// `javascript:`/`data:` URL, no frame, object, SVG, style or refresh.
pub(crate) fn assert_inert(html: &str, whence: &str) {
    let document = Html::parse_document(html);
    let all = Selector::parse("*").expect("selector");
    for element in document.select(&all) {
        let e = element.value();
        let name = e.name();
        let text: String = element.text().collect();
        match name {
            "script" => match (e.attr("src"), e.attr("type")) {
                (Some(src), None) => assert!(
                    src.starts_with("/static/") && text.trim().is_empty(),
                    "{whence}: foreign script {src}"
                ),
                (None, Some("application/ld+json")) => {
                    assert!(
                        serde_json::from_str::<Value>(&text).is_ok(),
                        "{whence}: JSON-LD broken open: {text}"
                    );
                }
                _ => panic!("{whence}: script element {}", element.html()),
            },
            "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base" | "img"
            | "svg" | "math" | "style" | "template" | "video" | "audio" | "source" | "isindex"
            | "xmp" | "plaintext" | "marquee" => {
                panic!("{whence}: <{name}> element: {}", element.html())
            }
            "meta" => assert!(
                e.attr("http-equiv").is_none(),
                "{whence}: {}",
                element.html()
            ),
            "link" => assert!(
                matches!(
                    e.attr("rel"),
                    Some("stylesheet" | "icon" | "alternate" | "canonical")
                ),
                "{whence}: {}",
                element.html()
            ),
            _ => {}
        }
        for (attr, value) in e.attrs() {
            let attr = attr.to_ascii_lowercase();
            assert!(
                !attr.starts_with("on"),
                "{whence}: event handler {attr}={value:?} on <{name}>"
            );
            assert!(
                !matches!(attr.as_str(), "style" | "srcdoc" | "formaction"),
                "{whence}: {attr}={value:?} on <{name}>"
            );
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "xlink:href" | "data" | "poster" | "cite" | "ping"
            ) {
                assert!(
                    !dangerous_url(value),
                    "{whence}: {attr}={value:?} on <{name}>"
                );
            }
        }
    }
}

/// Fetches `path` and checks it is served without a server error and inert.
async fn check_page(app: &TestApp, session: Option<&Session>, path: &str) -> Page {
    let page = match session {
        Some(s) => app.get_as(s, path).await,
        None => app.get(path).await,
    };
    assert!(
        !page.status.is_server_error(),
        "{path}: {} {}",
        page.status,
        page.body
    );
    assert_inert(&page.body, path);
    page
}

/// Checks every public page that lists or shows content, with `topics`'
/// slugs and `articles`' slugs, and every admin page for `session`.
async fn check_every_page(app: &TestApp, session: &Session, topics: &[String], slugs: &[String]) {
    app.settled().await;
    for path in [
        "/",
        "/hjemmesider",
        "/soeg?q=hestesko",
        "/soeg?q=hestesko&side=2",
        "/sitemap.xml",
    ] {
        check_page(app, None, path).await;
    }
    let mut page = 1;
    loop {
        let list = check_page(app, None, &format!("/nyheder?side={page}")).await;
        if list.status == StatusCode::NOT_FOUND || page > 50 {
            break;
        }
        page += 1;
    }
    for slug in slugs {
        let article = check_page(app, None, &format!("/nyheder/{slug}")).await;
        assert_eq!(article.status, StatusCode::OK, "/nyheder/{slug}");
    }
    for slug in topics {
        check_page(app, None, &format!("/hjemmesider?emne={slug}")).await;
    }
    // Feeds: valid XML whose HTML content is inert too.
    let atom = app.get("/nyheder/feed.atom").await;
    let feed = atom_syndication::Feed::read_from(atom.body.as_bytes()).expect("Atom parses");
    for entry in feed.entries() {
        if let Some(content) = entry.content().and_then(|c| c.value()) {
            assert_inert(content, "Atom content");
        }
        if entry.title().r#type == atom_syndication::TextType::Html {
            assert_inert(&entry.title().value, "Atom title");
        }
    }
    let rss = app.get("/nyheder/feed.rss").await;
    let channel = rss::Channel::read_from(rss.body.as_bytes()).expect("RSS parses");
    for item in channel.items() {
        assert_inert(item.description().unwrap_or_default(), "RSS description");
    }
    // The admin: lists, every edit form, revisions, the log.
    for path in [
        "/admin",
        "/admin/nyheder",
        "/admin/nyheder?q=script",
        "/admin/kontaktpersoner",
        "/admin/emner",
        "/admin/hjemmesider",
        "/admin/papirkurv",
    ] {
        let page = check_page(app, Some(session), path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    // The audit log, which names what was saved, is for administrators.
    let password = "en god lang adgangskode";
    app.user("chef@vesterfjord.example", "admin", password)
        .await;
    let admin = app.sign_in("chef@vesterfjord.example", password).await;
    for path in ["/admin/log", "/admin/log?side=2", "/admin/brugere"] {
        let page = check_page(app, Some(&admin), path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
    }
    for (list, selector) in [
        ("/admin/nyheder", "a[href^='/admin/nyheder/']"),
        (
            "/admin/kontaktpersoner",
            "a[href^='/admin/kontaktpersoner/']",
        ),
        ("/admin/emner", "a[href^='/admin/emner/']"),
        ("/admin/hjemmesider", "a[href^='/admin/hjemmesider/']"),
    ] {
        let mut seen = std::collections::HashSet::new();
        for page_no in 1..=50 {
            let page = app.get_as(session, &format!("{list}?side={page_no}")).await;
            let fresh: Vec<String> = page
                .attrs(selector, "href")
                .into_iter()
                .filter(|link| !link.ends_with("/ny") && seen.insert(link.clone()))
                .collect();
            if fresh.is_empty() {
                break;
            }
            for link in &fresh {
                check_page(app, Some(session), link).await;
                // The page that asks before deleting names the record too.
                if list != "/admin/nyheder" {
                    check_page(app, Some(session), &format!("{link}/slet")).await;
                }
            }
        }
        let expected = if list == "/admin/nyheder" {
            slugs.len()
        } else {
            topics.len()
        };
        assert!(
            seen.len() >= expected,
            "{list}: {} edit pages checked",
            seen.len()
        );
    }
}

/// A fresh site, an editor's browser session and an API token.
async fn hostile_site() -> (TestApp, Session, String) {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    (app, session, token)
}

#[tokio::test]
async fn xss_payloads_in_every_field_through_the_api_run_nowhere() {
    let (app, session, token) = hostile_site().await;
    let t = Some(token.as_str());
    let mut slugs = Vec::new();
    let mut topics = Vec::new();
    for (i, p) in payloads().iter().enumerate() {
        // A topic and a website named by the payload.
        let topic = app
            .api(
                "POST",
                "/api/v1/topics",
                t,
                Some(&json!({"name": p, "slug": format!("emne-{i}")}).to_string()),
            )
            .await;
        assert_eq!(topic.status, StatusCode::CREATED, "{p}: {}", topic.body);
        assert_eq!(topic.json()["name"], p.trim(), "stored as given");
        let topic_id = topic.json()["id"].as_i64().expect("id");
        topics.push(format!("emne-{i}"));
        let website = app
            .api(
                "POST",
                "/api/v1/sites",
                t,
                Some(
                    &json!({"name": p, "description": p, "url": format!("https://skole{i}.example/"),
                            "topics": [topic_id]})
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(website.status, StatusCode::CREATED, "{p}: {}", website.body);
        // The payload as an address: refused, or kept as a plain web address.
        for field in ["url", "statement_url"] {
            let mut body =
                json!({"name": "Skole", "url": "https://skole.example/", "topics": [topic_id]});
            body[field] = json!(p);
            let answer = app
                .api("POST", "/api/v1/sites", t, Some(&body.to_string()))
                .await;
            match answer.status {
                StatusCode::UNPROCESSABLE_ENTITY => assert_eq!(answer.json()["field"], field),
                StatusCode::CREATED => assert!(
                    answer.json()[field]
                        .as_str()
                        .is_some_and(|u| u.starts_with("https://") || u.starts_with("http://")),
                    "{p} kept as {}",
                    answer.body
                ),
                other => panic!("{field} {p:?}: {other} {}", answer.body),
            }
        }
        // A contact person named by the payload, and the payload as e-mail
        // and phone: refused with the field named.
        let contact = app
            .api(
                "POST",
                "/api/v1/contacts",
                t,
                Some(&json!({"name": p, "job_title": p, "email": format!("k{i}@vesterfjord.example")}).to_string()),
            )
            .await;
        assert_eq!(contact.status, StatusCode::CREATED, "{p}: {}", contact.body);
        let contact_id = contact.json()["id"].as_i64().expect("id");
        for field in ["email", "phone"] {
            let mut body = json!({"name": "Navn"});
            body[field] = json!(p);
            let answer = app
                .api("POST", "/api/v1/contacts", t, Some(&body.to_string()))
                .await;
            assert_eq!(
                (answer.status, answer.json()["field"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
                "{p}: {}",
                answer.body
            );
        }
        // An article with the payload in title, lead and body, and as slug.
        let slug = format!("xss-{i}");
        let article = app
            .api(
                "POST",
                "/api/v1/news",
                t,
                Some(
                    &json!({"title": p, "lead": p, "body": format!("{p}\n\nhestesko"), "slug": slug,
                            "status": "published", "contacts": [{"id": contact_id}]})
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(article.status, StatusCode::CREATED, "{p}: {}", article.body);
        assert_eq!(article.json()["title"], p.trim(), "stored as given");
        slugs.push(slug);
        let as_slug = app
            .api(
                "POST",
                "/api/v1/news",
                t,
                Some(&json!({"title": "Titel", "body": "Tekst", "slug": p}).to_string()),
            )
            .await;
        assert_eq!(
            (as_slug.status, as_slug.json()["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("slug")),
            "{p}: {}",
            as_slug.body
        );
    }
    check_every_page(&app, &session, &topics, &slugs).await;
    app.stop().await;
}

#[tokio::test]
async fn xss_payloads_in_every_field_through_the_admin_run_nowhere() {
    let (app, session, _) = hostile_site().await;
    let s = &session;
    let mut slugs = Vec::new();
    let mut topics = Vec::new();
    for (i, p) in payloads().iter().enumerate() {
        let topic_slug = format!("emne-{i}");
        let topic = app
            .post_as(
                s,
                "/admin/emner/ny",
                &[("name", p), ("slug", &topic_slug), ("sort_order", "")],
            )
            .await;
        assert_eq!(topic.status, StatusCode::SEE_OTHER, "{p}: {}", topic.body);
        topics.push(topic_slug.clone());
        let topic_id = app
            .store
            .topics(app.site)
            .await
            .expect("topics")
            .iter()
            .find(|t| t.slug.as_str() == topic_slug)
            .expect("topic stored")
            .id
            .to_string();
        let url = format!("https://skole{i}.example/");
        let website = app
            .post_as(
                s,
                "/admin/hjemmesider/ny",
                &[
                    ("name", p),
                    ("url", &url),
                    ("description", p),
                    ("topics", &topic_id),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(
            website.status,
            StatusCode::SEE_OTHER,
            "{p}: {}",
            website.body
        );
        // Refused addresses come back in the form, escaped.
        for field in ["url", "statement_url"] {
            let mut fields = vec![
                ("name", "Skole"),
                ("url", "https://skole.example/"),
                ("topics", topic_id.as_str()),
                ("active", "1"),
            ];
            fields.retain(|(k, _)| *k != field);
            fields.push((field, p));
            let answer = app.post_as(s, "/admin/hjemmesider/ny", &fields).await;
            assert!(
                matches!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY | StatusCode::SEE_OTHER
                ),
                "{field} {p:?}: {}",
                answer.status
            );
            assert_inert(&answer.body, &format!("website form, {field} = {p:?}"));
        }
        let contact = app
            .post_as(
                s,
                "/admin/kontaktpersoner/ny",
                &[
                    ("name", p),
                    ("job_title", p),
                    ("email", "kontakt@vesterfjord.example"),
                    ("phone", ""),
                ],
            )
            .await;
        assert_eq!(
            contact.status,
            StatusCode::SEE_OTHER,
            "{p}: {}",
            contact.body
        );
        for field in ["email", "phone"] {
            let mut fields = vec![("name", "Navn"), ("email", ""), ("phone", "")];
            fields.retain(|(k, _)| *k != field);
            fields.push((field, p));
            let answer = app.post_as(s, "/admin/kontaktpersoner/ny", &fields).await;
            assert_eq!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{field} {p:?}"
            );
            assert_inert(&answer.body, &format!("contact form, {field} = {p:?}"));
        }
        // An article with the payload everywhere, a new contact person named
        // by it, previewed first, then saved.
        let slug = format!("xss-{i}");
        let body = format!("{p}\n\nhestesko");
        let mut fields = vec![
            ("title", p.as_str()),
            ("slug", slug.as_str()),
            ("lead", p.as_str()),
            ("body", body.as_str()),
            ("news_date", ""),
            ("status", "published"),
            ("new_name", p.as_str()),
            ("new_job_title", p.as_str()),
            ("action", "preview"),
        ];
        let preview = app.post_as(s, "/admin/nyheder/ny", &fields).await;
        assert_eq!(preview.status, StatusCode::OK, "{p}: {}", preview.body);
        assert_inert(&preview.body, &format!("preview of {p:?}"));
        let rendered = app.post_as(s, "/admin/markdown", &[("body", p)]).await;
        assert_eq!(rendered.status, StatusCode::OK, "{p}");
        assert_inert(&rendered.body, &format!("markdown preview of {p:?}"));
        fields.retain(|(k, _)| *k != "action");
        fields.push(("action", "save"));
        let saved = app.post_as(s, "/admin/nyheder/ny", &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{p}: {}", saved.body);
        slugs.push(slug);
        // The payload in the fields that must be refused: the form comes
        // back with it, escaped.
        for field in ["slug", "news_date", "publish_at", "new_email", "new_phone"] {
            let mut fields = vec![("title", "Titel"), ("body", "Tekst"), ("status", "draft")];
            if field == "new_email" || field == "new_phone" {
                fields.push(("new_name", "Navn"));
            }
            fields.push((field, p));
            fields.push(("action", "save"));
            let answer = app.post_as(s, "/admin/nyheder/ny", &fields).await;
            assert!(
                matches!(
                    answer.status,
                    StatusCode::UNPROCESSABLE_ENTITY | StatusCode::SEE_OTHER
                ),
                "{field} {p:?}: {} {}",
                answer.status,
                answer.body
            );
            assert_inert(&answer.body, &format!("news form, {field} = {p:?}"));
        }
    }
    check_every_page(&app, &session, &topics, &slugs).await;
    app.stop().await;
}

#[tokio::test]
async fn xss_payloads_in_parameters_and_paths_are_never_reflected_unescaped() {
    let (app, session, token) = hostile_site().await;
    let encode = |p: &str| url::form_urlencoded::byte_serialize(p.as_bytes()).collect::<String>();
    for p in payloads() {
        let e = encode(&p);
        for path in [
            format!("/soeg?q={e}"),
            format!("/soeg?q={e}&type={e}&side={e}"),
            format!("/nyheder?side={e}"),
            format!("/nyheder/{e}"),
            format!("/hjemmesider?emne={e}"),
            format!("/hjemmesider?hjemmeside={e}"),
            format!("/static/{e}"),
            format!("/{e}"),
            format!("/admin/login?next={e}"),
        ] {
            let page = check_page(&app, None, &path).await;
            assert!(
                page.status.is_success() || page.status.is_client_error(),
                "{path}: {}",
                page.status
            );
            if let Some(location) = page.header("location") {
                assert!(location.starts_with('/'), "{path} → {location}");
            }
        }
        for path in [
            format!("/admin/nyheder?q={e}&status={e}"),
            format!("/admin/log?side={e}"),
        ] {
            check_page(&app, Some(&session), &path).await;
        }
        for path in [
            format!("/api/v1/news?page={e}"),
            format!("/api/v1/search?q={e}"),
        ] {
            let answer = app.api("GET", &path, Some(&token), None).await;
            assert!(!answer.status.is_server_error(), "{path}");
            answer.json();
            assert!(
                answer
                    .header("content-type")
                    .is_some_and(|c| c.starts_with("application/json")),
                "{path}"
            );
        }
    }
    app.stop().await;
}

/// Sends `request` as raw bytes on a new connection and returns everything
/// the server answers until it closes the connection (bounded in time).
pub async fn raw(app: &TestApp, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(app.addr).await.expect("connect");
    stream.write_all(request).await.expect("send");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer));
    // A server may reset a connection it refuses; what was read counts.
    let _ = read
        .await
        .expect("the server answers and closes within 20 s");
    String::from_utf8_lossy(&answer).into_owned()
}

/// The status code of a raw HTTP answer.
pub fn status_of(answer: &str) -> u16 {
    answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {answer:?}"))
}

async fn assert_still_serving(app: &TestApp) {
    assert_eq!(
        app.get("/").await.status,
        StatusCode::OK,
        "server stopped serving"
    );
}

#[tokio::test]
async fn sql_metacharacters_are_plain_text_everywhere() {
    let (app, session, token) = hostile_site().await;
    let t = Some(token.as_str());
    let metas = [
        "'",
        "\"",
        "';--",
        "' OR '1'='1",
        "\" OR \"\"=\"",
        "1' OR 1=1 --",
        "'); DROP TABLE news; --",
        "1; DELETE FROM users",
        "' UNION SELECT password_hash, email FROM users --",
        "1' AND pg_sleep(5) --",
        "1' AND randomblob(1000000000) --",
        "\\",
        "\\'",
        "%",
        "_",
        "%_%",
        "$1",
        "?",
        "`",
        "/* kommentar */",
        "NULL",
        "0x27",
        "'||(SELECT 1)||'",
        "ø' OR 'å'='å",
    ];
    let mut ids = Vec::new();
    for (i, m) in metas.iter().enumerate() {
        let title = format!("Titel {m} nr {i}");
        let created = app
            .api(
                "POST",
                "/api/v1/news",
                t,
                Some(
                    &json!({"title": title, "lead": m, "body": format!("{m}\n\nhestesko"),
                             "status": "published"})
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{m}: {}", created.body);
        let id = created.json()["id"].as_i64().expect("id");
        let back = app
            .api("GET", &format!("/api/v1/news/{id}"), t, None)
            .await
            .json();
        assert_eq!(
            (back["title"].as_str(), back["lead"].as_str()),
            (Some(title.as_str()), Some(*m))
        );
        ids.push(id);
        let topic = app
            .post_as(
                &session,
                "/admin/emner/ny",
                &[("name", m), ("slug", &format!("emne-{i}"))],
            )
            .await;
        assert_eq!(topic.status, StatusCode::SEE_OTHER, "{m}: {}", topic.body);
        let contact = app
            .api(
                "POST",
                "/api/v1/contacts",
                t,
                Some(&json!({"name": m, "job_title": m}).to_string()),
            )
            .await;
        assert_eq!(contact.status, StatusCode::CREATED, "{m}: {}", contact.body);
        // In every parameter and path.
        let e = url::form_urlencoded::byte_serialize(m.as_bytes()).collect::<String>();
        for path in [
            format!("/soeg?q={e}"),
            format!("/soeg?q=hestesko&side={e}&type={e}"),
            format!("/nyheder?side={e}"),
            format!("/nyheder/{e}"),
            format!("/hjemmesider?emne={e}"),
            format!("/hjemmesider?hjemmeside={e}"),
            format!("/nyheder/feed.atom?side={e}"),
        ] {
            let page = app.get(&path).await;
            assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        }
        for path in [
            format!("/admin/nyheder?q={e}&status={e}&side={e}"),
            format!("/admin/nyheder/{e}"),
            format!("/admin/log?side={e}"),
        ] {
            let page = app.get_as(&session, &path).await;
            assert!(!page.status.is_server_error(), "{path}: {}", page.status);
        }
        for path in [
            format!("/api/v1/news?page={e}"),
            format!("/api/v1/news/{e}"),
            format!("/api/v1/search?q={e}"),
            format!("/api/v1/contacts/{e}"),
        ] {
            let page = app.api("GET", &path, t, None).await;
            assert!(!page.status.is_server_error(), "{path}: {}", page.status);
            page.json();
        }
        // As the sign-in e-mail: refused as a wrong password, nothing more.
        let (page, _) = app.login_attempt(m, "forkert").await;
        assert!(
            !page.status.is_server_error(),
            "sign-in as {m}: {}",
            page.status
        );
    }
    // Nothing was dropped, deleted or leaked: every article is still there
    // and the searches found what they should.
    let list = app.api("GET", "/api/v1/news?page=1", t, None).await.json();
    assert_eq!(list["total"].as_u64(), Some(metas.len() as u64), "{list}");
    app.settled().await;
    let found = app
        .api("GET", "/api/v1/search?q=hestesko", None, None)
        .await
        .json();
    assert_eq!(found["total"].as_u64(), Some(metas.len() as u64), "{found}");
    // LIKE wildcards in the admin's title search match only themselves.
    let percent = app.get_as(&session, "/admin/nyheder?q=%25").await;
    let rows = percent.texts("tbody tr");
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r.contains('%')),
        "{rows:?}"
    );
    assert!(
        app.store
            .user_by_email("robot@vesterfjord.example")
            .await
            .expect("users")
            .is_some()
    );
    app.stop().await;
}

#[tokio::test]
async fn path_traversal_reaches_no_file() {
    let app = TestApp::spawn().await;
    let targets = [
        "/static/../Cargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
        "/static/%2e%2e/%2e%2e/Cargo.toml",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/static/%252e%252e%252fetc%252fpasswd",
        "/static/....//....//etc/passwd",
        "/static/..\\..\\Cargo.toml",
        "/static/%5c..%5c..%5cCargo.toml",
        "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/static/style.css%00.js",
        "/static/%00",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/.env",
        "/static/raadhus.db",
        "/static/../raadhus.db",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/nyheder/..%2f..%2fetc%2fpasswd",
        "/nyheder/../../../etc/passwd",
        "/hjemmesider/../../etc/passwd",
        "/admin/../../../etc/passwd",
        "/admin/nyheder/..%2f..%2fetc%2fpasswd",
        "/api/v1/news/..%2f..%2fetc%2fpasswd",
        "/api/v1/../../etc/passwd",
        "/.git/config",
        "/raadhus.db",
        "/data/raadhus.db",
        "/search/meta.json",
        "/sitemap.xml/../../etc/passwd",
    ];
    for target in targets {
        let request =
            format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let answer = raw(&app, request.as_bytes()).await;
        let status = status_of(&answer);
        let to_sign_in = status == 303 && answer.contains("location: /admin/login");
        assert!(
            matches!(status, 400 | 404) || to_sign_in,
            "{target}: {status}"
        );
        for secret in [
            "root:",
            "[workspace]",
            "[package]",
            "SQLite format",
            "[core]",
            "index_settings",
        ] {
            assert!(!answer.contains(secret), "{target} showed {secret}");
        }
    }
    // The absolute form of the request target is no way round either.
    let answer = raw(
        &app,
        b"GET http://localhost/static/../Cargo.toml HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(matches!(status_of(&answer), 400 | 404), "{answer}");
    assert_still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn oversized_deep_and_broken_bodies_get_clear_errors() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        max_body_bytes: Some("4096".into()),
        ..Default::default()
    })
    .await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let t = Some(token.as_str());
    let big = "a".repeat(10_000);

    // Too large: 413 with a Danish page for people, JSON for the API.
    let form = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &[("title", "x"), ("body", &big)],
        )
        .await;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        form.texts("main").join(" ").contains("for stor"),
        "{}",
        form.body
    );
    let api = app
        .api(
            "POST",
            "/api/v1/news",
            t,
            Some(&json!({"title": "x", "body": big}).to_string()),
        )
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(api.json()["error"].as_str().is_some());
    // The same without a Content-Length: chunked, never ending in time.
    let chunk = format!("{:x}\r\n{big}\r\n", big.len());
    let request = format!(
        "POST /api/v1/news HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {chunk}{chunk}0\r\n\r\n"
    );
    assert_eq!(status_of(&raw(&app, request.as_bytes()).await), 413);
    let request = format!(
        "POST /admin/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\nemail={big}",
        big.len() + 6
    );
    assert_eq!(status_of(&raw(&app, request.as_bytes()).await), 413);

    // Deeply nested JSON: refused, not a stack overflow.
    for deep in [
        "[".repeat(3000),
        format!("{}1{}", "[".repeat(1000), "]".repeat(1000)),
        format!(
            "{{\"title\":{}\"x\"{}, \"body\":\"y\"}}",
            "{\"a\":".repeat(600),
            "}".repeat(600)
        ),
    ] {
        let answer = app.api("POST", "/api/v1/news", t, Some(&deep)).await;
        assert!(
            matches!(
                answer.status,
                StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY
            ),
            "{}",
            answer.status
        );
        assert!(answer.json()["error"].as_str().is_some());
    }

    // Not UTF-8: in a JSON body, a form body, a path, a query, a header.
    let not_utf8 = b"{\"title\":\"\xff\xfe\",\"body\":\"tekst\"}";
    let request = format!(
        "POST /api/v1/news HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        not_utf8.len()
    );
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(not_utf8);
    let answer = raw(&app, &bytes).await;
    assert_eq!(status_of(&answer), 400, "{answer}");
    assert!(answer.contains("\"error\""), "{answer}");
    for body in ["title=%FF%FE&body=x", "title=%C3&body=x"] {
        let request = format!(
            "POST /admin/nyheder/ny HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}&_csrf={}",
            session.cookie,
            body.len() + 7 + session.csrf.len(),
            session.csrf
        );
        let answer = raw(&app, request.as_bytes()).await;
        assert_eq!(status_of(&answer), 400, "{answer}");
        assert!(answer.contains("UTF-8"), "{answer}");
    }
    let mut raw_form = format!(
        "POST /admin/nyheder/ny HTTP/1.1\r\nHost: localhost\r\nCookie: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n_csrf={}&title=",
        session.cookie,
        6 + session.csrf.len() + 7 + 2,
        session.csrf
    )
    .into_bytes();
    raw_form.extend_from_slice(b"\xff\xfe");
    assert_eq!(status_of(&raw(&app, &raw_form).await), 400);
    for path in [
        "/nyheder/%FF%FE",
        "/soeg?q=%FF",
        "/hjemmesider?emne=%C3",
        "/static/%FF",
        "/api/v1/news/%FF",
    ] {
        let page = app.get(path).await;
        assert!(
            page.status.is_client_error() || page.status.is_success(),
            "{path}: {}",
            page.status
        );
    }
    for request in [
        &b"GET /nyheder/\xff\xfe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nHost: localhost\r\nCookie: raadhus_session=\xff\xfe\r\nConnection: close\r\n\r\n",
        b"GET /admin HTTP/1.1\r\nHost: localhost\r\nCookie: \xff\r\nConnection: close\r\n\r\n",
        b"GET /api/v1/contacts HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \xff\xfe\r\nConnection: close\r\n\r\n",
        b"\xff\xfe\xfd\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
    ] {
        let answer = raw(&app, request).await;
        if !answer.is_empty() {
            assert!(status_of(&answer) < 500, "{answer}");
        }
    }
    assert_still_serving(&app).await;
    // Nothing half-made was stored.
    let list = app.api("GET", "/api/v1/news?page=1", t, None).await.json();
    assert_eq!(list["total"].as_u64(), Some(0), "{list}");
    app.stop().await;
}

#[tokio::test]
async fn header_floods_are_refused_and_the_server_keeps_serving() {
    let app = TestApp::spawn().await;
    let many: String = (0..500).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let huge = format!("X-Huge: {}\r\n", "a".repeat(1024 * 1024));
    let cookies = format!(
        "Cookie: {}\r\n",
        (0..5000)
            .map(|i| format!("c{i}=v"))
            .collect::<Vec<_>>()
            .join("; ")
    );
    // Too many headers, or too large: 431 from the HTTP layer.
    for headers in [many, huge] {
        let request =
            format!("GET / HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n");
        let answer = raw(&app, request.as_bytes()).await;
        assert_eq!(
            status_of(&answer),
            431,
            "{}",
            &answer[..answer.len().min(200)]
        );
        assert_still_serving(&app).await;
    }
    // Within the limits, a flood of cookies is simply ignored, in the admin too.
    for path in ["/", "/admin"] {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{cookies}Connection: close\r\n\r\n");
        let status = status_of(&raw(&app, request.as_bytes()).await);
        assert!(matches!(status, 200 | 303), "{path}: {status}");
    }
    // Many requests pipelined on one connection are all answered in order.
    let pipelined = "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n".repeat(200)
        + "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let answer = raw(&app, pipelined.as_bytes()).await;
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 201);
    app.stop().await;
}

#[tokio::test]
async fn slow_clients_are_cut_off_while_others_are_served() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        request_timeout: Some("2".into()),
        ..Default::default()
    })
    .await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Slowloris: fifty connections sending their headers a byte at a time.
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(app.addr).await.expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: loc")
            .await
            .expect("send");
        slow.push(stream);
    }
    let started = std::time::Instant::now();
    let mut closed = vec![false; slow.len()];
    // Bounded: 12 rounds of half a second.
    for _ in 0..12 {
        let fast = tokio::time::timeout(Duration::from_secs(2), app.get("/robots.txt"))
            .await
            .expect("others are served at once");
        assert_eq!(fast.status, StatusCode::OK);
        for (stream, closed) in slow.iter_mut().zip(closed.iter_mut()) {
            if !*closed && stream.write_all(b"a").await.is_err() {
                *closed = true;
            }
            if *closed {
                continue;
            }
            let mut buf = [0u8; 512];
            let read = tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buf)).await;
            // 0: closed; otherwise an answer (408) before closing.
            if let Ok(Ok(n)) = read
                && (n == 0 || String::from_utf8_lossy(&buf[..n]).contains(" 408 "))
            {
                *closed = true;
            }
        }
        if closed.iter().all(|c| *c) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(
        closed.iter().all(|c| *c),
        "{} slow connections still open",
        closed.iter().filter(|c| !**c).count()
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "cut off too soon"
    );
    // A body that never comes: answered 408 once the time is up.
    let mut stream = TcpStream::connect(app.addr).await.expect("connect");
    let request = format!(
        "POST /api/v1/news HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"title\":"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("answered within the timeout")
        .expect("read");
    assert_eq!(status_of(&String::from_utf8_lossy(&answer)), 408);
    // An idle keep-alive connection is closed too.
    let mut idle = TcpStream::connect(app.addr).await.expect("connect");
    idle.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("send");
    let mut all = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut all))
        .await
        .expect("idle connection closed")
        .expect("read");
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
    assert_still_serving(&app).await;
    app.stop().await;
}

#[tokio::test]
async fn the_directory_redirects_only_to_registered_websites() {
    let (app, _, token) = hostile_site().await;
    let t = Some(token.as_str());
    let topic = app
        .api("POST", "/api/v1/topics", t, Some(r#"{"name":"Skoler"}"#))
        .await
        .json();
    let site = app
        .api("POST", "/api/v1/sites", t, Some(&json!({"name":"Egelund Skole","url":"https://egelund.example/","topics":[topic["id"]]}).to_string()))
        .await
        .json();
    let inactive = app
        .api("POST", "/api/v1/sites", t, Some(&json!({"name":"Lukket","url":"https://lukket.example/","topics":[topic["id"]],"active":false}).to_string()))
        .await
        .json();
    let id = site["id"].as_i64().expect("id");
    assert_eq!(
        app.get(&format!("/hjemmesider?hjemmeside={id}"))
            .await
            .header("location"),
        Some("https://egelund.example/")
    );
    for choice in [
        inactive["id"].to_string(),
        (id + 1000).to_string(),
        "-1".into(),
        "0".into(),
        "99999999999999999999999".into(),
        format!("{id}%20OR%201=1"),
        format!("{id}.0"),
        "https://ond.example/".into(),
        "%2F%2Fond.example".into(),
        "//ond.example".into(),
        "javascript:alert(1)".into(),
        format!("{id}&hjemmeside=https://ond.example/"),
        format!("https://ond.example/&hjemmeside={id}"),
    ] {
        let page = app.get(&format!("/hjemmesider?hjemmeside={choice}")).await;
        match page.header("location") {
            None => assert!(
                matches!(page.status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
                "{choice}: {}",
                page.status
            ),
            Some(location) => assert_eq!(location, "https://egelund.example/", "{choice}"),
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        base_url: Some("https://www.vesterfjord.example/".into()),
        ..Default::default()
    })
    .await;
    let session = app.editor().await;
    let article = app
        .get("/nyheder")
        .await
        .attrs("main h2 a, main h3 a", "href");
    let article = article.first().expect("demo articles").clone();
    let stylesheet = app.get("/").await.attrs("link[rel=stylesheet]", "href")[0].clone();
    let etag = app
        .get(&article)
        .await
        .header("etag")
        .expect("etag")
        .to_string();
    let mut pages = vec![
        app.get("/").await,
        app.get(&article).await,
        app.get("/nyheder/feed.atom").await,
        app.get("/sitemap.xml").await,
        app.get(&stylesheet).await,
        app.get("/findes-ikke").await,
        app.get("/admin").await,
        app.get("/admin/login").await,
        app.get_as(&session, "/admin/nyheder").await,
        app.get_as(&session, "/admin/nyheder/ny").await,
        app.api("GET", "/api/v1/news", None, None).await,
        app.api("POST", "/api/v1/news", None, Some("{}")).await,
        app.send_with_header("GET", &article, "if-none-match", &etag)
            .await,
        app.send_with_header("DELETE", "/", "x-any", "1").await,
        app.head("/nyheder").await,
    ];
    pages.push(
        app.post_as(&session, "/admin/nyheder/ny", &[("title", "")])
            .await,
    );
    assert_eq!(pages[12].status, StatusCode::NOT_MODIFIED);
    for (i, page) in pages.iter().enumerate() {
        let csp = page
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("response {i} ({}) has no CSP", page.status));
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "response {i}: {csp}");
        }
        for (name, value) in [
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            ("x-frame-options", "DENY"),
            ("strict-transport-security", "max-age=31536000"),
        ] {
            assert_eq!(
                page.header(name),
                Some(value),
                "response {i} ({}): {name}",
                page.status
            );
        }
        assert!(
            page.header("permissions-policy")
                .is_some_and(|p| p.contains("camera=()")),
            "response {i}"
        );
    }
    // Served over plain http, HSTS would be meaningless: not sent.
    let plain = TestApp::spawn().await;
    let page = plain.get("/").await;
    assert!(page.header("strict-transport-security").is_none());
    assert!(page.header("content-security-policy").is_some());
    plain.stop().await;
    app.stop().await;
}
