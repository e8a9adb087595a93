//! The database each test runs on: a SQLite file in the test's own directory,
//! or, when `RAADHUS_TEST_DATABASE_URL` names a PostgreSQL database, a schema
//! of its own there (dropped when the test ends). `scripts/test` runs the whole
//! suite once per backend.

use std::sync::atomic::{AtomicU32, Ordering};

use raadhus::config::Layer;
use sqlx::Connection;

/// Names the PostgreSQL database to test against.
pub const POSTGRES_ENV: &str = "RAADHUS_TEST_DATABASE_URL";

/// The PostgreSQL server the suite was asked to use, if any.
pub fn postgres_base() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

pub struct TestDb {
    /// Data directory of the node(s); holds the SQLite file when on SQLite.
    pub dir: tempfile::TempDir,
    /// `RAADHUS_DATABASE_URL` for this test, `None` for the SQLite file in `dir`.
    pub url: Option<String>,
    /// (server URL, schema) to drop at the end.
    schema: Option<(String, String)>,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A fresh database on the backend the suite runs on.
    pub async fn new() -> Self {
        match postgres_base() {
            Some(base) => Self::postgres(&base).await,
            None => Self::sqlite(),
        }
    }

    pub fn sqlite() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            url: None,
            schema: None,
        }
    }

    /// A fresh schema in the PostgreSQL database at `base`. Panics when the
    /// server cannot be reached: a PostgreSQL run never silently falls back.
    pub async fn postgres(base: &str) -> Self {
        let schema = format!(
            "test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            jiff::Timestamp::now().subsec_nanosecond()
        );
        let mut conn = sqlx::PgConnection::connect(base)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={base} is not reachable: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .expect("create schema");
        let _ = conn.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
            url: Some(format!("{base}{separator}options[search_path]={schema}")),
            schema: Some((base.to_string(), schema)),
        }
    }

    /// Configuration for a node on this database, with its own data directory
    /// `data` (several nodes share the database, not the directory).
    pub fn layer(&self, data: &std::path::Path) -> Layer {
        Layer {
            bind: Some("127.0.0.1:0".into()),
            data_dir: Some(data.to_path_buf()),
            database_url: Some(self.database_url()),
            log: Some("warn".into()),
            // No background link checks unless a test asks for them.
            links_interval_hours: Some("0".into()),
            ..Layer::default()
        }
    }

    /// `RAADHUS_DATABASE_URL` for this database.
    pub fn database_url(&self) -> String {
        self.url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.dir.path().join("raadhus.db").display()))
    }

    /// Runs `sql` on this database behind the application's back: no
    /// journal entry tells any node of it.
    pub async fn execute(&self, sql: &'static str) {
        let url = self.database_url();
        if url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        } else {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }

    /// A store of its own on this database.
    pub async fn store(&self) -> raadhus_store::Store {
        let store = match &self.url {
            Some(url) => raadhus_store::Store::connect(url).await,
            None => {
                raadhus_store::Store::open_sqlite_file(&self.dir.path().join("raadhus.db")).await
            }
        }
        .expect("store opens");
        store.migrate().await.expect("migrations");
        store
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((base, schema)) = self.schema.take() else {
            return;
        };
        // Drop runs outside any runtime's async context: use a thread of its
        // own. It waits for locks at most a second: a test that ends without
        // stopping its app drops this while the app's tasks (a scheduler
        // transaction holding locks, say) still live on the test's runtime,
        // which this very drop blocks. Then the schema is dropped from a
        // detached thread once the test's runtime has let go.
        let attempt = {
            let (base, schema) = (base.clone(), schema.clone());
            move || drop_schema(&base, &schema)
        };
        if matches!(std::thread::spawn(attempt).join(), Ok(Some(()))) {
            return;
        }
        std::thread::spawn(move || {
            for _ in 0..60 {
                if drop_schema(&base, &schema).is_some() {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            eprintln!("note: could not drop test schema {schema}");
        });
    }
}

/// Drops `schema`, waiting at most a second for its locks.
fn drop_schema(base: &str, schema: &str) -> Option<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async {
        let mut conn = sqlx::PgConnection::connect(base).await.ok()?;
        sqlx::query("SET lock_timeout = '1s'")
            .execute(&mut conn)
            .await
            .ok()?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(&mut conn)
        .await
        .ok()
        .map(drop)
    })
}
