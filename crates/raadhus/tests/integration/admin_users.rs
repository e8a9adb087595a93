//! Administrators' work on users in the admin: blocking (after asking),
//! unblocking, roles, and one-time links to choose a new password.

use reqwest::StatusCode;

use crate::support::{Session, TestApp};

const PASSWORD: &str = "en god lang adgangskode";
const NEW_PASSWORD: &str = "en helt ny adgangskode";

/// An app with an administrator (signed in) and an editor, Bo.
async fn setup() -> (TestApp, Session, raadhus_domain::User) {
    let app = TestApp::spawn().await;
    app.user("admin@vesterfjord.example", "admin", PASSWORD)
        .await;
    let bo = app.user("bo@vesterfjord.example", "editor", PASSWORD).await;
    let admin = app.sign_in("admin@vesterfjord.example", PASSWORD).await;
    (app, admin, bo)
}

/// Posts a form without the session's CSRF token.
async fn without_csrf(app: &TestApp, session: &Session, path: &str) -> StatusCode {
    app.post_as(session, path, &[("_csrf", "forkert"), ("role", "admin")])
        .await
        .status
}

#[tokio::test]
async fn blocking_asks_first_and_unblocking_lets_the_user_in_again() {
    let (app, admin, bo) = setup().await;
    let bo_session = app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    let list = app.get_as(&admin, "/admin/brugere").await;
    let ask = format!("/admin/brugere/{}/spaer", bo.id);
    // The list links to a page that asks; nothing is blocked by following it.
    assert_eq!(
        list.attrs(&format!("a[href='{ask}']"), "href"),
        [ask.as_str()]
    );
    assert!(
        list.attrs(&format!("form[action='{ask}']"), "action")
            .is_empty()
    );
    let confirm = app.get_as(&admin, &ask).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.texts("h1"), ["Spær Test Redaktør?"]);
    assert_eq!(
        confirm.attrs("main form[method=post]", "action"),
        [ask.as_str()]
    );
    assert!(!app.store.user(bo.id).await.unwrap().unwrap().disabled);

    assert_eq!(
        without_csrf(&app, &admin, &ask).await,
        StatusCode::FORBIDDEN
    );
    let blocked = app.post_as(&admin, &ask, &[]).await;
    assert_eq!(blocked.status, StatusCode::SEE_OTHER);
    assert!(app.store.user(bo.id).await.unwrap().unwrap().disabled);
    let list = app
        .get_as(&admin, blocked.header("location").unwrap())
        .await;
    assert!(list.texts(".notice")[0].starts_with("Brugeren er spærret"));
    assert_eq!(
        app.get_as(&bo_session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );

    let unblock = format!("/admin/brugere/{}/aktiver", bo.id);
    assert_eq!(
        list.attrs(&format!("form[action='{unblock}']"), "action"),
        [unblock.as_str()]
    );
    assert_eq!(
        without_csrf(&app, &admin, &unblock).await,
        StatusCode::FORBIDDEN
    );
    let done = app.post_as(&admin, &unblock, &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(!app.store.user(bo.id).await.unwrap().unwrap().disabled);
    app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    app.stop().await;
}

#[tokio::test]
async fn roles_change_but_never_ones_own() {
    let (app, admin, bo) = setup().await;
    let path = format!("/admin/brugere/{}/rolle", bo.id);
    assert_eq!(
        without_csrf(&app, &admin, &path).await,
        StatusCode::FORBIDDEN
    );
    let changed = app.post_as(&admin, &path, &[("role", "admin")]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let bo_now = app.store.user(bo.id).await.unwrap().unwrap();
    assert_eq!(bo_now.role, raadhus_domain::Role::Admin);
    // Bo is an administrator now: the users page opens for him.
    let bo_session = app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    assert_eq!(
        app.get_as(&bo_session, "/admin/brugere").await.status,
        StatusCode::OK
    );
    let back = app.post_as(&admin, &path, &[("role", "editor")]).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as(&bo_session, "/admin/brugere").await.status,
        StatusCode::FORBIDDEN
    );
    // Nonsense is refused; one's own role and block are not for oneself.
    let odd = app.post_as(&admin, &path, &[("role", "ejer")]).await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    let me = app
        .store
        .user_by_email("admin@vesterfjord.example")
        .await
        .unwrap()
        .unwrap()
        .0;
    let own = app
        .post_as(
            &admin,
            &format!("/admin/brugere/{}/rolle", me.id),
            &[("role", "editor")],
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let own = app
        .post_as(&admin, &format!("/admin/brugere/{}/spaer", me.id), &[])
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let me = app.store.user(me.id).await.unwrap().unwrap();
    assert_eq!((me.role, me.disabled), (raadhus_domain::Role::Admin, false));
    // The page offers no role change, block or reset on one's own row.
    let list = app.get_as(&admin, "/admin/brugere").await;
    assert!(
        list.attrs(&format!("#bruger-{} form", me.id), "action")
            .is_empty()
    );
    assert_eq!(list.count(&format!("#bruger-{} form", bo.id)), 2);
    app.stop().await;
}

#[tokio::test]
async fn editors_get_403_on_every_user_action() {
    let (app, _admin, bo) = setup().await;
    let other = app.user("cy@vesterfjord.example", "editor", PASSWORD).await;
    let bo_session = app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    for action in ["spaer", "aktiver", "rolle", "nulstil"] {
        let path = format!("/admin/brugere/{}/{action}", other.id);
        let page = app.post_as(&bo_session, &path, &[("role", "admin")]).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{action}");
    }
    let confirm = app
        .get_as(&bo_session, &format!("/admin/brugere/{}/spaer", other.id))
        .await;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN);
    let other = app.store.user(other.id).await.unwrap().unwrap();
    assert_eq!(
        (other.role, other.disabled),
        (raadhus_domain::Role::Editor, false)
    );
    let _ = bo;
    app.stop().await;
}

/// Makes a reset link for `user_id` in the admin; returns its path.
async fn reset_link(app: &TestApp, admin: &Session, user_id: i64) -> String {
    let page = app
        .post_as(admin, &format!("/admin/brugere/{user_id}/nulstil"), &[])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let url = page.attrs("#nulstil-link", "value")[0].clone();
    assert!(url.starts_with("http"), "an absolute link: {url}");
    let path = url::Url::parse(&url).unwrap().path().to_string();
    assert!(path.starts_with("/admin/ny-adgangskode/"), "{path}");
    path
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_the_users_sessions() {
    let (app, admin, bo) = setup().await;
    let bo_session = app.sign_in("bo@vesterfjord.example", PASSWORD).await;
    assert_eq!(
        without_csrf(&app, &admin, &format!("/admin/brugere/{}/nulstil", bo.id)).await,
        StatusCode::FORBIDDEN
    );
    let path = reset_link(&app, &admin, bo.id).await;
    // Shown once: the list does not show it again.
    let list = app.get_as(&admin, "/admin/brugere").await;
    assert!(!list.body.contains(&path));
    // The token is stored only as its digest.
    let token = path.rsplit('/').next().unwrap();
    let mut raw = crate::faults::Raw::open(&app.db).await;
    let digest = raadhus_domain::secret::token_digest(token);
    let count = format!("SELECT COUNT(*) FROM password_resets WHERE token_hash = '{digest}'");
    assert_eq!(raw.number(&count).await, 1);
    let plain = format!("SELECT COUNT(*) FROM password_resets WHERE token_hash = '{token}'");
    assert_eq!(raw.number(&plain).await, 0);

    let form = app.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.header("referrer-policy"), Some("no-referrer"));
    assert!(form.body.contains("bo@vesterfjord.example"));
    assert_eq!(form.attrs("form[method=post]", "action"), [path.as_str()]);

    // The password rules apply, and a refused try leaves the link working.
    let post = |password: &'static str, again: &'static str| {
        let path = path.clone();
        let app = &app;
        async move {
            app.post_form(&path, &[("password", password), ("password_again", again)])
                .await
        }
    };
    let short = post("kort", "kort").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.texts("#password-fejl")[0].contains("mindst 10 tegn"));
    let differ = post(NEW_PASSWORD, "noget helt andet her").await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(differ.texts("#password-fejl")[0].contains("ikke ens"));

    let done = post(NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.texts(".notice")[0].contains("Din nye adgangskode er gemt"));
    // As a password change: the user's sessions end, the new password works.
    assert_eq!(
        app.get_as(&bo_session, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.login_attempt("bo@vesterfjord.example", PASSWORD)
            .await
            .0
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.sign_in("bo@vesterfjord.example", NEW_PASSWORD).await;

    // Used twice: refused, and nothing changes.
    let again = post("endnu en adgangskode", "endnu en adgangskode").await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("Linket virker ikke længere"));
    assert_eq!(app.get(&path).await.status, StatusCode::GONE);
    app.sign_in("bo@vesterfjord.example", NEW_PASSWORD).await;
    app.stop().await;
}

#[tokio::test]
async fn a_reset_link_expires_after_a_day_and_a_newer_one_replaces_it() {
    let (app, admin, bo) = setup().await;
    let first = reset_link(&app, &admin, bo.id).await;
    let second = reset_link(&app, &admin, bo.id).await;
    let replaced = app.get(&first).await;
    assert_eq!(
        replaced.status,
        StatusCode::GONE,
        "replaced: {}",
        replaced.body
    );
    assert_eq!(app.get(&second).await.status, StatusCode::OK);
    app.clock.advance(jiff::SignedDuration::from_hours(
        raadhus_usecases::RESET_LINK_HOURS,
    ));
    let expired = app
        .post_form(
            &second,
            &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(
        app.get("/admin/ny-adgangskode/noget-ukendt").await.status,
        StatusCode::GONE
    );
    assert_eq!(
        app.login_attempt("bo@vesterfjord.example", NEW_PASSWORD)
            .await
            .0
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

#[tokio::test]
async fn user_actions_are_in_the_audit_log() {
    let (app, admin, bo) = setup().await;
    app.post_as(
        &admin,
        &format!("/admin/brugere/{}/rolle", bo.id),
        &[("role", "admin")],
    )
    .await;
    app.post_as(&admin, &format!("/admin/brugere/{}/spaer", bo.id), &[])
        .await;
    app.post_as(&admin, &format!("/admin/brugere/{}/aktiver", bo.id), &[])
        .await;
    let path = reset_link(&app, &admin, bo.id).await;
    app.post_form(
        &path,
        &[("password", NEW_PASSWORD), ("password_again", NEW_PASSWORD)],
    )
    .await;
    let log = app.store.audit_log(20).await.unwrap();
    let lines: Vec<(&str, Option<&str>)> = log
        .iter()
        .filter(|l| l.entity == "user" && l.action != "sign-in")
        .take(5)
        .map(|l| (l.action.as_str(), l.user_name.as_deref()))
        .collect();
    assert_eq!(
        lines,
        [
            ("reset-password", Some("Test Redaktør")),
            ("reset-link", Some("Test Redaktør")),
            ("enable", Some("Test Redaktør")),
            ("disable", Some("Test Redaktør")),
            ("role", Some("Test Redaktør")),
        ]
    );
    app.stop().await;
}
