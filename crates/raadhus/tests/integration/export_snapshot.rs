//! `raadhus export` reads one snapshot of a running site: exports taken while
//! editors create, edit, bin and delete through the JSON API (articles, the
//! directory, contact persons and the media library) are each
//! accepted by `import`, and each holds exactly what the database held at one
//! moment of its history.
//!
//! Which moment: every change is one transaction holding an audit line for
//! each thing it creates, edits or deletes, and writers take turns, so the
//! audit log is the database's history in commit order. An export whose
//! newest audit line is N must hold the audit log up to N and no further,
//! and exactly the rows that what the site held before the writers started,
//! changed by the lines after that up to N, leaves.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use raadhus_domain::export::{Export, ExportAudit};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::media_support::png;
use crate::support::{TestApp, TestDb};
use crate::transfer::run;

/// Writers of news (each article with new contact persons); one more writes
/// the directory and contact persons.
const NEWS_WRITERS: usize = 2;
/// Most rounds a writer runs; they stop sooner, once the exports are taken.
const MAX_ROUNDS: usize = 200;
/// Exports taken while the writers run.
const EXPORTS: usize = 12;

/// What an export holds, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Held {
    contacts: BTreeSet<i64>,
    topics: BTreeSet<i64>,
    websites: BTreeSet<i64>,
    media: BTreeSet<i64>,
    news: BTreeSet<i64>,
    binned: BTreeSet<i64>,
    revisions: usize,
}

impl Held {
    fn of(export: &Export) -> Self {
        let mut held = Self::default();
        for site in &export.sites {
            held.contacts.extend(site.contacts.iter().map(|c| c.id));
            held.topics.extend(site.topics.iter().map(|t| t.id));
            held.websites.extend(site.websites.iter().map(|w| w.id));
            held.media.extend(site.media.iter().map(|m| m.id));
            for article in &site.news {
                held.news.insert(article.id);
                if article.deleted_at.is_some() {
                    held.binned.insert(article.id);
                }
                held.revisions += article.revisions.len();
                // Each save is a revision: versions 1, 2, … with none missing.
                let versions: Vec<i64> = article.revisions.iter().map(|r| r.version).collect();
                assert_eq!(
                    versions,
                    (1..=article.version).collect::<Vec<_>>(),
                    "article {} at version {}: revisions",
                    article.id,
                    article.version
                );
            }
        }
        held
    }

    /// What one committed change leaves.
    fn apply(&mut self, line: &ExportAudit) {
        let id = line.entity_id.expect("every change names what it changed");
        let list = match line.entity.as_str() {
            "contact" => &mut self.contacts,
            "topic" => &mut self.topics,
            "website" => &mut self.websites,
            "media" => &mut self.media,
            "news" => &mut self.news,
            other => panic!("the writers changed no {other}: {line:?}"),
        };
        match (line.action.as_str(), line.entity.as_str()) {
            ("create", "news") => {
                list.insert(id);
                self.revisions += 1;
            }
            ("update", "news") => self.revisions += 1,
            ("delete", "news") => {
                self.binned.insert(id);
            }
            ("create", _) => {
                list.insert(id);
            }
            ("update", _) => {}
            ("delete", _) => {
                list.remove(&id);
            }
            _ => panic!("the writers did not do this: {line:?}"),
        }
    }
}

/// Every audit line of an export, oldest first.
fn history(export: &Export) -> Vec<ExportAudit> {
    let mut lines: Vec<ExportAudit> = export
        .audit_log
        .iter()
        .chain(export.sites.iter().flat_map(|s| s.audit_log.iter()))
        .cloned()
        .collect();
    lines.sort_by_key(|a| a.id);
    lines
}

fn newest(export: &Export) -> i64 {
    history(export).last().map_or(0, |a| a.id)
}

/// Sends an API request and returns the answer's JSON (`null` if none),
/// insisting on `expected`.
async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> Value {
    let body = body.map(|b| b.to_string());
    let page = app.api(method, path, Some(token), body.as_deref()).await;
    assert!(
        page.status.is_success(),
        "{method} {path}: {} {}",
        page.status,
        page.body
    );
    if page.status == StatusCode::NO_CONTENT {
        Value::Null
    } else {
        page.json()
    }
}

fn id(value: &Value) -> i64 {
    value["id"].as_i64().expect("an id")
}

/// News writer `w`: each round creates an article with a new contact person,
/// saves it again with another new one, and bins every third. Returns the
/// rounds done.
async fn write_news(app: Arc<TestApp>, token: String, w: usize, stop: Arc<AtomicBool>) -> usize {
    let mut rounds = 0;
    while rounds < MAX_ROUNDS && !stop.load(Ordering::SeqCst) {
        let i = rounds;
        let title = format!("Øjebliksbillede {w}-{i}");
        let first = json!({
            "title": title,
            "body": "Første udgave.",
            "status": "published",
            "contacts": [{"name": format!("Kontakt {w}-{i}"), "phone": "89 59 10 00"}],
        });
        let article = call(&app, &token, "POST", "/api/v1/news", Some(first)).await;
        let path = format!("/api/v1/news/{}", id(&article));
        let second = json!({
            "title": title,
            "body": "Anden udgave.",
            "status": "published",
            "version": 1,
            "contacts": [
                {"id": id(&article["contacts"][0])},
                {"name": format!("Ny kontakt {w}-{i}")},
            ],
        });
        call(&app, &token, "PUT", &path, Some(second)).await;
        if i % 3 == 0 {
            call(&app, &token, "DELETE", &path, None).await;
        }
        rounds += 1;
    }
    rounds
}

/// The directory writer: each round creates a topic, a website under it and
/// a contact person, and edits the contact person; every other round deletes
/// all three again. Returns the rounds done.
async fn write_directory(app: Arc<TestApp>, token: String, stop: Arc<AtomicBool>) -> usize {
    let mut rounds = 0;
    while rounds < MAX_ROUNDS && !stop.load(Ordering::SeqCst) {
        let i = rounds;
        let topic = json!({"name": format!("Øjebliksemne {i}")});
        let topic = id(&call(&app, &token, "POST", "/api/v1/topics", Some(topic)).await);
        let website = json!({
            "name": format!("Hjemmeside {i}"),
            "url": format!("https://side-{i}.example/"),
            "topics": [topic],
        });
        let website = id(&call(&app, &token, "POST", "/api/v1/sites", Some(website)).await);
        let contact = json!({"name": format!("Kontaktperson {i}")});
        let contact = id(&call(&app, &token, "POST", "/api/v1/contacts", Some(contact)).await);
        let edited = json!({"name": format!("Kontaktperson {i}"), "job_title": "rådgiver"});
        let path = format!("/api/v1/contacts/{contact}");
        call(&app, &token, "PUT", &path, Some(edited)).await;
        if i % 2 == 0 {
            for path in [
                format!("/api/v1/sites/{website}"),
                format!("/api/v1/topics/{topic}"),
                path,
            ] {
                call(&app, &token, "DELETE", &path, None).await;
            }
        }
        rounds += 1;
    }
    rounds
}

/// The media writer: each round uploads an image and describes it anew;
/// every other round deletes it again. Returns the rounds done.
async fn write_media(app: Arc<TestApp>, token: String, stop: Arc<AtomicBool>) -> usize {
    let mut rounds = 0;
    while rounds < MAX_ROUNDS && !stop.load(Ordering::SeqCst) {
        let i = rounds;
        let alt = format!("Havnen set fra molen, billede {i}");
        let page = app
            .upload(
                &token,
                "havn.png",
                &png(60 + i as u32, 40),
                &[("alt", &alt)],
            )
            .await;
        assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
        let media = id(&page.json());
        let path = format!("/api/v1/media/{media}");
        let described = json!({"alt": format!("{alt} i solopgang"), "version": 1});
        call(&app, &token, "PUT", &path, Some(described)).await;
        if i % 2 == 0 {
            call(&app, &token, "DELETE", &path, None).await;
        }
        rounds += 1;
    }
    rounds
}

/// Runs `raadhus export --with-secrets FILE` on `db`.
async fn export_with_the_binary(db: Arc<TestDb>, file: &Path) {
    let path = file.display().to_string();
    let (ok, err) = run(&db, &["export", "--with-secrets", &path]).await;
    assert!(ok, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_taken_while_editors_write_are_snapshots_that_import_whole() {
    let app = Arc::new(TestApp::spawn_with_demo().await);
    let token = app
        .api_token("skribent@vesterfjord.example", "editor")
        .await;
    let files = tempfile::tempdir().unwrap();
    // Nothing writes yet: where the history starts.
    let before = app
        .store
        .export(true, jiff::Timestamp::now())
        .await
        .unwrap();
    let start = newest(&before);

    let stop = Arc::new(AtomicBool::new(false));
    let mut writers: Vec<_> = (0..NEWS_WRITERS)
        .map(|w| tokio::spawn(write_news(app.clone(), token.clone(), w, stop.clone())))
        .collect();
    writers.push(tokio::spawn(write_directory(
        app.clone(),
        token.clone(),
        stop.clone(),
    )));
    writers.push(tokio::spawn(write_media(
        app.clone(),
        token.clone(),
        stop.clone(),
    )));
    let mut files_taken = Vec::new();
    for k in 0..EXPORTS {
        let file = files.path().join(format!("export-{k}.json"));
        export_with_the_binary(app.db.clone(), &file).await;
        files_taken.push(file);
    }
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        assert!(writer.await.expect("writer") > 0, "every writer wrote");
    }
    let after = app
        .store
        .export(true, jiff::Timestamp::now())
        .await
        .unwrap();
    let all = history(&after);
    let end = newest(&after);

    let mut between = 0;
    for file in &files_taken {
        let name = file.display();
        // `import` accepts it…
        let target = TestDb::new().await;
        let (ok, err) = run(&target, &["import", &file.display().to_string()]).await;
        assert!(ok, "{name}: {err}");
        let export = Export::read(&std::fs::read_to_string(file).unwrap()).unwrap();
        let at = newest(&export);
        // …it holds the history up to its newest line, and no further…
        let upto: Vec<ExportAudit> = all.iter().filter(|a| a.id <= at).cloned().collect();
        assert!(
            history(&export) == upto,
            "{name}: not the audit log up to line {at}"
        );
        // …and exactly what that history leaves…
        let mut expected = Held::of(&before);
        for line in all.iter().filter(|a| a.id > start && a.id <= at) {
            expected.apply(line);
        }
        assert_eq!(Held::of(&export), expected, "{name} at audit line {at}");
        // …which the new database now holds.
        let store = target.store().await;
        let copy = store.export(true, export.exported_at).await.unwrap();
        store.close().await;
        assert!(copy == export, "{name}: the import holds something else");
        if start < at && at < end {
            between += 1;
        }
    }
    assert!(
        between >= 2,
        "only {between} of {EXPORTS} exports were taken while the writers ran \
         (audit lines {start}..{end})"
    );
    Arc::into_inner(app).expect("writers are done").stop().await;
}
