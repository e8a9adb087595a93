//! Faults lose nothing: the server killed with `kill -9` in the middle of an
//! import and in the middle of editors' saves, the database stopped while
//! the node serves, and a full disk under the data directory.
//!
//! The kill tests run the real binary on the suite's backend. The database
//! test starts a PostgreSQL server of its own (never the shared one) on both
//! legs; the disk test mounts a small tmpfs (root only) and runs on SQLite
//! there on both legs. Those two need the machine's help: without it they
//! fail in CI (`CI=true`) and are skipped elsewhere with a notice.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, Write};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use raadhus::config::Layer;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;

use crate::cli::raadhus;
use crate::support::{Page, TestApp, TestDb, cannot_run, set_cookie_value};

// ---------------------------------------------------------------------------
// Processes, the database seen from outside, the machine

/// A `raadhus serve` process of the test's own, its stderr collected.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `raadhus serve` on `db` with the data directory `data` (and
    /// the demo content if the database is empty and `demo`), and waits
    /// until it listens.
    async fn start(db: &TestDb, data: &Path, demo: bool) -> Self {
        let mut args = vec![
            "--data".to_string(),
            data.display().to_string(),
            "--database-url".to_string(),
            db.database_url(),
            "--log".to_string(),
            "info,access=warn".to_string(),
            "serve".to_string(),
        ];
        if !demo {
            args.push("--no-demo".to_string());
        }
        let (child, addr, stderr) = tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            crate::cli::start_server(&args, &[])
        })
        .await
        .expect("server start");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap_or_else(|e| e.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        Self { child, addr, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `kill -9`, and waits for the process to be gone.
    fn kill(&mut self) {
        self.child.kill().expect("kill -9");
        let status = self.child.wait().expect("wait");
        assert_eq!(status.signal(), Some(9), "{status}");
    }

    /// Asserts that the process's log shows no panic.
    fn assert_no_panic(&self) {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        assert!(!log.contains("panicked"), "the server panicked:\n{log}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// HTTP calls to a [`Server`], with an API token when there is one.
struct Http {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl Http {
    fn new(server: &Server, token: Option<&str>) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: server.url(""),
            token: token.map(str::to_string),
        }
    }

    /// A request to `path`, with the token.
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Sends `request`; the answer with its body read.
    async fn send(request: reqwest::RequestBuilder) -> reqwest::Result<Page> {
        let response = request.send().await?;
        Ok(Page {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.text().await?,
        })
    }

    /// `method path` with `body` as JSON.
    async fn json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> reqwest::Result<Page> {
        Self::send(
            self.request(method, path)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    /// `GET path` with `cookie` (may be empty).
    async fn get(&self, path: &str, cookie: &str) -> Page {
        Self::send(
            self.request(reqwest::Method::GET, path)
                .header("cookie", cookie),
        )
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `GET path`, which must answer `200` with JSON.
    async fn get_json(&self, path: &str) -> Value {
        let page = self.get(path, "").await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        page.json()
    }

    /// Submits the real sign-in form; the answer and the cookies to send
    /// from then on (the session's, when it worked).
    async fn sign_in(&self, email: &str, password: &str) -> (Page, String) {
        let form = self.get("/admin/login", "").await;
        let token = form.attrs("input[name=_login]", "value").concat();
        let login = format!(
            "raadhus_login={}",
            set_cookie_value(&form, "raadhus_login").expect("login cookie")
        );
        let fields: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("_login", token.as_str()),
                ("email", email),
                ("password", password),
            ])
            .finish();
        let answer = Self::send(
            self.request(reqwest::Method::POST, "/admin/login")
                .header("cookie", &login)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(fields),
        )
        .await
        .expect("sign-in");
        let cookies = match set_cookie_value(&answer, "raadhus_session") {
            Some(session) => format!("raadhus_session={session}; {login}"),
            None => login,
        };
        (answer, cookies)
    }
}

/// The editor the spawned servers are used by.
const EMAIL: &str = "redaktoer@vesterfjord.example";
const PASSWORD: &str = "en god lang adgangskode";

/// Creates the editor in the test's database, before or beside a server,
/// and returns an API token acting as them.
async fn editor_with_token(db: &TestDb) -> String {
    let store = db.store().await;
    let input = raadhus_domain::UserInput::new(EMAIL, "Test Redaktør", "editor").expect("user");
    let usecases = crate::support::usecases_at(&store, jiff::Timestamp::now());
    let cli = raadhus_usecases::Actor::cli();
    let user = usecases
        .create_user(&cli, &input, PASSWORD, &[])
        .await
        .expect("user");
    let (_, token) = usecases
        .create_token(&cli, user.id, "test")
        .await
        .expect("token");
    store.close().await;
    token
}

/// A connection of the test's own to the test's database, beside the
/// application, to look at what is really stored.
pub(crate) enum Raw {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Raw {
    pub(crate) async fn open(db: &TestDb) -> Self {
        match &db.url {
            Some(url) => Self::Postgres(sqlx::PgConnection::connect(url).await.expect("connect")),
            None => Self::Sqlite(
                sqlx::SqliteConnection::connect(&db.database_url())
                    .await
                    .expect("connect"),
            ),
        }
    }

    /// The one integer `sql` answers.
    pub(crate) async fn number(&mut self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Self::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Self::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Runs one statement that answers nothing.
    pub(crate) async fn execute(&mut self, sql: &str) {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Self::Sqlite(c) => sqlx::query(sql).execute(c).await.map(drop),
            Self::Postgres(c) => sqlx::query(sql).execute(c).await.map(drop),
        }
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Rows in `table`.
    async fn count(&mut self, table: &str) -> i64 {
        self.number(&format!("SELECT COUNT(*) FROM {table}")).await
    }

    /// Bytes the database takes on disk, uncommitted writes included: the
    /// SQLite file and its write-ahead log, or the files of the tables of
    /// the PostgreSQL schema (a table grows as rows are inserted, before
    /// they are committed).
    async fn stored_bytes(&mut self, db: &TestDb) -> u64 {
        match self {
            Self::Sqlite(_) => ["raadhus.db", "raadhus.db-wal"]
                .iter()
                .filter_map(|f| std::fs::metadata(db.dir.path().join(f)).ok())
                .map(|m| m.len())
                .sum(),
            Self::Postgres(_) => {
                let bytes = self
                    .number(
                        "SELECT CAST(COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS BIGINT)
                         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                    )
                    .await;
                u64::try_from(bytes).unwrap_or(0)
            }
        }
    }

    /// On SQLite, asserts `PRAGMA integrity_check` finds nothing wrong.
    async fn assert_integrity(&mut self) {
        if let Self::Sqlite(c) = self {
            let result: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(c)
                .await
                .expect("integrity check");
            assert_eq!(result, "ok");
        }
    }
}

/// Whether the tests run as root (tmpfs mounts; PostgreSQL as `postgres`).
fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Runs `command`; its output is the error when it fails.
fn run(command: &mut Command) -> Result<(), String> {
    let out = command.output().map_err(|e| format!("{command:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{command:?}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Polls `check` every 50 ms until it holds or `limit` passes; how long it took.
async fn within<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if check().await {
            return Some(start.elapsed());
        }
        if start.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Titles of the hits of an answer of the API's search.
fn hit_titles(search: &Value) -> Vec<String> {
    search["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["title"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------
// kill -9 in the middle of an import

/// Articles in the export file.
const IMPORTED: usize = 10_000;

/// How much the database must have grown before the import is killed: well
/// inside its one transaction (the whole import writes about ten times as
/// much), so the kill lands in the middle of it.
const GROWTH_BEFORE_KILL: u64 = 4 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_in_the_middle_of_an_import_leaves_nothing_and_the_import_then_succeeds() {
    let db = TestDb::new().await;
    let data = db.dir.path().to_path_buf();
    let file = data.join("synth.json");
    let export = file.clone();
    tokio::task::spawn_blocking(move || raadhus_synth::write_export(IMPORTED, &export))
        .await
        .expect("export task")
        .expect("export written");
    let cli = |args: &[&str]| {
        let mut command = raadhus();
        command
            .args(["--data", &data.display().to_string()])
            .args(["--database-url", &db.database_url(), "--log", "warn"])
            .args(args);
        command
    };
    run(&mut cli(&["migrate"])).expect("migrate");
    let mut raw = Raw::open(&db).await;
    let empty = raw.stored_bytes(&db).await;

    let mut import = cli(&["import", &file.display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("import starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = import.try_wait().expect("import status") {
            panic!("the import ended ({status}) before it could be killed");
        }
        if raw.stored_bytes(&db).await >= empty + GROWTH_BEFORE_KILL {
            break;
        }
        assert!(Instant::now() < deadline, "the import never wrote");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    import.kill().expect("kill -9");
    let status = import.wait().expect("wait");
    assert_eq!(status.signal(), Some(9), "killed, not finished: {status}");

    // It was killed inside its transaction: none of it is there.
    raw.assert_integrity().await;
    for table in [
        "news",
        "news_revisions",
        "contacts",
        "topics",
        "websites",
        "users",
        "audit_log",
    ] {
        assert_eq!(raw.count(table).await, 0, "{table} after the killed import");
    }

    // The same file imports afterwards, all of it.
    run(&mut cli(&["import", &file.display().to_string()])).expect("import again");
    raw.assert_integrity().await;
    assert_eq!(raw.count("news").await, IMPORTED as i64);
    assert_eq!(raw.count("news_revisions").await, IMPORTED as i64);

    // A server shows every article, and its search index finds them.
    let server = Server::start(&db, &data, false).await;
    let http = Http::new(&server, None);
    let list = http.get_json("/api/v1/news").await;
    assert_eq!(list["total"], IMPORTED);
    let probe = http.get(&raadhus_synth::probe_path(), "").await;
    assert_eq!(probe.status, StatusCode::OK);
    let last = list["items"][0]["title"].as_str().expect("a title");
    let q: String = url::form_urlencoded::byte_serialize(last.as_bytes()).collect();
    let found = http.get_json(&format!("/api/v1/search?q={q}")).await;
    assert!(hit_titles(&found).iter().any(|t| t == last), "{found}");
    server.assert_no_panic();
}

// ---------------------------------------------------------------------------
// kill -9 during editors' saves

/// One version of an article as a client sent it.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    version: i64,
    title: String,
    body: String,
}

/// An article the clients wrote: the versions the server acknowledged, and
/// the save whose answer never came because the server was killed.
#[derive(Debug, Default)]
struct Written {
    id: Option<i64>,
    slug: Option<String>,
    acknowledged: Vec<Sent>,
    unanswered: Option<Sent>,
}

/// Clients saving at once.
const CLIENTS: usize = 4;
/// Acknowledged saves before the kill.
const SAVES_BEFORE_KILL: usize = 40;

/// What the clients share.
struct Saving {
    http: Http,
    written: Mutex<Vec<Written>>,
    acknowledged: AtomicUsize,
    in_flight: AtomicUsize,
    killed_at: OnceLock<Instant>,
}

impl Saving {
    fn written(&self) -> std::sync::MutexGuard<'_, Vec<Written>> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How a save ended.
enum Outcome {
    Saved(Value),
    /// No answer: the server was killed. `in_flight`: it was sent before.
    Unanswered {
        in_flight: bool,
    },
}

/// Sends one save; an error before the kill fails the test.
async fn save(
    saving: &Saving,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> Result<Outcome, String> {
    let sent_at = Instant::now();
    saving.in_flight.fetch_add(1, Ordering::SeqCst);
    let answer = saving.http.json(method, path, &body).await;
    saving.in_flight.fetch_sub(1, Ordering::SeqCst);
    match answer {
        Ok(page) if page.status.is_success() => {
            saving.acknowledged.fetch_add(1, Ordering::SeqCst);
            serde_json::from_str(&page.body)
                .map(Outcome::Saved)
                .map_err(|e| format!("{e}: {}", page.body))
        }
        Ok(page) => Err(format!("{path}: {} {}", page.status, page.body)),
        Err(e) => match saving.killed_at.get() {
            Some(&killed) => Ok(Outcome::Unanswered {
                in_flight: sent_at < killed,
            }),
            None => Err(format!("{path}: {e} (before the kill)")),
        },
    }
}

/// One client: creates an article, edits it three times, and again, until
/// the server dies. Returns whether its last save was in flight then.
async fn client_saves(saving: Arc<Saving>, who: usize) -> Result<bool, String> {
    for n in 0.. {
        let text = |version: i64| {
            let word = format!("ord{who}x{n}v{version}");
            (
                format!("Nyhed {who}-{n} udgave {version} {word}"),
                format!("Brødtekst med {word}, udgave {version}."),
            )
        };
        let (title, body) = text(1);
        let slot = {
            let mut written = saving.written();
            written.push(Written {
                unanswered: Some(Sent {
                    version: 1,
                    title: title.clone(),
                    body: body.clone(),
                }),
                ..Written::default()
            });
            written.len() - 1
        };
        let request = json!({"title": title, "body": body, "status": "published"});
        let created = match save(&saving, reqwest::Method::POST, "/api/v1/news", request).await? {
            Outcome::Saved(article) => article,
            Outcome::Unanswered { in_flight } => return Ok(in_flight),
        };
        let id = created["id"].as_i64().ok_or("no id")?;
        let slug = created["slug"].as_str().ok_or("no slug")?.to_string();
        {
            let mut written = saving.written();
            let w = &mut written[slot];
            w.id = Some(id);
            w.slug = Some(slug.clone());
            w.acknowledged.extend(w.unanswered.take());
        }
        for version in 2..=4 {
            let (title, body) = text(version);
            saving.written()[slot].unanswered = Some(Sent {
                version,
                title: title.clone(),
                body: body.clone(),
            });
            let request = json!({"title": title, "body": body, "status": "published",
                                 "slug": slug, "version": version - 1});
            let path = format!("/api/v1/news/{id}");
            match save(&saving, reqwest::Method::PUT, &path, request).await? {
                Outcome::Saved(article) if article["version"] == version => {
                    let mut written = saving.written();
                    let w = &mut written[slot];
                    w.acknowledged.extend(w.unanswered.take());
                }
                Outcome::Saved(article) => return Err(format!("saved as {article}")),
                Outcome::Unanswered { in_flight } => return Ok(in_flight),
            }
        }
    }
    Ok(false)
}

/// Every article on the server as the API gives it, by id.
async fn stored_articles(http: &Http) -> BTreeMap<i64, Value> {
    let mut all = BTreeMap::new();
    for page in 1.. {
        let list = http.get_json(&format!("/api/v1/news?page={page}")).await;
        let items = list["items"].as_array().cloned().unwrap_or_default();
        if items.is_empty() {
            break;
        }
        for item in items {
            let id = item["id"].as_i64().expect("id");
            all.insert(id, http.get_json(&format!("/api/v1/news/{id}")).await);
        }
    }
    all
}

fn sent_as_stored(article: &Value) -> Sent {
    Sent {
        version: article["version"].as_i64().expect("version"),
        title: article["title"].as_str().expect("title").to_string(),
        body: article["body"].as_str().expect("body").to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_editors_saves_keeps_every_acknowledged_save_and_nothing_half_written() {
    let db = TestDb::new().await;
    let data = db.dir.path().to_path_buf();
    let token = editor_with_token(&db).await;
    let mut server = Server::start(&db, &data, false).await;
    let saving = Arc::new(Saving {
        http: Http::new(&server, Some(&token)),
        written: Mutex::new(Vec::new()),
        acknowledged: AtomicUsize::new(0),
        in_flight: AtomicUsize::new(0),
        killed_at: OnceLock::new(),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|who| tokio::spawn(client_saves(saving.clone(), who)))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while saving.acknowledged.load(Ordering::SeqCst) < SAVES_BEFORE_KILL
        || saving.in_flight.load(Ordering::SeqCst) == 0
    {
        assert!(Instant::now() < deadline, "the saves did not get going");
        assert!(
            !clients.iter().any(tokio::task::JoinHandle::is_finished),
            "a client stopped before the kill"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let _ = saving.killed_at.set(Instant::now());
    server.kill();
    let mut in_flight = 0;
    for client in clients {
        if client
            .await
            .expect("client task")
            .unwrap_or_else(|e| panic!("{e}"))
        {
            in_flight += 1;
        }
    }
    assert!(
        in_flight > 0,
        "no save was in flight when the server was killed"
    );

    // Started again on the same database and data directory.
    let server = Server::start(&db, &data, false).await;
    let http = Http::new(&server, Some(&token));
    let stored = stored_articles(&http).await;
    let written = std::mem::take(&mut *saving.written());
    let mut accounted = 0;
    for w in &written {
        let Some(id) = w.id else {
            // A create that was never answered: there in full, or not at all.
            let sent = w.unanswered.as_ref().expect("an unanswered create");
            if let Some(article) = stored.values().find(|a| a["title"] == sent.title.as_str()) {
                assert_eq!(&sent_as_stored(article), sent);
                accounted += 1;
            }
            continue;
        };
        let article = stored
            .get(&id)
            .unwrap_or_else(|| panic!("acknowledged article {id} is gone"));
        accounted += 1;
        let now = sent_as_stored(article);
        let last = w.acknowledged.last().expect("acknowledged");
        // The last acknowledged version, or the unanswered save after it.
        assert!(
            &now == last || w.unanswered.as_ref() == Some(&now),
            "article {id} is {now:?}; acknowledged {last:?}, unanswered {:?}",
            w.unanswered
        );
        // Every acknowledged version is in its history, as it was sent.
        let revisions = http.get_json(&format!("/api/v1/news/{id}/revisions")).await;
        let history: HashMap<i64, &str> = revisions["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|r| {
                (
                    r["version"].as_i64().expect("v"),
                    r["title"].as_str().expect("t"),
                )
            })
            .collect();
        assert_eq!(
            history.len() as i64,
            now.version,
            "article {id}: {history:?}"
        );
        for sent in &w.acknowledged {
            assert_eq!(history.get(&sent.version), Some(&sent.title.as_str()));
        }
        assert_eq!(w.slug.as_deref(), article["slug"].as_str());
    }
    assert_eq!(accounted, stored.len(), "articles nobody sent are stored");

    // Nothing half-written: each article has one revision and one audit line
    // per version, its newest revision is the article, and the change journal
    // names it.
    let mut raw = Raw::open(&db).await;
    raw.assert_integrity().await;
    for (what, sql) in [
        (
            "articles whose revisions do not match their version",
            "SELECT COUNT(*) FROM news n
             WHERE n.version <> (SELECT COUNT(*) FROM news_revisions r WHERE r.news_id = n.id)",
        ),
        (
            "articles whose audit lines do not match their version",
            "SELECT COUNT(*) FROM news n
             WHERE n.version <> (SELECT COUNT(*) FROM audit_log a
                                 WHERE a.entity = 'news' AND a.entity_id = n.id)",
        ),
        (
            "articles unlike their newest revision",
            "SELECT COUNT(*) FROM news n
             JOIN news_revisions r ON r.news_id = n.id AND r.version = n.version
             WHERE r.title <> n.title OR r.body <> n.body",
        ),
        (
            "articles missing from the change journal",
            "SELECT COUNT(*) FROM news n WHERE NOT EXISTS
                 (SELECT 1 FROM changes c WHERE c.entity = 'news' AND c.entity_id = n.id)",
        ),
    ] {
        assert_eq!(raw.number(sql).await, 0, "{what}");
    }

    // The search index caught up with everything, edits included.
    for article in stored.values() {
        let title = article["title"].as_str().expect("title");
        let word = title.rsplit(' ').next().expect("a word");
        let search = http.get_json(&format!("/api/v1/search?q={word}")).await;
        assert!(
            hit_titles(&search).iter().any(|t| t == title),
            "{word}: {search}"
        );
    }
    // And saving works again.
    let (&id, article) = stored.iter().next().expect("an article");
    let edit = json!({"title": "Efter genstarten", "body": "Gemt igen.", "status": "published",
                      "slug": article["slug"], "version": article["version"]});
    let saved = http
        .json(reqwest::Method::PUT, &format!("/api/v1/news/{id}"), &edit)
        .await
        .expect("save");
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    server.assert_no_panic();
}

// ---------------------------------------------------------------------------
// The database stops while the node serves

/// A PostgreSQL server of the test's own in a temporary directory (never
/// the shared one), listening on 127.0.0.1 only; stopped when dropped.
struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    /// Run as the `postgres` user (the tests run as root).
    as_postgres: bool,
}

/// The directory with `initdb` and `pg_ctl`: on the `PATH`, or Debian's
/// newest `/usr/lib/postgresql/N/bin`.
fn postgres_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .collect();
    debian.sort();
    on_path
        .into_iter()
        .chain(debian.into_iter().rev().map(|(_, dir)| dir))
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

impl PrivatePostgres {
    /// Creates the cluster (`initdb`) on a free port. Not started.
    fn create() -> Result<Self, String> {
        let bin = postgres_bin().ok_or(
            "PostgreSQL's initdb and pg_ctl were not found (PATH, /usr/lib/postgresql/*/bin)",
        )?;
        let as_postgres = running_as_root();
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let home = dir.path().join("pg");
        std::fs::create_dir(&home).map_err(|e| e.to_string())?;
        if as_postgres {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
                .map_err(|e| e.to_string())?;
            run(Command::new("chown").arg("postgres:").arg(&home))?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let cluster = Self {
            data: home.join("data"),
            dir,
            bin,
            port,
            as_postgres,
        };
        run(cluster
            .command("initdb")
            .arg("-D")
            .arg(&cluster.data)
            .args([
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]))?;
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(cluster.data.join("postgresql.conf"))
            .map_err(|e| e.to_string())?;
        writeln!(
            conf,
            "port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off"
        )
        .map_err(|e| e.to_string())?;
        Ok(cluster)
    }

    /// `program` of the PostgreSQL binaries, as the user that owns the cluster.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command.current_dir(self.dir.path());
        command
    }

    fn start(&self) {
        let log = self.data.with_file_name("log");
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "start"]))
        .unwrap_or_else(|e| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("the private PostgreSQL did not start: {e}\n{log}")
        });
    }

    /// Stops the server at once, as a crash would (`-m immediate`).
    fn stop_immediately(&self) -> Result<(), String> {
        run(self.command("pg_ctl").arg("-D").arg(&self.data).args([
            "-m",
            "immediate",
            "-w",
            "stop",
        ]))
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let _ = self.stop_immediately();
    }
}

/// The longest any answer may take while the database is away: the pool
/// gives up on connecting after 3 s.
const BOUNDED: Duration = Duration::from_secs(6);

/// `request`, which must answer within [`BOUNDED`].
async fn answers_in_time(
    request: impl std::future::Future<Output = reqwest::Result<Page>>,
) -> Page {
    let start = Instant::now();
    let page = tokio::time::timeout(BOUNDED * 2, request)
        .await
        .expect("no answer: the request hangs")
        .expect("an answer");
    assert!(
        start.elapsed() < BOUNDED,
        "answered after {:?}",
        start.elapsed()
    );
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopping_while_serving_gives_cached_pages_or_a_clear_503_and_the_node_recovers() {
    let cluster = match PrivatePostgres::create() {
        Ok(cluster) => cluster,
        Err(why) => return cannot_run(&format!("no private PostgreSQL server: {why}")),
    };
    cluster.start();
    let db = TestDb::postgres(&cluster.url()).await;
    let token = editor_with_token(&db).await;
    let server = Server::start(&db, db.dir.path(), true).await;
    let http = Http::new(&server, None);
    let api = Http::new(&server, Some(&token));
    let (signed_in, session) = http.sign_in(EMAIL, PASSWORD).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    let list = http.get_json("/api/v1/news").await;
    let article = format!(
        "/nyheder/{}",
        list["items"][0]["slug"].as_str().expect("slug")
    );
    let cached = ["/", "/nyheder", "/hjemmesider", article.as_str()];
    let mut before = Vec::new();
    for path in cached {
        http.get(path, "").await;
        let page = http.get(path, "").await;
        assert_eq!(page.header("x-cache"), Some("hit"), "{path}");
        before.push(page.body);
    }

    cluster.stop_immediately().expect("PostgreSQL stops");
    // Pages in the render cache are still served, exactly as before.
    for (path, body) in cached.iter().zip(&before) {
        let page = answers_in_time(Http::send(http.request(reqwest::Method::GET, path))).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(&page.body, body, "{path}");
    }
    // Everything else is a clear 503 at once: a Danish page for people, JSON
    // for programs, and the health check says why.
    let new_article = json!({"title": "Under nedbruddet", "body": "Tekst", "status": "published"});
    let (uncached, admin, api_read, api_save, health) = tokio::join!(
        answers_in_time(Http::send(
            http.request(reqwest::Method::GET, "/nyheder?side=2")
        )),
        answers_in_time(Http::send(
            http.request(reqwest::Method::GET, "/admin/nyheder")
                .header("cookie", &session)
        )),
        answers_in_time(Http::send(
            api.request(reqwest::Method::GET, "/api/v1/news")
        )),
        answers_in_time(api.json(reqwest::Method::POST, "/api/v1/news", &new_article)),
        answers_in_time(Http::send(http.request(reqwest::Method::GET, "/healthz"))),
    );
    let (sign_in, _) = http.sign_in(EMAIL, PASSWORD).await;
    for page in [&uncached, &admin, &sign_in] {
        assert_eq!(
            page.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            page.body
        );
        assert_eq!(page.header("retry-after"), Some("5"));
        assert!(
            page.header("content-type")
                .is_some_and(|t| t.starts_with("text/html"))
        );
        assert_eq!(page.texts("h1"), ["Siden er midlertidigt utilgængelig"]);
        assert!(page.body.contains("Prøv igen om lidt"), "{}", page.body);
    }
    for page in [&api_read, &api_save] {
        assert_eq!(
            page.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            page.body
        );
        assert_eq!(page.header("retry-after"), Some("5"));
        assert!(
            page.json()["error"]
                .as_str()
                .is_some_and(|e| e.contains("unavailable"))
        );
    }
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.json()["database"], "unavailable");

    // The database returns: the node recovers by itself.
    cluster.start();
    let recovered = within(Duration::from_secs(10), || async {
        http.get("/healthz", "").await.status == StatusCode::OK
    })
    .await;
    assert!(recovered.is_some(), "/healthz never recovered");
    assert_eq!(http.get("/nyheder?side=2", "").await.status, StatusCode::OK);
    assert_eq!(
        http.get("/admin/nyheder", &session).await.status,
        StatusCode::OK
    );
    let saved = api
        .json(reqwest::Method::POST, "/api/v1/news", &new_article)
        .await
        .expect("save");
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    // The journal follower listens again: a change written beside the node
    // arrives by announcement, long before its five-second safety poll.
    let store = db.store().await;
    let site = store
        .primary_site("unused", jiff::Timestamp::now())
        .await
        .expect("site")
        .id;
    for word in ["genopstandelse", "genforbindelse"] {
        let title = format!("Efter nedbruddet: {word}");
        let form = crate::support::published(&title, "01.03.2026");
        crate::support::save_news_at(&store, site, form, jiff::Timestamp::now()).await;
        let took = within(Duration::from_secs(10), || async {
            hit_titles(&http.get_json(&format!("/api/v1/search?q={word}")).await).contains(&title)
        })
        .await
        .unwrap_or_else(|| panic!("{title:?} never reached the index"));
        assert!(
            took < Duration::from_millis(1500),
            "{title:?} took {took:?}"
        );
    }
    store.close().await;
    server.assert_no_panic();
}

// ---------------------------------------------------------------------------
// A full disk

/// Size of the test's file system: room for the database and the index.
const DISK_BYTES: u64 = 16 * 1024 * 1024;
/// Room left when the disk is filled: a few saves' worth.
const ROOM: u64 = 256 * 1024;

/// A tmpfs mounted for the test, unmounted when dropped (also on a panic).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(bytes: u64) -> Result<Self, String> {
        if !running_as_root() {
            return Err("mounting a tmpfs needs root".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        run(Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={bytes}"),
                "raadhus-test",
            ])
            .arg(dir.path()))?;
        Ok(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        if run(Command::new("umount").arg(self.dir.path())).is_err() {
            // Still in use (a panic left the server running): detach now,
            // freed when the last file closes.
            let _ = run(Command::new("umount").arg("-l").arg(self.dir.path()));
        }
    }
}

/// Fills the file system of `path` with that file, leaving `room` bytes.
fn fill(path: &Path, room: u64) -> std::fs::File {
    let mut file = std::fs::File::create(path).expect("filler");
    let chunk = vec![0x5a_u8; 64 * 1024];
    let mut written = 0_u64;
    loop {
        match file.write(&chunk) {
            Ok(0) => break,
            Ok(n) => written += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling: {e}"),
        }
    }
    file.set_len(written.saturating_sub(room)).expect("room");
    file
}

/// The fields of a new article in the admin form.
fn news_form(title: &str) -> Vec<(&str, &str)> {
    vec![
        ("action", "save"),
        ("title", title),
        ("body", "Brødtekst, der ikke må gå tabt."),
        ("news_date", "02.03.2026"),
        ("status", "published"),
    ]
}

/// Every article stored: id, version, title and body.
async fn everything_stored(app: &TestApp) -> Vec<(i64, i64, String, String)> {
    let (rows, _) = app
        .store
        .news_rows(
            app.site,
            &raadhus_store::NewsFilter::default(),
            jiff::Timestamp::now(),
            raadhus_store::Page {
                number: 1,
                size: 10_000,
            },
        )
        .await
        .expect("news");
    let mut all = Vec::new();
    for row in rows {
        let a = app
            .store
            .news_by_id(app.site, row.summary.id)
            .await
            .expect("article")
            .expect("there");
        all.push((a.id, a.version, a.content.title, a.content.body));
    }
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_saves_clearly_and_loses_nothing() {
    let disk = match Tmpfs::mount(DISK_BYTES) {
        Ok(disk) => disk,
        Err(why) => return cannot_run(&format!("no tmpfs for the data directory: {why}")),
    };
    let layer = Layer {
        demo: Some(false),
        data_dir: Some(disk.path().to_path_buf()),
        database_url: Some(format!(
            "sqlite://{}",
            disk.path().join("raadhus.db").display()
        )),
        ..Layer::default()
    };
    let app = TestApp::spawn_on(TestDb::sqlite(), layer).await;
    let session = app.editor().await;
    let token = app.api_token("robot@vesterfjord.example", "editor").await;
    for i in 0..5 {
        let title = format!("Gemt før {i}");
        let page = app
            .post_as(&session, "/admin/nyheder/ny", &news_form(&title))
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    }
    let before = everything_stored(&app).await;

    // Fill the disk, then save until it is full.
    let filler_path = disk.path().join("fyld");
    let filler = fill(&filler_path, ROOM);
    let mut saved = Vec::new();
    let mut refused = None;
    for i in 0..1000 {
        let title = format!("Gemt under fyldningen {i}");
        let page = app
            .post_as(&session, "/admin/nyheder/ny", &news_form(&title))
            .await;
        if page.status == StatusCode::SEE_OTHER {
            saved.push(title);
        } else {
            refused = Some((title, page));
            break;
        }
    }
    let (title, page) = refused.expect("the disk never filled up");

    // The editor is told why, with what they wrote still in the form.
    assert_eq!(
        page.status,
        StatusCode::INSUFFICIENT_STORAGE,
        "{}",
        page.body
    );
    let summary = page.texts(".error-summary").join(" ");
    assert!(
        summary.contains("ikke er mere plads på serverens disk"),
        "{summary}"
    );
    assert_eq!(page.attrs("input#title", "value"), [title.as_str()]);
    assert_eq!(
        page.texts("textarea#body"),
        ["Brødtekst, der ikke må gå tabt."]
    );
    // The API says so in JSON; reading with a token still works.
    let body = json!({"title": "Via API'et", "body": "Tekst", "status": "published"}).to_string();
    let api = app
        .api("POST", "/api/v1/news", Some(&token), Some(&body))
        .await;
    assert_eq!(api.status, StatusCode::INSUFFICIENT_STORAGE, "{}", api.body);
    assert!(
        api.json()["error"]
            .as_str()
            .is_some_and(|e| e.contains("disk is full"))
    );
    let first = before.first().expect("stored").0;
    let read = app
        .api("GET", &format!("/api/v1/news/{first}"), Some(&token), None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    // The server keeps serving.
    for path in ["/", "/nyheder", "/healthz", "/admin/nyheder"] {
        assert_eq!(
            app.get_as(&session, path).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    // Nothing stored was lost or changed, and nothing was half-written.
    let mut raw = Raw::Sqlite(
        sqlx::SqliteConnection::connect(&format!(
            "sqlite://{}",
            disk.path().join("raadhus.db").display()
        ))
        .await
        .expect("connect"),
    );
    raw.assert_integrity().await;
    let stored = everything_stored(&app).await;
    assert!(
        before.iter().all(|a| stored.contains(a)),
        "{before:?}\n{stored:?}"
    );
    let mut titles: Vec<&str> = stored.iter().map(|(_, _, t, _)| t.as_str()).collect();
    let mut expected: Vec<&str> = before.iter().map(|(_, _, t, _)| t.as_str()).collect();
    expected.extend(saved.iter().map(String::as_str));
    titles.sort_unstable();
    expected.sort_unstable();
    assert_eq!(titles, expected);

    // Room again: saves work, and the search index catches up with every
    // article (its writes may have failed on the full disk too).
    drop(filler);
    std::fs::remove_file(&filler_path).expect("filler removed");
    let page = app
        .post_as(&session, "/admin/nyheder/ny", &news_form(&title))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let api = app
        .api("POST", "/api/v1/news", Some(&token), Some(&body))
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let all = everything_stored(&app).await;
    assert_eq!(all.len(), stored.len() + 2);
    for (_, _, title, _) in &all {
        let q: String = url::form_urlencoded::byte_serialize(title.as_bytes()).collect();
        let found = within(Duration::from_secs(10), || async {
            hit_titles(&app.get(&format!("/api/v1/search?q={q}")).await.json()).contains(title)
        })
        .await;
        assert!(found.is_some(), "{title:?} is not found");
    }
    app.stop().await;
}

/// A request that meets a value stored outside Raadhus answers a plain 500,
/// and the log line says the whole cause, not only its last link.
#[tokio::test]
async fn a_server_error_is_logged_with_its_whole_cause() {
    let db = TestDb::new().await;
    let data = tempfile::tempdir().expect("temp dir");
    let server = Server::start(&db, data.path(), true).await;
    let http = Http::new(&server, None);
    assert_eq!(http.get("/nyheder", "").await.status, StatusCode::OK);
    let mut raw = Raw::open(&db).await;
    raw.execute("UPDATE news SET news_date = 'ikke en dato'")
        .await;
    let page = http.get("/nyheder?side=2", "").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(
        !page.body.contains("news_date"),
        "the cause is not shown to the public"
    );
    let logged = within(Duration::from_secs(5), || async {
        let log = server.log.lock().unwrap_or_else(|e| e.into_inner());
        log.contains("the database failed: invalid stored value in news.news_date")
    })
    .await;
    let log = server.log.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(logged.is_some(), "the log lacks the cause:\n{log}");
}
