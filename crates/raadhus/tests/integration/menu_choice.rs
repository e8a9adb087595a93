//! The site's choice of whether the main menu shows "Nyheder" and the
//! directory ("Andre hjemmesider"): both by default, switched off and on
//! through `PUT /api/v1/site` and the admin's Indstillinger, and followed at
//! once by the cached public pages.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Page, TestApp};

const MENU: &str = "nav[aria-label='Hovedmenu'] a";
const PASSWORD: &str = "en god lang adgangskode";

fn x_cache(page: &Page) -> &str {
    page.header("x-cache").unwrap_or("none")
}

/// `/borger` served from the render cache, showing `menu`.
async fn cached_menu(app: &TestApp, menu: &[&str]) {
    app.settled().await;
    let first = app.get("/borger").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.texts(MENU), menu);
    let again = app.get("/borger").await;
    assert_eq!(x_cache(&again), "hit");
    assert_eq!(again.texts(MENU), menu);
}

/// `/borger` after a change of the settings: rendered anew, showing `menu`.
async fn fresh_menu(app: &TestApp, menu: &[&str]) {
    app.settled().await;
    let page = app.get("/borger").await;
    assert_eq!(x_cache(&page), "miss", "the cached page was kept");
    assert_eq!(page.texts(MENU), menu);
    // Every kind of public page shows the same menu.
    for path in ["/", "/nyheder", "/hjemmesider"] {
        assert_eq!(app.get(path).await.texts(MENU), menu, "{path}");
    }
}

/// Saves `body` as the site's identity; returns the identity as stored.
async fn put(app: &TestApp, token: &str, body: serde_json::Value) -> serde_json::Value {
    let page = app
        .api("PUT", "/api/v1/site", Some(token), Some(&body.to_string()))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.json()
}

#[tokio::test]
async fn the_api_switches_news_and_the_directory_out_of_the_menu_and_back() {
    let app = TestApp::spawn().await;
    app.page(None, "Borger").await;
    let site = app.api("GET", "/api/v1/site", None, None).await.json();
    assert_eq!(site["menu_news"], true);
    assert_eq!(site["menu_directory"], true);
    let all = ["Forside", "Borger", "Nyheder", "Andre hjemmesider"];
    cached_menu(&app, &all).await;

    let admin = app.api_token("admin@bakkeby.example", "admin").await;
    let saved = put(
        &app,
        &admin,
        json!({"name": "Bakkeby Kommune", "menu_news": false}),
    )
    .await;
    assert_eq!(saved["menu_news"], false);
    assert_eq!(saved["menu_directory"], true);
    let site = app.api("GET", "/api/v1/site", None, None).await.json();
    assert_eq!(site, saved);
    fresh_menu(&app, &["Forside", "Borger", "Andre hjemmesider"]).await;
    // News is still there, only not in the menu.
    assert_eq!(app.get("/nyheder").await.status, StatusCode::OK);

    // Missing means shown: this brings news back and takes the directory.
    cached_menu(&app, &["Forside", "Borger", "Andre hjemmesider"]).await;
    let saved = put(
        &app,
        &admin,
        json!({"name": "Bakkeby Kommune", "menu_directory": false}),
    )
    .await;
    assert_eq!(saved["menu_news"], true);
    assert_eq!(saved["menu_directory"], false);
    fresh_menu(&app, &["Forside", "Borger", "Nyheder"]).await;

    cached_menu(&app, &["Forside", "Borger", "Nyheder"]).await;
    let saved = put(
        &app,
        &admin,
        json!({"name": "Bakkeby Kommune", "menu_news": false,
        "menu_directory": false}),
    )
    .await;
    assert_eq!(
        (&saved["menu_news"], &saved["menu_directory"]),
        (&json!(false), &json!(false))
    );
    fresh_menu(&app, &["Forside", "Borger"]).await;

    cached_menu(&app, &["Forside", "Borger"]).await;
    let saved = put(
        &app,
        &admin,
        json!({"name": "Bakkeby Kommune", "menu_news": true,
        "menu_directory": null}),
    )
    .await;
    assert_eq!(
        (&saved["menu_news"], &saved["menu_directory"]),
        (&json!(true), &json!(true))
    );
    fresh_menu(&app, &all).await;

    // Not a boolean: refused, nothing changes.
    let refused = app
        .api(
            "PUT",
            "/api/v1/site",
            Some(&admin),
            Some(&json!({"name": "Bakkeby Kommune", "menu_news": "nej"}).to_string()),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        app.api("GET", "/api/v1/site", None, None).await.json()["menu_news"],
        true
    );

    let doc = app.get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    for schema in ["SiteIdentity", "SiteIdentityRequest"] {
        for field in ["menu_news", "menu_directory"] {
            assert!(
                schemas[schema]["properties"][field].is_object(),
                "{schema}.{field}"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn indstillinger_has_a_checkbox_for_each_and_the_menu_follows() {
    let app = TestApp::spawn().await;
    app.page(None, "Borger").await;
    app.user("anne@bakkeby.example", "admin", PASSWORD).await;
    let admin = app.sign_in("anne@bakkeby.example", PASSWORD).await;
    let form = app.get_as(&admin, "/admin/indstillinger").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.texts("legend").contains(&"Hovedmenu".to_string()));
    assert_eq!(
        form.texts("label[for=menu_news]"),
        ["Vis Nyheder i hovedmenuen"]
    );
    assert_eq!(
        form.texts("label[for=menu_directory]"),
        ["Vis Andre hjemmesider i hovedmenuen"]
    );
    assert_eq!(form.count("input#menu_news[type=checkbox][checked]"), 1);
    assert_eq!(
        form.count("input#menu_directory[type=checkbox][checked]"),
        1
    );
    let all = ["Forside", "Borger", "Nyheder", "Andre hjemmesider"];
    cached_menu(&app, &all).await;

    // A refused save keeps the boxes as they were sent.
    let refused = app
        .post_as(
            &admin,
            "/admin/indstillinger",
            &[("name", "Bakkeby Kommune"), ("brand_color", "#eeeeee")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.count("input#menu_news[checked]"), 0);
    assert_eq!(refused.count("input#menu_directory[checked]"), 0);
    assert_eq!(app.get("/borger").await.texts(MENU), all);

    // An unchecked box is not sent: the entry leaves the menu.
    let saved = app
        .post_as(
            &admin,
            "/admin/indstillinger",
            &[("name", "Bakkeby Kommune"), ("menu_directory", "1")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    fresh_menu(&app, &["Forside", "Borger", "Andre hjemmesider"]).await;
    let site = app.api("GET", "/api/v1/site", None, None).await.json();
    assert_eq!(
        (&site["menu_news"], &site["menu_directory"]),
        (&json!(false), &json!(true))
    );
    let form = app.get_as(&admin, "/admin/indstillinger").await;
    assert_eq!(form.count("input#menu_news[checked]"), 0);
    assert_eq!(form.count("input#menu_directory[checked]"), 1);

    cached_menu(&app, &["Forside", "Borger", "Andre hjemmesider"]).await;
    let saved = app
        .post_as(
            &admin,
            "/admin/indstillinger",
            &[("name", "Bakkeby Kommune"), ("menu_news", "1")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    fresh_menu(&app, &["Forside", "Borger", "Nyheder"]).await;

    cached_menu(&app, &["Forside", "Borger", "Nyheder"]).await;
    let saved = app
        .post_as(
            &admin,
            "/admin/indstillinger",
            &[
                ("name", "Bakkeby Kommune"),
                ("menu_news", "1"),
                ("menu_directory", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    fresh_menu(&app, &all).await;
    let form = app.get_as(&admin, "/admin/indstillinger").await;
    assert_eq!(form.count("input#menu_news[checked]"), 1);
    assert_eq!(form.count("input#menu_directory[checked]"), 1);
    app.stop().await;
}
