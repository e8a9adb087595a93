//! Roles per site: a user works on the main site, on some subsites, or
//! both, each with a role; administrators of the main site administer
//! every site. Given on the command line (`user add --site HOST`) and in
//! the admin (a user's "Adgang til websteder"), enforced in the admin and
//! the API, and carried by exports.

use raadhus_domain::{Access, Role, SiteId, UserInput};
use raadhus_usecases::Actor;
use reqwest::StatusCode;

use crate::site_support::subsite;
use crate::subsites::cli;
use crate::support::{Page, Session, TestApp, admin_cookie};
use crate::transfer::{run_for_output, run_with_stdin};

const SCHOOL: &str = "skolen.example.dk";
const POOL: &str = "hallen.example.dk";
const PASSWORD: &str = "en god lang adgangskode";
const ARTICLE: &str = r#"{"title": "Nyt fra hallen", "body": "Tekst.", "news_date": "2026-11-02", "status": "draft"}"#;

/// A user with `role` on `subsites` (the main site when none).
pub(crate) async fn person(app: &TestApp, email: &str, role: &str, subsites: &[SiteId]) -> i64 {
    let input = UserInput::new(email, "Test Person", role).expect("valid user");
    app.usecases()
        .create_user(&Actor::cli(), &input, PASSWORD, subsites)
        .await
        .expect("user stored")
        .id
}

/// Sends the sign-in form of the site on `host`; the session, or the
/// refusal.
async fn sign_in_on(app: &TestApp, host: &str, email: &str) -> Result<Session, Page> {
    let form = app.get_on(host, "/admin/login").await;
    let token = form.attrs("input[name=_login]", "value");
    let (name, value) = admin_cookie(&form, "raadhus_login").expect("login cookie");
    let login_cookie = format!("{name}={value}");
    let fields = [
        ("_login", token[0].as_str()),
        ("email", email),
        ("password", PASSWORD),
    ];
    let answer = app
        .post_form_with(
            "/admin/login",
            &fields,
            &[("host", host), ("cookie", &login_cookie)],
        )
        .await;
    if answer.status != StatusCode::SEE_OTHER {
        return Err(answer);
    }
    let (name, value) = admin_cookie(&answer, "raadhus_session").expect("session cookie");
    let mut session = Session {
        cookie: format!("{name}={value}; {login_cookie}"),
        csrf: String::new(),
    };
    let page = get_on_as(app, host, &session, "/admin/nyheder/ny").await;
    session.csrf = page.attrs("input[name=_csrf]", "value")[0].clone();
    Ok(session)
}

/// [`sign_in_on`], which must succeed.
pub(crate) async fn signed_in(app: &TestApp, host: &str, email: &str) -> Session {
    sign_in_on(app, host, email)
        .await
        .unwrap_or_else(|p| panic!("{email} on {host}: {} {}", p.status, p.body))
}

pub(crate) async fn get_on_as(app: &TestApp, host: &str, session: &Session, path: &str) -> Page {
    app.send_with_headers("GET", path, &[("host", host), ("cookie", &session.cookie)])
        .await
}

pub(crate) async fn post_on_as(
    app: &TestApp,
    host: &str,
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
) -> Page {
    let mut all = fields.to_vec();
    all.push(("_csrf", &session.csrf));
    app.post_form_with(path, &all, &[("host", host), ("cookie", &session.cookie)])
        .await
}

/// An administrator of the main site, signed in there.
pub(crate) async fn main_admin(app: &TestApp) -> Session {
    app.user("admin@vesterfjord.example", "admin", PASSWORD)
        .await;
    app.sign_in("admin@vesterfjord.example", PASSWORD).await
}

async fn token_of(app: &TestApp, user_id: i64) -> String {
    app.usecases()
        .create_token(&Actor::cli(), user_id, "test")
        .await
        .expect("token stored")
        .1
}

#[tokio::test]
async fn roles_are_given_per_site_on_the_command_line() {
    let app = TestApp::spawn().await;
    subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    subsite(&app, POOL, "Vesterby Hallen", None).await;
    let add = |email: &'static str, sites: &'static [&'static str]| {
        let mut args = vec![
            "user",
            "add",
            "--email",
            email,
            "--name",
            "Anne Holm",
            "--role",
            "editor",
            "--password-stdin",
        ];
        for site in sites {
            args.extend(["--site", site]);
        }
        args
    };
    let args = add("anne@vesterfjord.example", &["Skolen.Example.dk", POOL]);
    let (ok, _, err) = run_with_stdin(&app.db, &args, &format!("{PASSWORD}\n")).await;
    assert!(ok, "{err}");
    assert!(
        err.contains("as editor on Skolen.Example.dk, hallen"),
        "{err}"
    );

    // An unknown host is refused, and nobody is created.
    let args = add("bo@vesterfjord.example", &["ukendt.example.dk"]);
    let (ok, _, err) = run_with_stdin(&app.db, &args, &format!("{PASSWORD}\n")).await;
    assert!(!ok);
    assert!(
        err.contains("no subsite answers on ukendt.example.dk"),
        "{err}"
    );
    let (ok, list, err) = cli(&app, &["user", "list"]).await;
    assert!(ok, "{err}");
    assert!(!list.contains("bo@"), "{list}");
    assert!(
        list.contains(
            "anne@vesterfjord.example\t-\tactive\tAnne Holm\tskolen.example.dk=editor,hallen.example.dk=editor"
        ),
        "{list}"
    );

    // Anne works on both subsites, and not on the main site.
    for host in [SCHOOL, POOL] {
        let session = signed_in(&app, host, "anne@vesterfjord.example").await;
        let news = get_on_as(&app, host, &session, "/admin/nyheder").await;
        assert_eq!(news.status, 200);
        assert!(news.body.contains("(Redaktør)"), "{}", news.body);
    }
    let refused = sign_in_on(&app, "localhost", "anne@vesterfjord.example")
        .await
        .err()
        .expect("refused on the main site");
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("ikke adgang"), "{}", refused.body);
    assert!(
        admin_cookie(&refused, "raadhus_session").is_none(),
        "no session is opened where one may not work"
    );
}

#[tokio::test]
async fn an_editor_of_one_subsite_cannot_read_or_change_another_site() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    subsite(&app, POOL, "Vesterby Hallen", None).await;
    let bo = person(&app, "bo@vesterfjord.example", "editor", &[school]).await;
    let main_admin = person(&app, "admin@vesterfjord.example", "admin", &[]).await;
    let (bo_token, admin_token) = (token_of(&app, bo).await, token_of(&app, main_admin).await);

    // A draft of the pool, made by an administrator of the main site.
    let made = app
        .api_on(
            Some(POOL),
            "POST",
            "/api/v1/news",
            Some(&admin_token),
            Some(ARTICLE),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let draft = made.json()["id"].as_i64().unwrap();
    let path = format!("/api/v1/news/{draft}");

    // The API: refused on the pool, not there on the school.
    let read = app
        .api_on(Some(POOL), "GET", &path, Some(&bo_token), None)
        .await;
    assert_eq!(read.status, 403, "{}", read.body);
    let post = app
        .api_on(
            Some(POOL),
            "POST",
            "/api/v1/news",
            Some(&bo_token),
            Some(ARTICLE),
        )
        .await;
    assert_eq!(post.status, 403);
    let elsewhere = app
        .api_on(Some(SCHOOL), "GET", &path, Some(&bo_token), None)
        .await;
    assert_eq!(elsewhere.status, 404);
    assert_eq!(
        app.api("GET", &path, Some(&bo_token), None).await.status,
        403
    );
    let own = app
        .api_on(
            Some(SCHOOL),
            "POST",
            "/api/v1/news",
            Some(&bo_token),
            Some(ARTICLE),
        )
        .await;
    assert_eq!(own.status, 201, "{}", own.body);

    // The admin: the school's session works there only.
    let session = signed_in(&app, SCHOOL, "bo@vesterfjord.example").await;
    let edit = format!("/admin/nyheder/{draft}");
    assert_eq!(get_on_as(&app, SCHOOL, &session, &edit).await.status, 404);
    assert_eq!(get_on_as(&app, POOL, &session, &edit).await.status, 403);
    assert_eq!(get_on_as(&app, POOL, &session, "/admin").await.status, 403);
    // A form sent to the other site with this session changes nothing.
    let bin = post_on_as(&app, POOL, &session, &format!("{edit}/slet"), &[]).await;
    assert_eq!(bin.status, 403, "{}", bin.body);
    let still = app
        .api_on(Some(POOL), "GET", &path, Some(&admin_token), None)
        .await;
    assert_eq!(still.status, 200);
    assert_eq!(still.json()["title"], "Nyt fra hallen");
    // An editor manages neither the site's settings nor users.
    for page in ["/admin/indstillinger", "/admin/brugere"] {
        assert_eq!(get_on_as(&app, SCHOOL, &session, page).await.status, 403);
    }
}

#[tokio::test]
async fn a_subsites_administrator_runs_that_site_and_nothing_else() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    person(&app, "carl@vesterfjord.example", "admin", &[school]).await;
    let session = signed_in(&app, SCHOOL, "carl@vesterfjord.example").await;
    let settings = get_on_as(&app, SCHOOL, &session, "/admin/indstillinger").await;
    assert_eq!(settings.status, 200);
    assert!(
        settings.body.contains("(Administrator)"),
        "{}",
        settings.body
    );
    assert_eq!(
        settings
            .texts("nav[aria-label=Administration] a")
            .iter()
            .filter(|t| *t == "Brugere")
            .count(),
        0,
        "users are managed on the main site"
    );
    for page in ["/admin/brugere", "/admin/websteder"] {
        let refused = get_on_as(&app, SCHOOL, &session, page).await;
        assert_eq!(refused.status, 403, "{page}");
        assert!(refused.body.contains("hovedwebsted"), "{}", refused.body);
    }
    // The log shows this site's lines, not the installation's.
    let school_news = post_on_as(
        &app,
        SCHOOL,
        &session,
        "/admin/nyheder/ny",
        &[
            ("action", "save"),
            ("title", "Skolens kladde"),
            ("body", "Tekst."),
            ("news_date", "02.11.2026"),
            ("status", "draft"),
        ],
    )
    .await;
    assert_eq!(school_news.status, 303, "{}", school_news.body);
    app.user("anden@vesterfjord.example", "editor", PASSWORD)
        .await;
    let log = get_on_as(&app, SCHOOL, &session, "/admin/log").await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("Skolens kladde"), "{}", log.body);
    assert!(
        !log.body.contains("anden@vesterfjord.example"),
        "{}",
        log.body
    );
    let main_log = app.get_as(&main_admin(&app).await, "/admin/log").await;
    assert!(main_log.body.contains("anden@vesterfjord.example"));
    // Not an administrator of the main site.
    assert_eq!(
        sign_in_on(&app, "localhost", "carl@vesterfjord.example")
            .await
            .err()
            .map(|p| p.status),
        Some(StatusCode::FORBIDDEN)
    );
}

#[tokio::test]
async fn main_administrators_give_access_per_site_in_the_admin() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let pool = subsite(&app, POOL, "Vesterby Hallen", None).await;
    let admin = main_admin(&app).await;
    let created = app
        .post_as(
            &admin,
            "/admin/brugere",
            &[
                ("email", "dina@vesterfjord.example"),
                ("name", "Dina Berg"),
                ("role", "editor"),
                ("site", &school.0.to_string()),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let dina = app
        .store
        .user_by_email("dina@vesterfjord.example")
        .await
        .unwrap()
        .expect("created")
        .0;
    assert_eq!(
        app.store.access(dina.id).await.unwrap(),
        Access::subsites(Role::Editor, [school])
    );
    let list = app.get_as(&admin, "/admin/brugere").await;
    let row = list.texts(&format!("#bruger-{}", dina.id)).join(" ");
    assert!(row.contains("skolen.example.dk (Redaktør)"), "{row}");
    assert!(row.contains("Ingen"), "{row}");
    // A site that does not exist is refused on the form.
    let bogus = app
        .post_as(
            &admin,
            "/admin/brugere",
            &[
                ("email", "eva@vesterfjord.example"),
                ("name", "Eva"),
                ("role", "editor"),
                ("site", "9999"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(bogus.status, 422);
    assert!(bogus.body.contains("Et af webstederne findes ikke."));
    assert!(
        app.store
            .user_by_email("eva@vesterfjord.example")
            .await
            .unwrap()
            .is_none()
    );

    // The user's page: one choice per site.
    let path = format!("/admin/brugere/{}/adgang", dina.id);
    let form = app.get_as(&admin, &path).await;
    assert_eq!(form.status, 200);
    let school_field = format!("site-{}", school.0);
    let pool_field = format!("site-{}", pool.0);
    assert_eq!(
        form.attrs(&format!("#{school_field} option[selected]"), "value"),
        ["editor"]
    );
    assert_eq!(form.attrs("#main option[selected]", "value"), [""]);
    let saved = app
        .post_as(
            &admin,
            &path,
            &[
                ("main", "editor"),
                (&school_field, ""),
                (&pool_field, "admin"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        app.store.access(dina.id).await.unwrap(),
        Access {
            main: Some(Role::Editor),
            subsites: vec![(pool, Role::Admin)],
        }
    );
    let log = app.get_as(&admin, "/admin/log").await;
    assert!(
        log.body
            .contains("adgang som redaktør på hovedwebstedet, administrator på hallen.example.dk"),
        "{}",
        log.body
    );
    // Dina now works on the main site and administers the pool.
    assert!(
        sign_in_on(&app, "localhost", "dina@vesterfjord.example")
            .await
            .is_ok()
    );
    let there = signed_in(&app, POOL, "dina@vesterfjord.example").await;
    assert_eq!(
        get_on_as(&app, POOL, &there, "/admin/indstillinger")
            .await
            .status,
        200
    );
    assert_eq!(
        sign_in_on(&app, SCHOOL, "dina@vesterfjord.example")
            .await
            .err()
            .map(|p| p.status),
        Some(StatusCode::FORBIDDEN)
    );
    // Nobody changes their own access; a role that does not exist is refused.
    let me = app
        .store
        .user_by_email("admin@vesterfjord.example")
        .await
        .unwrap()
        .expect("admin")
        .0;
    let own = app
        .post_as(
            &admin,
            &format!("/admin/brugere/{}/adgang", me.id),
            &[("main", "editor")],
        )
        .await;
    assert_eq!(own.status, 403);
    let bad = app.post_as(&admin, &path, &[("main", "chef")]).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn roles_per_site_travel_with_an_export() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let erik = person(&app, "erik@vesterfjord.example", "editor", &[school]).await;
    let admin = person(&app, "admin@vesterfjord.example", "admin", &[]).await;
    let main_editor = person(&app, "redaktoer@vesterfjord.example", "editor", &[]).await;
    let files = tempfile::tempdir().unwrap();
    let whole = files.path().join("alt.json");
    let (ok, _, err) = cli(&app, &["export", whole.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let target = crate::support::TestDb::new().await;
    let (ok, _, err) = run_for_output(&target, &["import", whole.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let store = target.store().await;
    for user in [erik, admin, main_editor] {
        assert_eq!(
            store.access(user).await.unwrap(),
            app.store.access(user).await.unwrap()
        );
    }

    // Alone, the school's roles become those of its own main site.
    let alone = files.path().join("skolen.json");
    let (ok, _, err) = cli(&app, &["export", "--site", SCHOOL, alone.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let target = crate::support::TestDb::new().await;
    let (ok, _, err) = run_for_output(&target, &["import", alone.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let store = target.store().await;
    assert_eq!(
        store.access(erik).await.unwrap(),
        Access::main(Role::Editor)
    );
    assert_eq!(
        store.access(admin).await.unwrap(),
        Access::main(Role::Admin)
    );
    assert!(store.access(main_editor).await.unwrap().is_empty());
}
