//! The news editor (issue 16): a save after the session ended keeps the
//! text, each outcome says what happened, the save button says what it will
//! do, and the forms leave validation to the server.

use jiff::SignedDuration;
use raadhus_usecases::SESSION_HOURS;
use reqwest::StatusCode;
use scraper::Selector;

use crate::support::{LoginForm, Page, Session, TestApp, admin_cookie};

const PASSWORD: &str = "en god lang adgangskode";
const BODY: &str = "Teksten, der tog en time at skrive.\n\nAndet afsnit.";

/// The id in a `/admin/nyheder/{id}?gemt=1` redirect.
fn saved_id(page: &Page) -> i64 {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.header("location").unwrap_or_default();
    location
        .trim_start_matches("/admin/nyheder/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"))
}

/// The hidden fields of the sign-in form on `page`, but its token.
fn hidden_fields(page: &Page) -> Vec<(String, String)> {
    let html = page.html();
    let sel = Selector::parse("form[action='/admin/login'] input[type=hidden]").unwrap();
    html.select(&sel)
        .filter_map(|e| {
            let name = e.value().attr("name")?;
            let value = e.value().attr("value").unwrap_or_default();
            (name != "_login").then(|| (name.to_string(), value.to_string()))
        })
        .collect()
}

/// Signs in on the sign-in form `page` shows, keeping its hidden fields
/// (with `next` replaced if given).
async fn sign_in_on(app: &TestApp, page: &Page, next: Option<&str>) -> Page {
    let form = LoginForm {
        token: page.attrs("input[name=_login]", "value")[0].clone(),
        cookie: {
            let (name, value) = admin_cookie(page, "raadhus_login").expect("login cookie");
            format!("{name}={value}")
        },
    };
    let mut fields: Vec<(String, String)> = hidden_fields(page)
        .into_iter()
        .map(|(k, v)| match (k.as_str(), next) {
            ("next", Some(n)) => (k, n.to_string()),
            _ => (k, v),
        })
        .collect();
    fields.push(("email".into(), "redaktoer@vesterfjord.example".into()));
    fields.push(("password".into(), PASSWORD.into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.submit_login_fields(&form, &fields, &[]).await
}

#[tokio::test]
async fn a_save_after_the_session_ended_keeps_the_text_for_the_editor_to_save() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Vejarbejde"),
                ("body", "Kort."),
                ("status", "draft"),
            ],
        )
        .await,
    );
    let path = format!("/admin/nyheder/{id}");
    // The editor writes for longer than a session lasts, then presses "Gem".
    app.clock
        .advance(SignedDuration::from_hours(SESSION_HOURS + 1));
    let sent = [
        ("action", "save"),
        ("version", "1"),
        ("title", "Vejarbejde på Havnevej"),
        ("body", BODY),
        ("status", "draft"),
    ];
    let page = app.post_as(&session, &path, &sent).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.texts(".notice")[0].starts_with("Du blev logget ud – din tekst er bevaret."),
        "{}",
        page.body
    );
    assert_eq!(page.attrs("input[name='kept.body']", "value"), [BODY]);
    assert_eq!(page.attrs("input[name=next]", "value"), [path.as_str()]);
    // The old session's token and the button pressed are not carried.
    assert_eq!(
        page.count("input[name='kept._csrf'], input[name='kept.action']"),
        0
    );
    assert_eq!(app.store.revisions(app.site, id).await.unwrap().len(), 1);

    // Signing in again shows the form filled in, with the new session's
    // token; nothing is saved until the editor saves.
    let back = sign_in_on(&app, &page, None).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    let (name, cookie) = admin_cookie(&back, "raadhus_session").expect("signed in");
    assert_eq!(
        back.attrs("input[name=title]", "value"),
        ["Vejarbejde på Havnevej"]
    );
    assert!(back.body.contains("Teksten, der tog en time at skrive."));
    assert_eq!(back.attrs("input[name=version]", "value"), ["1"]);
    assert!(back.texts(".notice p")[0].starts_with("Du blev logget ud – din tekst er bevaret."));
    assert_eq!(back.attrs("form.editor", "action"), [path.as_str()]);
    let csrf = back.attrs("form.editor input[name=_csrf]", "value")[0].clone();
    assert_ne!(csrf, session.csrf);
    assert_eq!(app.store.revisions(app.site, id).await.unwrap().len(), 1);

    // The old token is refused with the new session; the new one saves.
    let renewed = Session {
        cookie: format!("{name}={cookie}"),
        csrf: session.csrf.clone(),
    };
    let forged = app.post_as(&renewed, &path, &sent).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let renewed = Session { csrf, ..renewed };
    assert_eq!(saved_id(&app.post_as(&renewed, &path, &sent).await), id);
    let article = app.store.news_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(article.content.body, BODY);
    assert_eq!(article.content.title, "Vejarbejde på Havnevej");
    app.stop().await;
}

#[tokio::test]
async fn a_new_article_sent_signed_out_comes_back_and_kept_text_goes_nowhere_else() {
    let app = TestApp::spawn().await;
    app.user("redaktoer@vesterfjord.example", "editor", PASSWORD)
        .await;
    // No session at all: as a form posted from another site looks too.
    let nobody = Session {
        cookie: String::new(),
        csrf: "gammel".into(),
    };
    let sent = [
        ("title", "Ny nyhed"),
        ("body", BODY),
        ("status", "published"),
    ];
    let page = app.post_as(&nobody, "/admin/nyheder/ny", &sent).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        page.attrs("input[name=next]", "value"),
        ["/admin/nyheder/ny"]
    );

    // The kept fields need the sign-in form's own token and cookie.
    let forged_form = LoginForm {
        token: page.attrs("input[name=_login]", "value")[0].clone(),
        cookie: String::new(),
    };
    let forged = app
        .submit_login_fields(&forged_form, &[("kept.title", "x")], &[])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Another address as `next` is not followed, and nothing is shown.
    let elsewhere = sign_in_on(&app, &page, Some("https://example.org/admin/nyheder/ny")).await;
    assert_eq!(elsewhere.status, StatusCode::SEE_OTHER);
    assert_eq!(elsewhere.header("location"), Some("/admin"));

    // Signing in shows the new article's form filled in, not saved.
    let back = sign_in_on(&app, &page, None).await;
    assert_eq!(back.status, StatusCode::OK);
    assert_eq!(back.attrs("form.editor", "action"), ["/admin/nyheder/ny"]);
    assert_eq!(back.attrs("input[name=title]", "value"), ["Ny nyhed"]);
    assert_eq!(
        back.attrs("input[name=status][checked]", "value"),
        ["published"]
    );
    let (rows, total) = app
        .store
        .news_rows(
            app.site,
            &Default::default(),
            jiff::Timestamp::now(),
            raadhus_store::Page {
                number: 1,
                size: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!((rows.len(), total), (0, 0));
    app.stop().await;
}

#[tokio::test]
async fn each_outcome_says_what_happened_with_a_link_or_an_undo() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let scheduled = [
        ("title", "Juletræet tændes"),
        ("body", "På torvet."),
        ("status", "scheduled"),
        ("publish_at", "2030-12-10T08:00"),
    ];
    let created = app.post_as(&session, "/admin/nyheder/ny", &scheduled).await;
    let id = saved_id(&created);
    let path = format!("/admin/nyheder/{id}");
    let notice = |page: &Page| page.texts(".notice p").first().cloned().unwrap_or_default();
    let edit = app
        .get_as(&session, created.header("location").unwrap())
        .await;
    assert_eq!(notice(&edit), "Planlagt til 10. dec. 2030 kl. 08.00");
    let panel = &edit.texts(".publish-panel .meta")[0];
    assert!(
        panel.starts_with("Status: Planlagt 10. dec. 2030 kl. 08.00 · version 1"),
        "{panel}"
    );

    // Published now ("Udgiv nu"; the publish time's field is hidden for
    // this choice but still sent): when, and a link to the public page.
    let now = [
        ("title", "Juletræet tændes"),
        ("body", "På torvet."),
        ("status", "published"),
        ("publish_at", "2030-12-10T08:00"),
        ("version", "1"),
    ];
    let published = app.post_as(&session, &path, &now).await;
    let edit = app
        .get_as(&session, published.header("location").unwrap())
        .await;
    let said = notice(&edit);
    assert!(
        said.starts_with("Udgivet ") && said.ends_with(" – Se nyheden"),
        "{said}"
    );
    assert!(!said.contains("2030"), "published now: {said}");
    assert_eq!(
        app.get("/nyheder/juletraeet-taendes").await.status,
        StatusCode::OK
    );
    assert_eq!(
        edit.attrs(".notice a", "href"),
        ["/nyheder/juletraeet-taendes"]
    );

    // Changed while public: said so, with the link.
    let changed: Vec<(&str, &str)> = now
        .iter()
        .map(|&(k, v)| match k {
            "body" => (k, "På torvet kl. 17."),
            "version" => (k, "2"),
            _ => (k, v),
        })
        .collect();
    let updated = app.post_as(&session, &path, &changed).await;
    assert_eq!(
        updated.header("location"),
        Some(format!("{path}?opdateret=1").as_str())
    );
    let edit = app.get_as(&session, &format!("{path}?opdateret=1")).await;
    assert_eq!(notice(&edit), "Ændringerne er udgivet – Se nyheden");

    // A version restored: which one, as which.
    let versions = app.get_as(&session, &format!("{path}/versioner")).await;
    let restore = versions.attrs("form[action$=gendan]", "action");
    let first = restore.last().unwrap();
    let restored = app.post_as(&session, first, &[("version", "3")]).await;
    let edit = app
        .get_as(&session, restored.header("location").unwrap())
        .await;
    assert_eq!(notice(&edit), "Version 1 er gendannet som version 4.");

    // Binned: the list says so, and undoes it.
    let binned = app.post_as(&session, &format!("{path}/slet"), &[]).await;
    let list = app
        .get_as(&session, binned.header("location").unwrap())
        .await;
    assert_eq!(
        notice(&list),
        "»Juletræet tændes« er flyttet til papirkurven."
    );
    let undo = list.attrs(".notice form", "action");
    assert_eq!(undo, [format!("/admin/papirkurv/{id}/gendan")]);
    let back = app.post_as(&session, &undo[0], &[]).await;
    assert_eq!(
        back.header("location"),
        Some(format!("{path}?hentet=1").as_str())
    );
    let edit = app.get_as(&session, &format!("{path}?hentet=1")).await;
    assert!(notice(&edit).starts_with("Nyheden er hentet tilbage fra papirkurven."));
    app.stop().await;
}

#[tokio::test]
async fn the_save_button_names_each_state_and_admin_forms_leave_validation_to_the_server() {
    let app = TestApp::spawn().await;
    app.user("redaktoer@vesterfjord.example", "admin", PASSWORD)
        .await;
    let session = app.sign_in("redaktoer@vesterfjord.example", PASSWORD).await;
    let new = app.get_as(&session, "/admin/nyheder/ny").await;
    let labels = |page: &Page| page.texts("button[data-save] span");
    assert_eq!(labels(&new), ["Gem", "Gem kladde", "Planlæg", "Udgiv nu"]);
    // The sticky panel holds the publishing fields; the slug is "Avanceret".
    assert_eq!(new.texts(".publish-panel h2"), ["Udgivelse"]);
    assert_eq!(new.count(".publish-panel #news_date"), 1);
    assert_eq!(new.texts("details.advanced summary"), ["Avanceret"]);
    assert_eq!(new.count("details.advanced #slug"), 1);
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[("title", "Synlig"), ("body", "x"), ("status", "published")],
        )
        .await,
    );
    let public = app.get_as(&session, &format!("/admin/nyheder/{id}")).await;
    assert_eq!(labels(&public), ["Gem", "Gem kladde", "Planlæg", "Opdater"]);
    for path in [
        "/admin/nyheder/ny",
        "/admin/kontaktpersoner/ny",
        "/admin/emner/ny",
        "/admin/hjemmesider/ny",
        "/admin/brugere",
    ] {
        let page = app.get_as(&session, path).await;
        let forms = page.count("form.form");
        assert!(forms > 0, "{path}");
        assert_eq!(page.count("form.form[novalidate]"), forms, "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_link_picker_lists_news_and_websites_to_signed_in_editors_only() {
    let app = TestApp::spawn_with_demo().await;
    let signed_out = app.get("/admin/links?q=skole").await;
    assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
    let session = app.editor().await;
    saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Skolestart i kladde"),
                ("body", "x"),
                ("status", "draft"),
            ],
        )
        .await,
    );
    let found = app.get_as(&session, "/admin/links?q=skole").await;
    assert_eq!(found.status, StatusCode::OK);
    let links = found.json();
    let links = links.as_array().expect("a list");
    let draft = links
        .iter()
        .find(|l| l["title"] == "Skolestart i kladde")
        .expect("the draft is offered");
    assert_eq!(draft["kind"], "Nyhed");
    assert_eq!(draft["url"], "/nyheder/skolestart-i-kladde");
    assert_eq!(draft["note"], "kladde");
    assert!(
        links.iter().any(|l| l["kind"] == "Hjemmeside"
            && l["url"].as_str().is_some_and(|u| u.starts_with("http"))),
        "{links:?}"
    );
    // Websites by their name; news by their title, or found by the site
    // search (other forms of the word, compounds, its text): those are
    // public articles, the only ones the search holds.
    let titled = |l: &serde_json::Value| {
        l["title"]
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("skole"))
    };
    assert!(
        links.iter().all(|l| titled(l)
            || (l["kind"] == "Nyhed"
                && l["note"].is_null()
                && l["url"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("/nyheder/")))),
        "{links:?}"
    );
    assert!(
        links
            .iter()
            .filter(|l| l["kind"] == "Hjemmeside")
            .all(titled),
        "{links:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn kept_text_of_an_article_binned_meanwhile_is_offered_as_a_new_one() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Snart væk"),
                ("body", "Kort."),
                ("status", "draft"),
            ],
        )
        .await,
    );
    app.post_as(&session, "/admin/logout", &[]).await;
    let path = format!("/admin/nyheder/{id}");
    let sent = [("title", "Snart væk"), ("body", BODY), ("version", "1")];
    let page = app.post_as(&session, &path, &sent).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    app.usecases()
        .bin_news(app.site, &raadhus_usecases::Actor::cli(), id)
        .await
        .unwrap();
    let back = sign_in_on(&app, &page, None).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.attrs("form.editor", "action"), ["/admin/nyheder/ny"]);
    assert!(back.body.contains("Teksten, der tog en time at skrive."));
    assert!(back.texts(".notice p")[0].contains("flyttet til papirkurven imens"));
    app.stop().await;
}
