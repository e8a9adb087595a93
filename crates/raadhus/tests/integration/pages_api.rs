//! `/api/v1/pages` over real HTTP: create (201 with id, path, url, version),
//! the tree, get, change with 409 on a stale version, move (200 with the new
//! path), the bin, the rules of the tree as JSON errors, and the OpenAPI
//! document. And news: a published article keeps its slug through a new
//! title, and its old slug answers 301.

use serde_json::{Value, json};

use crate::support::{Page, TestApp};

async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Page {
    app.api(method, path, Some(token), Some(&body.to_string()))
        .await
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let page = call(app, token, "POST", "/api/v1/pages", body).await;
    assert_eq!(page.status, 201, "{}", page.body);
    page.json()
}

#[tokio::test]
async fn pages_are_created_in_a_tree_and_listed_in_its_order() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let borger = create(
        &app,
        &token,
        json!({"title": "Borger", "lead": "Alt om at bo her.", "body": "Tekst.", "parent_id": null, "status": "published"}),
    )
    .await;
    let id = borger["id"].as_i64().unwrap();
    assert_eq!(borger["path"], "/borger");
    assert_eq!(borger["url"], app.url("/borger"));
    assert_eq!(borger["version"], 1);
    let affald = create(
        &app,
        &token,
        json!({"title": "Affald og genbrug", "body": "", "parent_id": id, "slug": "affald", "status": "published"}),
    )
    .await;
    assert_eq!(affald["path"], "/borger/affald");
    assert_eq!(affald["parent_id"], id);
    let first = create(
        &app,
        &token,
        json!({"title": "Først", "body": "", "parent_id": id, "position": 0, "status": "draft"}),
    )
    .await;
    assert_eq!(first["position"], 0);
    let created = call(
        &app,
        &token,
        "POST",
        "/api/v1/pages",
        json!({"title": "Erhverv", "body": ""}),
    )
    .await;
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/pages/{}", created.json()["id"]).as_str())
    );

    let tree = app
        .api("GET", "/api/v1/pages", Some(&token), None)
        .await
        .json();
    let rows: Vec<(String, i64)> = tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().to_string(),
                i["depth"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("/borger".to_string(), 1),
            ("/borger/foerst".to_string(), 2),
            ("/borger/affald".to_string(), 2),
            ("/erhverv".to_string(), 1),
        ]
    );
    // Without a token: only what the public sees.
    let public = app.api("GET", "/api/v1/pages", None, None).await.json();
    let paths: Vec<&str> = public["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["/borger", "/borger/affald"]);
    let draft = first["id"].as_i64().unwrap();
    let hidden = app
        .api("GET", &format!("/api/v1/pages/{draft}"), None, None)
        .await;
    assert_eq!(hidden.status, 404);
    let shown = app
        .api("GET", &format!("/api/v1/pages/{id}"), None, None)
        .await;
    assert_eq!(shown.json()["lead"], "Alt om at bo her.");
}

#[tokio::test]
async fn a_change_names_its_version_and_a_stale_one_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let page = create(
        &app,
        &token,
        json!({"title": "Borger", "body": "Tekst.", "status": "published"}),
    )
    .await;
    let path = format!("/api/v1/pages/{}", page["id"]);
    let changed = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Borgerservice", "body": "Ny tekst.", "status": "published", "version": 1}),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let changed = changed.json();
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["path"], "/borger", "a new title keeps the address");
    let stale = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Noget", "body": "", "status": "published", "version": 1}),
    )
    .await;
    assert_eq!(stale.status, 409);
    assert_eq!(stale.json()["field"], "version");
    let missing = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Noget", "body": ""}),
    )
    .await;
    assert_eq!(missing.status, 422);
    let other = create(&app, &token, json!({"title": "Erhverv", "body": ""})).await;
    let moving = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Borger", "body": "", "version": 2, "parent_id": other["id"]}),
    )
    .await;
    assert_eq!(moving.status, 409);
    assert_eq!(moving.json()["field"], "parent_id");
    assert!(moving.json()["error"].as_str().unwrap().contains("/move"));
}

#[tokio::test]
async fn a_move_answers_with_the_new_path_and_keeps_to_the_rules() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let borger = create(
        &app,
        &token,
        json!({"title": "Borger", "body": "", "status": "published"}),
    )
    .await;
    let erhverv = create(
        &app,
        &token,
        json!({"title": "Erhverv", "body": "", "status": "published"}),
    )
    .await;
    let affald = create(
        &app,
        &token,
        json!({"title": "Affald", "body": "", "parent_id": borger["id"], "status": "published"}),
    )
    .await;
    let storskrald = create(
        &app,
        &token,
        json!({"title": "Storskrald", "body": "", "parent_id": affald["id"], "status": "published"}),
    )
    .await;
    let move_path = format!("/api/v1/pages/{}/move", affald["id"]);
    let moved = call(
        &app,
        &token,
        "POST",
        &move_path,
        json!({"parent_id": erhverv["id"], "position": 0}),
    )
    .await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json()["path"], "/erhverv/affald");
    assert_eq!(moved.json()["version"], 1);
    let below = app
        .api(
            "GET",
            &format!("/api/v1/pages/{}", storskrald["id"]),
            None,
            None,
        )
        .await;
    assert_eq!(below.json()["path"], "/erhverv/affald/storskrald");

    // Under itself: refused, in Danish, on the field.
    let cycle = call(
        &app,
        &token,
        "POST",
        &move_path,
        json!({"parent_id": storskrald["id"]}),
    )
    .await;
    assert_eq!(cycle.status, 409);
    assert!(
        cycle.json()["error"]
            .as_str()
            .unwrap()
            .contains("under sig selv")
    );
    // To the top, where "nyheder" is the site's own.
    let news = create(
        &app,
        &token,
        json!({"title": "Nyheder", "body": "", "parent_id": borger["id"], "slug": "nyheder"}),
    )
    .await;
    let to_top = call(
        &app,
        &token,
        "POST",
        &format!("/api/v1/pages/{}/move", news["id"]),
        json!({"parent_id": null}),
    )
    .await;
    assert_eq!(to_top.status, 422);
    assert_eq!(to_top.json()["field"], "slug");
    let reserved = call(
        &app,
        &token,
        "POST",
        "/api/v1/pages",
        json!({"title": "Admin", "body": "", "slug": "admin"}),
    )
    .await;
    assert_eq!(reserved.status, 422);
    assert!(
        reserved.json()["error"]
            .as_str()
            .unwrap()
            .contains("bruges af hjemmesiden selv")
    );
    let unknown = call(
        &app,
        &token,
        "POST",
        &move_path,
        json!({"parent_id": 999_999}),
    )
    .await;
    assert_eq!(unknown.status, 409);

    // The bin: a page with subpages waits for them.
    let with_children = app
        .api(
            "DELETE",
            &format!("/api/v1/pages/{}", affald["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(with_children.status, 409);
    assert!(
        with_children.json()["error"]
            .as_str()
            .unwrap()
            .contains("Storskrald")
    );
    let leaf = format!("/api/v1/pages/{}", storskrald["id"]);
    assert_eq!(
        app.api("DELETE", &leaf, Some(&token), None).await.status,
        204
    );
    assert_eq!(app.api("GET", &leaf, Some(&token), None).await.status, 404);
}

#[tokio::test]
async fn the_pages_are_in_the_openapi_document() {
    let app = TestApp::spawn().await;
    let doc = app.get("/api/v1/openapi.json").await.json();
    for (path, method) in [
        ("/api/v1/pages", "get"),
        ("/api/v1/pages", "post"),
        ("/api/v1/pages/{id}", "get"),
        ("/api/v1/pages/{id}", "put"),
        ("/api/v1/pages/{id}", "delete"),
        ("/api/v1/pages/{id}/move", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let change = &doc["components"]["schemas"]["PageChange"];
    assert!(
        change["required"]
            .as_array()
            .unwrap()
            .contains(&json!("version"))
    );
    let page = &doc["components"]["schemas"]["Page"]["properties"];
    for field in ["id", "path", "url", "version", "parent_id", "position"] {
        assert!(page[field].is_object(), "{field}");
    }
}

#[tokio::test]
async fn a_published_articles_old_slug_answers_301_and_a_new_title_keeps_it() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let created = call(
        &app,
        &token,
        "POST",
        "/api/v1/news",
        json!({"title": "Ny skole", "body": "Tekst.", "status": "published"}),
    )
    .await
    .json();
    let path = format!("/api/v1/news/{}", created["id"]);
    let retitled = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Ny skole i Vesterfjord", "body": "Tekst.", "status": "published", "version": 1}),
    )
    .await
    .json();
    assert_eq!(
        retitled["slug"], "ny-skole",
        "a new title keeps a published slug"
    );
    let renamed = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Ny skole i Vesterfjord", "slug": "skolen", "body": "Tekst.", "status": "published", "version": 2}),
    )
    .await
    .json();
    assert_eq!(renamed["slug"], "skolen");
    let old = app.get("/nyheder/ny-skole").await;
    assert_eq!(old.status, 301);
    assert_eq!(old.header("location"), Some("/nyheder/skolen"));
    let renamed_again = call(
        &app,
        &token,
        "PUT",
        &path,
        json!({"title": "Ny skole i Vesterfjord", "slug": "skolen-2026", "body": "Tekst.", "status": "published", "version": 3}),
    )
    .await;
    assert_eq!(renamed_again.status, 200);
    for old in ["/nyheder/ny-skole", "/nyheder/skolen"] {
        let answer = app.get(old).await;
        assert_eq!(answer.status, 301, "{old}");
        assert_eq!(
            answer.header("location"),
            Some("/nyheder/skolen-2026"),
            "one hop from {old}"
        );
    }
    assert_eq!(app.get("/nyheder/skolen-2026").await.status, 200);

    // A draft's slug follows its title, and had no address to keep.
    let draft = call(
        &app,
        &token,
        "POST",
        "/api/v1/news",
        json!({"title": "Udkast", "body": "", "status": "draft"}),
    )
    .await
    .json();
    let draft = call(
        &app,
        &token,
        "PUT",
        &format!("/api/v1/news/{}", draft["id"]),
        json!({"title": "Bedre udkast", "body": "", "status": "published", "version": 1}),
    )
    .await
    .json();
    assert_eq!(draft["slug"], "bedre-udkast");
    assert_eq!(app.get("/nyheder/udkast").await.status, 404);

    // Binned, the article's old addresses lead nowhere.
    app.api("DELETE", &path, Some(&token), None).await;
    assert_eq!(app.get("/nyheder/ny-skole").await.status, 404);
}
