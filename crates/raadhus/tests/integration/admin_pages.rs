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
        .create_user(&Actor::cli(), &input, PASSWORD)
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

    let log = app.get_as(&session, "/admin/log").await;
    assert_eq!(log.status, StatusCode::OK);
    let lines = log_lines(&log);
    for expected in [
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
