//! Persistence for Raadhus: one repository API, [`Store`], over the database.
//!
//! Handlers and the binary only ever call `Store` methods; which database and
//! which SQL dialect sits behind it is this crate's business. Every method that
//! touches content takes the [`SiteId`] it belongs to.

#[macro_use]
mod db;
mod codec;
mod contacts;
mod directory;
mod export;
mod import;
mod journal;
mod news;
mod schedule;
mod sites;
mod users;

pub use db::{Backend, Changes};
pub use journal::{Change, JournalState, Recorded};

pub use news::{NewsFilter, NewsRow, Page, Revision, SavedBy};
pub use raadhus_domain::SiteId;
pub use schedule::Transition;
pub use users::{Audit, Session};

use db::{Conn, Db, DbRow};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database cannot be reached: it is stopped or restarting, the
    /// network is down, or no connection came free in time. Nothing was
    /// written; the same request may work a little later.
    #[error("the database is unavailable: {0}")]
    Unavailable(sqlx::Error),
    /// The database's disk is full (SQLite `SQLITE_FULL`, PostgreSQL
    /// `53100 disk_full`): the change was not written, and what is stored
    /// is unchanged. Reading still works.
    #[error("the database's disk is full: {0}")]
    DiskFull(sqlx::Error),
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
    /// The item does not exist (or is in the bin).
    #[error("not found")]
    NotFound,
    /// Another item of the site already has this slug.
    #[error("the slug {0:?} is taken")]
    SlugTaken(String),
    /// The change clashes with what is stored (a unique value taken, a newer
    /// version saved meanwhile).
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

impl Store {
    /// Deletes row `id` of `table` on `site`. A row something still refers to
    /// is a [`StoreError::Conflict`] saying `in_use`; a missing one, `NotFound`.
    pub(crate) async fn delete_row(
        &self,
        table: Table,
        site: SiteId,
        id: i64,
        in_use_message: &str,
    ) -> Result<()> {
        let sql = format!(
            "DELETE FROM {} WHERE id = $1 AND site_id = $2",
            table.name()
        );
        let mut tx = self.write_tx().await?;
        let done = on_conn!(&mut tx.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(site.0)
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))
        .map_err(|e| in_use(e, in_use_message))?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        tx.changed(site, table.change(id));
        tx.commit().await
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

/// Turns a foreign-key violation on delete into [`StoreError::Conflict`].
/// (SQLite reports an `ON DELETE RESTRICT` refusal with the generic
/// constraint code, so the message is checked too.)
pub(crate) fn in_use(e: sqlx::Error, what: &str) -> StoreError {
    match e.as_database_error() {
        Some(db)
            if db.is_foreign_key_violation()
                || db.message().contains("FOREIGN KEY constraint failed") =>
        {
            StoreError::Conflict(what.to_string())
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
mod tests {
    use jiff::Timestamp;
    use raadhus_domain::bundle::{Bundle, BundleNews};
    use raadhus_domain::{ContactInput, NewsForm, NewsInput, TopicInput, WebsiteInput};

    use super::*;

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_sqlite_file(&dir.path().join("t.db"))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        store.migrate().await.unwrap(); // idempotent
        (store, dir)
    }

    fn article(title: &str) -> NewsInput {
        NewsInput::new(NewsForm {
            title,
            body: "Tekst",
            news_date: "01.02.2026",
            status: "published",
            ..NewsForm::default()
        })
        .unwrap()
    }

    #[tokio::test]
    async fn slugs_are_made_unique_per_site() {
        let (store, _dir) = store().await;
        let now = Timestamp::now();
        let site = store.primary_site("Test", now).await.unwrap().id;
        let a = store
            .create_news(site, &article("Ny skole"), None, now)
            .await
            .unwrap();
        let b = store
            .create_news(site, &article("Ny skole!"), None, now)
            .await
            .unwrap();
        let c = store
            .create_news(site, &article("Ny skole?"), None, now)
            .await
            .unwrap();
        assert_eq!(
            [a.slug.as_str(), b.slug.as_str(), c.slug.as_str()],
            ["ny-skole", "ny-skole-2", "ny-skole-3"]
        );
    }

    #[tokio::test]
    async fn content_cannot_point_at_another_site() {
        let (store, _dir) = store().await;
        let now = Timestamp::now();
        let site = store.primary_site("Test", now).await.unwrap().id;
        on_pool!(store, pool => sqlx::query(
            "INSERT INTO sites (id, name, created_at) VALUES (2, 'Anden', '2026-01-01T00:00:00Z')",
        )
        .execute(pool)
        .await
        .map(drop))
        .unwrap();
        let other = SiteId(2);
        let contact = store
            .create_contact(
                other,
                &ContactInput::new("Ane", None, None, None).unwrap(),
                now,
            )
            .await
            .unwrap();
        let mut input = article("Nyhed");
        input.contact_ids = vec![contact.id];
        let err = store
            .create_news(site, &input, None, now)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::UnknownReference(_)), "{err}");
        let topic = store
            .create_topic(other, &TopicInput::new("Skoler", None, 1).unwrap(), now)
            .await
            .unwrap();
        let website = WebsiteInput::new(
            "Skole",
            "https://skole.example/",
            None,
            vec![topic.id],
            1,
            None,
        )
        .unwrap();
        let err = store.create_website(site, &website, now).await.unwrap_err();
        assert!(matches!(err, StoreError::UnknownReference(_)), "{err}");
        // Nothing half-written is left behind.
        assert!(store.active_websites(site).await.unwrap().is_empty());
        let (news, total) = store
            .public_news_page(
                site,
                now,
                Page {
                    number: 1,
                    size: 10,
                },
            )
            .await
            .unwrap();
        assert_eq!((news.len(), total), (0, 0));
    }

    #[tokio::test]
    async fn a_bad_bundle_writes_nothing() {
        let (store, _dir) = store().await;
        let now = Timestamp::now();
        let site = store.primary_site("Test", now).await.unwrap().id;
        let bundle = Bundle {
            news: vec![BundleNews {
                news: article("Nyhed"),
                contacts: vec!["ukendt".into()],
            }],
            ..Bundle::default()
        };
        let err = store.import_bundle(site, &bundle, now).await.unwrap_err();
        assert!(err.to_string().contains("ukendt"), "{err}");
        assert!(!store.has_content(site).await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_saves_from_two_processes_all_succeed() {
        let (store, dir) = store().await;
        let other = Store::open_sqlite_file(&dir.path().join("t.db"))
            .await
            .unwrap();
        let now = Timestamp::now();
        let site = store.primary_site("Test", now).await.unwrap().id;
        let mut tasks = Vec::new();
        for i in 0..40 {
            let s = if i % 2 == 0 {
                store.clone()
            } else {
                other.clone()
            };
            tasks.push(tokio::spawn(async move {
                let input = article(&format!("Samtidig nyhed {i}"));
                s.create_news(site, &input, None, Timestamp::now())
                    .await
                    .map(|_| ())
            }));
            let s = if i % 2 == 0 {
                other.clone()
            } else {
                store.clone()
            };
            tasks.push(tokio::spawn(async move {
                s.advance_scheduler(Timestamp::now(), |_| ("publish", String::new()))
                    .await
                    .map(drop)
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let (_, total) = store
            .public_news_page(site, Timestamp::now(), Page { number: 1, size: 1 })
            .await
            .unwrap();
        assert_eq!(total, 40);
    }

    #[tokio::test]
    async fn times_round_trip_in_utc() {
        let (store, _dir) = store().await;
        let now: Timestamp = "2026-07-01T08:30:15.999Z".parse().unwrap();
        let site = store.primary_site("Test", now).await.unwrap().id;
        let created = store
            .create_news(site, &article("Tid"), None, now)
            .await
            .unwrap();
        assert_eq!(
            created.publish_at.unwrap().to_string(),
            "2026-07-01T08:30:15Z"
        );
        assert_eq!(created.created_at, created.publish_at.unwrap());
        let stored: String =
            on_pool!(store, pool => sqlx::query_scalar("SELECT publish_at FROM news")
            .fetch_one(pool)
            .await)
            .unwrap();
        assert_eq!(stored, "2026-07-01T08:30:15Z");
    }
}
