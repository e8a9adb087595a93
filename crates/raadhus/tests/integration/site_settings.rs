//! The municipality's identity: `GET/PUT /api/v1/site`, the admin's
//! "Indstillinger" and "Forside", the header and footer that show them, the
//! composed front page, and every node following a change at once.

use std::time::{Duration, Instant};

use raadhus_domain::NewsForm;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Page, TestApp, published};

const PASSWORD: &str = "en god lang adgangskode";

fn identity(logo_id: Option<i64>) -> serde_json::Value {
    json!({
        "name": "Bakkeby Kommune",
        "logo_id": logo_id,
        "brand_color": "#1A5C8E",
        "address": "Torvet 2\n8888 Bakkeby",
        "phone": "72 41 10 00",
        "email": "kommunen@bakkeby.example",
        "cvr": "DK 10150817",
        "ean": "5798000012349",
        "opening_hours": "Borgerservice: mandag-fredag kl. 10-15\nTelefontid: kl. 8-15",
        "social_links": [{"label": "Facebook", "url": "https://www.facebook.com/bakkeby"}],
    })
}

async fn put_site(app: &TestApp, token: &str, body: &serde_json::Value) -> Page {
    app.api("PUT", "/api/v1/site", Some(token), Some(&body.to_string()))
        .await
}

#[tokio::test]
async fn the_api_reads_the_identity_and_only_administrators_change_it() {
    let app = TestApp::spawn().await;
    let public = app.api("GET", "/api/v1/site", None, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json()["name"], "Raadhus");
    assert_eq!(public.json()["social_links"], json!([]));

    let editor = app.api_token("robot@bakkeby.example", "editor").await;
    let refused = put_site(&app, &editor, &identity(None)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(
        app.api("GET", "/api/v1/site", None, None).await.json()["name"],
        "Raadhus"
    );

    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    let saved = put_site(&app, &admin, &identity(None)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let site = saved.json();
    assert_eq!(site["name"], "Bakkeby Kommune");
    assert_eq!(site["brand_color"], "#1a5c8e");
    assert_eq!(site["phone"], "+4572411000");
    assert_eq!(site["cvr"], "10150817");
    assert_eq!(site["logo_id"], serde_json::Value::Null);
    assert_eq!(
        app.api("GET", "/api/v1/site", None, None).await.json(),
        site
    );

    // In the document beside the directory's websites, not in their place.
    let doc = app.get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["SiteIdentity"]["properties"]["brand_color"].is_object());
    assert!(schemas["Site"]["properties"]["url"].is_object());
    assert_eq!(
        doc["paths"]["/api/v1/site"]["put"]["operationId"],
        "updateSiteIdentity"
    );

    let log = app.store.audit_log(10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.entity == "site" && e.summary.starts_with("site settings saved")),
        "{log:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_values_are_refused_with_422_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    assert_eq!(
        put_site(&app, &admin, &identity(None)).await.status,
        StatusCode::OK
    );
    let before = app.api("GET", "/api/v1/site", None, None).await.json();
    let cases: [(&str, serde_json::Value, &str); 9] = [
        ("brand_color", json!("#777777"), "4,47:1"),
        ("brand_color", json!("#ffff00"), "mindst 4,5:1"),
        ("brand_color", json!("blå"), "farvekode"),
        ("cvr", json!("10150818"), "kontrolcifferet"),
        ("ean", json!("5798000012340"), "kontrolcifferet"),
        ("phone", json!("123"), "8 cifre"),
        ("name", json!("  "), "Skriv kommunens navn."),
        ("logo_id", json!(999), "billede fra mediebiblioteket"),
        ("privacy_page_id", json!(999), "Siden findes ikke"),
    ];
    for (field, value, message) in cases {
        let mut body = identity(None);
        body[field] = value.clone();
        body["name"] = json!(if field == "name" { "  " } else { "Andet navn" });
        let page = put_site(&app, &admin, &body).await;
        assert_eq!(
            page.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {value}: {}",
            page.body
        );
        assert_eq!(page.json()["field"], field, "{}", page.body);
        let error = page.json()["error"].as_str().unwrap().to_string();
        assert!(error.contains(message), "{field}: {error}");
    }
    let mut http = identity(None);
    http["social_links"] = json!([{"label": "Facebook", "url": "http://www.facebook.com/x"}]);
    let page = put_site(&app, &admin, &http).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.json()["field"], "social_links");
    let mut unknown = identity(None);
    unknown["colour"] = json!("#000000");
    assert_eq!(
        put_site(&app, &admin, &unknown).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.api("GET", "/api/v1/site", None, None).await.json(),
        before
    );
    app.stop().await;
}

#[tokio::test]
async fn header_and_footer_show_the_identity_on_every_public_page() {
    let app = TestApp::spawn().await;
    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    let logo = app.uploaded_image(&admin, 120, 60).await;
    let logo_id = logo["id"].as_i64().unwrap();
    let saved = put_site(&app, &admin, &identity(Some(logo_id))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    for path in [
        "/",
        "/nyheder",
        "/hjemmesider",
        "/soeg?q=skole",
        "/findes-ikke",
    ] {
        let page = app.get(path).await;
        assert_eq!(
            page.texts("header a.site-name"),
            ["Bakkeby Kommune"],
            "{path}"
        );
        assert_eq!(page.attrs("header a.site-name", "href"), ["/"]);
        assert_eq!(page.attrs("header a.site-name img", "alt"), [""]);
        assert_eq!(page.attrs("header a.site-name img", "height"), ["48"]);
        assert_eq!(page.attrs("header a.site-name img", "width"), ["96"]);
        let src = &page.attrs("header a.site-name img", "src")[0];
        assert!(src.starts_with(&format!("/medier/{logo_id}/")), "{src}");
        assert_eq!(page.count("header details.menu-toggle > summary"), 1);
        assert_eq!(
            page.texts("header details nav[aria-label=Hovedmenu] a"),
            ["Forside", "Nyheder", "Andre hjemmesider"]
        );
        assert!(
            page.attrs("link[rel=stylesheet]", "href")
                .contains(&"/static/brand/1a5c8e.css".to_string()),
            "{path}"
        );
        assert_eq!(page.texts("footer h2")[0], "Bakkeby Kommune");
        assert_eq!(
            page.texts("footer .site-footer__address"),
            ["Torvet 2 8888 Bakkeby"]
        );
        assert_eq!(
            page.texts("footer dt"),
            ["Telefon", "E-mail", "CVR-nr.", "EAN-nr."]
        );
        assert_eq!(
            page.texts("footer dd"),
            [
                "72 41 10 00",
                "kommunen@bakkeby.example",
                "10150817",
                "5798000012349"
            ]
        );
        let footer = page.texts("footer").join(" ");
        for fact in [
            "Åbningstider Borgerservice: mandag-fredag kl. 10-15 Telefontid: kl. 8-15",
            "Vi sætter ingen cookies",
        ] {
            assert!(footer.contains(fact), "{path}: {fact:?} not in {footer}");
        }
        assert_eq!(
            page.attrs("footer a[href^='tel:']", "href"),
            ["tel:+4572411000"]
        );
        assert_eq!(
            page.attrs("footer a[href^='mailto:']", "href"),
            ["mailto:kommunen@bakkeby.example"]
        );
        assert_eq!(
            page.attrs("footer a[href^='https://www.facebook']", "href"),
            ["https://www.facebook.com/bakkeby"]
        );
        assert!(page.header("set-cookie").is_none(), "{path} sets a cookie");
    }
    let css = app.get("/static/brand/1a5c8e.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    assert!(css.body.contains("--brand: #1a5c8e;"), "{}", css.body);
    // Only colours white text is readable on, in their one spelling.
    for bad in ["777777", "1A5C8E", "1a5c8", "xyzxyz"] {
        let page = app.get(&format!("/static/brand/{bad}.css")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{bad}");
    }
    // The logo cannot be deleted while it is the logo.
    let delete = app
        .api(
            "DELETE",
            &format!("/api/v1/media/{logo_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(delete.status, StatusCode::CONFLICT, "{}", delete.body);
    assert!(delete.body.contains("logo"), "{}", delete.body);
    app.stop().await;
}

#[tokio::test]
async fn an_unconfigured_site_has_a_plain_footer_and_the_default_colour() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    assert_eq!(page.count("header a.site-name img"), 0);
    assert!(
        !page
            .attrs("link[rel=stylesheet]", "href")
            .iter()
            .any(|h| h.contains("/brand/"))
    );
    assert_eq!(page.count("footer a[href^='tel:']"), 0);
    assert_eq!(page.count("footer dl"), 0);
    assert!(
        page.texts("footer")
            .join(" ")
            .contains("Vi sætter ingen cookies")
    );
    app.stop().await;
}

#[tokio::test]
async fn indstillinger_is_for_administrators_and_says_what_is_wrong_in_danish() {
    let app = TestApp::spawn().await;
    let editor = app.editor().await;
    assert_eq!(
        app.get_as(&editor, "/admin/indstillinger").await.status,
        StatusCode::FORBIDDEN
    );
    let sent = app
        .post_as(&editor, "/admin/indstillinger", &[("name", "Editorby")])
        .await;
    assert_eq!(sent.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_as(&editor, "/admin/forside").await.status,
        StatusCode::FORBIDDEN
    );

    app.user("anne@bakkeby.example", "admin", PASSWORD).await;
    let admin = app.sign_in("anne@bakkeby.example", PASSWORD).await;
    let form = app.get_as(&admin, "/admin/indstillinger").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("h1"), ["Indstillinger"]);
    assert_eq!(form.attrs("input#name", "value"), ["Raadhus"]);

    let fields = [
        ("name", "Bakkeby Kommune"),
        ("brand_color", "#eeeeee"),
        ("phone", "12"),
        ("cvr", "10150817"),
        ("social_label", "Facebook"),
        ("social_url", "facebook.com/bakkeby"),
    ];
    let refused = app.post_as(&admin, "/admin/indstillinger", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = refused.texts(".error-summary li");
    assert_eq!(summary.len(), 3, "{summary:?}");
    assert!(
        summary[0].starts_with("Farve: Hvid tekst på farven #eeeeee"),
        "{summary:?}"
    );
    assert!(
        summary[1].starts_with("Telefon: Skriv et telefonnummer"),
        "{summary:?}"
    );
    assert!(
        summary[2].starts_with("Sociale medier: Link 1:"),
        "{summary:?}"
    );
    // What was typed is kept.
    assert_eq!(refused.attrs("input#name", "value"), ["Bakkeby Kommune"]);
    assert_eq!(
        refused.attrs("input#social_url-1", "value"),
        ["facebook.com/bakkeby"]
    );
    assert_eq!(app.get("/").await.texts("h1"), ["Raadhus"]);

    let fields = [
        ("name", "Bakkeby Kommune"),
        ("brand_color", "#1a5c8e"),
        ("phone", "72 41 10 00"),
        ("opening_hours", "Telefontid: kl. 8-15"),
        ("social_label", ""),
        ("social_url", ""),
    ];
    let saved = app.post_as(&admin, "/admin/indstillinger", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.header("location"),
        Some("/admin/indstillinger?gemt=1")
    );
    let done = app.get_as(&admin, "/admin/indstillinger?gemt=1").await;
    assert_eq!(
        done.texts(".notice"),
        ["Indstillingerne er gemt. Alle sider viser dem nu."]
    );
    assert_eq!(done.attrs("input#phone", "value"), ["72 41 10 00"]);
    let home = app.get("/").await;
    assert_eq!(home.texts("h1"), ["Bakkeby Kommune"]);
    assert_eq!(home.texts("title"), ["Bakkeby Kommune"]);
    let log = app.get_as(&admin, "/admin/log").await;
    assert!(log.body.contains("ændrede indstillingerne"), "{}", log.body);
    app.stop().await;
}

#[tokio::test]
async fn the_front_page_leads_with_the_chosen_story_once_and_follows_it() {
    let app = TestApp::spawn().await;
    let lead = app
        .news(NewsForm {
            lead: Some("Stien åbner til sommer."),
            ..published("Ny cykelsti langs fjorden", "2026-11-30")
        })
        .await;
    app.news(published("Affaldsplan i høring", "2026-11-29"))
        .await;
    app.user("anne@bakkeby.example", "admin", PASSWORD).await;
    let admin = app.sign_in("anne@bakkeby.example", PASSWORD).await;
    let form = app.get_as(&admin, "/admin/forside").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.count("select#lead_news_id option"), 3);
    assert_eq!(form.count("select[name=shortcut]"), 8);
    // Cached before the change: the change must drop it.
    assert_eq!(app.get("/").await.count(".front__lead"), 0);

    let missing = app
        .post_as(&admin, "/admin/forside", &[("lead_news_id", "9999")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.texts(".error-summary li")[0].starts_with("Forsidehistorie: Nyheden findes ikke"),
        "{}",
        missing.body
    );
    let id = lead.id.to_string();
    let saved = app
        .post_as(&admin, "/admin/forside", &[("lead_news_id", id.as_str())])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let home = app.get("/").await;
    assert_eq!(home.count("h1"), 1);
    assert_eq!(home.texts(".front__lead h2"), ["Ny cykelsti langs fjorden"]);
    assert!(
        home.texts(".front__lead")
            .join(" ")
            .contains("Stien åbner til sommer.")
    );
    // Not again in the latest news.
    assert_eq!(home.texts(".news-item__title"), ["Affaldsplan i høring"]);

    // A new title of the lead story reaches the cached front page (saved
    // on another connection: as another node's save, through the journal).
    let mut content = lead.content.clone();
    content.title = "Cykelstien åbner i juni".into();
    app.usecases()
        .update_news(
            app.site,
            &raadhus_usecases::Actor::cli(),
            lead.id,
            lead.version,
            raadhus_domain::NewsDraft::unchanged(content),
        )
        .await
        .unwrap();
    let start = Instant::now();
    while app.get("/").await.texts(".front__lead h2") != ["Cykelstien åbner i juni"] {
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "the front page kept the old title"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_change_of_the_identity_reaches_every_node_within_a_second() {
    let a = TestApp::spawn().await;
    let b = a.another_node().await;
    for path in ["/", "/nyheder"] {
        assert_eq!(b.get(path).await.texts("header .site-name"), ["Raadhus"]);
        assert_eq!(b.get(path).await.texts("header .site-name"), ["Raadhus"]);
    }
    let admin = a.api_token("admin@bakkeby.example", "admin").await;
    assert_eq!(
        put_site(&a, &admin, &identity(None)).await.status,
        StatusCode::OK
    );
    let limit = if crate::database::postgres_base().is_some() {
        Duration::from_secs(1)
    } else {
        Duration::from_secs(2)
    };
    let start = Instant::now();
    loop {
        let home = b.get("/").await;
        let news = b.get("/nyheder").await;
        if home.texts("header .site-name") == ["Bakkeby Kommune"]
            && news.texts("footer dd").contains(&"10150817".to_string())
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "never reached node B"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(start.elapsed() <= limit, "took {:?}", start.elapsed());
    b.stop().await;
    a.stop().await;
}

/// Polls `path` of `app` until `check` holds of it, for up to 3 s.
async fn eventually(app: &TestApp, path: &str, what: &str, check: impl Fn(&Page) -> bool) {
    let start = Instant::now();
    loop {
        if check(&app.get(path).await) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(3), "{path}: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_privacy_page_and_the_shortcuts_are_pages_and_follow_them() {
    let app = TestApp::spawn().await;
    let about = app.page(None, "Om kommunen").await;
    let privacy = app.page(Some(about.id), "Databeskyttelse").await;
    let waste = app.page(None, "Affald og genbrug").await;
    let draft = app.draft_page("Kladde").await;
    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    let mut body = identity(None);
    body["privacy_page_id"] = json!(privacy.id);
    assert_eq!(put_site(&app, &admin, &body).await.status, StatusCode::OK);
    let news = app.get("/nyheder").await;
    assert_eq!(
        news.attrs("footer a[href='/om-kommunen/databeskyttelse']", "href")
            .len(),
        1,
        "{}",
        news.texts("footer").join(" ")
    );
    assert_eq!(
        news.texts("footer a[href='/om-kommunen/databeskyttelse']"),
        ["Databeskyttelse"]
    );

    app.user("anne@bakkeby.example", "admin", PASSWORD).await;
    let session = app.sign_in("anne@bakkeby.example", PASSWORD).await;
    let form = app.get_as(&session, "/admin/forside").await;
    assert_eq!(
        form.texts("select#shortcut-1 option"),
        [
            "Ingen",
            "Om kommunen",
            "– Databeskyttelse",
            "Affald og genbrug",
            "Kladde (ikke offentlig)"
        ]
    );
    let ids = [waste.id, privacy.id, draft.id].map(|id| id.to_string());
    let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("shortcut", id.as_str())).collect();
    let saved = app.post_as(&session, "/admin/forside", &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let home = app.get("/").await;
    assert_eq!(
        home.texts(".shortcuts a"),
        ["Affald og genbrug", "Databeskyttelse"]
    );
    assert_eq!(
        home.attrs(".shortcuts a", "href"),
        ["/affald-og-genbrug", "/om-kommunen/databeskyttelse"]
    );
    assert_eq!(home.texts("#genveje"), ["Genveje"]);

    // A new title of a shortcut's page, and of the privacy page, reaches
    // the cached pages showing them.
    let mut content = waste.content.clone();
    content.title = "Affald".into();
    let by = raadhus_usecases::Actor::cli();
    app.usecases()
        .update_page(
            app.site,
            &by,
            waste.id,
            waste.version,
            raadhus_domain::page::PageDraft::unchanged(content),
        )
        .await
        .unwrap();
    eventually(&app, "/", "the shortcut kept its old title", |p| {
        p.texts(".shortcuts a") == ["Affald", "Databeskyttelse"]
    })
    .await;
    app.usecases()
        .bin_page(app.site, &by, privacy.id)
        .await
        .unwrap();
    eventually(
        &app,
        "/nyheder",
        "the footer still links the binned page",
        |p| p.count("footer a[href='/om-kommunen/databeskyttelse']") == 0,
    )
    .await;
    eventually(&app, "/", "the binned page is still a shortcut", |p| {
        p.texts(".shortcuts a") == ["Affald"]
    })
    .await;
    app.stop().await;
}
