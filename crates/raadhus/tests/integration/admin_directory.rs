//! Contact persons, topics and directory websites managed in the admin.

use raadhus_domain::NewsForm;
use reqwest::StatusCode;

use crate::support::{TestApp, published};

fn redirected_to(page: &crate::support::Page, target: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.header("location"), Some(target));
}

#[tokio::test]
async fn contact_persons_are_validated_shared_and_protected_while_in_use() {
    let app = TestApp::spawn().await;
    let s = app.editor().await;
    let bad = app
        .post_as(
            &s,
            "/admin/kontaktpersoner/ny",
            &[
                ("name", "Anne Holm"),
                ("job_title", "borgmester"),
                ("email", "anne@"),
                ("phone", "123"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.texts("#email-fejl").is_empty());
    assert!(!bad.texts("#phone-fejl").is_empty());
    assert_eq!(bad.attrs("input#name", "value"), ["Anne Holm"]);
    assert_eq!(bad.attrs("input#email", "value"), ["anne@"]);
    let ok = app
        .post_as(
            &s,
            "/admin/kontaktpersoner/ny",
            &[
                ("name", "Anne Holm"),
                ("job_title", "borgmester"),
                ("email", "ah@vesterfjord.example"),
                ("phone", "27852451"),
            ],
        )
        .await;
    redirected_to(&ok, "/admin/kontaktpersoner?gemt=1");
    let list = app.get_as(&s, "/admin/kontaktpersoner?gemt=1").await;
    assert!(list.body.contains("Ændringerne er gemt."));
    assert!(list.texts("td").contains(&"27 85 24 51".to_string()));
    let edit_url = list.attrs("tbody a", "href")[0].clone();
    let id: i64 = edit_url.rsplit('/').next().unwrap().parse().unwrap();

    // Used on two articles; a change shows on both.
    for title in ["Første nyhed", "Anden nyhed"] {
        app.news(NewsForm {
            contact_ids: vec![id],
            ..published(title, "01.03.2026")
        })
        .await;
    }
    let changed = app
        .post_as(
            &s,
            &edit_url,
            &[
                ("name", "Anne Holm-Berg"),
                ("job_title", "borgmester"),
                ("email", "ah@vesterfjord.example"),
                ("phone", "27852451"),
            ],
        )
        .await;
    redirected_to(&changed, "/admin/kontaktpersoner?gemt=1");
    for slug in ["foerste-nyhed", "anden-nyhed"] {
        assert_eq!(
            app.get(&format!("/nyheder/{slug}"))
                .await
                .texts(".contact__name"),
            ["Anne Holm-Berg, borgmester"]
        );
    }
    // Not deleted while in use, and told why.
    let refused = app.post_as(&s, &format!("{edit_url}/slet"), &[]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let message = refused.texts(".error-summary").join(" ");
    assert!(
        message.contains("2 nyheder") && message.contains("Første nyhed"),
        "{message}"
    );
    assert!(app.store.contact(app.site, id).await.unwrap().is_some());
    // An unused one can go.
    let c = app
        .contact("Bo Lund", "vejchef", "bl@vesterfjord.example", "24912436")
        .await;
    redirected_to(
        &app.post_as(&s, &format!("/admin/kontaktpersoner/{}/slet", c.id), &[])
            .await,
        "/admin/kontaktpersoner?slettet=1",
    );
    assert!(app.store.contact(app.site, c.id).await.unwrap().is_none());
    app.stop().await;
}

#[tokio::test]
async fn topics_are_ordered_unique_and_not_deleted_silently() {
    let app = TestApp::spawn().await;
    let s = app.editor().await;
    for (name, order) in [("Skoler", "20"), ("Dagtilbud", "10")] {
        redirected_to(
            &app.post_as(
                &s,
                "/admin/emner/ny",
                &[("name", name), ("slug", ""), ("sort_order", order)],
            )
            .await,
            "/admin/emner?gemt=1",
        );
    }
    assert_eq!(
        app.get("/hjemmesider").await.texts("select#emne option"),
        ["Alle emner", "Dagtilbud", "Skoler"]
    );
    let taken = app
        .post_as(
            &s,
            "/admin/emner/ny",
            &[
                ("name", "Skoler igen"),
                ("slug", "skoler"),
                ("sort_order", "x"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.texts("#sort_order-fejl")[0].contains("helt tal"));
    let taken = app
        .post_as(
            &s,
            "/admin/emner/ny",
            &[
                ("name", "Skoler igen"),
                ("slug", "skoler"),
                ("sort_order", "5"),
            ],
        )
        .await;
    assert!(taken.texts("#slug-fejl")[0].contains("bruges allerede"));
    let topics = app.store.topics(app.site).await.unwrap();
    let schools = topics
        .iter()
        .find(|t| t.slug.as_str() == "skoler")
        .unwrap()
        .id
        .to_string();
    redirected_to(
        &app.post_as(
            &s,
            "/admin/hjemmesider/ny",
            &[
                ("name", "Egelund Skole"),
                ("url", "https://egelund.example/"),
                ("topics", &schools),
                ("active", "1"),
            ],
        )
        .await,
        "/admin/hjemmesider?gemt=1",
    );
    let refused = app
        .post_as(&s, &format!("/admin/emner/{schools}/slet"), &[])
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .texts(".error-summary")
            .join(" ")
            .contains("Egelund Skole")
    );
    assert_eq!(app.store.topics(app.site).await.unwrap().len(), 2);
    let daycare = topics
        .iter()
        .find(|t| t.slug.as_str() == "dagtilbud")
        .unwrap()
        .id;
    redirected_to(
        &app.post_as(&s, &format!("/admin/emner/{daycare}/slet"), &[])
            .await,
        "/admin/emner?slettet=1",
    );
    assert_eq!(app.store.topics(app.site).await.unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn websites_need_a_web_address_and_a_topic_and_can_be_made_inactive() {
    let app = TestApp::spawn().await;
    let s = app.editor().await;
    redirected_to(
        &app.post_as(&s, "/admin/emner/ny", &[("name", "Kultur")])
            .await,
        "/admin/emner?gemt=1",
    );
    let topic = app.store.topics(app.site).await.unwrap()[0].id.to_string();
    for bad_url in [
        "javascript:alert(1)",
        "bibliotek.example",
        "/intern",
        "data:text/html,x",
    ] {
        let page = app
            .post_as(
                &s,
                "/admin/hjemmesider/ny",
                &[
                    ("name", "Biblioteket"),
                    ("url", bad_url),
                    ("topics", &topic),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad_url}");
        assert!(page.texts("#url-fejl")[0].contains("https://"), "{bad_url}");
        assert_eq!(page.attrs("input#url", "value"), [bad_url]);
        assert_eq!(
            page.attrs("input[name=topics][checked]", "value"),
            [topic.as_str()]
        );
    }
    let no_topic = app
        .post_as(
            &s,
            "/admin/hjemmesider/ny",
            &[
                ("name", "Biblioteket"),
                ("url", "https://bibliotek.example/"),
            ],
        )
        .await;
    assert_eq!(no_topic.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_topic.texts("#topics-fejl"), ["Vælg mindst ét emne."]);
    redirected_to(
        &app.post_as(
            &s,
            "/admin/hjemmesider/ny",
            &[
                ("name", "Biblioteket"),
                ("url", "https://bibliotek.example/"),
                ("description", "Lån bøger"),
                ("topics", &topic),
                ("active", "1"),
            ],
        )
        .await,
        "/admin/hjemmesider?gemt=1",
    );
    let site = app.store.all_websites(app.site).await.unwrap()[0].clone();
    let go = app
        .get(&format!("/hjemmesider?hjemmeside={}", site.id))
        .await;
    assert_eq!(go.header("location"), Some("https://bibliotek.example/"));
    // Inactive: off the public directory, and no longer a redirect target.
    redirected_to(
        &app.post_as(
            &s,
            &format!("/admin/hjemmesider/{}", site.id),
            &[
                ("name", "Biblioteket"),
                ("url", "https://bibliotek.example/"),
                ("topics", &topic),
            ],
        )
        .await,
        "/admin/hjemmesider?gemt=1",
    );
    assert!(!app.get("/hjemmesider").await.body.contains("Biblioteket"));
    assert_eq!(
        app.get(&format!("/hjemmesider?hjemmeside={}", site.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        app.get_as(&s, "/admin/hjemmesider")
            .await
            .texts("td")
            .contains(&"Inaktiv".to_string())
    );
    redirected_to(
        &app.post_as(&s, &format!("/admin/hjemmesider/{}/slet", site.id), &[])
            .await,
        "/admin/hjemmesider?slettet=1",
    );
    assert!(app.store.all_websites(app.site).await.unwrap().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn websites_without_an_accessibility_statement_are_flagged() {
    let app = TestApp::spawn().await;
    let s = app.editor().await;
    redirected_to(
        &app.post_as(&s, "/admin/emner/ny", &[("name", "Skoler")])
            .await,
        "/admin/emner?gemt=1",
    );
    let topic = app.store.topics(app.site).await.unwrap()[0].id.to_string();
    let bad = app
        .post_as(
            &s,
            "/admin/hjemmesider/ny",
            &[
                ("name", "A"),
                ("url", "https://a.example/"),
                ("topics", &topic),
                ("statement_url", "ikke en adresse"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!bad.texts("#statement_url-fejl").is_empty());
    for (name, statement) in [
        ("Med erklæring", "https://www.was.digst.dk/a-example"),
        ("Uden erklæring", ""),
    ] {
        let page = app
            .post_as(
                &s,
                "/admin/hjemmesider/ny",
                &[
                    ("name", name),
                    ("url", "https://a.example/"),
                    ("topics", &topic),
                    ("active", "1"),
                    ("statement_url", statement),
                ],
            )
            .await;
        redirected_to(&page, "/admin/hjemmesider?gemt=1");
    }
    let list = app.get_as(&s, "/admin/hjemmesider").await;
    let rows: Vec<String> = list.texts("tbody tr");
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Med erklæring") && r.ends_with("Ja")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.starts_with("Uden erklæring") && r.ends_with("Mangler")),
        "{rows:?}"
    );
    let dashboard = app.get_as(&s, "/admin").await;
    let notices = dashboard.texts(".notice").join(" ");
    assert!(
        notices.contains("1 hjemmeside i oversigten mangler en tilgængelighedserklæring"),
        "{notices}"
    );
    assert!(
        notices.contains("Sitet har ingen tilgængelighedserklæring"),
        "{notices}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_admin_reminds_when_the_statement_is_a_year_old() {
    for (reviewed, reminded) in [("2020-01-15", true), ("", true), ("today", false)] {
        let reviewed = if reviewed == "today" {
            jiff::Timestamp::now().strftime("%Y-%m-%d").to_string()
        } else {
            reviewed.to_string()
        };
        let app = TestApp::spawn_with(raadhus::config::Layer {
            demo: Some(false),
            was_url: Some("https://www.was.digst.dk/vesterfjord-dk".into()),
            was_reviewed: Some(reviewed.clone()),
            ..Default::default()
        })
        .await;
        let s = app.editor().await;
        let notices = app.get_as(&s, "/admin").await.texts(".notice").join(" ");
        assert_eq!(
            notices.contains("tilgængelighedserklæringen")
                || notices.contains("Tilgængelighedserklæringen"),
            reminded,
            "{reviewed}: {notices}"
        );
        if reviewed == "2020-01-15" {
            assert!(notices.contains("15. jan. 2020"), "{notices}");
        }
        app.stop().await;
    }
}
