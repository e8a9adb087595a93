//! The admin's overview pages with real data: the audit log in Danish, the
//! bin, the dashboard, the news list, and the confirmations before deleting.

use raadhus_domain::{NewsDraft, NewsForm, TopicInput, User, UserInput};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::support::{Page, Session, TestApp, published};

const PASSWORD: &str = "en god lang adgangskode";

/// A user with a name of their own, made on the command line.
async fn person(app: &TestApp, email: &str, name: &str, role: &str) -> User {
    let input = UserInput::new(email, name, role).expect("valid user");
    app.usecases()
        .create_user(&Actor::cli(), &input, PASSWORD, &[])
        .await
        .expect("user stored")
}

/// Anne Holm, administrator, signed in.
async fn anne(app: &TestApp) -> (User, Session) {
    let user = person(app, "anne@vesterfjord.example", "Anne Holm", "admin").await;
    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    (user, session)
}

fn draft(form: NewsForm<'_>) -> NewsDraft {
    let today = raadhus_domain::date::local_date(jiff::Timestamp::now());
    NewsDraft::unchanged(raadhus_domain::NewsContent::new(form, today).expect("valid news"))
}

/// The log's lines as text, and the links in them.
fn log_lines(page: &Page) -> Vec<String> {
    page.texts("td.log-line")
}

#[tokio::test]
async fn the_log_tells_every_kind_of_action_in_danish_with_links() {
    let app = TestApp::spawn().await;
    let (anne, session) = anne(&app).await;
    let by = Actor::editor(anne.id);
    let cases = app.usecases();
    let site = app.site;
    let article = cases
        .create_news(site, &by, draft(published("Ny skole i byen", "")))
        .await
        .unwrap();
    let updated = cases
        .update_news(
            site,
            &by,
            article.id,
            1,
            draft(published("Ny skole åbner", "")),
        )
        .await
        .unwrap();
    assert_eq!(updated.version, 2);
    let first = app.store.revisions(site, article.id).await.unwrap();
    let first = first.iter().find(|r| r.version == 1).unwrap().id;
    cases
        .restore_revision(site, &by, article.id, first, 2)
        .await
        .unwrap();
    let binned = cases
        .create_news(site, &by, draft(published("Gammel nyhed", "")))
        .await
        .unwrap();
    cases.bin_news(site, &by, binned.id).await.unwrap();
    let topic = cases
        .create::<raadhus_domain::Topic>(site, &by, &TopicInput::new("Idræt", None, 0).unwrap())
        .await
        .unwrap();
    cases
        .delete::<raadhus_domain::Topic>(site, &by, topic.id)
        .await
        .unwrap();
    let contact = app
        .contact(
            "Bo Lund",
            "Skoleleder",
            "bo@vesterfjord.example",
            "12345678",
        )
        .await;

    let (token, _) = cases.create_token(&by, anne.id, "Intranet").await.unwrap();
    cases.revoke_token(&by, token).await.unwrap();

    let log = app.get_as(&session, "/admin/log").await;
    assert_eq!(log.status, StatusCode::OK);
    let lines = log_lines(&log);
    for expected in [
        "Anne Holm oprettede API-nøglen »Intranet«, der handler som anne@vesterfjord.example",
        "Anne Holm tilbagekaldte API-nøglen »Intranet«",
        "Anne Holm oprettede »Ny skole i byen« (version 1)",
        "Anne Holm opdaterede »Ny skole åbner« (version 2)",
        "Anne Holm gendannede version 1 af »Ny skole i byen« som version 3",
        "Anne Holm flyttede »Gammel nyhed« til papirkurven",
        "Anne Holm oprettede emnet »Idræt«",
        "Anne Holm slettede emnet »Idræt«",
        "Driften oprettede kontaktpersonen »Bo Lund« fra kommandolinjen",
        "Driften oprettede brugeren »anne@vesterfjord.example« fra kommandolinjen",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:#?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Anne Holm loggede ind fra "))
    );
    // Linked where the object still exists: the article, the contact, the
    // user; not the binned article or the deleted topic.
    let links = log.attrs("td.log-line a", "href");
    let article_link = format!("/admin/nyheder/{}", article.id);
    assert!(links.iter().filter(|l| **l == article_link).count() >= 3);
    assert!(links.contains(&format!("/admin/kontaktpersoner/{}", contact.id)));
    assert!(links.contains(&format!("/admin/brugere#bruger-{}", anne.id)));
    assert!(!links.contains(&format!("/admin/nyheder/{}", binned.id)));
    assert!(!links.iter().any(|l| l.starts_with("/admin/emner/")));
    // One date format, in Copenhagen time.
    let when = log.texts("td time");
    let now =
        raadhus_domain::date::admin_date(raadhus_domain::date::local_date(jiff::Timestamp::now()));
    assert!(when[0].starts_with(&now), "{} / {now}", when[0]);
    assert!(when[0].contains(" kl. "));
    app.stop().await;
}

#[tokio::test]
async fn the_bin_shows_who_binned_what_and_when() {
    let app = TestApp::spawn().await;
    let (anne, session) = anne(&app).await;
    let by = Actor::editor(anne.id);
    let cases = app.usecases();
    let mine = cases
        .create_news(app.site, &by, draft(published("Vejarbejde på Torvet", "")))
        .await
        .unwrap();
    let theirs = app.news(published("Loppemarked", "")).await;
    // Anne bins hers in the admin; the operators bin the other one.
    let binned = app
        .post_as(&session, &format!("/admin/nyheder/{}/slet", mine.id), &[])
        .await;
    assert_eq!(binned.status, StatusCode::SEE_OTHER);
    cases
        .bin_news(app.site, &Actor::cli(), theirs.id)
        .await
        .unwrap();

    let bin = app.get_as(&session, "/admin/papirkurv").await;
    assert_eq!(bin.status, StatusCode::OK);
    let rows: Vec<Vec<String>> = bin
        .html()
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .map(|tr| {
            tr.select(&scraper::Selector::parse("th, td").unwrap())
                .map(|c| crate::support::text_of(&c))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2);
    let today =
        raadhus_domain::date::admin_date(raadhus_domain::date::local_date(jiff::Timestamp::now()));
    // Newest in the bin first: the operators' one, then Anne's.
    assert_eq!(rows[0][0], "Loppemarked");
    assert_eq!(rows[0][3], "Driften");
    assert_eq!(rows[1][0], "Vejarbejde på Torvet");
    assert_eq!(rows[1][3], "Anne Holm");
    for row in &rows {
        assert!(
            row[2].starts_with(&today) && row[2].contains(" kl. "),
            "{row:?}"
        );
    }
    // Each can be restored, by a form with the session's CSRF token.
    assert_eq!(bin.count("form[action$='/gendan'] input[name=_csrf]"), 2);
    app.stop().await;
}

#[tokio::test]
async fn deleting_a_website_a_topic_or_a_contact_asks_first() {
    let app = TestApp::spawn().await;
    let (anne, session) = anne(&app).await;
    let by = Actor::editor(anne.id);
    let cases = app.usecases();
    let topic = cases
        .create::<raadhus_domain::Topic>(
            app.site,
            &by,
            &TopicInput::new("Skoler", None, 0).unwrap(),
        )
        .await
        .unwrap();
    let input = raadhus_domain::WebsiteInput::new(
        "Biblioteket",
        "https://bibliotek.vesterfjord.example/",
        None,
        vec![topic.id],
        0,
        None,
    )
    .unwrap();
    let website = cases
        .create::<raadhus_domain::Website>(app.site, &by, &input)
        .await
        .unwrap();
    let edit = format!("/admin/hjemmesider/{}", website.id);
    let ask = format!("{edit}/slet");
    // The form links to a page that asks; following the link deletes nothing.
    let form = app.get_as(&session, &edit).await;
    assert_eq!(form.attrs(".danger-zone a", "href"), [ask.as_str()]);
    assert!(
        form.attrs(&format!("form[action='{ask}']"), "action")
            .is_empty()
    );
    let confirm = app.get_as(&session, &ask).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.texts("h1"), ["Slet hjemmesiden »Biblioteket«?"]);
    assert!(confirm.texts("main p")[0].contains("Aktiv"));
    assert_eq!(
        confirm.attrs("main form[method=post]", "action"),
        [ask.as_str()]
    );
    assert_eq!(
        confirm.attrs("main a.button--secondary", "href"),
        [edit.as_str()]
    );
    assert_eq!(app.store.all_websites(app.site).await.unwrap().len(), 1);
    // Only the confirmation's POST, with the CSRF token, deletes.
    let forged = app.post_as(&session, &ask, &[("_csrf", "forkert")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.all_websites(app.site).await.unwrap().len(), 1);
    let deleted = app.post_as(&session, &ask, &[]).await;
    assert_eq!(
        deleted.header("location"),
        Some("/admin/hjemmesider?slettet=1")
    );
    assert!(app.store.all_websites(app.site).await.unwrap().is_empty());
    // The same page asks for topics and contact persons.
    let confirm = app
        .get_as(&session, &format!("/admin/emner/{}/slet", topic.id))
        .await;
    assert_eq!(confirm.texts("h1"), ["Slet emnet »Skoler«?"]);
    let contact = app
        .contact(
            "Bo Lund",
            "Skoleleder",
            "bo@vesterfjord.example",
            "12345678",
        )
        .await;
    let confirm = app
        .get_as(
            &session,
            &format!("/admin/kontaktpersoner/{}/slet", contact.id),
        )
        .await;
    assert_eq!(confirm.texts("h1"), ["Slet kontaktpersonen »Bo Lund«?"]);
    assert_eq!(
        app.get_as(&session, "/admin/hjemmesider/999999/slet")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

#[tokio::test]
async fn the_dashboard_shows_my_drafts_the_coming_week_and_the_latest_news() {
    let app = TestApp::spawn().await;
    let (anne, session) = anne(&app).await;
    let bo = person(&app, "bo@vesterfjord.example", "Bo Lund", "editor").await;
    let cases = app.usecases();
    let (site, now) = (app.site, jiff::Timestamp::now());
    let save = |by: User, form: NewsForm<'static>| {
        let cases = cases.clone();
        async move {
            cases
                .create_news(site, &Actor::editor(by.id), draft(form))
                .await
                .unwrap()
        }
    };
    let kladde = |title: &'static str| NewsForm {
        title,
        body: "Tekst.",
        status: "draft",
        ..NewsForm::default()
    };
    let planned = |title: &'static str, hours: i64| NewsForm {
        title,
        body: "Tekst.",
        status: "published",
        publish_at: Some(now + jiff::SignedDuration::from_hours(hours)),
        ..NewsForm::default()
    };
    save(anne.clone(), kladde("Annes kladde")).await;
    save(bo.clone(), kladde("Bos kladde")).await;
    let soon = save(anne.clone(), planned("Om tre dage", 72)).await;
    save(bo.clone(), planned("Om ti dage", 240)).await;
    save(bo.clone(), published("Allerede ude", "")).await;

    let page = app.get_as(&session, "/admin").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attrs("main a.button[href='/admin/nyheder/ny']", "href")
            .len(),
        1,
        "Opret nyhed"
    );
    let section = |id: &str| page.texts(&format!("section[aria-labelledby={id}] li > a"));
    assert_eq!(section("mine-kladder"), ["Annes kladde"]);
    assert_eq!(section("planlagt"), ["Om tre dage"]);
    assert_eq!(section("senest-udgivet"), ["Allerede ude"]);
    assert_eq!(
        page.attrs("section[aria-labelledby=planlagt] li a", "href"),
        [format!("/admin/nyheder/{}", soon.id)]
    );
    let when = page.texts("section[aria-labelledby=planlagt] .item-list__meta");
    let expected = raadhus_domain::date::admin_datetime(soon.content.publish_at.unwrap());
    assert_eq!(when, [format!("Udgives {expected}")]);
    // Bo sees his own drafts, not Anne's.
    let bo_session = app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    let his = app.get_as(&bo_session, "/admin").await;
    assert_eq!(
        his.texts("section[aria-labelledby=mine-kladder] li a"),
        ["Bos kladde"]
    );
    app.stop().await;
}

#[tokio::test]
async fn dashboard_notices_say_what_to_do_without_setting_names() {
    let app = TestApp::spawn().await;
    let (_, session) = anne(&app).await;
    let page = app.get_as(&session, "/admin").await;
    let notices = page.texts(".notice");
    // The statement is a setting of the site, in Indstillinger.
    assert!(
        notices.iter().any(|n| n.starts_with(
            "Sitet har ingen tilgængelighedserklæring. En administrator skal skrive adressen på erklæringen i WAS-værktøjet under Indstillinger."
        )),
        "{notices:?}"
    );
    assert!(
        !page.body.contains("RAADHUS_"),
        "no setting names for editors"
    );
    assert_eq!(page.texts("#mine-kladder + p"), ["Du har ingen kladder."]);
    app.stop().await;
}

#[tokio::test]
async fn the_news_list_says_who_wrote_each_and_when_scheduled_ones_go_public() {
    let app = TestApp::spawn().await;
    let (anne, session) = anne(&app).await;
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(50);
    let form = NewsForm {
        title: "Planlagt af Anne",
        body: "Tekst.",
        status: "published",
        publish_at: Some(at),
        ..NewsForm::default()
    };
    app.usecases()
        .create_news(app.site, &Actor::editor(anne.id), draft(form))
        .await
        .unwrap();
    let cli = app
        .news(published("Fra kommandolinjen", "18.12.2017"))
        .await;

    let list = app.get_as(&session, "/admin/nyheder").await;
    assert_eq!(list.texts("thead th")[3], "Af");
    let rows: Vec<String> = list.texts("tbody tr");
    let planned = rows
        .iter()
        .find(|r| r.starts_with("Planlagt af Anne"))
        .unwrap();
    let public_at = raadhus_domain::date::admin_datetime(at);
    assert!(
        planned.contains(&format!("Planlagt Udgives {public_at}")),
        "{planned}"
    );
    assert!(planned.contains("Anne Holm"), "{planned}");
    let other = rows
        .iter()
        .find(|r| r.starts_with("Fra kommandolinjen"))
        .unwrap();
    // One date format for dates and times alike.
    assert!(other.contains("18. dec. 2017 Driften"), "{other}");
    assert!(!other.contains("Udgives"));
    let _ = cli;
    // The cells say what they are, for the narrow layout.
    assert_eq!(
        list.attrs("tbody tr:first-child td", "data-label"),
        ["Overskrift", "Status", "Nyhedsdato", "Af", "Senest gemt"]
    );
    app.stop().await;
}
