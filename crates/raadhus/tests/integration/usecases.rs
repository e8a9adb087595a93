//! The use cases through the real doors (the admin, the API): each change is
//! one transaction with its audit line, a refused change leaves nothing
//! behind, and what does not exist is a 404 wherever it is asked for.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{TestApp, join_all};

/// How many contact persons the API lists.
async fn contacts(app: &TestApp, token: &str) -> usize {
    let list = app.api("GET", "/api/v1/contacts", Some(token), None).await;
    list.json()["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_refused_save_creates_none_of_its_contact_persons() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&json!({"title": "Vejarbejde", "body": "Tekst"}).to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();

    // Twenty editors save the same version at once, each naming a new
    // contact person: one save wins, and only its new person is created.
    let mut saves = Vec::new();
    for i in 0..20 {
        let (app, token) = (&app, &token);
        saves.push(async move {
            let body = json!({
                "title": format!("Vejarbejde {i}"),
                "body": "Tekst",
                "version": 1,
                "contacts": [{"name": format!("Ny person {i}")}],
            });
            app.api(
                "PUT",
                &format!("/api/v1/news/{id}"),
                Some(token),
                Some(&body.to_string()),
            )
            .await
            .status
        });
    }
    let statuses = join_all(saves).await;
    let won = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((won, refused), (1, 19), "{statuses:?}");
    assert_eq!(contacts(&app, &token).await, 1);

    // A refused new article (an invalid field, a contact person that does
    // not exist) creates no contact person either.
    for (body, status) in [
        (
            json!({"title": "", "body": "x", "contacts": [{"name": "Eva Ny"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"title": "Gyldig", "body": "x", "contacts": [{"name": "Eva Ny"}, {"id": 99999}]}),
            StatusCode::CONFLICT,
        ),
    ] {
        let refused = app
            .api(
                "POST",
                "/api/v1/news",
                Some(&token),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(refused.status, status, "{}", refused.body);
    }
    assert_eq!(contacts(&app, &token).await, 1);
    // The winning save wrote one audit line for the article and one for its
    // new contact person; the refused ones wrote none.
    let log = app.store.audit_log(100).await.unwrap();
    let lines = |entity: &str, action: &str| {
        log.iter()
            .filter(|l| l.entity == entity && l.action == action)
            .count()
    };
    assert_eq!(lines("news", "create"), 1);
    assert_eq!(lines("news", "update"), 1);
    assert_eq!(lines("contact", "create"), 1);
    app.stop().await;
}

#[tokio::test]
async fn every_change_writes_one_audit_line_naming_who_and_what() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    // Through the admin: a topic created, changed and deleted.
    let created = app
        .post_as(
            &session,
            "/admin/emner/ny",
            &[("name", "Idræt"), ("slug", ""), ("sort_order", "1")],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let topic = app.store.topics(app.site).await.unwrap()[0].id;
    let path = format!("/admin/emner/{topic}");
    let fields = [
        ("name", "Idræt og fritid"),
        ("slug", ""),
        ("sort_order", "1"),
    ];
    assert_eq!(
        app.post_as(&session, &path, &fields).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_as(&session, &format!("{path}/slet"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Through the API: a contact person created and deleted.
    let contact = app
        .api(
            "POST",
            "/api/v1/contacts",
            Some(&token),
            Some(r#"{"name":"Bo Lund"}"#),
        )
        .await;
    let contact = contact.json()["id"].as_i64().unwrap();
    let deleted = app
        .api(
            "DELETE",
            &format!("/api/v1/contacts/{contact}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let log = app.store.audit_log(100).await.unwrap();
    let lines: Vec<(&str, &str, &str)> = log
        .iter()
        .filter(|l| l.entity != "user" && l.entity != "token")
        .map(|l| (l.entity.as_str(), l.action.as_str(), l.summary.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            ("contact", "delete", "Bo Lund via the API"),
            ("contact", "create", "Bo Lund via the API"),
            ("topic", "delete", "Idræt og fritid"),
            ("topic", "update", "Idræt og fritid"),
            ("topic", "create", "Idræt"),
        ]
    );
    assert!(
        log.iter()
            .filter(|l| l.entity == "topic")
            .all(|l| l.user_name.as_deref() == Some("Test Redaktør")),
        "each line names the editor"
    );
    app.stop().await;
}

#[tokio::test]
async fn what_does_not_exist_is_a_404_in_the_admin_and_the_api() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for base in [
        "/admin/kontaktpersoner",
        "/admin/emner",
        "/admin/hjemmesider",
        "/admin/nyheder",
    ] {
        let path = format!("{base}/99999");
        assert_eq!(
            app.get_as(&session, &path).await.status,
            StatusCode::NOT_FOUND,
            "GET {path}"
        );
        let saved = app
            .post_as(
                &session,
                &path,
                &[("name", "Findes ikke"), ("title", "Findes ikke")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::NOT_FOUND, "POST {path}");
        let deleted = app.post_as(&session, &format!("{path}/slet"), &[]).await;
        assert_eq!(deleted.status, StatusCode::NOT_FOUND, "POST {path}/slet");
    }
    let bodies = [
        ("contacts", r#"{"name":"Findes ikke"}"#),
        ("topics", r#"{"name":"Findes ikke"}"#),
        (
            "sites",
            r#"{"name":"Findes ikke","url":"https://x.example/","topics":[1]}"#,
        ),
        ("news", r#"{"title":"Findes ikke","body":"x","version":1}"#),
    ];
    for (kind, body) in bodies {
        let path = format!("/api/v1/{kind}/99999");
        for (method, body) in [("PUT", Some(body)), ("DELETE", None), ("GET", None)] {
            let answer = app.api(method, &path, Some(&token), body).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{method} {path}");
            assert_eq!(answer.json()["error"], "not found", "{method} {path}");
        }
    }
    app.stop().await;
}
