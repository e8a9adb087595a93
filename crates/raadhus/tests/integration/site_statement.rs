//! Each site's accessibility statement: set by its own administrators in
//! Indstillinger or the API, linked from that site's footer only, reminded
//! of on that site's admin front page, and carried by an export. The main
//! site falls back to the configured `--was-url` while it has none stored.

use reqwest::StatusCode;
use serde_json::{Value, json};

use raadhus_domain::SiteId;

use crate::site_roles::{get_on_as, main_admin, person, post_on_as, signed_in};
use crate::site_support::{SCHOOL, imported, served, subsite};
use crate::support::{Page, Session, TestApp};
use crate::transfer::run_for_output;

const SCHOOL_STATEMENT: &str = "https://www.was.digst.dk/vesterby-skole";

/// The school's own administrator (a role on the subsite only), signed
/// in there.
async fn school_admin(app: &TestApp, school: SiteId) -> Session {
    person(app, "leder@skolen.example", "admin", &[school]).await;
    signed_in(app, SCHOOL, "leder@skolen.example").await
}

/// Saves Indstillinger on the subsite with the statement `url` and
/// `reviewed` (the rest as a new subsite has it).
async fn save_statement(app: &TestApp, admin: &Session, url: &str, reviewed: &str) -> Page {
    let fields = [
        ("name", "Vesterby Skole"),
        ("menu_news", "1"),
        ("menu_directory", "1"),
        ("statement_url", url),
        ("statement_reviewed", reviewed),
    ];
    post_on_as(app, SCHOOL, admin, "/admin/indstillinger", &fields).await
}

/// Makes the subsite on [`SCHOOL`]; returns an administrator's API token.
async fn school_and_token(app: &TestApp) -> String {
    subsite(app, SCHOOL, "Vesterby Skole", None).await;
    app.api_token("admin@vesterfjord.example", "admin").await
}

/// The notices of an admin front page, in one text.
fn notices(page: &Page) -> String {
    page.texts(".notice").join(" ")
}

/// `PUT /api/v1/site` on the site answering on `host` (none: the main site).
async fn put_site(app: &TestApp, host: Option<&str>, token: &str, body: serde_json::Value) -> Page {
    app.api_on(
        host,
        "PUT",
        "/api/v1/site",
        Some(token),
        Some(&body.to_string()),
    )
    .await
}

fn statement_links(page: &Page) -> Vec<String> {
    page.texts("footer a[href='/was']")
}

#[tokio::test]
async fn a_subsites_administrators_set_its_statement_and_only_its_footer_links_it() {
    let app = TestApp::spawn().await;
    let school = subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    let admin = school_admin(&app, school).await;

    // Nothing yet: no link, and the admin front page says so, with the way
    // to put it right.
    let before = app.get_on(SCHOOL, "/").await;
    assert!(statement_links(&before).is_empty());
    assert_eq!(app.get_on(SCHOOL, "/was").await.status, 404);
    let dashboard = get_on_as(&app, SCHOOL, &admin, "/admin").await;
    let said = notices(&dashboard);
    assert!(
        said.contains("Sitet har ingen tilgængelighedserklæring"),
        "{said}"
    );
    assert_eq!(
        dashboard.attrs(".notice a[href='/admin/indstillinger']", "href"),
        ["/admin/indstillinger"]
    );

    // Mistakes are named by field in Danish, and what was typed stays.
    let tomorrow = raadhus_domain::date::local_date(jiff::Timestamp::now())
        .tomorrow()
        .expect("a tomorrow");
    let tomorrow = raadhus_domain::date::numeric(tomorrow);
    for (url, reviewed, says) in [
        (
            "was.digst.dk/skole",
            "",
            "Tilgængelighedserklæring: Skriv erklæringens fulde adresse",
        ),
        (
            SCHOOL_STATEMENT,
            "31.02.2026",
            "Seneste gennemgang af erklæringen: Skriv datoen som dd.mm.åååå",
        ),
        (
            SCHOOL_STATEMENT,
            &tomorrow,
            "Seneste gennemgang af erklæringen: Datoen for seneste gennemgang kan ikke ligge efter i dag",
        ),
        (
            "",
            "01.02.2026",
            "Tilgængelighedserklæring: Skriv adressen på erklæringen, eller slet datoen",
        ),
    ] {
        let refused = save_statement(&app, &admin, url, reviewed).await;
        assert_eq!(refused.status, 422, "{url} {reviewed}");
        let summary = refused.texts(".error-summary li");
        assert!(
            summary.iter().any(|s| s.starts_with(says)),
            "{says}: {summary:?}"
        );
        assert_eq!(refused.attrs("input#statement_url", "value"), [url]);
        assert_eq!(
            refused.attrs("input#statement_reviewed", "value"),
            [reviewed]
        );
    }
    let cached = app.get_on(SCHOOL, "/").await;
    assert!(statement_links(&cached).is_empty());
    assert_eq!(cached.header("x-cache"), Some("hit"));

    // The main site's pages are cached now, and stay so.
    let main_before = app.get("/").await;
    assert!(statement_links(&main_before).is_empty());
    assert_eq!(app.get("/").await.header("x-cache"), Some("hit"));

    let saved = save_statement(&app, &admin, &format!(" {SCHOOL_STATEMENT} "), "15.01.2020").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The subsite's cached front page was dropped: its footer links it now.
    let after = app.get_on(SCHOOL, "/").await;
    assert_eq!(statement_links(&after), ["Tilgængelighedserklæring"]);
    assert_eq!(
        statement_links(&app.get_on(SCHOOL, "/nyheder").await),
        ["Tilgængelighedserklæring"]
    );
    let was = app.get_on(SCHOOL, "/was").await;
    assert_eq!(was.status, StatusCode::SEE_OTHER);
    assert_eq!(was.header("location"), Some(SCHOOL_STATEMENT));
    // The main site's are not, and it has no statement.
    let main = app.get("/").await;
    assert_eq!(main.header("x-cache"), Some("hit"));
    assert!(statement_links(&main).is_empty());
    assert_eq!(app.get("/was").await.status, 404);

    // The form shows it as stored; the reminder names the old review.
    let form = get_on_as(&app, SCHOOL, &admin, "/admin/indstillinger").await;
    assert_eq!(
        form.attrs("input#statement_url", "value"),
        [SCHOOL_STATEMENT]
    );
    assert_eq!(
        form.attrs("input#statement_reviewed", "value"),
        ["15.01.2020"]
    );
    let said = notices(&get_on_as(&app, SCHOOL, &admin, "/admin").await);
    assert!(
        said.contains("Tilgængelighedserklæringen blev sidst gennemgået 15. jan. 2020."),
        "{said}"
    );
    // Reviewed today: no reminder on the subsite; the main site still has
    // none at all.
    let today =
        raadhus_domain::date::numeric(raadhus_domain::date::local_date(jiff::Timestamp::now()));
    let saved = save_statement(&app, &admin, SCHOOL_STATEMENT, &today).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let said = notices(&get_on_as(&app, SCHOOL, &admin, "/admin").await);
    assert!(!said.contains("ilgængelighedserklæring"), "{said}");
    let main_admin = main_admin(&app).await;
    let said = notices(&app.get_as(&main_admin, "/admin").await);
    assert!(
        said.contains("Sitet har ingen tilgængelighedserklæring"),
        "{said}"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_api_shows_and_changes_each_sites_statement() {
    let app = TestApp::spawn().await;
    let admin = school_and_token(&app).await;
    let site = async |host| {
        app.api_on(host, "GET", "/api/v1/site", None, None)
            .await
            .json()
    };
    assert_eq!(site(Some(SCHOOL)).await["statement_url"], json!(null));

    let bad = json!({"name": "Vesterby Skole", "statement_url": "ftp://was.example/x",
        "statement_reviewed": "2999-01-01"});
    let refused = put_site(&app, Some(SCHOOL), &admin, bad).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let fields: Vec<Value> = refused.json()["errors"]
        .as_array()
        .expect("every field's error")
        .iter()
        .map(|f| f["field"].clone())
        .collect();
    assert_eq!(
        fields,
        [json!("statement_url"), json!("statement_reviewed")]
    );

    let good = json!({"name": "Vesterby Skole", "statement_url": SCHOOL_STATEMENT,
        "statement_reviewed": "18.12.2025"});
    let saved = put_site(&app, Some(SCHOOL), &admin, good).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let school = site(Some(SCHOOL)).await;
    assert_eq!(school["statement_url"], SCHOOL_STATEMENT);
    assert_eq!(school["statement_reviewed"], "2025-12-18");
    let main = site(None).await;
    assert_eq!(main["statement_url"], json!(null));
    assert_eq!(main["statement_reviewed"], json!(null));
    let footer = statement_links(&app.get_on(SCHOOL, "/").await);
    assert_eq!(footer, ["Tilgængelighedserklæring"]);

    let doc = app.get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["SiteIdentity"]["properties"]["statement_url"].is_object());
    assert!(schemas["SiteIdentityRequest"]["properties"]["statement_reviewed"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn the_main_sites_own_statement_wins_over_the_configured_one() {
    let configured = "https://www.was.digst.dk/vesterfjord-dk";
    let own = "https://www.was.digst.dk/vesterfjord-kommune";
    let app = TestApp::spawn_with(raadhus::config::Layer {
        demo: Some(false),
        was_url: Some(configured.into()),
        ..Default::default()
    })
    .await;
    subsite(&app, SCHOOL, "Vesterby Skole", None).await;
    // Subsites never take the installation's statement.
    assert!(statement_links(&app.get_on(SCHOOL, "/").await).is_empty());
    assert_eq!(app.get_on(SCHOOL, "/was").await.status, 404);

    let admin = main_admin(&app).await;
    let form = app.get_as(&admin, "/admin/indstillinger").await;
    assert_eq!(form.attrs("input#statement_url", "value"), [""]);
    let hint = form.texts("#statement_url-hint").join(" ");
    let fallback = format!("bruges erklæringen fra serverens opsætning: {configured}");
    assert!(hint.contains(&fallback), "{hint}");
    let was = async || app.get("/was").await.header("location").map(String::from);
    assert_eq!(was().await.as_deref(), Some(configured));

    let token = app.api_token("robot@vesterfjord.example", "admin").await;
    let body = json!({"name": "Raadhus", "statement_url": own, "statement_reviewed": "2026-01-05"});
    assert_eq!(put_site(&app, None, &token, body).await.status, 200);
    assert_eq!(was().await.as_deref(), Some(own));
    // Cleared: the configured one again.
    let body = json!({"name": "Raadhus"});
    assert_eq!(put_site(&app, None, &token, body).await.status, 200);
    assert_eq!(was().await.as_deref(), Some(configured));
    app.stop().await;
}

#[tokio::test]
async fn an_export_and_import_keep_each_sites_statement() {
    let app = TestApp::spawn().await;
    let admin = school_and_token(&app).await;
    let body = json!({"name": "Vesterby Skole", "statement_url": SCHOOL_STATEMENT,
        "statement_reviewed": "2026-02-01"});
    assert_eq!(put_site(&app, Some(SCHOOL), &admin, body).await.status, 200);

    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("alt.json");
    let (ok, _, err) = run_for_output(&app.db, &["export", file.to_str().unwrap()]).await;
    assert!(ok, "{err}");
    let export: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let statements: Vec<&Value> = export["sites"]
        .as_array()
        .expect("sites")
        .iter()
        .map(|s| &s["settings"]["identity"]["statement"])
        .collect();
    let school = json!({"url": SCHOOL_STATEMENT, "reviewed": "2026-02-01"});
    assert!(statements.contains(&&school), "{statements:?}");

    let restored = imported(&file).await;
    served(&restored, SCHOOL).await;
    let school = restored
        .api_on(Some(SCHOOL), "GET", "/api/v1/site", None, None)
        .await
        .json();
    assert_eq!(school["statement_url"], SCHOOL_STATEMENT);
    assert_eq!(school["statement_reviewed"], "2026-02-01");
    let was = restored.get_on(SCHOOL, "/was").await;
    assert_eq!(was.header("location"), Some(SCHOOL_STATEMENT));
    assert!(statement_links(&restored.get("/").await).is_empty());
    restored.stop().await;
    app.stop().await;
}
