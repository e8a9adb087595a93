//! What an attacker and a hostile network found (issue 15), each attacked
//! again through the real server on the suite's database.

use raadhus::config::Layer;
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Page, TestApp, admin_cookie, join_all};

const PASSWORD: &str = "en god lang adgangskode";

/// Sends `attempts` sign-ins at once; `who(i)` is the e-mail and password
/// of the `i`-th. Answers in order.
async fn sign_ins_at_once(
    app: &TestApp,
    attempts: usize,
    who: impl Fn(usize) -> (String, String),
    headers: &[(&str, &str)],
) -> Vec<StatusCode> {
    let mut forms = Vec::new();
    for _ in 0..attempts {
        forms.push(app.login_form().await);
    }
    let sends = forms.iter().enumerate().map(|(i, form)| {
        let (email, password) = who(i);
        async move {
            app.submit_login(form, &email, &password, headers)
                .await
                .status
        }
    });
    join_all(sends.collect()).await
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test]
async fn parallel_sign_ins_check_no_more_passwords_than_the_limit() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    // Forty wrong passwords for one account at once: five are checked
    // (401), the rest are refused unchecked (429).
    let statuses = sign_ins_at_once(
        &app,
        40,
        |i| {
            (
                "anne@vesterfjord.example".into(),
                format!("forkert kode {i}"),
            )
        },
        &[],
    )
    .await;
    assert_eq!(
        (
            count(&statuses, StatusCode::UNAUTHORIZED),
            count(&statuses, StatusCode::TOO_MANY_REQUESTS)
        ),
        (5, 35),
        "{statuses:?}"
    );
    // The right password is refused too while the account is locked.
    let (page, _) = app
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn parallel_sign_ins_from_one_address_check_no_more_than_its_limit() {
    let app = TestApp::spawn().await;
    let statuses = sign_ins_at_once(
        &app,
        40,
        |i| {
            (
                format!("gaet{i}@vesterfjord.example"),
                "forkert kode".into(),
            )
        },
        &[],
    )
    .await;
    assert_eq!(
        (
            count(&statuses, StatusCode::UNAUTHORIZED),
            count(&statuses, StatusCode::TOO_MANY_REQUESTS)
        ),
        (20, 20),
        "{statuses:?}"
    );
    app.stop().await;
}

/// Twenty wrong sign-ins with random e-mail addresses from `attacker`, then
/// the editor from `editor`, every request through the local proxy.
async fn attacker_then_editor(app: &TestApp) -> Page {
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let attacker = [("x-forwarded-for", "198.51.100.66, 203.0.113.7")];
    for i in 0..20 {
        let form = app.login_form().await;
        let email = format!("tilfaeldig{i}@vesterfjord.example");
        let page = app
            .submit_login(&form, &email, "forkert kode", &attacker)
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let form = app.login_form().await;
    let editor = [("x-forwarded-for", "198.51.100.9")];
    app.submit_login(&form, "anne@vesterfjord.example", PASSWORD, &editor)
        .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_clients_own_address_counts() {
    let app = TestApp::spawn_with(Layer {
        demo: Some(false),
        trusted_proxies: Some("127.0.0.1".into()),
        ..Layer::default()
    })
    .await;
    let page = attacker_then_editor(&app).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let log = app.store.audit_log(50).await.unwrap();
    let sign_in = log.iter().find(|l| l.action == "sign-in").unwrap();
    assert_eq!(sign_in.summary, "signed in from 198.51.100.9");
    // The attacker's own address is locked.
    let form = app.login_form().await;
    let again = app
        .submit_login(
            &form,
            "anne@vesterfjord.example",
            PASSWORD,
            &[("x-forwarded-for", "203.0.113.7")],
        )
        .await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    // No trusted proxy: the headers are anyone's to write, so everyone here
    // is the same peer, and the attacker's failures lock it.
    let app = TestApp::spawn().await;
    let page = attacker_then_editor(&app).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn a_nul_byte_is_refused_clearly_and_never_reaches_the_database() {
    let app = TestApp::spawn_with_demo().await;
    assert_eq!(
        app.get("/nyheder/a%00b").await.status,
        StatusCode::NOT_FOUND
    );
    let (page, _) = app.login_attempt("anne\0@vesterfjord.example", "x").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    let session = app.editor().await;
    let search = app.get_as(&session, "/admin/nyheder?q=%00").await;
    assert_eq!(search.status, StatusCode::BAD_REQUEST);
    assert!(search.body.contains("tegn, der ikke kan bruges"));
    let saved = app
        .post_as(
            &session,
            "/admin/nyheder/ny",
            &[
                ("title", "Titel"),
                ("body", "Før\0efter"),
                ("status", "draft"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        saved.texts("textarea[name=body]"),
        ["Før\u{0}efter".replace('\0', "\u{fffd}")],
        "the text is shown again"
    );
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let body = json!({"title": "Titel", "body": "Før\u{0}efter"});
    let api = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["field"], "body");
    app.stop().await;
}

#[tokio::test]
async fn only_a_plain_admin_path_is_followed_after_sign_in() {
    let app = TestApp::spawn().await;
    let session = app.editor().await;
    for next in ["/admin%0A", "/admin%0D%0ASet-Cookie:%20x=1", "/admin/%09x"] {
        let page = app
            .get_as(&session, &format!("/admin/login?next={next}"))
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(page.header("location"), Some("/admin"), "{next}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_sign_in_token_is_signed_and_its_cookie_host_only_on_https() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    // A token and cookie the attacker chose are refused, even when they agree.
    let form = crate::support::LoginForm {
        token: "x".into(),
        cookie: "raadhus_login=x".into(),
    };
    let page = app
        .submit_login(&form, "anne@vesterfjord.example", PASSWORD, &[])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    app.stop().await;

    let https = TestApp::spawn_with(Layer {
        demo: Some(false),
        base_url: Some("https://www.vesterfjord.example/".into()),
        ..Layer::default()
    })
    .await;
    let form = https.get("/admin/login").await;
    let (name, _) = admin_cookie(&form, "raadhus_login").unwrap();
    assert_eq!(name, "__Host-raadhus_login");
    let set = form.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        set.contains("; Path=/") && set.contains("; Secure"),
        "{set}"
    );
    assert!(!set.contains("Domain="), "{set}");
    https.stop().await;
}
