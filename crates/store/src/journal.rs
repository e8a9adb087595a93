//! The change journal: what each committed write changed that the public can
//! see, in commit order. Writes note their changes on the transaction
//! ([`crate::WriteTx::changed`]); the commit stores them in `changes` and then
//! tells this process's subscribers at once ([`Store::on_change`]). Other
//! nodes follow the table ([`Store::changes_since`]), woken on PostgreSQL by
//! the `NOTIFY` its insert trigger sends.

use std::sync::{Arc, RwLock};

use raadhus_domain::SiteId;

use crate::{DbRow, Result, Store, StoreError};

/// A change the public can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// An article was created, edited, binned, restored, or its scheduled
    /// time passed.
    News {
        id: i64,
        /// It was or is published: lists, feeds and search may show it.
        listed: bool,
        /// Where it is listed may have changed: its status, publish or
        /// unpublish time, news date, contact persons (articles are listed
        /// as related by them) or bin state (not just its text).
        moved: bool,
    },
    /// A page was created, edited, moved (with every page of its branch,
    /// whose addresses changed too), binned, restored, or its scheduled
    /// time passed.
    Page {
        id: i64,
        /// It was or is published: menus, lists, search and the sitemap
        /// may show it.
        listed: bool,
        /// Where it is in the tree or whether the public sees it may have
        /// changed: its parent, position, path, status, times or bin state
        /// (not just its text).
        moved: bool,
    },
    /// A contact person, shown on every article naming them.
    Contact { id: i64 },
    /// A file of the media library was added, described anew or deleted
    /// (the articles showing it get their own changes).
    Media { id: i64 },
    /// Topics and websites.
    Directory,
    /// The best bets shown first in search results.
    BestBets,
    /// Anything at all (a renamed site, an import).
    Site,
}

/// A change as recorded: its place in the journal and its site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    pub seq: i64,
    pub site: SiteId,
    pub change: Change,
}

/// Where the journal stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalState {
    /// Chosen when the database was created: a search index built from
    /// another database is not followed on.
    pub database_id: String,
    /// Changes up to this one were pruned: a follower behind it starts over.
    pub pruned_through: i64,
}

/// Where a commit of this process is when its subscribers hear of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    /// Its changes are in the journal but not yet committed: a follower of
    /// the journal may see them any moment now, and should know them as
    /// this process's own.
    Pending,
    /// Committed: what they touched may be shown anew.
    Done,
    /// Rolled back: the numbers they had may be given to other changes.
    Failed,
}

type Subscriber = Box<dyn Fn(Commit, &[Recorded]) + Send + Sync>;

/// This process's subscribers to committed changes.
#[derive(Default)]
pub(crate) struct Subscribers(RwLock<Vec<Subscriber>>);

impl std::fmt::Debug for Subscribers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subscribers")
    }
}

impl Subscribers {
    pub(crate) fn tell(&self, moment: Commit, changes: &[Recorded]) {
        if changes.is_empty() {
            return;
        }
        let subscribers = self.0.read().unwrap_or_else(|e| e.into_inner());
        for subscriber in subscribers.iter() {
            subscriber(moment, changes);
        }
    }
}

fn entity(change: &Change) -> (&'static str, Option<i64>, bool, bool) {
    match *change {
        Change::News { id, listed, moved } => ("news", Some(id), listed, moved),
        Change::Page { id, listed, moved } => ("page", Some(id), listed, moved),
        Change::Contact { id } => ("contact", Some(id), false, false),
        Change::Media { id } => ("media", Some(id), false, false),
        Change::Directory => ("directory", None, false, false),
        Change::BestBets => ("best_bets", None, false, false),
        Change::Site => ("site", None, false, false),
    }
}

fn from_row(row: &impl DbRow) -> Result<Recorded> {
    let kind: String = row.col("entity")?;
    let id: Option<i64> = row.col("entity_id")?;
    let change = match (kind.as_str(), id) {
        ("news", Some(id)) => Change::News {
            id,
            listed: row.col("listed")?,
            moved: row.col("moved")?,
        },
        ("page", Some(id)) => Change::Page {
            id,
            listed: row.col("listed")?,
            moved: row.col("moved")?,
        },
        ("contact", Some(id)) => Change::Contact { id },
        ("media", Some(id)) => Change::Media { id },
        ("directory", _) => Change::Directory,
        ("best_bets", _) => Change::BestBets,
        ("site", _) => Change::Site,
        _ => {
            return Err(StoreError::Corrupt {
                table: "changes",
                column: "entity",
                detail: format!("{kind} {id:?}"),
            });
        }
    };
    Ok(Recorded {
        seq: row.col("seq")?,
        site: SiteId(row.col("site_id")?),
        change,
    })
}

/// Journal rows written by one statement: five parameters each, well
/// within both databases' limits.
const RECORD_CHUNK: usize = 1_000;

/// Stores `changes` (each once) in the journal inside the writing
/// transaction, a statement for up to [`RECORD_CHUNK`] of them; gives them
/// back as recorded, in journal order.
pub(crate) async fn record(
    conn: &mut crate::Conn<'_>,
    changes: &[(SiteId, Change)],
) -> Result<Vec<Recorded>> {
    let mut recorded = Vec::with_capacity(changes.len());
    for chunk in changes.chunks(RECORD_CHUNK) {
        let sql = format!(
            "INSERT INTO changes (site_id, entity, entity_id, listed, moved) VALUES {}
             RETURNING seq, site_id, entity, entity_id, listed, moved",
            crate::codec::placeholders(chunk.len(), 5, 0)
        );
        let rows = on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for &(site, change) in chunk {
                let (kind, id, listed, moved) = entity(&change);
                query = query.bind(site.0).bind(kind).bind(id).bind(listed).bind(moved);
            }
            query
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(from_row)
                .collect::<Result<Vec<_>>>()
        })?;
        recorded.extend(rows);
    }
    // A row's number is its place in the journal, whatever order the
    // database returned the rows in.
    recorded.sort_by_key(|r| r.seq);
    Ok(recorded)
}

impl Store {
    /// Calls `subscriber` around every commit of this process that changed
    /// something: just before it ([`Commit::Pending`]), and after it
    /// ([`Commit::Done`] or [`Commit::Failed`]) before the writing method
    /// returns: whatever the caller then tells its user, the subscriber has
    /// already seen.
    pub fn on_change(&self, subscriber: impl Fn(Commit, &[Recorded]) + Send + Sync + 'static) {
        self.subscribers
            .0
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .push(Box::new(subscriber));
    }

    /// Up to `limit` changes after `after`, oldest first.
    pub async fn changes_since(&self, after: i64, limit: u32) -> Result<Vec<Recorded>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT seq, site_id, entity, entity_id, listed, moved FROM changes
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
        .iter()
        .map(from_row)
        .collect())
    }

    /// The newest change's number (0 when there is none).
    pub async fn latest_change(&self) -> Result<i64> {
        let latest: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(seq) FROM changes",
        )
        .fetch_one(pool)
        .await)?;
        Ok(latest.unwrap_or(0))
    }

    pub async fn journal_state(&self) -> Result<JournalState> {
        let (database_id, pruned_through): (String, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT database_id, pruned_through FROM changes_state WHERE id = 1",
        )
        .fetch_one(pool)
        .await)?;
        Ok(JournalState {
            database_id,
            pruned_through,
        })
    }

    /// Deletes all but the newest `keep` changes. Returns how many went.
    pub async fn prune_changes(&self, keep: i64) -> Result<u64> {
        let mut tx = self.write().await?;
        let latest: Option<i64> = on_conn!(&mut tx.conn(), c => sqlx::query_scalar(
            "SELECT MAX(seq) FROM changes",
        )
        .fetch_one(&mut *c)
        .await)?;
        let through = latest.unwrap_or(0) - keep;
        if through <= 0 {
            return Ok(0);
        }
        let deleted = on_conn!(&mut tx.conn(), c => sqlx::query("DELETE FROM changes WHERE seq <= $1")
            .bind(through)
            .execute(&mut *c)
            .await
            .map(|d| d.rows_affected()))?;
        on_conn!(&mut tx.conn(), c => sqlx::query(
            "UPDATE changes_state SET pruned_through = $1 WHERE id = 1 AND pruned_through < $1",
        )
        .bind(through)
        .execute(&mut *c)
        .await
        .map(drop))?;
        tx.commit().await?;
        Ok(deleted)
    }
}

/// Shared by all clones of a store.
pub(crate) type SharedSubscribers = Arc<Subscribers>;
