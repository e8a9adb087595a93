//! Blocks in bodies over real HTTP: fold-outs, fact boxes and contact
//! persons placed in the text, saved through the API and the admin, shown on
//! the public page, found by search, refused with Danish messages when
//! broken, kept current when a contact person changes, and inert with
//! hostile titles.

use reqwest::StatusCode;
use serde_json::json;

use crate::hostile::{assert_inert, payloads};
use crate::support::{Page, TestApp};

/// Saves a published article with `body` through the API; its page's path.
async fn article(app: &TestApp, token: &str, title: &str, body: &str) -> String {
    let answer = app
        .api(
            "POST",
            "/api/v1/news",
            Some(token),
            Some(&json!({"title": title, "body": body, "status": "published"}).to_string()),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    format!("/nyheder/{}", answer.json()["slug"].as_str().expect("slug"))
}

pub fn body_with_blocks(contact: i64) -> String {
    format!(
        "Storskrald hentes ved døren.\n\n\
         ::: foldeud Hvem kan få hentet storskrald?\n\
         Alle husstande med **affaldsbeholder**. Ordet skraldespandsløft står kun her.\n\n\
         ::: kontakt {contact}\n\
         :::\n\n\
         ::: faktaboks Fakta om storskrald\n\
         - Hentes hver anden uge\n\
         :::\n"
    )
}

#[tokio::test]
async fn blocks_in_a_body_are_shown_and_searched() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let contact = app
        .contact(
            "Jens Krog",
            "affaldschef",
            "jk@vesterfjord.example",
            "86 12 34 56",
        )
        .await;
    let path = article(&app, &token, "Storskrald", &body_with_blocks(contact.id)).await;
    let page = app.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attrs("details.foldeud", "id"),
        ["foldeud-hvem-kan-faa-hentet-storskrald"]
    );
    assert_eq!(
        page.texts("details.foldeud > summary"),
        ["Hvem kan få hentet storskrald?"]
    );
    assert_eq!(page.count("details.foldeud[open]"), 0, "closed until asked");
    assert_eq!(page.count("details.foldeud strong"), 1);
    // The contact person inside the fold-out, as under an article.
    assert_eq!(
        page.texts("details.foldeud address.kontakt .contact__name"),
        ["Jens Krog, affaldschef"]
    );
    assert_eq!(
        page.attrs("address.kontakt a", "href"),
        ["mailto:jk@vesterfjord.example", "tel:+4586123456"]
    );
    // The fact box: a section named by its heading.
    let label = page.attrs("section.faktaboks", "aria-labelledby");
    assert_eq!(label.len(), 1);
    assert_eq!(
        page.texts(&format!("section.faktaboks #{}", label[0])),
        ["Fakta om storskrald"]
    );
    assert_eq!(
        page.texts("section.faktaboks li"),
        ["Hentes hver anden uge"]
    );
    // The script that opens a fold-out named by the address's fragment.
    assert!(
        page.attrs("script[src]", "src")
            .iter()
            .any(|s| s.starts_with("/static/foldeud.")),
        "{}",
        page.body
    );
    assert_inert(&page.body, &path);

    // Search reads the words inside blocks, and not the block lines.
    app.settled().await;
    let found = app.get("/soeg?q=skraldespandsløft").await;
    assert_eq!(found.texts(".search-hit__title"), ["Storskrald"]);
    let found = app.get("/soeg?q=faktaboks").await;
    assert_eq!(found.count(".search-hit__title"), 0, "{}", found.body);
    app.stop().await;
}

#[tokio::test]
async fn broken_blocks_and_unknown_contacts_are_refused_in_danish() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let session = app.editor().await;
    for (body, says) in [
        ("::: kontakt 999", "Kontaktperson nummer 999 findes ikke"),
        (
            "Tekst\n::: foldeud Åben\nindhold",
            "Linje 2: Foldeud-afsnittet er ikke lukket",
        ),
        (
            "::: foldud Stavefejl\n:::",
            "Linje 1: »::: foldud Stavefejl« er ikke en blok",
        ),
        (
            "::: foldeud A\n::: faktaboks B\n:::\n:::",
            "Linje 2: En faktaboks kan ikke ligge",
        ),
    ] {
        let answer = app
            .api(
                "POST",
                "/api/v1/news",
                Some(&token),
                Some(&json!({"title": "Blokke", "body": body}).to_string()),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            answer.body
        );
        assert_eq!(answer.json()["field"], "body");
        assert!(
            answer.json()["error"]
                .as_str()
                .is_some_and(|e| e.starts_with(says)),
            "{body}: {}",
            answer.body
        );
        // The admin form says the same at the field, and keeps the text.
        let page = app
            .post_as(
                &session,
                "/admin/nyheder/ny",
                &[
                    ("title", "Blokke"),
                    ("body", body),
                    ("status", "draft"),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            page.texts("#body-fejl").iter().any(|t| t.starts_with(says)),
            "{body}: {:?}",
            page.texts("#body-fejl")
        );
        assert_eq!(
            page.texts("textarea#body"),
            [body.split_whitespace().collect::<Vec<_>>().join(" ")]
        );
        // So does the live preview.
        let preview = app
            .post_as(&session, "/admin/markdown", &[("body", body)])
            .await;
        assert_eq!(preview.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(preview.body.contains(says), "{}", preview.body);
    }
    // A good body previews as the public page shows it.
    let contact = app
        .contact(
            "Jens Krog",
            "affaldschef",
            "jk@vesterfjord.example",
            "86 12 34 56",
        )
        .await;
    let preview = app
        .post_as(
            &session,
            "/admin/markdown",
            &[("body", &body_with_blocks(contact.id))],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(
        preview
            .body
            .contains("<summary>Hvem kan få hentet storskrald?</summary>")
    );
    assert!(preview.body.contains("Jens Krog, affaldschef"));
    // The editor helps with the syntax, and lists the numbers.
    let form = app.get_as(&session, "/admin/nyheder/ny").await;
    assert!(
        form.body.contains("::: foldeud Hvem kan søge?"),
        "help text"
    );
    assert!(
        form.texts("#block-contact option")
            .iter()
            .any(|o| o.ends_with(&format!("::: kontakt {}", contact.id)))
    );
    let list = app.get_as(&session, "/admin/kontaktpersoner").await;
    assert!(list.body.contains(&format!("::: kontakt {}", contact.id)));
    app.stop().await;
}

/// GETs `path` as the public and says whether it came from the cache.
async fn fetch(app: &TestApp, path: &str) -> (bool, Page) {
    let page = app.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    (page.header("x-cache") == Some("hit"), page)
}

#[tokio::test]
async fn a_contact_change_reaches_every_text_placing_them() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let session = app.editor().await;
    let contact = app
        .contact(
            "Jens Krog",
            "vejchef",
            "jk@vesterfjord.example",
            "86 12 34 56",
        )
        .await;
    let naming = article(
        &app,
        &token,
        "Vejarbejde",
        &format!("Spørgsmål?\n\n::: kontakt {}\n", contact.id),
    )
    .await;
    let other = article(
        &app,
        &token,
        "Åbningstider",
        "::: foldeud Lørdag\nLukket.\n:::",
    )
    .await;
    app.settled().await;
    for path in [&naming, &other] {
        app.get(path).await;
        assert!(fetch(&app, path).await.0, "{path} is cached");
    }

    let saved = app
        .post_as(
            &session,
            &format!("/admin/kontaktpersoner/{}", contact.id),
            &[
                ("name", "Jens Krog Madsen"),
                ("job_title", "vejchef"),
                ("email", "jkm@vesterfjord.example"),
                ("phone", "86 12 34 56"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (hit, page) = fetch(&app, &naming).await;
    assert!(!hit, "the page placing them is dropped from the cache");
    assert_eq!(
        page.texts("address.kontakt .contact__name"),
        ["Jens Krog Madsen, vejchef"]
    );
    assert_eq!(
        page.attrs("address.kontakt a", "href")[0],
        "mailto:jkm@vesterfjord.example"
    );
    assert!(fetch(&app, &other).await.0, "a page not placing them stays");
    // Stored as rendered again (not rendered per request).
    let stored = app
        .store
        .public_news(
            app.site,
            naming.trim_start_matches("/nyheder/"),
            jiff::Timestamp::now(),
        )
        .await
        .expect("read")
        .expect("article");
    assert!(
        stored
            .body_html
            .is_some_and(|h| h.contains("Jens Krog Madsen")),
        "stored HTML is current"
    );

    // Placed in a text, the person cannot be deleted.
    let refused = app
        .post_as(
            &session,
            &format!("/admin/kontaktpersoner/{}/slet", contact.id),
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("Vejarbejde"), "{}", refused.body);
    let answer = app
        .api(
            "DELETE",
            &format!("/api/v1/contacts/{}", contact.id),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
    app.stop().await;
}

#[tokio::test]
async fn hostile_titles_and_contacts_in_blocks_run_nowhere() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let mut paths = Vec::new();
    for (i, p) in payloads().iter().enumerate().step_by(3) {
        // A payload spanning lines would end the block line: use its first.
        let line = p.lines().next().unwrap_or_default();
        let contact = app
            .api(
                "POST",
                "/api/v1/contacts",
                Some(&token),
                Some(&json!({"name": p, "job_title": p, "email": format!("k{i}@vesterfjord.example")}).to_string()),
            )
            .await;
        assert_eq!(contact.status, StatusCode::CREATED, "{p}: {}", contact.body);
        let id = contact.json()["id"].as_i64().expect("id");
        let body = format!(
            "::: foldeud {line}\n{p}\n\n::: kontakt {id}\n:::\n\n::: faktaboks {line}\n{p}\n:::\n\n::: faktaboks\n[x]({line})\n:::"
        );
        let answer = app
            .api(
                "POST",
                "/api/v1/news",
                Some(&token),
                Some(
                    &json!({"title": format!("Blok {i}"), "body": body, "status": "published"})
                        .to_string(),
                ),
            )
            .await;
        match answer.status {
            StatusCode::CREATED => paths.push(format!(
                "/nyheder/{}",
                answer.json()["slug"].as_str().expect("slug")
            )),
            // A payload that breaks the blocks' rules (a line of its own
            // starting with :::) is refused at the body.
            StatusCode::UNPROCESSABLE_ENTITY => assert_eq!(answer.json()["field"], "body", "{p}"),
            other => panic!("{p:?}: {other} {}", answer.body),
        }
    }
    assert!(paths.len() > 20, "only {} saved", paths.len());
    for path in &paths {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_inert(&page.body, path);
        assert_eq!(page.count("details.foldeud > summary"), 1, "{path}");
        assert_eq!(page.count("section.faktaboks"), 2, "{path}");
        assert_eq!(page.count("address.kontakt"), 1, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn pages_place_contacts_in_their_text_as_news_do() {
    let app = TestApp::spawn().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let contact = app
        .contact(
            "Jens Krog",
            "vejchef",
            "jk@vesterfjord.example",
            "86 12 34 56",
        )
        .await;
    let body = format!("::: foldeud Kontakt\n::: kontakt {}\n:::", contact.id);
    let page = app
        .page_with(
            None,
            raadhus_domain::page::PageForm {
                body: &body,
                ..crate::page_support::page_form("Veje")
            },
        )
        .await;
    let shown = |p: &raadhus_domain::page::WebPage| p.body_html.clone().unwrap_or_default();
    assert!(
        shown(&page).contains("Jens Krog, vejchef"),
        "{}",
        shown(&page)
    );
    let changed = app
        .api(
            "PUT",
            &format!("/api/v1/contacts/{}", contact.id),
            Some(&token),
            Some(&json!({"name": "Jens Krog Madsen", "job_title": "vejchef"}).to_string()),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let page = app
        .store
        .page_by_id(app.site, page.id)
        .await
        .expect("read")
        .expect("page");
    assert!(
        shown(&page).contains("Jens Krog Madsen, vejchef"),
        "stored HTML is current: {}",
        shown(&page)
    );
    let refused = app
        .api(
            "DELETE",
            &format!("/api/v1/contacts/{}", contact.id),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("Veje"), "{}", refused.body);
    // An unknown contact in a page's text is refused as in an article's.
    let draft = raadhus_domain::page::PageDraft::new(
        raadhus_domain::page::PageForm {
            body: "::: kontakt 999",
            top_level: true,
            ..crate::page_support::page_form("Ukendt")
        },
        Vec::new(),
    )
    .expect("valid page");
    let refused = app
        .usecases()
        .create_page(
            app.site,
            &raadhus_usecases::Actor::cli(),
            raadhus_domain::page::Placement {
                parent_id: None,
                position: None,
            },
            draft,
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(&refused, raadhus_usecases::Error::Invalid(e) if e.errors()[0].field == "body"),
        "{refused:?}"
    );
    app.stop().await;
}
