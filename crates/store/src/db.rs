//! The two databases behind [`Store`]: SQLite (one node, the default) and
//! PostgreSQL (several nodes). The rest of the crate writes one SQL text for
//! both (`$n` placeholders, RFC 3339 text times) and runs it through
//! [`on_pool!`] or [`on_conn!`], which expand it once per backend with the
//! concrete sqlx types; rows are read through [`DbRow`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Connection, PgConnection, Postgres, SqlSafeStr, Sqlite, SqliteConnection};

use raadhus_domain::SiteId;

use crate::journal::{self, Change, Commit, SharedSubscribers};
use crate::migrations;
use crate::{Result, Store, StoreError};

/// Runs `$body` with `$pool` bound to the store's concrete pool.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the concrete connection behind `$conn`
/// (a `&mut Conn`). Use `&mut *$c` as the executor.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite(c) => {
                let $c = &mut **c;
                $body
            }
            $crate::db::Conn::Postgres(c) => {
                let $c = &mut **c;
                $body
            }
        }
    };
}

/// The rows of the site among `$ids` (at most one statement's worth of
/// parameters) that `$sql` selects, each read by `$read` (a function of a
/// row of either database), as a `Result<Vec<_>>`. `$sql` is given the
/// `IN` list's placeholders, after `$1`, the site.
macro_rules! site_rows_by_id {
    ($conn:expr, $site:expr, $ids:expr, $sql:expr, $read:expr) => {{
        let ids: &[i64] = $ids;
        let sql: String = ($sql)($crate::codec::list(ids.len(), 1));
        on_conn!($conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind($site.0);
            for &id in ids {
                query = query.bind(id);
            }
            query
                .fetch_all(&mut *c)
                .await
                .map_err($crate::StoreError::from)
                .and_then(|rows| rows.iter().map($read).collect::<$crate::Result<Vec<_>>>())
        })
    }};
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How the store's connection pool is used at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open, idle or lent out.
    pub open: u32,
    /// Open connections waiting to be lent.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl PoolUse {
    /// Connections lent out now (to a query, a transaction, a listener).
    pub fn in_use(&self) -> u32 {
        self.open.saturating_sub(self.idle)
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A connection of either backend, borrowed from a pool or a transaction.
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// A write transaction of either backend, with the changes it made. Every
/// change a person makes is one of these: begun with [`Store::write`], given
/// its writes (each module of this crate adds the writes of its tables) and
/// its audit line, and committed; dropped uncommitted, it leaves nothing.
pub struct WriteTx {
    db: TxDb,
    /// The changes noted, in order, each once.
    changes: Vec<(SiteId, Change)>,
    /// The same, to tell a change noted before at once.
    noted: HashSet<(SiteId, Change)>,
    subscribers: SharedSubscribers,
}

enum TxDb {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl WriteTx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match &mut self.db {
            TxDb::Sqlite(tx) => Conn::Sqlite(tx),
            TxDb::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    /// Notes a change the public will see once this transaction commits.
    pub(crate) fn changed(&mut self, site: SiteId, change: Change) {
        if self.noted.insert((site, change)) {
            self.changes.push((site, change));
        }
    }

    /// Records the noted changes in the journal, commits, and tells this
    /// process's subscribers before returning.
    pub async fn commit(mut self) -> Result<()> {
        let changes = std::mem::take(&mut self.changes);
        let recorded = journal::record(&mut self.conn(), &changes).await?;
        self.subscribers.tell(Commit::Pending, &recorded);
        let committed = match self.db {
            TxDb::Sqlite(tx) => tx.commit().await,
            TxDb::Postgres(tx) => tx.commit().await,
        };
        if let Err(e) = committed {
            self.subscribers.tell(Commit::Failed, &recorded);
            return Err(e.into());
        }
        self.subscribers.tell(Commit::Done, &recorded);
        Ok(())
    }
}

/// A read-only transaction that sees one snapshot of the database, however
/// many statements it runs and whatever is written meanwhile. Dropped, it
/// rolls back (there is nothing to undo).
pub(crate) struct Snapshot {
    db: TxDb,
}

impl Snapshot {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match &mut self.db {
            TxDb::Sqlite(tx) => Conn::Sqlite(tx),
            TxDb::Postgres(tx) => Conn::Postgres(tx),
        }
    }
}

/// A pooled connection of either backend, for several reads in a row.
pub(crate) enum PoolConn {
    Sqlite(sqlx::pool::PoolConnection<Sqlite>),
    Postgres(sqlx::pool::PoolConnection<Postgres>),
}

impl PoolConn {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Self::Sqlite(c) => Conn::Sqlite(c),
            Self::Postgres(c) => Conn::Postgres(c),
        }
    }
}

/// Reading a column by name from a row of either backend.
pub(crate) trait DbRow {
    fn col<'r, T>(&'r self, name: &str) -> Result<T, sqlx::Error>
    where
        T: sqlx::Decode<'r, Sqlite>
            + sqlx::Type<Sqlite>
            + sqlx::Decode<'r, Postgres>
            + sqlx::Type<Postgres>;
}

/// Both backends' rows read their columns alike.
macro_rules! db_row {
    ($($row:ty),*) => {$(
        impl DbRow for $row {
            fn col<'r, T>(&'r self, name: &str) -> Result<T, sqlx::Error>
            where
                T: sqlx::Decode<'r, Sqlite>
                    + sqlx::Type<Sqlite>
                    + sqlx::Decode<'r, Postgres>
                    + sqlx::Type<Postgres>,
            {
                sqlx::Row::try_get(self, name)
            }
        }
    )*};
}

db_row!(SqliteRow, PgRow);

/// The PostgreSQL channel every content change is announced on (by triggers,
/// see the PostgreSQL migrations); the payload is `schema.table`.
pub const CHANGES_CHANNEL: &str = "raadhus_changes";

/// How long a request waits for a PostgreSQL connection: for a free one
/// under load, or for the server while it is away (sqlx keeps trying to
/// connect meanwhile). Then it fails with [`StoreError::Unavailable`], so a
/// node whose database is down answers `503` at once instead of hanging.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// First key of the transaction-level advisory lock that serialises writers
/// on PostgreSQL, as `BEGIN IMMEDIATE` does on SQLite. The second key is the
/// hash of the current schema: a Raadhus database is one schema, so writers
/// of another schema in the same database (another installation, or another
/// test) never wait for this one's.
const WRITE_LOCK: i32 = 0x5261_6164; // "Raad" in ASCII

impl Store {
    /// Opens the database at `url`: `sqlite://PATH` (the file is created if
    /// missing) or `postgres://…`/`postgresql://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?;
            // An in-memory database has no file to protect.
            if !(url.contains(":memory:") || url.contains("mode=memory")) {
                private_file(options.get_filename());
            }
            Self::open_sqlite(options).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?.application_name("raadhus");
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_with(options)
                .await?;
            Ok(Self {
                db: Db::Postgres(pool),
                subscribers: SharedSubscribers::default(),
            })
        } else {
            Err(StoreError::UnsupportedUrl(url.to_string()))
        }
    }

    /// Opens (creating if missing) the SQLite database file at `path`.
    pub async fn open_sqlite_file(path: &Path) -> Result<Self> {
        private_file(path);
        Self::open_sqlite(SqliteConnectOptions::new().filename(path)).await
    }

    /// SQLite runs in WAL mode with foreign keys enforced. Each commit is
    /// synced to disk before it returns (`synchronous = FULL`), so a save
    /// that was acknowledged survives a power loss, as on PostgreSQL.
    async fn open_sqlite(options: SqliteConnectOptions) -> Result<Self> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_release(|conn, _| {
                Box::pin(async move {
                    // When SQLite rolls a failed COMMIT back by itself (as it
                    // does on SQLITE_FULL), the ROLLBACK sqlx then sends
                    // fails, and sqlx goes on believing the connection is in
                    // a transaction: every later BEGIN on it would fail. The
                    // ping waits for that ROLLBACK; such a connection is
                    // closed rather than kept.
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self {
            db: Db::Sqlite(pool),
            subscribers: SharedSubscribers::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// How the connection pool is used now (read without waiting).
    pub fn pool_use(&self) -> PoolUse {
        on_pool!(self, pool => {
            let open = pool.size();
            PoolUse {
                open,
                // Counted after `open`: never more than it.
                idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(open),
                max: pool.options().get_max_connections(),
            }
        })
    }

    /// Applies every migration not yet applied. Safe to run repeatedly, and on
    /// PostgreSQL safe to run from several nodes at once (sqlx holds an
    /// advisory lock while it migrates).
    pub async fn migrate(&self) -> Result<()> {
        let list = match self.db {
            Db::Sqlite(_) => migrations::SQLITE,
            Db::Postgres(_) => migrations::POSTGRES,
        };
        let migrations = list
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
        let migrator = Migrator::with_migrations(migrations);
        on_pool!(self, pool => migrator.run(pool).await)?;
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// After a bulk write (an import), has PostgreSQL gather the planner's
    /// statistics of the tables such writes fill, rather than wait for the
    /// autovacuum daemon (or for ever, where it is off): without them a
    /// freshly imported database is read with sequential scans (the index
    /// rebuild read each article's contact persons by scanning all of them,
    /// bench/RESULTS.md "Scale"). After every import, however large the
    /// tables already are: one site's articles imported on their own carry a
    /// `site_id` that older statistics know nothing of, and the planner then
    /// walks the wrong index for every one of that site's pages (38 ms
    /// instead of well under 1 ms for a page's last-change time at 100,000
    /// articles over 100 sites, autovacuum off). SQLite plans without
    /// statistics.
    pub(crate) async fn analyze_after_bulk_write(&self) -> Result<()> {
        if let Db::Postgres(pool) = &self.db {
            // Names resolve in the connection's search path: this
            // database's tables only.
            sqlx::query(
                "ANALYZE sites, news, news_contacts, contacts, topics, websites, \
                 website_topics, pages, page_contacts, media, media_uses, page_media_uses, \
                 users, user_sites, redirects, changes",
            )
            .execute(pool)
            .await?;
        }
        Ok(())
    }

    /// Waits for open connections to finish and closes the pool.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }

    /// Begins a transaction that writes. Writers queue for each other: SQLite
    /// takes its write lock at once (`BEGIN IMMEDIATE`), so a transaction that
    /// reads first and writes later waits instead of failing with "database is
    /// locked"; PostgreSQL takes a transaction-level advisory lock, so writes
    /// from several nodes run one after another exactly as on SQLite (editors'
    /// writes are few and short).
    pub async fn write(&self) -> Result<WriteTx> {
        let db = match &self.db {
            Db::Sqlite(pool) => TxDb::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                TxDb::Postgres(tx)
            }
        };
        Ok(WriteTx {
            db,
            changes: Vec::new(),
            noted: HashSet::new(),
            subscribers: self.subscribers.clone(),
        })
    }

    /// Begins a read transaction on one snapshot: SQLite's deferred
    /// transaction reads one snapshot of the WAL from its first statement on;
    /// PostgreSQL is asked for `REPEATABLE READ` (as `pg_dump` does), which
    /// takes its snapshot at the first statement too. Writers commit one after
    /// another (see [`Store::write`]), so the snapshot holds every change up
    /// to one commit and none after. Only what is read through this
    /// transaction's connection belongs to it: a read on any other connection
    /// sees another moment.
    pub(crate) async fn snapshot(&self) -> Result<Snapshot> {
        let db = match &self.db {
            Db::Sqlite(pool) => TxDb::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => TxDb::Postgres(
                pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        };
        Ok(Snapshot { db })
    }

    /// A connection outside any transaction: for several reads in a row, or
    /// one statement that writes.
    pub(crate) async fn pool_conn(&self) -> Result<PoolConn> {
        Ok(match &self.db {
            Db::Sqlite(pool) => PoolConn::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => PoolConn::Postgres(pool.acquire().await?),
        })
    }

    /// Starts listening for content changes made by any node. `None` on
    /// SQLite, where all writers are this process (or a command-line tool on
    /// the same file) and the caller's own polling sees every change.
    pub async fn listen(&self) -> Result<Option<Changes>> {
        match &self.db {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(pool) => {
                let schema: String = sqlx::query_scalar("SELECT current_schema()")
                    .fetch_one(pool)
                    .await?;
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANGES_CHANNEL).await?;
                Ok(Some(Changes {
                    listener,
                    prefix: format!("{schema}."),
                }))
            }
        }
    }

    /// Writes a consistent copy of the SQLite database to `target` while it is
    /// in use (`VACUUM INTO`). `target` must not exist or be empty (an empty
    /// file keeps its mode: create it private first). On PostgreSQL this is
    /// [`StoreError::Unsupported`]: use `pg_dump`.
    pub async fn backup_to(&self, target: &Path) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => {
                let target = target.to_str().ok_or_else(|| {
                    StoreError::Unsupported(format!(
                        "the backup path {} is not valid UTF-8",
                        target.display()
                    ))
                })?;
                sqlx::query("VACUUM INTO $1")
                    .bind(target)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Unsupported(
                "raadhus backup copies SQLite databases; back up PostgreSQL with pg_dump".into(),
            )),
        }
    }
}

/// Creates the SQLite database file at `path`, if missing, readable and
/// writable by its owner alone (mode 0600 on Unix): it holds password hashes
/// and sessions. SQLite gives its `-wal`, `-shm` and `-journal` files the
/// mode of the database file. An existing file keeps the mode its operator
/// gave it, with a warning when every user of the machine may open it.
/// Should the file not be creatable, SQLite's own open says why.
fn private_file(path: &Path) {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    if options.open(path).is_ok() {
        return;
    }
    #[cfg(unix)]
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o777;
        if mode & 0o007 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:04o}"),
                "every user of this machine may open the database file: `chmod 600` it and its \
                 -wal and -shm files"
            );
        }
    }
}

/// Content changes announced by any node (PostgreSQL `LISTEN`).
pub struct Changes {
    listener: PgListener,
    /// `schema.` of this store's tables; changes in other schemas of the same
    /// database are someone else's.
    prefix: String,
}

impl Changes {
    /// Waits for the next change and returns the name of the table that
    /// changed. After a lost connection (notifications may have been missed in
    /// between) it answers `None` and reconnects on the next call: look at
    /// everything again, and wait a little before calling again.
    pub async fn next(&mut self) -> Option<String> {
        loop {
            match self.listener.try_recv().await {
                Ok(Some(notification)) => {
                    if let Some(table) = notification.payload().strip_prefix(&self.prefix) {
                        return Some(table.to_string());
                    }
                }
                Ok(None) => return None,
                Err(e) => {
                    tracing::warn!(error = %e, "lost the change notifications; reconnecting");
                    return None;
                }
            }
        }
    }
}
