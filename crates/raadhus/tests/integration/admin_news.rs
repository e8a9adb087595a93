//! Editing news in the admin: create, validate, preview, concurrency,
//! revisions and the bin, all through the real forms.

use jiff::{Timestamp, ToSpan};
use reqwest::StatusCode;

use crate::support::TestApp;

/// The id in a `/admin/nyheder/{id}?gemt=1` (or `?opdateret=1`) redirect.
fn saved_id(page: &crate::support::Page) -> i64 {
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "not saved: {}",
        page.body
    );
    let location = page.header("location").unwrap();
    location
        .trim_start_matches("/admin/nyheder/")
        .split('?')
        .next()
        .unwrap_or_default()
        .parse()
        .unwrap_or_else(|_| panic!("{location}"))
}

#[tokio::test]
async fn an_editor_publishes_an_article_with_two_contact_persons() {
    let app = TestApp::spawn().await;
    let anne = app
        .contact(
            "Anne Holm",
            "borgmester",
            "ah@vesterfjord.example",
            "27 85 24 51",
        )
        .await;
    let session = app.editor().await;
    let form = app.get_as(&session, "/admin/nyheder/ny").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("label[for=title]"), ["Overskrift"]);
    assert!(
        form.texts("select#contact-1 option")
            .contains(&"Anne Holm, borgmester".to_string())
    );
    let anne_id = anne.id.to_string();
    let page = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("action", "save"),
                ("title", "Ny cykelsti langs fjorden"),
                ("slug", ""),
                ("lead", "Byrådet har bevilget penge til stien."),
                ("body", "Første afsnit.\n\n- et\n- to\n- tre\n\n> Et citat"),
                ("news_date", "18.12.2017"),
                ("status", "published"),
                ("publish_at", ""),
                ("unpublish_at", ""),
                ("contact", &anne_id),
                ("contact", ""),
                ("new_name", "Bo Lund"),
                ("new_job_title", "vejchef"),
                ("new_email", "bl@vesterfjord.example"),
                ("new_phone", "24912436"),
            ],
        )
        .await;
    let id = saved_id(&page);
    let edit = app
        .get_as(&session, &format!("/admin/nyheder/{id}?gemt=1"))
        .await;
    assert!(edit.texts(".notice p")[0].starts_with("Udgivet "));
    assert_eq!(
        edit.attrs(".notice a", "href"),
        ["/nyheder/ny-cykelsti-langs-fjorden"]
    );
    assert_eq!(
        edit.attrs("input[name=slug]", "value"),
        ["ny-cykelsti-langs-fjorden"]
    );

    let public = app.get("/nyheder/ny-cykelsti-langs-fjorden").await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.texts("h1"), ["Ny cykelsti langs fjorden"]);
    assert_eq!(
        public.texts(".article__lead"),
        ["Byrådet har bevilget penge til stien."]
    );
    assert_eq!(public.texts(".article__body li"), ["et", "to", "tre"]);
    assert_eq!(public.texts(".article__body blockquote"), ["Et citat"]);
    assert_eq!(
        public.texts(".contact__name"),
        ["Anne Holm, borgmester", "Bo Lund, vejchef"]
    );
    assert_eq!(
        public.attrs(".contacts a[href^='tel:']", "href"),
        ["tel:+4527852451", "tel:+4524912436"]
    );
    assert_eq!(public.texts(".article__date"), ["Nyhedsdato: 18.12.2017"]);
    assert!(
        app.get("/nyheder")
            .await
            .body
            .contains("Ny cykelsti langs fjorden")
    );
    app.stop().await;
}

#[tokio::test]
async fn validation_errors_stand_next_to_their_fields_and_keep_the_text() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let page = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("action", "save"),
                ("title", "  "),
                ("body", "Min lange tekst, som ikke må gå tabt."),
                ("news_date", "31.02.2026"),
                ("status", "scheduled"),
                ("new_email", "ikke-en-mail"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.texts("#title-fejl"), ["Skriv en overskrift."]);
    assert!(page.texts("#news_date-fejl")[0].contains("dd.mm.åååå"));
    assert!(!page.texts("#publish_at-fejl").is_empty());
    assert!(!page.texts("#new_email-fejl").is_empty());
    assert!(!page.texts("#new_name-fejl").is_empty());
    assert_eq!(page.attrs("input#title", "aria-invalid"), ["true"]);
    assert_eq!(
        page.attrs("input#title", "aria-describedby"),
        ["title-fejl"]
    );
    assert_eq!(
        page.texts("textarea#body"),
        ["Min lange tekst, som ikke må gå tabt."]
    );
    assert_eq!(page.attrs("input#news_date", "value"), ["31.02.2026"]);
    assert_eq!(page.attrs("input#new_email", "value"), ["ikke-en-mail"]);
    assert_eq!(
        page.attrs("input[name=status][checked]", "value"),
        ["scheduled"]
    );
    assert!(page.texts(".error-summary a").len() >= 4);
    app.stop().await;
}

#[tokio::test]
async fn a_stale_save_is_refused_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let fields = |title: &'static str, version: &'static str| {
        vec![
            ("action", "save"),
            ("title", title),
            ("body", "Tekst"),
            ("status", "draft"),
            ("version", version),
        ]
    };
    let id = saved_id(
        &app.post_as(&session, "/admin/nyheder/ny", &fields("Udgave et", ""))
            .await,
    );
    let path = format!("/admin/nyheder/{id}");
    // Two editors open version 1; the first saves.
    saved_id(
        &app.post_as(&session, &path, &fields("Første redaktørs udgave", "1"))
            .await,
    );
    // The second one's save, based on version 1, is refused with their text kept.
    let refused = app
        .post_as(&session, &path, &fields("Anden redaktørs udgave", "1"))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .texts(".error-summary")
            .join(" ")
            .contains("en anden har gemt en nyere udgave")
    );
    assert_eq!(
        refused.attrs("input#title", "value"),
        ["Anden redaktørs udgave"]
    );
    let stored = app.store.news_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(
        (stored.content.title.as_str(), stored.version),
        ("Første redaktørs udgave", 2)
    );
    app.stop().await;
}

#[tokio::test]
async fn revisions_are_listed_compared_and_restored_as_a_new_revision() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let save = |title: &'static str, body: &'static str, version: &'static str| {
        vec![
            ("action", "save"),
            ("title", title),
            ("slug", "budget"),
            ("body", body),
            ("status", "published"),
            ("version", version),
        ]
    };
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &save("Budget 2027", "Linje et\nLinje to", ""),
        )
        .await,
    );
    let path = format!("/admin/nyheder/{id}");
    saved_id(
        &app.post_as(
            &session,
            &path,
            &save("Budget 2027 vedtaget", "Linje et\nLinje tre", "1"),
        )
        .await,
    );
    let list = app.get_as(&session, &format!("{path}/versioner")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.count("tbody tr"), 2);
    assert!(
        list.texts("tbody td")
            .contains(&"Test Redaktør".to_string())
    );
    let compare = list.attrs("a[href*=sammenlign]", "href");
    assert_eq!(compare.len(), 1);
    let diff = app.get_as(&session, &compare[0]).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(diff.texts("td").contains(&"Budget 2027".to_string()));
    assert!(
        diff.texts("td")
            .contains(&"Budget 2027 vedtaget".to_string())
    );
    assert_eq!(diff.texts(".diff__delete del"), ["Fjernet: Linje to"]);
    assert_eq!(diff.texts(".diff__insert ins"), ["Tilføjet: Linje tre"]);
    // Restore version 1: it becomes version 3; nothing is thrown away.
    let restore = list.attrs("form[action*=gendan]", "action");
    let page = app
        .post_as(&session, &restore[0], &[("version", "2")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let stored = app.store.news_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(
        (stored.content.title.as_str(), stored.version),
        ("Budget 2027", 3)
    );
    assert_eq!(app.store.revisions(app.site, id).await.unwrap().len(), 3);
    assert_eq!(
        app.get("/nyheder/budget").await.texts("h1"),
        ["Budget 2027"]
    );
    // A restore from a stale list is refused.
    let stale = app
        .post_as(&session, &restore[0], &[("version", "2")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    app.stop().await;
}

#[tokio::test]
async fn deleted_news_go_to_the_bin_and_come_back() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Til papirkurven"),
                ("body", "x"),
                ("status", "published"),
            ],
        )
        .await,
    );
    assert_eq!(
        app.get("/nyheder/til-papirkurven").await.status,
        StatusCode::OK
    );
    let deleted = app
        .post_as(&session, &format!("/admin/nyheder/{id}/slet"), &[])
        .await;
    let list = format!("/admin/nyheder?slettet={id}");
    assert_eq!(deleted.header("location"), Some(list.as_str()));
    assert_eq!(
        app.get("/nyheder/til-papirkurven").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !app.get_as(&session, "/admin/nyheder")
            .await
            .body
            .contains("Til papirkurven")
    );
    let bin = app.get_as(&session, "/admin/papirkurv").await;
    assert_eq!(bin.texts("tbody th")[0], "Til papirkurven");
    let restore = bin.attrs("form[action*=gendan]", "action");
    app.post_as(&session, &restore[0], &[]).await;
    assert_eq!(
        app.get("/nyheder/til-papirkurven").await.status,
        StatusCode::OK
    );
    assert!(
        app.get_as(&session, "/admin/papirkurv")
            .await
            .body
            .contains("Der er ingen nyheder i papirkurven.")
    );
    app.stop().await;
}

#[tokio::test]
async fn preview_shows_the_public_page_without_saving() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let page = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("action", "preview"),
                ("title", "Kun en forhåndsvisning"),
                ("lead", "Manchet"),
                ("body", "## Mellemrubrik\n\nTekst <script>alert(1)</script>"),
                ("news_date", "01.02.2026"),
                ("status", "draft"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("x-robots-tag"), Some("noindex"));
    assert_eq!(page.texts("h1"), ["Kun en forhåndsvisning"]);
    assert_eq!(page.texts(".article__body h2"), ["Mellemrubrik"]);
    assert_eq!(page.count(".share, .related"), 0, "no sharing of a preview");
    assert_eq!(page.texts(".article__date"), ["Nyhedsdato: 01.02.2026"]);
    assert_eq!(page.count(".article__body script"), 0);
    assert!(page.texts(".preview-notice")[0].contains("Forhåndsvisning"));
    let (rows, _) = app
        .store
        .news_rows(
            app.site,
            &Default::default(),
            Timestamp::now(),
            raadhus_store::Page {
                number: 1,
                size: 10,
            },
        )
        .await
        .unwrap();
    assert!(rows.is_empty(), "a preview saves nothing");
    app.stop().await;
}

#[tokio::test]
async fn scheduled_and_draft_articles_stay_off_the_public_site() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let later = raadhus_domain::date::local_input_value(Timestamp::now() + 3.hours());
    let id = saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Planlagt nyhed"),
                ("body", "x"),
                ("status", "scheduled"),
                ("publish_at", &later),
            ],
        )
        .await,
    );
    saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[("title", "Kladde"), ("body", "x"), ("status", "draft")],
        )
        .await,
    );
    assert_eq!(
        app.get("/nyheder/planlagt-nyhed").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/nyheder/kladde").await.status,
        StatusCode::NOT_FOUND
    );
    let list = app
        .get_as(&session, "/admin/nyheder?status=scheduled")
        .await;
    assert_eq!(list.texts("tbody td a"), ["Planlagt nyhed"]);
    assert_eq!(list.texts(".status"), ["Planlagt"]);
    let drafts = app
        .get_as(&session, "/admin/nyheder?status=draft&q=KLAD")
        .await;
    assert_eq!(drafts.texts("tbody td a"), ["Kladde"]);
    let edit = app.get_as(&session, &format!("/admin/nyheder/{id}")).await;
    assert_eq!(edit.attrs("input#publish_at", "value"), [later.as_str()]);
    app.stop().await;
}

#[tokio::test]
async fn markup_typed_in_the_admin_never_reaches_a_page_unescaped() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>";
    saved_id(
        &app.post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", hostile),
                ("slug", "farlig"),
                ("lead", hostile),
                ("body", hostile),
                ("status", "published"),
                ("new_name", hostile),
                ("new_job_title", hostile),
            ],
        )
        .await,
    );
    for page in [
        app.get("/nyheder/farlig").await,
        app.get("/nyheder").await,
        app.get_as(&session, "/admin/nyheder").await,
    ] {
        assert_eq!(page.count("img"), 0);
        assert_eq!(page.count(crate::support::EXECUTABLE_INLINE_SCRIPT), 0);
        assert!(!page.body.contains("<img src=x"));
    }
    assert_eq!(app.get("/nyheder/farlig").await.texts("h1"), [hostile]);
    // The live preview endpoint sanitizes the same way.
    let preview = app
        .post_as(&session, "/admin/markdown", &[("body", hostile)])
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        !preview.body.contains("<img") && !preview.body.contains("<script"),
        "{}",
        preview.body
    );
    app.stop().await;
}

#[tokio::test]
async fn publishing_a_scheduled_article_now_publishes_it_now() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let later = raadhus_domain::date::local_input_value(Timestamp::now() + 3.hours());
    let scheduled = [
        ("title", "Snart ude"),
        ("body", "x"),
        ("status", "scheduled"),
        ("publish_at", later.as_str()),
    ];
    let id = saved_id(&app.post_as(&session, "/admin/nyheder/ny", &scheduled).await);
    assert_eq!(
        app.get("/nyheder/snart-ude").await.status,
        StatusCode::NOT_FOUND
    );
    // "Udgivet – synlig nu" with the time cleared.
    let now = [
        ("title", "Snart ude"),
        ("body", "x"),
        ("status", "published"),
        ("publish_at", ""),
        ("version", "1"),
    ];
    let path = format!("/admin/nyheder/{id}");
    let saved = app.post_as(&session, &path, &now).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(app.get("/nyheder/snart-ude").await.status, StatusCode::OK);
    let edit = app.get_as(&session, &path).await;
    assert!(edit.texts(".meta strong").contains(&"Udgivet".to_string()));
    app.stop().await;
}

#[tokio::test]
async fn a_save_that_changes_nothing_makes_no_version() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let fields = [
        ("title", "Uændret"),
        ("body", "Tekst"),
        ("status", "published"),
        ("news_date", "01.12.2026"),
    ];
    let id = saved_id(&app.post_as(&session, "/admin/nyheder/ny", &fields).await);
    let path = format!("/admin/nyheder/{id}");
    let again: Vec<(&str, &str)> = fields.iter().copied().chain([("version", "1")]).collect();
    let saved = app.post_as(&session, &path, &again).await;
    assert_eq!(
        saved.header("location"),
        Some(format!("{path}?uaendret=1").as_str())
    );
    let edit = app.get_as(&session, &format!("{path}?uaendret=1")).await;
    assert_eq!(
        edit.texts(".notice p"),
        ["Der var ingen ændringer at gemme."]
    );
    assert_eq!(app.store.revisions(app.site, id).await.unwrap().len(), 1);
    let log = app.store.audit_log(10).await.unwrap();
    assert_eq!(
        log.iter().filter(|l| l.entity == "news").count(),
        1,
        "only the creation is logged"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_news_date_follows_the_publish_time_unless_the_editor_sets_it() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    let form = app.get_as(&session, "/admin/nyheder/ny").await;
    assert_eq!(form.attrs("input#news_date", "value"), [""]);
    let at = |days: i64| Timestamp::now() + (days * 24).hours();
    let day = |t: Timestamp| raadhus_domain::date::local_date(t);
    let first = raadhus_domain::date::local_input_value(at(9));
    let fields = [
        ("title", "Julemarked på torvet"),
        ("body", "x"),
        ("status", "scheduled"),
        ("news_date", ""),
        ("publish_at", first.as_str()),
    ];
    let id = saved_id(&app.post_as(&session, "/admin/nyheder/ny", &fields).await);
    let article = app.store.news_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(article.content.news_date, day(at(9)));
    // Moved: the date moves with it, as long as nobody set one.
    let path = format!("/admin/nyheder/{id}");
    let edit = app.get_as(&session, &path).await;
    assert_eq!(edit.attrs("input#news_date", "value"), [""]);
    let moved = raadhus_domain::date::local_input_value(at(12));
    let fields = [
        ("title", "Julemarked på torvet"),
        ("body", "x"),
        ("status", "scheduled"),
        ("news_date", ""),
        ("publish_at", moved.as_str()),
        ("version", "1"),
    ];
    saved_id(&app.post_as(&session, &path, &fields).await);
    let article = app.store.news_by_id(app.site, id).await.unwrap().unwrap();
    assert_eq!(article.content.news_date, day(at(12)));
    // A date the editor sets stays, and is shown.
    let fields = [
        ("title", "Julemarked på torvet"),
        ("body", "x"),
        ("status", "scheduled"),
        ("news_date", "24.12.2030"),
        ("publish_at", moved.as_str()),
        ("version", "2"),
    ];
    saved_id(&app.post_as(&session, &path, &fields).await);
    let edit = app.get_as(&session, &path).await;
    assert_eq!(edit.attrs("input#news_date", "value"), ["2030-12-24"]);
    app.stop().await;
}

#[tokio::test]
async fn the_news_list_finds_what_the_site_search_finds_and_drafts_by_title() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    for (title, body, status) in [
        (
            "Ny skole i Egelund",
            "Eleverne flytter ind efter sommerferien.",
            "published",
        ),
        (
            "Affald hentes hver uge",
            "Den grønne spand tømmes om mandagen.",
            "published",
        ),
        ("Skoler holder lukket", "Kun en kladde.", "draft"),
        ("Vejarbejde på Havnevej", "Brødtekst.", "published"),
    ] {
        app.news(raadhus_domain::NewsForm {
            body,
            status,
            ..crate::support::published(title, "01.03.2026")
        })
        .await;
    }
    assert!(crate::search::wait_for(&app, "Egelund", "sommerferien").await);
    app.settled().await;
    let listed = |q: &'static str| {
        let app = &app;
        let session = &session;
        async move {
            let page = app.get_as(session, &format!("/admin/nyheder?q={q}")).await;
            assert_eq!(page.status, StatusCode::OK, "{q}");
            let mut titles = page.texts("tbody td a:not(.small)");
            titles.sort();
            titles
        }
    };
    // Another form of the word: the published article by the search, the
    // draft by its title.
    assert_eq!(
        listed("skoler").await,
        ["Ny skole i Egelund", "Skoler holder lukket"]
    );
    // A typo, a word of the text only, æøå typed as oe: the search's finds.
    assert_eq!(listed("affalt").await, ["Affald hentes hver uge"]);
    assert_eq!(listed("sommerferien").await, ["Ny skole i Egelund"]);
    assert_eq!(listed("groenne").await, ["Affald hentes hver uge"]);
    // A word nothing has lists nothing.
    assert!(listed("rumskib").await.is_empty());
    // The link picker of the editor finds the same.
    let links = app.get_as(&session, "/admin/links?q=affalt").await;
    assert!(
        links.body.contains("Affald hentes hver uge"),
        "{}",
        links.body
    );
    app.stop().await;
}
