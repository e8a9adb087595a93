//! Links of a saved body to the site's own news, pages and files that lead
//! nowhere: the API's save answers list them as `warnings`, the admin shows
//! them after a save, and an old address is told apart from a missing one.
//! (A `media:ID` of a file that does not exist is refused, not warned of.)

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Page, TestApp};

async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Value {
    let page = app
        .api(method, path, Some(token), Some(&body.to_string()))
        .await;
    assert!(page.status.is_success(), "{}", page.body);
    page.json()
}

/// A site with an API token and the published page "Borger" (`/borger`).
async fn site_with_borger() -> (TestApp, String, Value) {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let borger = call(
        &app,
        &token,
        "POST",
        "/api/v1/pages",
        json!({"title": "Borger", "body": "", "status": "published"}),
    )
    .await;
    assert_eq!(warned(&borger), Vec::<String>::new());
    (app, token, borger)
}

/// Creates a published article titled `title`.
async fn published_news(app: &TestApp, token: &str, title: &str) -> Value {
    let body = json!({"title": title, "body": "Tekst.", "status": "published"});
    call(app, token, "POST", "/api/v1/news", body).await
}

/// The links a save answer warns about, in order.
fn warned(answer: &Value) -> Vec<String> {
    answer["warnings"]
        .as_array()
        .unwrap_or_else(|| panic!("no warnings in {answer}"))
        .iter()
        .map(|w| {
            assert!(!w["message"].as_str().unwrap().is_empty());
            w["url"].as_str().unwrap().to_string()
        })
        .collect()
}

#[tokio::test]
async fn api_saves_warn_of_links_to_news_pages_and_files_that_do_not_exist() {
    let (app, token, borger) = site_with_borger().await;
    let image = app.uploaded_image(&token, 64, 48).await["id"]
        .as_i64()
        .unwrap();
    published_news(&app, &token, "Ny skole").await;

    let absolute = app.url("/nyheder/heller-ikke");
    let body = format!(
        "[findes](/nyheder/ny-skole) [mangler](/nyheder/findes-ikke) [side](/borger/) \
         [ingen side](/borger/findes-ikke) [relativ](gammel-nyhed) [billede](media:{image}) \
         [ingen pdf](/medier/9998/abc/plan.pdf) [helt]({absolute}) \
         [andet sted](https://andet.example/nyheder/x) [søg](/soeg?q=affald) [afsnit](#top)"
    );
    let created = call(
        &app,
        &token,
        "POST",
        "/api/v1/news",
        json!({"title": "Links", "body": body, "status": "draft"}),
    )
    .await;
    assert_eq!(
        warned(&created),
        [
            "/nyheder/findes-ikke",
            "/borger/findes-ikke",
            "gammel-nyhed",
            "/medier/9998/abc/plan.pdf",
            absolute.as_str(),
        ]
    );
    assert!(
        created["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("ingen nyhed")
    );
    // Warned, and saved all the same.
    let id = created["id"].as_i64().unwrap();
    let stored = app
        .api("GET", &format!("/api/v1/news/{id}"), Some(&token), None)
        .await
        .json();
    assert_eq!(stored["body"], body);
    assert!(stored.get("warnings").is_none(), "{stored}");

    // Fixed, the warnings go; a link to the article itself is fine.
    let fixed = call(
        &app,
        &token,
        "PUT",
        &format!("/api/v1/news/{id}"),
        json!({"title": "Links", "body": "[mig](/nyheder/links) [skolen](ny-skole)", "version": 1}),
    )
    .await;
    assert_eq!(warned(&fixed), Vec::<String>::new());
    assert_eq!(fixed["version"], 2);

    // A page warns of its links as well, read from where the page is.
    let affald = call(
        &app,
        &token,
        "POST",
        "/api/v1/pages",
        json!({"title": "Affald", "body": "[søster](genbrug) [forælder](../borger)",
               "parent_id": borger["id"], "status": "published"}),
    )
    .await;
    assert_eq!(warned(&affald), ["genbrug"]);
}

#[tokio::test]
async fn a_link_to_an_old_address_is_told_apart_and_a_binned_article_is_missing() {
    let (app, token, page) = site_with_borger().await;
    let article = published_news(&app, &token, "Vejarbejde").await;
    call(
        &app,
        &token,
        "PUT",
        &format!("/api/v1/pages/{}", page["id"]),
        json!({"title": "Borger", "body": "", "slug": "borgere", "status": "published", "version": 1}),
    )
    .await;
    let deleted = app
        .api(
            "DELETE",
            &format!("/api/v1/news/{}", article["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let saved = call(
        &app,
        &token,
        "POST",
        "/api/v1/news",
        json!({"title": "Links", "body": "[gammel](/borger) [ny](/borgere) [væk](/nyheder/vejarbejde)"}),
    )
    .await;
    assert_eq!(warned(&saved), ["/borger", "/nyheder/vejarbejde"]);
    let messages: Vec<&str> = saved["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].contains("gammel adresse"), "{messages:?}");
    assert!(messages[1].contains("findes ingen nyhed"), "{messages:?}");
}

/// The links warned of on the form a save led to.
async fn shown_after(
    app: &TestApp,
    session: &crate::support::Session,
    saved: &Page,
) -> Vec<String> {
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let form = app.get_as(session, saved.header("location").unwrap()).await;
    assert_eq!(form.status, StatusCode::OK);
    form.texts(".notice--links li code")
}

#[tokio::test]
async fn the_admin_shows_the_warnings_after_a_save() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let news = |body: &'static str| {
        vec![
            ("action", "save"),
            ("title", "Ny cykelsti"),
            ("body", body),
            ("status", "draft"),
        ]
    };
    let saved = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &news("[sti](/nyheder/mangler)"),
        )
        .await;
    assert_eq!(
        shown_after(&app, &session, &saved).await,
        ["/nyheder/mangler"]
    );
    let location = saved.header("location").unwrap().to_string();
    let edit = location.split('?').next().unwrap();
    // Opened again later, not after a save, the form warns of nothing.
    assert_eq!(app.get_as(&session, edit).await.count(".notice--links"), 0);
    let mut fixed = news("[sti](/nyheder/ny-cykelsti)");
    fixed.push(("version", "1"));
    let saved = app.post_as(&session, edit, &fixed).await;
    assert_eq!(
        shown_after(&app, &session, &saved).await,
        Vec::<String>::new()
    );

    let page = app
        .post_as(
            &session,
            "/admin/sider/ny",
            &[
                ("action", "save"),
                ("title", "Kultur"),
                ("slug", ""),
                ("lead", ""),
                (
                    "body",
                    "[museum](/kultur/museum) [nyhed](/nyheder/ny-cykelsti)",
                ),
                ("status", "draft"),
                ("publish_at", ""),
                ("unpublish_at", ""),
                ("parent_id", ""),
                ("placering", ""),
            ],
        )
        .await;
    assert_eq!(shown_after(&app, &session, &page).await, ["/kultur/museum"]);
}
