//! Persistence for Raadhus: one repository API, [`Store`], over the database.
//!
//! Handlers and the binary only ever call `Store` methods; which database and
//! which SQL dialect sits behind it is this crate's business. Every method that
//! touches content takes the [`SiteId`] it belongs to.

#[macro_use]
mod db;
mod access;
mod best_bets;
mod bundle;
mod codec;
mod contacts;
mod counting;
mod directory;
mod export;
mod export_media;
mod export_pages;
mod export_redirects;
mod feedback;
mod import;
mod import_site;
mod journal;
mod link_checks;
mod links;
mod media;
mod migrations;
mod news;
mod old_paths;
mod owner;
mod pages;
mod redirects;
mod schedule;
mod settings;
mod sites;
mod users;

pub use counting::{Missed, Tally, Viewed};
pub use db::{Backend, Changes, PoolUse, WriteTx};
pub use feedback::{FeedbackComment, FeedbackRow, FeedbackTally};
pub use import_site::ImportedUsers;
pub use journal::{Change, Commit, JournalState, Recorded};
pub use media::{MediaFilter, MediaRevision, MediaUse, NewMedia};
pub use owner::{BodyUse, Owner};

pub use news::{BinnedNews, NewsFilter, NewsRow, Page, PublicDocument, Revision, Unrendered};
pub use old_paths::OldPathTarget;
pub use pages::{BinnedPage, PageRevision};
pub use raadhus_domain::SiteId;
pub use schedule::{Scheduled, Transition};
pub use users::{Audit, Session};

use db::{Conn, Db, DbRow};

/// Everything that can go wrong in the store. Each error says its own part;
/// the database's own error is its [`std::error::Error::source`].
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// The database cannot be reached: it is stopped or restarting, the
    /// network is down, or no connection came free in time. Nothing was
    /// written; the same request may work a little later.
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    /// The database's disk is full (SQLite `SQLITE_FULL`, PostgreSQL
    /// `53100 disk_full`): the change was not written, and what is stored
    /// is unchanged. Reading still works.
    #[error("the database's disk is full")]
    DiskFull(#[source] sqlx::Error),
    #[error("migration failed")]
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
    /// The item does not exist (or is in the bin).
    #[error("not found")]
    NotFound,
    /// The change breaks a rule only the stored content can tell (a page
    /// moved under itself); the messages are Danish, per field.
    #[error("invalid input: {0}")]
    Invalid(raadhus_domain::ValidationErrors),
    /// Another item of the site already has this slug.
    #[error("the slug {0:?} is taken")]
    SlugTaken(String),
    /// A save based on a version that is no longer the newest: someone saved
    /// meanwhile. Nothing was written.
    #[error("the item is at version {current}, not {expected}")]
    Stale { expected: i64, current: i64 },
    /// The item cannot be deleted while these (titles or names) refer to it.
    #[error("in use by {}", .0.join(", "))]
    InUse(Vec<String>),
    /// The change clashes with what is stored (a unique value taken).
    #[error("{0}")]
    Conflict(String),
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://USER@HOST/DATABASE")]
    UnsupportedUrl(String),
    /// The operation needs the other backend (e.g. a file backup of PostgreSQL).
    #[error("{0}")]
    Unsupported(String),
    /// An import that cannot be loaded; nothing was written.
    #[error("{0}")]
    Import(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    /// Tells a full disk and an unreachable database from other failures.
    fn from(e: sqlx::Error) -> Self {
        if is_disk_full(&e) {
            Self::DiskFull(e)
        } else if is_unavailable(&e) {
            Self::Unavailable(e)
        } else {
            Self::Database(e)
        }
    }
}

/// SQLite's result code `SQLITE_FULL`.
const SQLITE_FULL: &str = "13";
/// PostgreSQL's SQLSTATE `disk_full`.
const POSTGRES_DISK_FULL: &str = "53100";

fn is_disk_full(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| code == SQLITE_FULL || code == POSTGRES_DISK_FULL)
}

/// No connection, a lost connection, or a server that is shutting down or
/// starting (PostgreSQL SQLSTATE class `08`, and `57P01`–`57P03`).
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.len() == 5
                && (code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03"))
        }),
        _ => false,
    }
}

/// The repository. Cheap to clone; all clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    /// This process's subscribers to committed changes, shared by all clones.
    subscribers: journal::SharedSubscribers,
}

impl WriteTx {
    /// Deletes row `id` of `table` on `site`, unless `used_by` names what
    /// still refers to it ([`StoreError::InUse`]). A missing row is
    /// `NotFound`; a reference the check did not see is refused by the
    /// database's foreign keys, and also answers `InUse`.
    pub(crate) async fn delete_row(
        &mut self,
        table: Table,
        site: SiteId,
        id: i64,
        used_by: Vec<String>,
    ) -> Result<()> {
        if !used_by.is_empty() {
            return Err(StoreError::InUse(used_by));
        }
        let sql = format!(
            "DELETE FROM {} WHERE id = $1 AND site_id = $2",
            table.name()
        );
        let done = on_conn!(&mut self.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(site.0)
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))
        .map_err(in_use)?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.changed(site, table.change(id));
        Ok(())
    }
}

/// Tables whose rows are deleted by id.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Table {
    Contacts,
    Topics,
    Websites,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Self::Contacts => "contacts",
            Self::Topics => "topics",
            Self::Websites => "websites",
        }
    }

    /// What deleting row `id` changes for the public.
    fn change(self, id: i64) -> Change {
        match self {
            Self::Contacts => Change::Contact { id },
            Self::Topics | Self::Websites => Change::Directory,
        }
    }
}

/// Turns a foreign-key violation on delete into [`StoreError::InUse`].
/// (SQLite reports an `ON DELETE RESTRICT` refusal with the generic
/// constraint code, so the message is checked too.)
fn in_use(e: sqlx::Error) -> StoreError {
    match e.as_database_error() {
        Some(db)
            if db.is_foreign_key_violation()
                || db.message().contains("FOREIGN KEY constraint failed") =>
        {
            StoreError::InUse(Vec::new())
        }
        _ => e.into(),
    }
}

/// Turns a foreign-key violation into [`StoreError::UnknownReference`] with
/// `what` as its message; other errors are classified as usual.
pub(crate) fn missing_reference(e: sqlx::Error, what: impl FnOnce() -> String) -> StoreError {
    match e.as_database_error() {
        Some(db) if db.is_foreign_key_violation() => StoreError::UnknownReference(what()),
        _ => e.into(),
    }
}

#[cfg(test)]
mod tests;
