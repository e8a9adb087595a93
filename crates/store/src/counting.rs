//! What the public site counts (see [`raadhus_domain::counting`]): views
//! per path and day, addresses not found and searches without results.
//! Each node adds its own increments (`hits = hits + n`), so the counts of
//! several nodes add up; nothing here knows who asked.

use jiff::Timestamp;
use jiff::civil::Date;
use raadhus_domain::counting::MAX_ROWS;
use raadhus_domain::{SiteId, urls};

use crate::{DbRow, Owner, Result, Store, WriteTx, codec};

/// Increments to add to the counts, each key with how many times it was
/// counted: paths viewed, paths not found, searches without results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub views: Vec<(String, i64)>,
    pub not_found: Vec<(String, i64)>,
    pub searches: Vec<(String, i64)>,
}

impl Tally {
    pub fn is_empty(&self) -> bool {
        self.views.is_empty() && self.not_found.is_empty() && self.searches.is_empty()
    }
}

/// An address, or a search, with how often it was not found, and when last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    /// The path (canonical form) or the normalised query.
    pub key: String,
    pub hits: i64,
    pub last_seen: Timestamp,
    /// For an address: where a redirect made since sends it now, if one does.
    pub redirect: Option<String>,
}

/// A path with its views, and the page or article there now, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewed {
    pub path: String,
    pub views: i64,
    /// The page or article at the path (not in the bin), with its title.
    pub content: Option<(Owner, String)>,
}

/// The two tables of misses: addresses not found and searches without
/// results, with their key column.
#[derive(Debug, Clone, Copy)]
enum Misses {
    NotFound,
    Searches,
}

impl Misses {
    fn table(self) -> (&'static str, &'static str) {
        match self {
            Self::NotFound => ("counted_not_found", "path"),
            Self::Searches => ("counted_searches", "query"),
        }
    }
}

impl Store {
    /// Adds `tally` to the site's counts: views on `day`, misses last seen
    /// `now`. Of keys not counted before, only as many are kept as leave
    /// at most [`MAX_ROWS`] per kind and site (the most counted first);
    /// the others are dropped. One transaction.
    pub async fn add_counts(
        &self,
        site: SiteId,
        tally: &Tally,
        day: Date,
        now: Timestamp,
    ) -> Result<()> {
        if tally.is_empty() {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let day = codec::date(day);
        for (path, views) in &tally.views {
            on_conn!(&mut tx.conn(), c => sqlx::query(
                "INSERT INTO counted_views (site_id, path, day, views) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (site_id, path, day) DO UPDATE
                 SET views = counted_views.views + excluded.views",
            )
            .bind(site.0)
            .bind(path)
            .bind(&day)
            .bind(views)
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
        let now = codec::timestamp(now);
        add_misses(&mut tx, site, Misses::NotFound, &tally.not_found, &now).await?;
        add_misses(&mut tx, site, Misses::Searches, &tally.searches, &now).await?;
        tx.commit().await
    }

    /// The addresses not found, the most often first, at most `limit`.
    pub async fn not_found_report(&self, site: SiteId, limit: u32) -> Result<Vec<Missed>> {
        self.misses(site, Misses::NotFound, limit).await
    }

    /// The searches that found nothing, the most often first, at most `limit`.
    pub async fn search_report(&self, site: SiteId, limit: u32) -> Result<Vec<Missed>> {
        self.misses(site, Misses::Searches, limit).await
    }

    async fn misses(&self, site: SiteId, kind: Misses, limit: u32) -> Result<Vec<Missed>> {
        let (table, column) = kind.table();
        let (redirect, join) = match kind {
            Misses::NotFound => (
                "r.to_target",
                "LEFT JOIN redirects r ON r.site_id = m.site_id AND r.from_path = m.path",
            ),
            Misses::Searches => ("CAST(NULL AS TEXT)", ""),
        };
        let sql = format!(
            "SELECT m.{column} AS key, m.hits AS hits, m.last_seen AS last_seen,
                    {redirect} AS redirect
             FROM {table} m {join} WHERE m.site_id = $1
             ORDER BY m.hits DESC, m.last_seen DESC, m.{column} LIMIT $2"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                let last_seen: String = row.col("last_seen")?;
                Ok(Missed {
                    key: row.col("key")?,
                    hits: row.col("hits")?,
                    last_seen: codec::read_timestamp(table, "last_seen", &last_seen)?,
                    redirect: row.col("redirect")?,
                })
            })
            .collect())
    }

    /// The paths viewed from `since` on, the most viewed first, at most
    /// `limit`, each with the page or article there now.
    pub async fn views_report(&self, site: SiteId, since: Date, limit: u32) -> Result<Vec<Viewed>> {
        let sql = format!(
            "SELECT v.path AS path, CAST(SUM(v.views) AS BIGINT) AS views,
                    MIN(p.id) AS page_id, MIN(p.title) AS page_title,
                    MIN(n.id) AS news_id, MIN(n.title) AS news_title
             FROM counted_views v
             LEFT JOIN pages p
               ON p.site_id = v.site_id AND p.path = v.path AND p.deleted_at IS NULL
             LEFT JOIN news n
               ON n.site_id = v.site_id AND v.path = '{}/' || n.slug AND n.deleted_at IS NULL
             WHERE v.site_id = $1 AND v.day >= $2
             GROUP BY v.path ORDER BY views DESC, v.path LIMIT $3",
            urls::NEWS
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(codec::date(since))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                let page: (Option<i64>, Option<String>) = (row.col("page_id")?, row.col("page_title")?);
                let news: (Option<i64>, Option<String>) = (row.col("news_id")?, row.col("news_title")?);
                let content = match (page, news) {
                    ((Some(id), Some(title)), _) => Some((Owner::Page(id), title)),
                    (_, (Some(id), Some(title))) => Some((Owner::News(id), title)),
                    _ => None,
                };
                Ok(Viewed {
                    path: row.col("path")?,
                    views: row.col("views")?,
                    content,
                })
            })
            .collect())
    }

    /// The views of `path` from `since` on.
    pub async fn views_of(&self, site: SiteId, path: &str, since: Date) -> Result<i64> {
        Ok(on_pool!(self, pool => sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(SUM(views), 0) AS BIGINT) FROM counted_views
             WHERE site_id = $1 AND path = $2 AND day >= $3",
        )
        .bind(site.0)
        .bind(path)
        .bind(codec::date(since))
        .fetch_one(pool)
        .await?))
    }

    /// Deletes the views of days before `before`, and the addresses and
    /// searches last counted before it; returns how many rows went.
    pub async fn prune_counts(&self, before: Date) -> Result<u64> {
        let before = codec::date(before);
        let mut deleted = 0;
        for sql in [
            "DELETE FROM counted_views WHERE day < $1",
            "DELETE FROM counted_not_found WHERE last_seen < $1",
            "DELETE FROM counted_searches WHERE last_seen < $1",
        ] {
            deleted += on_pool!(self, pool => sqlx::query(sql)
                .bind(&before)
                .execute(pool)
                .await?
                .rows_affected());
        }
        Ok(deleted)
    }
}

/// Adds misses of one kind: those kept grow; new ones are kept while there
/// is room under [`MAX_ROWS`], the most counted first. Under the write lock,
/// so the room is the same for every node.
async fn add_misses(
    tx: &mut WriteTx,
    site: SiteId,
    kind: Misses,
    rows: &[(String, i64)],
    now: &str,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (table, column) = kind.table();
    let count = format!("SELECT COUNT(*) FROM {table} WHERE site_id = $1");
    let kept: i64 = on_conn!(&mut tx.conn(), c => sqlx::query_scalar(sqlx::AssertSqlSafe(count))
        .bind(site.0)
        .fetch_one(&mut *c)
        .await)?;
    let mut room = MAX_ROWS - kept;
    let mut rows: Vec<&(String, i64)> = rows.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let update = format!(
        "UPDATE {table} SET hits = hits + $3, last_seen = $4 WHERE site_id = $1 AND {column} = $2"
    );
    let insert = format!(
        "INSERT INTO {table} (site_id, {column}, hits, last_seen) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id, {column}) DO UPDATE
         SET hits = {table}.hits + excluded.hits, last_seen = excluded.last_seen"
    );
    for (key, hits) in rows {
        let miss = (site, key.as_str(), *hits, now);
        if add_miss(tx, &update, miss).await? == 0 && room > 0 {
            add_miss(tx, &insert, miss).await?;
            room -= 1;
        }
    }
    Ok(())
}

/// Runs `sql` (an update or insert of [`add_misses`]) with the site, the
/// key, the hits and the time as `$1` to `$4`; returns the rows it wrote.
async fn add_miss(
    tx: &mut WriteTx,
    sql: &str,
    (site, key, hits, now): (SiteId, &str, i64, &str),
) -> Result<u64> {
    Ok(
        on_conn!(&mut tx.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(key)
        .bind(hits)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?,
    )
}
