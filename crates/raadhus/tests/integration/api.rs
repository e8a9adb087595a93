//! The JSON API over real HTTP: tokens, every call, every error status.

use raadhus_usecases::Actor;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn publishing_through_the_api_puts_the_article_on_the_site() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let existing = app
        .contact(
            "Anne Holm",
            "borgmester",
            "ah@vesterfjord.example",
            "27852451",
        )
        .await;
    let body = json!({
        "title": "Ny legeplads i Egelund",
        "lead": "Børnene har været med til at tegne den.",
        "body": "Første afsnit.\n\n- gynger\n- rutsjebane",
        "news_date": "2017-12-18",
        "status": "published",
        "contacts": [{"id": existing.id}, {"name": "Bo Lund", "job_title": "vejchef", "email": "bl@vesterfjord.example", "phone": "24 91 24 36"}]
    });
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let article = created.json();
    let id = article["id"].as_i64().unwrap();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/news/{id}").as_str())
    );
    assert_eq!(article["slug"], "ny-legeplads-i-egelund");
    assert_eq!(article["url"], app.url("/nyheder/ny-legeplads-i-egelund"));
    assert_eq!(article["version"], 1);
    assert_eq!(article["status"], "published");
    assert_eq!(article["contacts"][1]["phone"], "+4524912436");

    let page = app.get("/nyheder/ny-legeplads-i-egelund").await;
    assert_eq!(page.texts("h1"), ["Ny legeplads i Egelund"]);
    assert_eq!(
        page.texts(".contact__name"),
        ["Anne Holm, borgmester", "Bo Lund, vejchef"]
    );
    assert_eq!(page.texts(".article__date"), ["Nyhedsdato: 18.12.2017"]);

    // Public reads need no token.
    let list = app.api("GET", "/api/v1/news", None, None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["total"], 1);
    assert_eq!(list.json()["items"][0]["title"], "Ny legeplads i Egelund");
    assert_eq!(
        app.api("GET", &format!("/api/v1/news/{id}"), None, None)
            .await
            .json()["title"],
        "Ny legeplads i Egelund"
    );
    app.stop().await;
}

#[tokio::test]
async fn drafts_are_only_visible_with_a_token() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let draft = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(r#"{"title": "Kladde", "body": "x"}"#),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED);
    let id = draft.json()["id"].as_i64().unwrap();
    assert_eq!(draft.json()["status"], "draft");
    assert_eq!(
        app.api("GET", "/api/v1/news", None, None).await.json()["total"],
        0
    );
    assert_eq!(
        app.api("GET", "/api/v1/news", Some(&token), None)
            .await
            .json()["total"],
        1
    );
    assert_eq!(
        app.api("GET", &format!("/api/v1/news/{id}"), None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api("GET", &format!("/api/v1/news/{id}"), Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn updates_need_the_current_version_and_keep_revisions() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(r#"{"title": "Første udgave", "body": "x", "status": "published"}"#),
        )
        .await
        .json();
    let path = format!("/api/v1/news/{}", created["id"]);
    let update = |title: &str, version: i64| {
        json!({"title": title, "body": "y", "status": "published", "version": version}).to_string()
    };
    let ok = app
        .api("PUT", &path, Some(&token), Some(&update("Anden udgave", 1)))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["version"], 2);
    let stale = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&update("Forældet udgave", 1)),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.json()["field"], "version");
    let missing = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(r#"{"title": "Uden version", "body": "y"}"#),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.api("GET", &path, Some(&token), None).await.json()["title"],
        "Anden udgave"
    );
    let revisions = app
        .api("GET", &format!("{path}/revisions"), Some(&token), None)
        .await;
    assert_eq!(revisions.status, StatusCode::OK);
    let revisions = revisions.json();
    let titles: Vec<&str> = revisions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Anden udgave", "Første udgave"]);
    // DELETE moves it to the bin.
    assert_eq!(
        app.api("DELETE", &path, Some(&token), None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.api("GET", &path, Some(&token), None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.store.binned_news(app.site).await.unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn every_error_has_its_status_and_a_json_message() {
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        max_body_bytes: Some("2048".into()),
        ..Default::default()
    })
    .await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let t = Some(token.as_str());
    /// (method, path, token, body, expected status, expected field)
    type Case<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<String>,
        StatusCode,
        Option<&'a str>,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "POST",
            "/api/v1/news",
            None,
            Some(r#"{"title":"x","body":"y"}"#.into()),
            StatusCode::UNAUTHORIZED,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            Some("forkert"),
            Some(r#"{"title":"x","body":"y"}"#.into()),
            StatusCode::UNAUTHORIZED,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some("{ikke json".into()),
            StatusCode::BAD_REQUEST,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x","body":"y","farve":"rød"}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x"}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"","body":"y"}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("title"),
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x","body":"y","news_date":"31.02.2026"}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("news_date"),
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x","body":"y","status":"scheduled"}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("publish_at"),
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x","body":"y","contacts":[{"id":999}]}"#.into()),
            StatusCode::CONFLICT,
            None,
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(r#"{"title":"x","body":"y","contacts":[{"name":"Bo"},{"name":"Bo"}]}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("contacts"),
        ),
        (
            "PUT",
            "/api/v1/news/abc",
            t,
            Some(r#"{"title":"x","body":"y","version":1}"#.into()),
            StatusCode::BAD_REQUEST,
            Some("id"),
        ),
        (
            "PATCH",
            "/api/v1/news",
            t,
            Some("{}".into()),
            StatusCode::METHOD_NOT_ALLOWED,
            None,
        ),
        (
            "POST",
            "/api/v1/topics",
            t,
            Some(format!(r#"{{"name":"Emne","slug":"{}"}}"#, " ".repeat(81))),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("slug"),
        ),
        (
            "POST",
            "/api/v1/sites",
            t,
            Some(r#"{"name":"Skole","url":"https://s.example/","topics":[1,1]}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("topics"),
        ),
        (
            "POST",
            "/api/v1/sites",
            t,
            Some(r#"{"name":"Skole","url":"https://s.example/","topics":[999]}"#.into()),
            StatusCode::CONFLICT,
            None,
        ),
        (
            "POST",
            "/api/v1/topics",
            t,
            Some(r#"{"name":"Emne","sort_order":-9223372036854775809}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("sort_order"),
        ),
        (
            "POST",
            "/api/v1/news",
            t,
            Some(format!(r#"{{"title":"x","body":"{}"}}"#, "a".repeat(4000))),
            StatusCode::PAYLOAD_TOO_LARGE,
            None,
        ),
        (
            "GET",
            "/api/v1/news/999",
            t,
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "GET",
            "/api/v1/findes-ikke",
            None,
            None,
            StatusCode::NOT_FOUND,
            None,
        ),
        (
            "GET",
            "/api/v1/news?page=0",
            None,
            None,
            StatusCode::BAD_REQUEST,
            Some("page"),
        ),
        (
            "GET",
            "/api/v1/contacts",
            None,
            None,
            StatusCode::UNAUTHORIZED,
            None,
        ),
        (
            "POST",
            "/api/v1/sites",
            t,
            Some(r#"{"name":"Ond","url":"javascript:alert(1)","topics":[]}"#.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("url"),
        ),
    ];
    for (method, path, token, body, status, field) in cases {
        let page = app.api(method, path, token, body.as_deref()).await;
        assert_eq!(
            page.status, status,
            "{method} {path} {body:?}: {}",
            page.body
        );
        let json = page.json();
        assert!(
            json["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{}",
            page.body
        );
        if let Some(field) = field {
            assert_eq!(json["field"], field, "{}", page.body);
        }
    }
    // Not JSON at all.
    let form = app
        .send_raw("POST", "/api/v1/news", &token, "text/plain", "title=x")
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(
        form.json()["error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    app.stop().await;
}

#[tokio::test]
async fn revoked_tokens_and_disabled_users_stop_at_once() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let body = r#"{"title":"x","body":"y"}"#;
    assert_eq!(
        app.api("POST", "/api/v1/news", Some(&token), Some(body))
            .await
            .status,
        StatusCode::CREATED
    );
    let tokens = app.store.api_tokens().await.unwrap();
    assert!(tokens[0].last_used_at.is_some());
    app.usecases()
        .revoke_token(&Actor::cli(), tokens[0].id)
        .await
        .unwrap();
    assert_eq!(
        app.api("POST", "/api/v1/news", Some(&token), Some(body))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let second = app.api_token("robot2@vesterfjord.example", "editor").await;
    assert_eq!(
        app.api("GET", "/api/v1/contacts", Some(&second), None)
            .await
            .status,
        StatusCode::OK
    );
    let (user, _) = app
        .store
        .user_by_email("robot2@vesterfjord.example")
        .await
        .unwrap()
        .unwrap();
    app.usecases()
        .disable_user(&Actor::cli(), user.id)
        .await
        .unwrap();
    assert_eq!(
        app.api("GET", "/api/v1/contacts", Some(&second), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

#[tokio::test]
async fn contacts_topics_and_sites_have_full_crud() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let t = Some(token.as_str());
    // Contacts.
    let c = app.api("POST", "/api/v1/contacts", t, Some(r#"{"name":"Anne Holm","job_title":"borgmester","email":"ah@x.dk","phone":"27852451"}"#)).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let cid = c.json()["id"].as_i64().unwrap();
    let bad = app
        .api(
            "POST",
            "/api/v1/contacts",
            t,
            Some(r#"{"name":"X","phone":"12"}"#),
        )
        .await;
    assert_eq!(
        (bad.status, bad.json()["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("phone"))
    );
    let put = app
        .api(
            "PUT",
            &format!("/api/v1/contacts/{cid}"),
            t,
            Some(r#"{"name":"Anne Holm-Berg"}"#),
        )
        .await;
    assert_eq!(put.json()["name"], "Anne Holm-Berg");
    assert_eq!(
        app.api("GET", "/api/v1/contacts", t, None).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // In use: not deleted.
    app.api(
        "POST",
        "/api/v1/news",
        t,
        Some(&json!({"title":"Med kontakt","body":"x","contacts":[{"id":cid}]}).to_string()),
    )
    .await;
    assert_eq!(
        app.api("DELETE", &format!("/api/v1/contacts/{cid}"), t, None)
            .await
            .status,
        StatusCode::CONFLICT
    );

    // Topics.
    let topic = app
        .api("POST", "/api/v1/topics", t, Some(r#"{"name":"Skoler"}"#))
        .await;
    assert_eq!(topic.status, StatusCode::CREATED);
    assert_eq!(topic.json()["slug"], "skoler");
    let tid = topic.json()["id"].as_i64().unwrap();
    let dup = app
        .api(
            "POST",
            "/api/v1/topics",
            t,
            Some(r#"{"name":"Skoler igen","slug":"skoler"}"#),
        )
        .await;
    assert_eq!(
        (dup.status, dup.json()["field"].as_str()),
        (StatusCode::CONFLICT, Some("slug"))
    );
    assert_eq!(
        app.api("GET", "/api/v1/topics", None, None).await.json()["items"][0]["name"],
        "Skoler"
    );

    // Sites (the directory's websites).
    let site = app
        .api("POST", "/api/v1/sites", t, Some(&json!({"name":"Egelund Skole","url":"https://egelund.example/","description":"Skolen","topics":[tid]}).to_string()))
        .await;
    assert_eq!(site.status, StatusCode::CREATED, "{}", site.body);
    let sid = site.json()["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/hjemmesider?hjemmeside={sid}"))
            .await
            .header("location"),
        Some("https://egelund.example/")
    );
    assert_eq!(
        app.api("DELETE", &format!("/api/v1/topics/{tid}"), t, None)
            .await
            .status,
        StatusCode::CONFLICT
    );
    let inactive = app
        .api("PUT", &format!("/api/v1/sites/{sid}"), t, Some(&json!({"name":"Egelund Skole","url":"https://egelund.example/","topics":[tid],"active":false}).to_string()))
        .await;
    assert_eq!(inactive.json()["active"], false);
    assert_eq!(
        app.api("GET", &format!("/api/v1/sites/{sid}"), None, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.api("DELETE", &format!("/api/v1/sites/{sid}"), t, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.api("DELETE", &format!("/api/v1/topics/{tid}"), t, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    app.stop().await;
}

#[tokio::test]
async fn markup_sent_through_the_api_never_reaches_a_page_unescaped() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let body = json!({"title": hostile, "slug": "farlig", "lead": hostile, "body": hostile, "status": "published",
                      "contacts": [{"name": hostile, "job_title": hostile}]});
    assert_eq!(
        app.api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&body.to_string())
        )
        .await
        .status,
        StatusCode::CREATED
    );
    for path in ["/nyheder/farlig", "/nyheder", "/"] {
        let page = app.get(path).await;
        assert_eq!(page.count("img"), 0, "{path}");
        assert_eq!(
            page.count(crate::support::EXECUTABLE_INLINE_SCRIPT),
            0,
            "{path}"
        );
    }
    assert_eq!(app.get("/nyheder/farlig").await.texts("h1"), [hostile]);
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn().await;
    let doc = app.api("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(doc.header("content-type"), Some("application/json"));
    let doc = doc.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, methods) in [
        ("/api/v1/search", &["get"][..]),
        ("/api/v1/news", &["get", "post"][..]),
        ("/api/v1/news/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/news/{id}/revisions", &["get"][..]),
        ("/api/v1/contacts", &["get", "post"][..]),
        ("/api/v1/contacts/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/topics", &["get", "post"][..]),
        ("/api/v1/topics/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/sites", &["get", "post"][..]),
        ("/api/v1/sites/{id}", &["get", "put", "delete"][..]),
    ] {
        for m in methods {
            assert!(
                doc["paths"][path][m].is_object(),
                "{m} {path} is not documented"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn integers_may_be_written_as_whole_numbers_with_a_fraction() {
    // JSON Schema counts 3.0 as the integer 3; so does the API.
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let topic = app
        .api(
            "POST",
            "/api/v1/topics",
            Some(&token),
            Some(r#"{"name":"Halve tal","sort_order":3.0}"#),
        )
        .await;
    assert_eq!(topic.status, StatusCode::CREATED, "{}", topic.body);
    assert_eq!(topic.json()["sort_order"], 3);
    let fraction = app
        .api(
            "POST",
            "/api/v1/topics",
            Some(&token),
            Some(r#"{"name":"Brøker","sort_order":3.5}"#),
        )
        .await;
    assert_eq!(fraction.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fraction.json()["field"], "sort_order");
    app.stop().await;
}

#[tokio::test]
async fn long_titles_that_make_the_same_slug_get_numbered_slugs() {
    // The slug is cut to 80 characters, and its `-2` cut shorter still.
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let body = format!(r#"{{"title":"{}","body":""}}"#, "0".repeat(200));
    let mut slugs = Vec::new();
    for _ in 0..3 {
        let created = app
            .api("POST", "/api/v1/news", Some(&token), Some(&body))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        slugs.push(created.json()["slug"].as_str().unwrap().to_string());
    }
    let zeros = "0".repeat(78);
    assert_eq!(
        slugs,
        ["0".repeat(80), format!("{zeros}-2"), format!("{zeros}-3")]
    );
    app.stop().await;
}
