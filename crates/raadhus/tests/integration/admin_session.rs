//! Signing in and out of the admin: sessions, cookies, CSRF, throttling, roles.

use raadhus::config::Layer;
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::support::{Session, TestApp, set_cookie_value};

const PASSWORD: &str = "en god lang adgangskode";

#[tokio::test]
async fn admin_pages_need_sign_in() {
    let app = TestApp::spawn().await;
    for path in [
        "/admin",
        "/admin/nyheder",
        "/admin/nyheder/ny",
        "/admin/log",
        "/admin/papirkurv",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        let location = page.header("location").unwrap();
        assert!(
            location.starts_with("/admin/login?next="),
            "{path}: {location}"
        );
    }
    // A form post without a session goes nowhere: the article form asks to
    // sign in (keeping the text), the others go to the sign-in page.
    let nobody = Session {
        cookie: String::new(),
        csrf: "x".into(),
    };
    let page = app
        .post_as(
            &nobody,
            "/admin/nyheder/ny",
            &[("title", "Indbrud"), ("body", "x")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert_eq!(page.count("form[action='/admin/login']"), 1);
    let page = app
        .post_as(&nobody, "/admin/kontaktpersoner/ny", &[("name", "Indbrud")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
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
async fn sign_in_sets_a_strict_http_only_session_cookie_and_sign_out_ends_it() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let (page, _) = app
        .login_attempt("ANNE@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.header("location"), Some("/admin"));
    let set_cookie: Vec<&str> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let session_cookie = set_cookie
        .iter()
        .find(|c| c.starts_with("raadhus_session="))
        .unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(session_cookie.contains(attribute), "{session_cookie}");
    }
    assert!(!session_cookie.contains("Secure"), "plain http base URL");

    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    let dashboard = app.get_as(&session, "/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.header("cache-control"), Some("no-store"));
    assert_eq!(dashboard.attrs("html", "lang"), ["da"]);
    let out = app.post_as(&session, "/admin/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), Some("/admin/login?ude=1"));
    assert_eq!(
        app.get_as(&session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        app.get("/admin/login?ude=1")
            .await
            .body
            .contains("Du er logget ud.")
    );
    app.stop().await;
}

#[tokio::test]
async fn cookies_are_secure_when_the_site_is_https() {
    let app = TestApp::spawn_with(Layer {
        demo: Some(false),
        base_url: Some("https://www.vesterfjord.example/".into()),
        ..Layer::default()
    })
    .await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let (page, _) = app
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    let cookies: Vec<&str> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn wrong_passwords_are_refused_and_repeated_failures_lock_the_account() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let (page, _) = app
        .login_attempt("anne@vesterfjord.example", "forkert adgangskode")
        .await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body
            .contains("Forkert e-mailadresse eller adgangskode")
    );
    assert!(set_cookie_value(&page, "raadhus_session").is_none());
    // The e-mail typed is kept; the password is not.
    assert_eq!(
        page.attrs("input[name=email]", "value"),
        ["anne@vesterfjord.example"]
    );
    assert_eq!(page.attrs("input[name=password][value]", "value").len(), 0);
    for _ in 0..4 {
        app.login_attempt("anne@vesterfjord.example", "forkert adgangskode")
            .await;
    }
    // Locked now, even with the right password.
    let (locked, _) = app
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        locked.body.contains("For mange mislykkede forsøg"),
        "{}",
        locked.body
    );
    assert!(locked.body.contains("minutter"));
    // Another account from the same address is not locked by these five.
    app.user("bo@vesterfjord.example", "editor", PASSWORD).await;
    app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    app.stop().await;
}

#[tokio::test]
async fn one_address_trying_many_accounts_is_locked_too() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    for i in 0..20 {
        let (page, _) = app
            .login_attempt(
                &format!("gaet{i}@vesterfjord.example"),
                "forkert adgangskode",
            )
            .await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    let (locked, _) = app
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    app.stop().await;
}

#[tokio::test]
async fn login_csrf_and_session_fixation_are_refused() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    // A sign-in form posted from elsewhere carries no matching login cookie.
    let forged = Session {
        cookie: "raadhus_login=abc".into(),
        csrf: String::new(),
    };
    let page = app
        .post_as(
            &forged,
            "/admin/login",
            &[
                ("_login", "def"),
                ("email", "anne@vesterfjord.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(set_cookie_value(&page, "raadhus_session").is_none());
    // A planted session id is never adopted.
    let planted = "a".repeat(64);
    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    assert!(!session.cookie.contains(&planted));
    let attacker = Session {
        cookie: format!("raadhus_session={planted}"),
        csrf: String::new(),
    };
    assert_eq!(
        app.get_as(&attacker, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}

#[tokio::test]
async fn a_sign_in_form_stays_good_when_the_browser_loads_another() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    // One tab shows the form; another tab (or a script's request that
    // ended up at the sign-in page) loads it again with the same cookie.
    let open = app.login_form().await;
    let browser = Session {
        cookie: open.cookie.clone(),
        csrf: String::new(),
    };
    let again = app.get_as(&browser, "/admin/login").await;
    assert_eq!(
        again.attrs("input[name=_login]", "value"),
        [open.token.as_str()]
    );
    assert_eq!(
        set_cookie_value(&again, "raadhus_login").as_deref(),
        open.cookie.strip_prefix("raadhus_login=")
    );
    let page = app
        .submit_login(&open, "anne@vesterfjord.example", PASSWORD, &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(set_cookie_value(&page, "raadhus_session").is_some());
    // A token this site did not sign is never taken over.
    let planted = format!("{}.{}", "a".repeat(64), "b".repeat(64));
    let forged = Session {
        cookie: format!("raadhus_login={planted}"),
        csrf: String::new(),
    };
    let fresh = app.get_as(&forged, "/admin/login").await;
    let token = fresh.attrs("input[name=_login]", "value")[0].clone();
    assert_ne!(token, planted);
    assert_eq!(set_cookie_value(&fresh, "raadhus_login"), Some(token));
    app.stop().await;
}

#[tokio::test]
async fn forms_without_the_session_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    for token in ["", "forkert", &"0".repeat(64)] {
        let page = app
            .post_as(
                &session,
                "/admin/nyheder/ny",
                &[
                    ("_csrf", token),
                    ("title", "Forfalsket"),
                    ("body", "x"),
                    ("status", "published"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{token:?}");
        assert!(page.body.contains("Formularen kunne ikke godkendes"));
    }
    assert_eq!(
        app.get("/nyheder/forfalsket").await.status,
        StatusCode::NOT_FOUND
    );
    // Sign-out needs it too.
    let out = app
        .post_as(&session, "/admin/logout", &[("_csrf", "forkert")])
        .await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get_as(&session, "/admin").await.status, StatusCode::OK);
    app.stop().await;
}

#[tokio::test]
async fn after_sign_in_only_admin_paths_are_followed() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    for (next, expected) in [
        ("/admin/nyheder", "/admin/nyheder"),
        ("https://evil.example/", "/admin"),
        ("//evil.example/admin", "/admin"),
        ("/nyheder", "/admin"),
    ] {
        let form = app
            .get(&format!(
                "/admin/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            ))
            .await;
        let token = form.attrs("input[name=_login]", "value")[0].clone();
        let sent_next = form.attrs("input[name=next]", "value")[0].clone();
        let cookie = format!(
            "raadhus_login={}",
            set_cookie_value(&form, "raadhus_login").unwrap()
        );
        let s = Session {
            cookie,
            csrf: String::new(),
        };
        let page = app
            .post_as(
                &s,
                "/admin/login",
                &[
                    ("_login", &token),
                    ("email", "anne@vesterfjord.example"),
                    ("password", PASSWORD),
                    ("next", &sent_next),
                ],
            )
            .await;
        assert_eq!(page.header("location"), Some(expected), "{next}");
    }
    app.stop().await;
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let user = app
        .user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    assert_eq!(
        app.get_as(&session, "/admin/nyheder").await.status,
        StatusCode::OK
    );
    app.usecases()
        .disable_user(&Actor::cli(), user.id)
        .await
        .unwrap();
    assert_eq!(
        app.get_as(&session, "/admin/nyheder").await.status,
        StatusCode::SEE_OTHER
    );
    let (page, _) = app
        .login_attempt("anne@vesterfjord.example", PASSWORD)
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Din bruger er spærret"));
    app.stop().await;
}

#[tokio::test]
async fn only_admins_see_the_audit_log() {
    let app = TestApp::spawn().await;
    app.user("redaktoer@vesterfjord.example", "editor", PASSWORD)
        .await;
    app.user("admin@vesterfjord.example", "admin", PASSWORD)
        .await;
    let editor = app.sign_in("redaktoer@vesterfjord.example", PASSWORD).await;
    let page = app.get_as(&editor, "/admin/log").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Kun administratorer"));
    assert!(
        app.get_as(&editor, "/admin")
            .await
            .attrs("a[href='/admin/log']", "href")
            .is_empty()
    );
    let admin = app.sign_in("admin@vesterfjord.example", PASSWORD).await;
    let log = app.get_as(&admin, "/admin/log").await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(
        log.texts("td")
            .iter()
            .any(|t| t.contains("loggede ind fra"))
    );
    app.stop().await;
}

#[tokio::test]
async fn admins_manage_users_and_api_tokens_in_the_admin() {
    let app = TestApp::spawn().await;
    app.user("admin@vesterfjord.example", "admin", PASSWORD)
        .await;
    app.user("redaktoer@vesterfjord.example", "editor", PASSWORD)
        .await;
    let editor = app.sign_in("redaktoer@vesterfjord.example", PASSWORD).await;
    assert_eq!(
        app.get_as(&editor, "/admin/brugere").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = app
        .post_as(
            &editor,
            "/admin/brugere",
            &[
                ("email", "ny@vesterfjord.example"),
                ("name", "Ny"),
                ("role", "admin"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let admin = app.sign_in("admin@vesterfjord.example", PASSWORD).await;
    let short = app
        .post_as(
            &admin,
            "/admin/brugere",
            &[
                ("email", "ny@vesterfjord.example"),
                ("name", "Ny Redaktør"),
                ("role", "editor"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.texts("#password-fejl")[0].contains("mindst 10 tegn"));
    assert_eq!(
        short.attrs("input#email", "value"),
        ["ny@vesterfjord.example"]
    );
    let created = app
        .post_as(
            &admin,
            "/admin/brugere",
            &[
                ("email", "ny@vesterfjord.example"),
                ("name", "Ny Redaktør"),
                ("role", "editor"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let newcomer = app.sign_in("ny@vesterfjord.example", PASSWORD).await;

    // A token made in the admin is shown once and works for the API.
    let users = app.store.users().await.unwrap();
    let owner = users
        .iter()
        .find(|u| u.email.as_str() == "ny@vesterfjord.example")
        .unwrap();
    let page = app
        .post_as(
            &admin,
            "/admin/api-noegler",
            &[
                ("token_name", "intranet"),
                ("token_user", &owner.id.to_string()),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let token = page.attrs("#ny-noegle", "value")[0].clone();
    assert_eq!(
        app.api("GET", "/api/v1/contacts", Some(&token), None)
            .await
            .status,
        StatusCode::OK
    );
    let list = app.get_as(&admin, "/admin/brugere").await;
    assert!(
        !list.body.contains(&token),
        "the token is never shown again"
    );
    let revoke = list.attrs("form[action*=tilbagekald]", "action");
    assert_eq!(
        app.post_as(&admin, &revoke[0], &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api("GET", "/api/v1/contacts", Some(&token), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Disabling in the admin ends the user's session at once.
    let disable = format!("/admin/brugere/{}/spaer", owner.id);
    assert_eq!(
        app.post_as(&admin, &disable, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get_as(&newcomer, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::spawn().await;
    app.user("anne@vesterfjord.example", "editor", PASSWORD)
        .await;
    let session = app.sign_in("anne@vesterfjord.example", PASSWORD).await;
    app.clock.advance(jiff::SignedDuration::from_hours(11));
    assert_eq!(app.get_as(&session, "/admin").await.status, StatusCode::OK);
    app.clock.advance(jiff::SignedDuration::from_hours(2));
    assert_eq!(
        app.get_as(&session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    app.stop().await;
}
