//! `raadhus export`, `import` and `backup`, run as the real binary: an export
//! from SQLite imported into the suite's backend (PostgreSQL in its run) serves
//! byte-identical pages; a bad file names the place and writes nothing; a
//! backup of a running SQLite database is complete and consistent; exports and
//! backups are their owner's alone and never replace a file, not even a
//! `FILE.partial` left beside their own.

use std::path::Path;

use raadhus::config::Layer;
use raadhus_domain::export::ExportCounts;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cli::{assert_mode, raadhus};
use crate::support::{TestApp, TestDb};

const BASE: &str = "https://www.vesterfjord.example/";

/// Runs `raadhus ARGS…` on `db`; returns (success, stderr).
///
/// The command runs off the test's runtime: a test's own server runs on
/// that runtime, and the command may wait for it (a write lock one of its
/// tasks holds), which it could never give up while the runtime waits for
/// the command.
pub async fn run(db: &TestDb, args: &[&str]) -> (bool, String) {
    let (ok, _, stderr) = run_for_output(db, args).await;
    (ok, stderr)
}

/// [`run`], with what the command printed on stdout too.
pub async fn run_for_output(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    run_with_stdin(db, args, "").await
}

/// [`run_for_output`], with `stdin` written to the command's input.
pub async fn run_with_stdin(db: &TestDb, args: &[&str], stdin: &str) -> (bool, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut command = raadhus();
    command
        .args(["--log", "warn", "--data"])
        .arg(db.dir.path())
        .env("RAADHUS_DATABASE_URL", db.database_url())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let input = stdin.to_string();
    let out = tokio::task::spawn_blocking(move || {
        let mut child = command.spawn()?;
        if let Some(mut pipe) = child.stdin.take() {
            pipe.write_all(input.as_bytes())?;
        }
        child.wait_with_output()
    })
    .await
    .expect("the command's thread")
    .expect("raadhus runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("JSON")
}

fn layer() -> Layer {
    Layer {
        base_url: Some(BASE.into()),
        demo: Some(false),
        ..Layer::default()
    }
}

/// A site with history: the demo content, an edited article (two revisions),
/// one in the bin, a scheduled one, a user and an API token.
pub async fn site_with_history() -> (TestApp, String) {
    let app = TestApp::spawn_on(
        TestDb::sqlite(),
        Layer {
            demo: Some(true),
            ..layer()
        },
    )
    .await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    let created = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&json!({"title": "Vinterbadere får ny sauna", "body": "Første udgave.", "status": "published"}).to_string()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let edited = app
        .api(
            "PUT",
            &format!("/api/v1/news/{id}"),
            Some(&token),
            Some(&json!({"title": "Vinterbadere får ny sauna", "body": "Anden udgave med **fed** tekst.",
                         "status": "published", "version": 1}).to_string()),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let binned = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(&json!({"title": "Fejlopslag", "body": "x", "status": "published"}).to_string()),
        )
        .await;
    let binned = binned.json()["id"].as_i64().unwrap();
    app.api(
        "DELETE",
        &format!("/api/v1/news/{binned}"),
        Some(&token),
        None,
    )
    .await;
    let scheduled = app
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(
                &json!({"title": "Juletræet tændes", "body": "x", "status": "published",
                         "publish_at": "2099-12-01T16:00:00Z"})
                .to_string(),
            ),
        )
        .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    // A page renamed (its old address leads on), one in the bin, and one
    // with a fact box under a demo page.
    let page = |body: Value| {
        let app = &app;
        let token = token.clone();
        async move {
            let made = app
                .api(
                    "POST",
                    "/api/v1/pages",
                    Some(&token),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
            made.json()
        }
    };
    let sauna = page(
        json!({"title": "Vinterbadning", "body": "Om vinterbadning.",
                            "status": "published", "parent_id": null}),
    )
    .await;
    let renamed = app
        .api(
            "PUT",
            &format!("/api/v1/pages/{}", sauna["id"]),
            Some(&token),
            Some(
                &json!({"title": "Vinterbadning", "body": "Om vinterbadning i havnen.",
                         "status": "published", "slug": "vinterbad", "version": 1})
                .to_string(),
            ),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let under = page(
        json!({"title": "Saunaens åbningstider", "status": "published",
                            "body": "::: faktaboks Åbent\nHele året.\n:::",
                            "parent_id": sauna["id"]}),
    )
    .await;
    assert_eq!(under["path"], "/vinterbad/saunaens-aabningstider");
    let gone = page(json!({"title": "Forkert side", "body": "x", "status": "published"})).await;
    let binned = app
        .api(
            "DELETE",
            &format!("/api/v1/pages/{}", gone["id"]),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(binned.status, StatusCode::NO_CONTENT, "{}", binned.body);
    // Wait (bounded) until the search index has caught up with the edits.
    for _ in 0..50 {
        if app
            .get("/api/v1/search?q=sauna")
            .await
            .body
            .contains("Anden udgave")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    (app, token)
}

/// Every public page, feed and machine-readable file the site serves.
async fn public_paths(app: &TestApp) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/",
        "/nyheder",
        "/nyheder?side=2",
        "/nyheder/feed.atom",
        "/nyheder/feed.rss",
        "/hjemmesider",
        "/hjemmesider?vis=emne",
        "/soeg?q=skole",
        "/soeg?q=sauna",
        "/sitemap.xml",
        "/robots.txt",
        "/vinterbadning",
        "/vinterbad/saunaens-aabningstider",
        "/forkert-side",
        "/api/v1/news",
        "/api/v1/sites",
        "/api/v1/topics",
    ]
    .map(String::from)
    .to_vec();
    let sitemap = app.get("/sitemap.xml").await.body;
    for loc in sitemap.split("<loc>").skip(1) {
        let url = loc.split("</loc>").next().unwrap_or_default();
        paths.push(
            url.trim_start_matches(BASE.trim_end_matches('/'))
                .to_string(),
        );
    }
    let directory = app.get("/hjemmesider").await;
    for topic in directory.attrs("option[value]", "value").iter().take(3) {
        paths.push(format!("/hjemmesider?emne={topic}"));
    }
    assert!(paths.len() > 25, "{paths:?}");
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_export_imported_into_the_suites_backend_serves_identical_pages() {
    let (source, token) = site_with_history().await;
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("vesterfjord.json");
    let (ok, err) = run(
        &source.db,
        &["export", "--with-secrets", &file.display().to_string()],
    )
    .await;
    assert!(ok, "{err}");
    assert!(err.contains("exported"), "{err}");
    // It holds password hashes: its owner's alone.
    assert_mode(&file, 0o600);
    let exported = read_json(&file);
    assert_eq!(exported["format"], "raadhus-export");
    assert_eq!(exported["version"], 1);
    let news = exported["sites"][0]["news"].as_array().unwrap();
    assert!(
        news.iter()
            .any(|n| n["revisions"].as_array().unwrap().len() == 2)
    );
    assert!(news.iter().any(|n| !n["deleted_at"].is_null()));
    let site = &exported["sites"][0];
    let pages = site["pages"].as_array().unwrap();
    assert!(pages.len() > 30, "{} pages", pages.len());
    assert!(pages.iter().any(|p| !p["deleted_at"].is_null()));
    assert!(
        pages
            .iter()
            .any(|p| p["revisions"].as_array().unwrap().len() == 2)
    );
    assert!(
        site["old_paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["path"] == "/vinterbadning")
    );
    assert!(
        !site["settings"]["front_page"]["shortcuts"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let target = TestDb::new().await;
    let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    assert!(err.contains("imported"), "{err}");
    // Exported again, the copy gives back exactly what it took in.
    let mut again = read_json(&file);
    let second = files.path().join("again.json");
    let (ok, err) = run(
        &target,
        &["export", "--with-secrets", &second.display().to_string()],
    )
    .await;
    assert!(ok, "{err}");
    let mut second = read_json(&second);
    again["exported_at"] = Value::Null;
    second["exported_at"] = Value::Null;
    assert_eq!(again, second);
    let copy = TestApp::spawn_on(target, layer()).await;

    for path in public_paths(&source).await {
        let (a, b) = (source.get(&path).await, copy.get(&path).await);
        assert_eq!(a.status, b.status, "{path}");
        assert_eq!(a.body, b.body, "{path} differs");
        for header in ["etag", "last-modified", "content-type", "location"] {
            assert_eq!(a.header(header), b.header(header), "{path}: {header}");
        }
    }
    // Users, passwords and tokens came along (the file held secrets).
    copy.sign_in("robot@vesterfjord.example", "en god lang adgangskode")
        .await;
    let drafts = copy.api("GET", "/api/v1/news", Some(&token), None).await;
    assert_eq!(drafts.status, StatusCode::OK, "{}", drafts.body);
    // New rows get fresh ids after the imported ones.
    let more = copy
        .api(
            "POST",
            "/api/v1/news",
            Some(&token),
            Some(
                &json!({"title": "Efter flytningen", "body": "x", "status": "published"})
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(more.status, StatusCode::CREATED, "{}", more.body);
    copy.stop().await;
    source.stop().await;
}

#[tokio::test]
async fn an_export_without_secrets_holds_no_passwords_or_tokens() {
    let (source, _token) = site_with_history().await;
    let files = tempfile::tempdir().unwrap();
    let file = files.path().join("plain.json");
    let (ok, err) = run(&source.db, &["export", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("password_hash") && !text.contains("$argon2"));
    assert!(!text.contains("token_hash"));
    assert_eq!(read_json(&file)["secrets"], false);
    // It still holds the editors' addresses, drafts and the audit log.
    assert_mode(&file, 0o600);
    assert!(!files.path().join("plain.json.partial").exists());
    // An existing file is never overwritten…
    let (ok, err) = run(&source.db, &["export", &file.display().to_string()]).await;
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    // …nor one left beside it by an export that was interrupted.
    refuses_a_partial_file(&source.db, "export", &files.path().join("next.json")).await;
    // Imported users exist but cannot sign in until given a password.
    let target = TestDb::new().await;
    let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
    assert!(ok, "{err}");
    assert!(err.contains("user passwd"), "{err}");
    let copy = TestApp::spawn_on(target, layer()).await;
    let (page, _) = copy
        .login_attempt("robot@vesterfjord.example", "en god lang adgangskode")
        .await;
    assert_ne!(page.status, StatusCode::SEE_OTHER);
    copy.stop().await;
    source.stop().await;
}

#[tokio::test]
async fn a_bad_import_file_names_the_place_and_writes_nothing() {
    let (source, _token) = site_with_history().await;
    let files = tempfile::tempdir().unwrap();
    let good = files.path().join("good.json");
    let (ok, err) = run(&source.db, &["export", &good.display().to_string()]).await;
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&good).unwrap();

    let mut broken_reference = read_json(&good);
    broken_reference["sites"][0]["news"][2]["contact_ids"] = json!([424242]);
    let mut bad_phone = read_json(&good);
    bad_phone["sites"][0]["contacts"][1]["phone"] = json!("ring til os");
    let mut missing_title = read_json(&good);
    missing_title["sites"][0]["news"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    let cases = [
        (
            "truncated",
            text[..text.len() / 3].to_string(),
            "file: not JSON",
        ),
        (
            "reference",
            broken_reference.to_string(),
            "sites[0].news[2].contact_ids[0]",
        ),
        ("phone", bad_phone.to_string(), "sites[0].contacts[1].phone"),
        (
            "title",
            missing_title.to_string(),
            "sites[0].news[0]: missing field `title`",
        ),
        (
            "other",
            "{\"format\": \"wxr\"}".to_string(),
            "not a Raadhus export",
        ),
    ]
    .map(|(name, content, expected)| (name.to_string(), content, expected.to_string()));
    let target = TestDb::new().await;
    let store = refused_whole(&target, files.path(), &cases).await;
    // A good file goes in once; a second import finds the database in use.
    let (ok, err) = run(&target, &["import", &good.display().to_string()]).await;
    assert!(ok, "{err}");
    let (ok, err) = run(&target, &["import", &good.display().to_string()]).await;
    assert!(!ok);
    assert!(err.contains("not empty"), "{err}");
    let site = store
        .primary_site("x", jiff::Timestamp::now())
        .await
        .unwrap();
    let (news, _) = store
        .public_news_page(
            site.id,
            jiff::Timestamp::now(),
            raadhus_store::Page {
                number: 1,
                size: 100,
            },
        )
        .await
        .unwrap();
    let titles: std::collections::HashSet<_> = news.iter().map(|n| &n.title).collect();
    assert_eq!(titles.len(), news.len(), "nothing imported twice");
    store.close().await;
    source.stop().await;
}

/// Runs `raadhus import` into `target` on each (name, file content, what
/// the error says) case: each is refused in one line saying that nothing was
/// written, and nothing was. Returns a store on `target`.
pub async fn refused_whole(
    target: &TestDb,
    dir: &Path,
    cases: &[(String, String, String)],
) -> raadhus_store::Store {
    for (name, content, expected) in cases {
        let file = dir.join(format!("{name}.json"));
        std::fs::write(&file, content).unwrap();
        let (ok, err) = run(target, &["import", &file.display().to_string()]).await;
        assert!(!ok, "{name} was accepted");
        assert!(err.contains(expected.as_str()), "{name}: {err}");
        assert!(err.contains("nothing was written"), "{name}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{name}: one line: {err}");
    }
    let store = target.store().await;
    let held = store.export(true, jiff::Timestamp::now()).await.unwrap();
    assert_eq!(held.counts(), ExportCounts::default());
    assert!(store.audit_log(10).await.unwrap().is_empty());
    store
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_running_sqlite_database_is_complete() {
    let (source, token) = site_with_history().await;
    let files = tempfile::tempdir().unwrap();
    let backup = files.path().join("raadhus-backup.db");
    // Editors keep saving while the backup runs.
    let writer = {
        let url = source.url("/api/v1/news");
        let token = token.clone();
        tokio::spawn(async move {
            let client = reqwest::Client::new();
            for i in 0..20 {
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(json!({"title": format!("Under backup {i}"), "body": "x", "status": "published"}).to_string())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::CREATED);
            }
        })
    };
    let (ok, err) = run(&source.db, &["backup", &backup.display().to_string()]).await;
    assert!(ok, "{err}");
    writer.await.unwrap();
    // The whole database, password hashes and sessions too: its owner's alone.
    assert_mode(&backup, 0o600);
    assert!(!files.path().join("raadhus-backup.db.partial").exists());
    // The copy opens on its own and holds a consistent state: every article
    // with its revisions and contact persons.
    let copy = raadhus_store::Store::open_sqlite_file(&backup)
        .await
        .unwrap();
    let exported = copy.export(true, jiff::Timestamp::now()).await.unwrap();
    exported.check().unwrap();
    let titles: Vec<&str> = exported.sites[0]
        .news
        .iter()
        .map(|n| n.content.title.as_str())
        .collect();
    assert!(titles.contains(&"Vinterbadere får ny sauna"));
    assert!(
        exported.sites[0]
            .news
            .iter()
            .all(|n| !n.revisions.is_empty())
    );
    copy.close().await;
    // Restoring is copying the file into an empty data directory.
    let restored = TestDb::sqlite();
    std::fs::copy(&backup, restored.dir.path().join("raadhus.db")).unwrap();
    let app = TestApp::spawn_on(restored, layer()).await;
    let article = app.get("/nyheder/vinterbadere-faar-ny-sauna").await;
    assert_eq!(article.status, StatusCode::OK);
    assert!(article.body.contains("<strong>fed</strong>"));
    app.stop().await;
    // It never overwrites a file, nor one left by a backup that was cut off.
    let (ok, err) = run(&source.db, &["backup", &backup.display().to_string()]).await;
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    refuses_a_partial_file(&source.db, "backup", &files.path().join("next.db")).await;
    source.stop().await;
}

/// `raadhus COMMAND FILE` finds `FILE.partial` (left by a run that was cut
/// off, or another one writing): it is refused, naming that file, which is
/// left as it was, and FILE is not made.
async fn refuses_a_partial_file(db: &TestDb, command: &str, file: &Path) {
    let partial = file.with_file_name(format!(
        "{}.partial",
        file.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&partial, "halvt skrevet").unwrap();
    let (ok, err) = run(db, &[command, &file.display().to_string()]).await;
    assert!(!ok, "{command} replaced {}", partial.display());
    assert!(
        err.contains(&format!("{} already exists", partial.display())),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&partial).unwrap(), "halvt skrevet");
    assert!(!file.exists());
}

#[tokio::test]
async fn backup_copies_sqlite_and_points_postgresql_to_pg_dump() {
    let db = TestDb::new().await;
    let files = tempfile::tempdir().unwrap();
    let target = files.path().join("x.db");
    let (ok, err) = run(&db, &["backup", &target.display().to_string()]).await;
    if db.url.is_some() {
        assert!(!ok);
        assert!(err.contains("pg_dump"), "{err}");
        assert!(!target.exists());
    } else {
        assert!(ok, "{err}");
        assert!(target.is_file());
    }
}
