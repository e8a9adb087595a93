//! Persistence for Raadhus: one repository API, [`Store`], over the database.
//!
//! Handlers and the binary only ever call `Store` methods; which database and
//! which SQL dialect sits behind it is this crate's business. Every method that
//! touches content takes the [`SiteId`] it belongs to.

mod codec;
mod contacts;
mod directory;
mod import;
mod news;
mod sites;

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlSafeStr;
use sqlx::SqlitePool;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use news::Page;
pub use raadhus_domain::SiteId;

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A value in the database that the domain refuses; the database was changed
    /// outside Raadhus.
    #[error("invalid stored value in {table}.{column}: {detail}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        detail: String,
    },
    /// An input refers to something that does not exist on this site.
    #[error("{0}")]
    UnknownReference(String),
    #[error("unsupported database URL {0:?}: use sqlite://PATH")]
    UnsupportedUrl(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The repository. Cheap to clone; all clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

/// Migrations for SQLite, embedded in the binary.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[(
    1,
    "content",
    include_str!("../migrations/sqlite/0001_content.sql"),
)];

impl Store {
    /// Opens the database at `url` (`sqlite://PATH`), creating the file if it is
    /// missing. SQLite runs in WAL mode with foreign keys enforced.
    pub async fn connect(url: &str) -> Result<Self> {
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        Self::open_sqlite(SqliteConnectOptions::from_str(url)?).await
    }

    /// Opens (creating if missing) the SQLite database file at `path`.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self> {
        Self::open_sqlite(SqliteConnectOptions::new().filename(path)).await
    }

    async fn open_sqlite(options: SqliteConnectOptions) -> Result<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// Applies every migration not yet applied. Safe to run repeatedly.
    pub async fn migrate(&self) -> Result<()> {
        let migrations = SQLITE_MIGRATIONS
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations)
            .run(&self.pool)
            .await?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Waits for open connections to finish and closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
