//! "Fandt du det, du søgte?" under pages and articles: the plain form, what
//! is counted and kept, what is refused, the editors' view, the 90 days,
//! and `GET /api/v1/reports/feedback`.

use jiff::SignedDuration;
use raadhus_domain::feedback::FeedbackOn;
use reqwest::StatusCode;

use crate::support::{Page, TestApp, published};

/// Sends the answer form as a browser on this site would.
async fn answer(app: &TestApp, side: &str, svar: &str) -> Page {
    let origin = app.url("");
    app.post_form_with(
        "/tilbagemelding",
        &[("side", side), ("svar", svar), ("email", "")],
        &[("origin", &origin)],
    )
    .await
}

async fn comment(app: &TestApp, side: &str, text: &str) -> Page {
    let origin = app.url("");
    app.post_form_with(
        "/tilbagemelding/kommentar",
        &[("side", side), ("kommentar", text), ("email", "")],
        &[("origin", &origin)],
    )
    .await
}

fn no_cookie(page: &Page) {
    assert!(
        page.header("set-cookie").is_none(),
        "no cookie: {:?}",
        page.headers
    );
}

#[tokio::test]
async fn answers_are_counted_and_comments_shown_only_to_editors() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Affald og genbrug").await;
    let article = app.news(published("Ny genbrugsplads", "2026-01-10")).await;
    let news_path = "/nyheder/ny-genbrugsplads";

    // The form under the page and the article: the same for everyone.
    for path in [page.path.as_str(), news_path] {
        let shown = app.get(path).await;
        assert_eq!(shown.status, StatusCode::OK);
        no_cookie(&shown);
        assert_eq!(
            shown.texts("form.feedback fieldset legend"),
            ["Fandt du det, du søgte?"]
        );
        assert_eq!(shown.attrs("form.feedback", "action"), ["/tilbagemelding"]);
        assert_eq!(
            shown.attrs("form.feedback input[name=side]", "value"),
            [path]
        );
        assert_eq!(
            shown.attrs("form.feedback button[name=svar]", "value"),
            ["ja", "nej"]
        );
    }

    let yes = answer(&app, &page.path, "ja").await;
    assert_eq!(yes.status, StatusCode::OK);
    no_cookie(&yes);
    assert_eq!(yes.texts("h1"), ["Tak for din tilbagemelding"]);
    assert_eq!(yes.attrs("main a", "href"), [page.path.as_str()]);

    let no = answer(&app, &page.path, "nej").await;
    assert_eq!(no.status, StatusCode::OK);
    no_cookie(&no);
    assert_eq!(no.texts("h1"), ["Hvad manglede du?"]);
    assert_eq!(no.count("textarea[name=kommentar][maxlength='1000']"), 1);
    assert!(no.body.contains("Skriv ikke personlige oplysninger"));
    let hostile = "<script>alert(1)</script> Åbningstiderne mangler";
    let sent = comment(&app, &page.path, hostile).await;
    assert_eq!(sent.status, StatusCode::OK);
    no_cookie(&sent);
    assert_eq!(sent.texts("h1"), ["Tak for din tilbagemelding"]);
    // Skipping the comment keeps the "Nej" and nothing else.
    assert_eq!(answer(&app, news_path, "nej").await.status, StatusCode::OK);
    assert_eq!(comment(&app, news_path, "   ").await.status, StatusCode::OK);
    assert_eq!(answer(&app, news_path, "ja").await.status, StatusCode::OK);
    assert_eq!(answer(&app, news_path, "ja").await.status, StatusCode::OK);

    let on_page = app
        .store
        .feedback_on(app.site, FeedbackOn::Page(page.id))
        .await
        .unwrap();
    assert_eq!((on_page.yes, on_page.no), (1, 1));
    assert_eq!(on_page.comments.len(), 1);
    assert_eq!(on_page.comments[0].body, hostile);
    let on_news = app
        .store
        .feedback_on(app.site, FeedbackOn::News(article.id))
        .await
        .unwrap();
    assert_eq!((on_news.yes, on_news.no, on_news.comments.len()), (2, 1, 0));

    // The public never sees a comment.
    assert!(!app.get(&page.path).await.body.contains("Åbningstiderne"));
    // Signed out, the admin shows nothing of it.
    let editor_url = format!("/admin/sider/{}", page.id);
    let signed_out = app.get(&editor_url).await;
    assert!(!signed_out.body.contains("Åbningstiderne"));
    assert_ne!(signed_out.status, StatusCode::OK);

    // Beside the page in its editor, as text.
    let session = app.editor().await;
    let editor = app.get_as(&session, &editor_url).await;
    assert_eq!(editor.status, StatusCode::OK);
    assert_eq!(
        editor.texts("#tilbagemeldinger"),
        ["Tilbagemeldinger: 1 ja, 1 nej"]
    );
    assert_eq!(editor.texts(".feedback-list__text"), [hostile]);
    assert!(!editor.body.contains("<script>alert(1)"));
    let news_editor = app
        .get_as(&session, &format!("/admin/nyheder/{}", article.id))
        .await;
    assert_eq!(
        news_editor.texts("#tilbagemeldinger"),
        ["Tilbagemeldinger: 2 ja, 1 nej"]
    );

    // The report: the largest share of "Nej" first.
    let report = app.get_as(&session, "/admin/tilbagemeldinger").await;
    assert_eq!(report.status, StatusCode::OK);
    let titles = report.texts("tbody td[data-label=Side] a");
    assert_eq!(titles, ["Affald og genbrug", "Ny genbrugsplads"]);
    assert_eq!(
        report.texts("tbody td[data-label='Andel nej']"),
        ["50 % nej", "33 % nej"]
    );
    assert_eq!(report.texts("tbody .feedback-list__text"), [hostile]);
    app.stop().await;
}

#[tokio::test]
async fn bots_strangers_and_unknown_addresses_store_nothing() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Skoler").await;
    let draft = app.draft_page("Kladde").await;

    // The trap filled: answered as if it worked, nothing kept.
    for (path, fields) in [
        (
            "/tilbagemelding",
            vec![
                ("side", page.path.as_str()),
                ("svar", "ja"),
                ("email", "a@b.example"),
            ],
        ),
        (
            "/tilbagemelding",
            vec![
                ("side", page.path.as_str()),
                ("svar", "nej"),
                ("email", "a@b.example"),
            ],
        ),
        (
            "/tilbagemelding/kommentar",
            vec![
                ("side", page.path.as_str()),
                ("kommentar", "Køb billige ure"),
                ("email", "a@b.example"),
            ],
        ),
    ] {
        let sent = app.post_form(path, &fields).await;
        assert_eq!(sent.status, StatusCode::OK, "{path} {fields:?}");
        no_cookie(&sent);
    }

    // Addresses no public page or article has.
    for side in [
        "/findes-ikke",
        draft.path.as_str(),
        "/nyheder",
        "/nyheder/findes-ikke",
        "/",
        "javascript:alert(1)",
        "/admin",
        "",
    ] {
        let sent = answer(&app, side, "ja").await;
        assert_eq!(sent.status, StatusCode::NOT_FOUND, "{side:?}");
    }
    for side in ["/findes-ikke", draft.path.as_str()] {
        let sent = comment(&app, side, "Hej").await;
        assert_eq!(sent.status, StatusCode::NOT_FOUND, "{side:?}");
    }
    // Answers that are not Ja or Nej, and forms that do not read.
    for svar in ["", "måske", "JA"] {
        assert_eq!(
            answer(&app, &page.path, svar).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    assert_eq!(
        app.post_form("/tilbagemelding", &[("svar", "ja")])
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // Sent from another site.
    let foreign = app
        .post_form_with(
            "/tilbagemelding",
            &[("side", page.path.as_str()), ("svar", "nej")],
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(foreign.body.contains("anden hjemmeside"));
    // Too long a comment: said in Danish, the text kept in the form.
    let long = "æ".repeat(1001);
    let refused = comment(&app, &page.path, &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.texts("#kommentar-fejl"),
        ["Teksten er for lang: 1001 tegn, højst 1000 er tilladt."]
    );
    assert_eq!(refused.texts("textarea"), [long.as_str()]);

    assert!(
        app.store
            .feedback_report(app.site)
            .await
            .unwrap()
            .is_empty()
    );
    let tally = app
        .store
        .feedback_on(app.site, FeedbackOn::Page(page.id))
        .await
        .unwrap();
    assert_eq!((tally.yes, tally.no, tally.comments.len()), (0, 0, 0));
    app.stop().await;
}

#[tokio::test]
async fn too_much_feedback_from_one_address_waits() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Borger").await;
    for _ in 0..20 {
        assert_eq!(answer(&app, &page.path, "ja").await.status, StatusCode::OK);
    }
    let refused = answer(&app, &page.path, "ja").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        refused.body.contains("Prøv igen om 10 minutter."),
        "{}",
        refused.body
    );
    no_cookie(&refused);
    // Comments count against the same limit.
    assert_eq!(
        comment(&app, &page.path, "Hej").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let tally = app
        .store
        .feedback_on(app.site, FeedbackOn::Page(page.id))
        .await
        .unwrap();
    assert_eq!((tally.yes, tally.comments.len()), (20, 0));

    app.clock.advance(SignedDuration::from_mins(10));
    assert_eq!(answer(&app, &page.path, "nej").await.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn comments_are_deleted_after_ninety_days() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Veje").await;
    let on = FeedbackOn::Page(page.id);
    assert_eq!(
        comment(&app, &page.path, "Gammel").await.status,
        StatusCode::OK
    );
    app.clock.advance(SignedDuration::from_hours(24 * 2));
    assert_eq!(
        comment(&app, &page.path, "Nyere").await.status,
        StatusCode::OK
    );
    assert_eq!(answer(&app, &page.path, "nej").await.status, StatusCode::OK);

    // 91 and 89 days old: the scheduler deletes the first only.
    app.clock.advance(SignedDuration::from_hours(24 * 89));
    let mut kept = Vec::new();
    for _ in 0..100 {
        let tally = app.store.feedback_on(app.site, on).await.unwrap();
        kept = tally.comments.iter().map(|c| c.body.clone()).collect();
        if kept.len() == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(kept, ["Nyere"]);
    // The counts stay.
    let tally = app.store.feedback_on(app.site, on).await.unwrap();
    assert_eq!((tally.yes, tally.no), (0, 1));
    app.stop().await;
}

#[tokio::test]
async fn the_api_reports_feedback_to_token_holders() {
    let app = TestApp::spawn().await;
    let page = app.page(None, "Kultur").await;
    app.news(published("Koncert i parken", "2026-05-01")).await;
    let news_path = "/nyheder/koncert-i-parken";
    answer(&app, &page.path, "ja").await;
    answer(&app, news_path, "nej").await;
    comment(&app, news_path, "Hvornår starter den?").await;
    comment(&app, news_path, "Er der parkering?").await;

    let refused = app.api("GET", "/api/v1/reports/feedback", None, None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.json()["error"].is_string());

    let token = app.api_token("api@vesterfjord.example", "editor").await;
    let report = app
        .api("GET", "/api/v1/reports/feedback", Some(&token), None)
        .await;
    assert_eq!(report.status, StatusCode::OK);
    no_cookie(&report);
    // A plain JSON array, as every report answers.
    let items = report.json().as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["path"], news_path);
    assert_eq!(
        (items[0]["yes"].as_i64(), items[0]["no"].as_i64()),
        (Some(0), Some(1))
    );
    let comments = items[0]["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["text"], "Er der parkering?");
    assert_eq!(comments[1]["text"], "Hvornår starter den?");
    assert!(
        comments[0]["created_at"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .is_ok()
    );
    assert_eq!(items[1]["path"], page.path.as_str());
    assert_eq!(
        (items[1]["yes"].as_i64(), items[1]["no"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(items[1]["comments"], serde_json::json!([]));
    app.stop().await;
}
