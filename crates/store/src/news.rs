//! News articles and their contact persons.

use std::collections::HashSet;

use crate::{Change, Conn, DbRow, Result, Store, StoreError, codec, contacts, missing_reference};
use jiff::Timestamp;
use raadhus_domain::{NewsArticle, NewsInput, NewsStatus, NewsSummary, SiteId, Visibility};

/// One page of a list: 1-based page number and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    fn offset(self) -> i64 {
        i64::from(self.number.saturating_sub(1)) * i64::from(self.size)
    }
}

/// The SQL condition for "visible to the public at `$2`", on table alias `n`.
/// (`publish_at || ''` keeps SQLite's planner off the `publish_at` index,
/// which serves the schedule lookups: lists are fastest walking
/// `news_public` in their own order.)
const PUBLIC: &str = "n.site_id = $1 AND n.deleted_at IS NULL AND n.status = 'published'
    AND n.publish_at || '' <= $2 AND (n.unpublish_at IS NULL OR n.unpublish_at > $2)";

const SUMMARY_COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at";

fn optional_time(row: &impl DbRow, column: &'static str) -> Result<Option<Timestamp>> {
    codec::read_optional_timestamp(row.col(column)?, "news", column)
}

fn summary_from_row(row: &impl DbRow) -> Result<NewsSummary> {
    Ok(NewsSummary {
        id: row.col("id")?,
        slug: codec::read_slug("news", row.col("slug")?)?,
        title: row.col("title")?,
        lead: row.col("lead")?,
        news_date: codec::read_date("news", "news_date", row.col("news_date")?)?,
        publish_at: optional_time(row, "publish_at")?,
    })
}

fn status_from_row(row: &impl DbRow) -> Result<NewsStatus> {
    let status: &str = row.col("status")?;
    NewsStatus::parse(status).map_err(|e| StoreError::Corrupt {
        table: "news",
        column: "status",
        detail: e.to_string(),
    })
}

/// A line of the editors' news list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsRow {
    pub summary: NewsSummary,
    pub status: NewsStatus,
    pub unpublish_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl NewsRow {
    pub fn visibility(&self, now: Timestamp) -> Visibility {
        Visibility::of(self.status, self.summary.publish_at, self.unpublish_at, now)
    }
}

const ROW_COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at, n.status, n.unpublish_at, n.updated_at, n.version";

fn news_row(row: &impl DbRow) -> Result<NewsRow> {
    Ok(NewsRow {
        summary: summary_from_row(row)?,
        status: status_from_row(row)?,
        unpublish_at: optional_time(row, "unpublish_at")?,
        updated_at: codec::read_timestamp("news", "updated_at", row.col("updated_at")?)?,
        version: row.col("version")?,
    })
}

/// What the editors' list shows: by visibility and words of the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsFilter {
    pub visibility: Option<Visibility>,
    pub title: Option<String>,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: i64,
    pub version: i64,
    pub created_at: Timestamp,
    pub user_name: Option<String>,
    pub content: NewsInput,
}

/// The publish time a save stores: the one given; for a published article
/// without one, the time it was first published, or now.
fn publish_time(
    input: &NewsInput,
    existing: Option<Timestamp>,
    now: Timestamp,
) -> Option<Timestamp> {
    match (input.status, input.publish_at) {
        (_, Some(at)) => Some(at),
        (NewsStatus::Published, None) => Some(existing.unwrap_or(now)),
        (NewsStatus::Draft, None) => None,
    }
}

/// Inserts an article with its contact persons and its first revision. The
/// slug is made unique within the site by appending `-2`, `-3`, … when needed.
pub(crate) async fn insert(
    conn: &mut Conn<'_>,
    site: SiteId,
    input: &NewsInput,
    user: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let taken: Vec<String> = on_conn!(conn, c => sqlx::query_scalar(
        "SELECT slug FROM news WHERE site_id = $1 AND (slug = $2 OR slug LIKE $2 || '-%')",
    )
    .bind(site.0)
    .bind(input.slug.as_str())
    .fetch_all(&mut *c)
    .await)?;
    let taken: HashSet<String> = taken.into_iter().collect();
    let slug = input.slug.make_unique(|s| taken.contains(s.as_str()));
    let publish_at = publish_time(input, None, now);
    let id: i64 = on_conn!(conn, c => sqlx::query_scalar(
        "INSERT INTO news (site_id, slug, title, lead, body, news_date, status, publish_at, unpublish_at,
                           created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1) RETURNING id",
    )
    .bind(site.0)
    .bind(slug.as_str())
    .bind(&input.title)
    .bind(&input.lead)
    .bind(&input.body)
    .bind(codec::date(input.news_date))
    .bind(input.status.as_str())
    .bind(publish_at.map(codec::timestamp))
    .bind(input.unpublish_at.map(codec::timestamp))
    .bind(codec::timestamp(now))
    .fetch_one(&mut *c)
    .await)?;
    write_contacts(conn, site, id, &input.contact_ids).await?;
    write_revision(conn, site, id, user, now).await?;
    Ok(id)
}

async fn write_contacts(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    contact_ids: &[i64],
) -> Result<()> {
    on_conn!(conn, c => sqlx::query("DELETE FROM news_contacts WHERE news_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await.map(drop))?;
    for (position, contact_id) in (0_i64..).zip(contact_ids) {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO news_contacts (site_id, news_id, contact_id, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(site.0)
        .bind(id)
        .bind(contact_id)
        .bind(position)
        .execute(&mut *c)
        .await.map(drop))
        .map_err(|e| {
            missing_reference(e, || {
                format!("contact person {contact_id} does not exist on this site")
            })
        })?;
    }
    Ok(())
}

/// Stores the article as it is now as a revision.
async fn write_revision(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let contacts: Vec<i64> = on_conn!(conn, c => sqlx::query_scalar(
        "SELECT contact_id FROM news_contacts WHERE news_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO news_revisions (site_id, news_id, version, user_id, created_at, slug, title, lead, body,
                                     news_date, status, publish_at, unpublish_at, contact_ids)
         SELECT n.site_id, n.id, n.version, $3, $4, n.slug, n.title, n.lead, n.body, n.news_date, n.status,
                n.publish_at, n.unpublish_at, $5
         FROM news n WHERE n.id = $1 AND n.site_id = $2",
    )
    .bind(id)
    .bind(site.0)
    .bind(user)
    .bind(codec::timestamp(now))
    .bind(codec::id_list(&contacts))
    .execute(&mut *c)
    .await.map(drop))?;
    Ok(())
}

/// Who saves an article, and the line of the audit log the save writes in
/// its own transaction: a saved version never lacks its line, and a line
/// never names a version that was not saved.
pub struct SavedBy<'a> {
    pub user_id: i64,
    /// The audit log's action: "create", "update", "restore".
    pub action: &'a str,
    /// The audit log's summary, made from the article as saved.
    pub summary: &'a (dyn Fn(&NewsArticle) -> String + Sync),
}

impl SavedBy<'_> {
    async fn audit(
        &self,
        conn: &mut Conn<'_>,
        site: SiteId,
        saved: &NewsArticle,
        now: Timestamp,
    ) -> Result<()> {
        let summary = (self.summary)(saved);
        let line = crate::Audit {
            site: Some(site),
            user_id: Some(self.user_id),
            action: self.action,
            entity: "news",
            entity_id: Some(saved.id),
            summary: &summary,
        };
        crate::users::insert_audit(conn, &line, now).await
    }
}

impl Store {
    /// Creates an article with its first revision and returns it as stored
    /// (with its final slug). `by` is who wrote it, if anyone.
    pub async fn create_news(
        &self,
        site: SiteId,
        input: &NewsInput,
        by: Option<&SavedBy<'_>>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let mut tx = self.write_tx().await?;
        let id = insert(&mut tx.conn(), site, input, by.map(|b| b.user_id), now).await?;
        let article = article(&mut tx.conn(), site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(by) = by {
            by.audit(&mut tx.conn(), site, &article, now).await?;
        }
        tx.changed(
            site,
            Change::News {
                id,
                listed: input.status == NewsStatus::Published,
                moved: true,
            },
        );
        tx.commit().await?;
        Ok(article)
    }

    /// Saves a new version of an article, if `expected_version` is still the
    /// newest; otherwise nothing is written and the answer is a conflict.
    pub async fn update_news(
        &self,
        site: SiteId,
        id: i64,
        expected_version: i64,
        input: &NewsInput,
        by: Option<&SavedBy<'_>>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let mut tx = self.write_tx().await?;
        let current = article(&mut tx.conn(), site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)?;
        if current.version != expected_version {
            return Err(StoreError::Conflict(format!(
                "news {id} is at version {}, not {expected_version}",
                current.version
            )));
        }
        if current.slug != input.slug {
            let taken: i64 = on_conn!(&mut tx.conn(), c => sqlx::query_scalar(
                "SELECT COUNT(*) FROM news WHERE site_id = $1 AND slug = $2 AND id <> $3",
            )
            .bind(site.0)
            .bind(input.slug.as_str())
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
            if taken > 0 {
                return Err(StoreError::SlugTaken(input.slug.to_string()));
            }
        }
        let publish_at = publish_time(input, current.publish_at, now);
        let done = on_conn!(&mut tx.conn(), c => sqlx::query(
            "UPDATE news SET slug = $1, title = $2, lead = $3, body = $4, news_date = $5, status = $6,
                    publish_at = $7, unpublish_at = $8, updated_at = $9, version = version + 1
             WHERE id = $10 AND site_id = $11 AND version = $12",
        )
        .bind(input.slug.as_str())
        .bind(&input.title)
        .bind(&input.lead)
        .bind(&input.body)
        .bind(codec::date(input.news_date))
        .bind(input.status.as_str())
        .bind(publish_at.map(codec::timestamp))
        .bind(input.unpublish_at.map(codec::timestamp))
        .bind(codec::timestamp(now))
        .bind(id)
        .bind(site.0)
        .bind(expected_version)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(format!(
                "news {id} changed while it was being saved"
            )));
        }
        write_contacts(&mut tx.conn(), site, id, &input.contact_ids).await?;
        write_revision(&mut tx.conn(), site, id, by.map(|b| b.user_id), now).await?;
        let saved = article(&mut tx.conn(), site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(by) = by {
            by.audit(&mut tx.conn(), site, &saved, now).await?;
        }
        tx.changed(
            site,
            Change::News {
                id,
                listed: current.status == NewsStatus::Published
                    || saved.status == NewsStatus::Published,
                moved: current.status != saved.status
                    || current.publish_at != saved.publish_at
                    || current.unpublish_at != saved.unpublish_at
                    || current.news_date != saved.news_date,
            },
        );
        tx.commit().await?;
        Ok(saved)
    }

    /// Any article of the site that is not in the bin, whatever its status.
    pub async fn news_by_id(&self, site: SiteId, id: i64) -> Result<Option<NewsArticle>> {
        let mut conn = self.pool_conn().await?;
        article(&mut conn.conn(), site, Lookup::Id(id)).await
    }

    /// The editors' list: every article not in the bin, newest news date first.
    pub async fn news_rows(
        &self,
        site: SiteId,
        filter: &NewsFilter,
        now: Timestamp,
        page: Page,
    ) -> Result<(Vec<NewsRow>, u64)> {
        let visibility = match filter.visibility {
            None => "1 = 1",
            Some(Visibility::Draft) => "n.status = 'draft'",
            Some(Visibility::Scheduled) => "n.status = 'published' AND n.publish_at > $2",
            Some(Visibility::Public) => {
                "n.status = 'published' AND n.publish_at <= $2 AND (n.unpublish_at IS NULL OR n.unpublish_at > $2)"
            }
            Some(Visibility::Expired) => "n.status = 'published' AND n.unpublish_at <= $2",
        };
        let words = filter.title.as_deref().map(str::trim).unwrap_or_default();
        let like = format!(
            "%{}%",
            words
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let condition = format!(
            "n.site_id = $1 AND n.deleted_at IS NULL AND {visibility}
             AND ($3 = '' OR lower(n.title) LIKE lower($4) ESCAPE '\\')"
        );
        let now = codec::timestamp(now);
        let list = format!(
            "SELECT {ROW_COLUMNS} FROM news n WHERE {condition}
             ORDER BY n.news_date DESC, n.id DESC LIMIT $5 OFFSET $6"
        );
        let rows = on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(list))
            .bind(site.0)
            .bind(&now)
            .bind(words)
            .bind(&like)
            .bind(i64::from(page.size))
            .bind(page.offset())
            .fetch_all(pool)
            .await?
            .iter()
            .map(news_row)
            .collect::<Result<Vec<_>>>())?;
        let count = format!("SELECT COUNT(*) FROM news n WHERE {condition}");
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .bind(site.0)
            .bind(&now)
            .bind(words)
            .bind(&like)
            .fetch_one(pool)
            .await)?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// Moves an article to the bin. `false` if there was no such article.
    pub async fn bin_news(&self, site: SiteId, id: i64, now: Timestamp) -> Result<bool> {
        self.set_binned(site, id, Some(now)).await
    }

    /// Moves an article into the bin (`Some(when)`) or out of it (`None`).
    /// `false` if it was not where it could be moved from.
    async fn set_binned(&self, site: SiteId, id: i64, binned: Option<Timestamp>) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        let status: Option<String> = on_conn!(&mut tx.conn(), c => sqlx::query_scalar(
            "UPDATE news SET deleted_at = $1
             WHERE id = $2 AND site_id = $3 AND (deleted_at IS NULL) = $4
             RETURNING status",
        )
        .bind(binned.map(codec::timestamp))
        .bind(id)
        .bind(site.0)
        .bind(binned.is_some())
        .fetch_optional(&mut *c)
        .await)?;
        let Some(status) = status else {
            return Ok(false);
        };
        tx.changed(
            site,
            Change::News {
                id,
                listed: status == NewsStatus::Published.as_str(),
                moved: true,
            },
        );
        tx.commit().await?;
        Ok(true)
    }

    /// The articles in the bin, most recently binned first.
    pub async fn binned_news(&self, site: SiteId) -> Result<Vec<NewsRow>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM news n WHERE n.site_id = $1 AND n.deleted_at IS NOT NULL
             ORDER BY n.deleted_at DESC, n.id DESC"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(news_row)
            .collect())
    }

    /// Takes an article out of the bin, as it was. `false` if it was not there.
    pub async fn restore_news(&self, site: SiteId, id: i64) -> Result<bool> {
        self.set_binned(site, id, None).await
    }

    /// Every saved version of an article, newest first.
    pub async fn revisions(&self, site: SiteId, news_id: i64) -> Result<Vec<Revision>> {
        self.revisions_where(site, news_id, None).await
    }

    /// One saved version of an article.
    pub async fn revision(
        &self,
        site: SiteId,
        news_id: i64,
        revision_id: i64,
    ) -> Result<Option<Revision>> {
        Ok(self
            .revisions_where(site, news_id, Some(revision_id))
            .await?
            .pop())
    }

    async fn revisions_where(
        &self,
        site: SiteId,
        news_id: i64,
        revision_id: Option<i64>,
    ) -> Result<Vec<Revision>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT r.id, r.version, r.created_at, u.name AS user_name, r.slug, r.title, r.lead, r.body,
                    r.news_date, r.status, r.publish_at, r.unpublish_at, r.contact_ids
             FROM news_revisions r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.site_id = $1 AND r.news_id = $2 AND ($3 IS NULL OR r.id = $3)
             ORDER BY r.version DESC",
        )
        .bind(site.0)
        .bind(news_id)
        .bind(revision_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(revision_from_row)
        .collect())
    }

    /// A page of the news visible to the public at `now`, newest news date
    /// first, and the total number of such articles.
    pub async fn public_news_page(
        &self,
        site: SiteId,
        now: Timestamp,
        page: Page,
    ) -> Result<(Vec<NewsSummary>, u64)> {
        let items = self.latest_public_news(site, now, page).await?;
        let count = format!("SELECT COUNT(*) FROM news n WHERE {PUBLIC}");
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .bind(site.0)
            .bind(codec::timestamp(now))
            .fetch_one(pool)
            .await)?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// A page of the news visible to the public at `now`, newest news date
    /// first, without counting them all (the front page, feeds).
    pub async fn latest_public_news(
        &self,
        site: SiteId,
        now: Timestamp,
        page: Page,
    ) -> Result<Vec<NewsSummary>> {
        let list = format!(
            "SELECT {SUMMARY_COLUMNS} FROM news n WHERE {PUBLIC}
             ORDER BY n.news_date DESC, n.publish_at DESC, n.id DESC LIMIT $3 OFFSET $4"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(list))
            .bind(site.0)
            .bind(codec::timestamp(now))
            .bind(i64::from(page.size))
            .bind(page.offset())
            .fetch_all(pool)
            .await?
            .iter()
            .map(summary_from_row)
            .collect())
    }

    /// The newest `limit` articles visible to the public at `now`, whole, for
    /// feeds.
    pub async fn public_articles(
        &self,
        site: SiteId,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<NewsArticle>> {
        let summaries = self
            .latest_public_news(
                site,
                now,
                Page {
                    number: 1,
                    size: limit,
                },
            )
            .await?;
        let mut conn = self.pool_conn().await?;
        let mut articles = Vec::with_capacity(summaries.len());
        for s in summaries {
            if let Some(a) = article(&mut conn.conn(), site, Lookup::Id(s.id)).await? {
                articles.push(a);
            }
        }
        Ok(articles)
    }

    /// Slug and last change of every article visible to the public at `now`,
    /// for the sitemap.
    pub async fn public_news_index(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Vec<(String, Timestamp)>> {
        let sql = format!(
            "SELECT n.slug, n.updated_at, n.publish_at FROM news n WHERE {PUBLIC} ORDER BY n.news_date DESC, n.id DESC"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(codec::timestamp(now))
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                let updated = codec::read_timestamp("news", "updated_at", r.col("updated_at")?)?;
                // A scheduled article changed when it went public.
                let published = optional_time(r, "publish_at")?.unwrap_or(updated);
                Ok((r.col("slug")?, updated.max(published)))
            })
            .collect())
    }

    /// The first publish or unpublish time after `now` of the site's
    /// articles: until then, what the public sees changes only by saves.
    pub async fn next_scheduled_change(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        let next: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MIN(t) FROM (
                 SELECT MIN(publish_at) AS t FROM news
                 WHERE site_id = $1 AND status = 'published' AND deleted_at IS NULL AND publish_at > $2
                 UNION ALL SELECT MIN(unpublish_at) FROM news
                 WHERE site_id = $1 AND status = 'published' AND deleted_at IS NULL AND unpublish_at > $2
             ) AS upcoming",
        )
        .bind(site.0)
        .bind(codec::timestamp(now))
        .fetch_one(pool)
        .await)?;
        codec::read_optional_timestamp(next.as_deref(), "news", "publish_at")
    }

    /// The article with `slug`, if the public may see it at `now`.
    pub async fn public_news(
        &self,
        site: SiteId,
        slug: &str,
        now: Timestamp,
    ) -> Result<Option<NewsArticle>> {
        let mut conn = self.pool_conn().await?;
        let lookup = Lookup::PublicSlug {
            slug,
            now: codec::timestamp(now),
        };
        article(&mut conn.conn(), site, lookup).await
    }
}

/// How to find one article.
enum Lookup<'a> {
    /// By id, whatever its status, unless it is in the bin.
    Id(i64),
    /// By slug, only if visible to the public at `now` (stored form).
    PublicSlug { slug: &'a str, now: String },
}

async fn article(
    conn: &mut Conn<'_>,
    site: SiteId,
    lookup: Lookup<'_>,
) -> Result<Option<NewsArticle>> {
    const COLUMNS: &str =
        "n.id, n.slug, n.title, n.lead, n.body, n.news_date, n.status, n.publish_at,
        n.unpublish_at, n.created_at, n.updated_at, n.version";
    let found = match lookup {
        Lookup::Id(id) => {
            let sql = format!(
                "SELECT {COLUMNS} FROM news n WHERE n.site_id = $1 AND n.id = $2 AND n.deleted_at IS NULL"
            );
            on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(id)
                .fetch_optional(&mut *c)
                .await?
                .map(|row| article_from_row(&row))
                .transpose())?
        }
        Lookup::PublicSlug { slug, now } => {
            let sql = format!("SELECT {COLUMNS} FROM news n WHERE {PUBLIC} AND n.slug = $3");
            on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(now)
                .bind(slug)
                .fetch_optional(&mut *c)
                .await?
                .map(|row| article_from_row(&row))
                .transpose())?
        }
    };
    let Some(mut article) = found else {
        return Ok(None);
    };
    let sql = format!(
        "SELECT {} FROM news_contacts nc JOIN contacts c ON c.id = nc.contact_id
         WHERE nc.news_id = $1 ORDER BY nc.position",
        contacts::COLUMNS
    );
    article.contacts = on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(article.id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(contacts::from_row)
        .collect::<Result<Vec<_>>>())?;
    Ok(Some(article))
}

/// An article from its row, without its contact persons.
fn article_from_row(row: &impl DbRow) -> Result<NewsArticle> {
    let summary = summary_from_row(row)?;
    Ok(NewsArticle {
        id: summary.id,
        slug: summary.slug,
        title: summary.title,
        lead: summary.lead,
        body: row.col("body")?,
        news_date: summary.news_date,
        status: status_from_row(row)?,
        publish_at: summary.publish_at,
        unpublish_at: optional_time(row, "unpublish_at")?,
        contacts: Vec::new(),
        created_at: codec::read_timestamp("news", "created_at", row.col("created_at")?)?,
        updated_at: codec::read_timestamp("news", "updated_at", row.col("updated_at")?)?,
        version: row.col("version")?,
    })
}

fn revision_from_row(row: &impl DbRow) -> Result<Revision> {
    let contact_ids: &str = row.col("contact_ids")?;
    Ok(Revision {
        id: row.col("id")?,
        version: row.col("version")?,
        created_at: codec::read_timestamp("news_revisions", "created_at", row.col("created_at")?)?,
        user_name: row.col("user_name")?,
        content: NewsInput {
            slug: codec::read_slug("news_revisions", row.col("slug")?)?,
            title: row.col("title")?,
            lead: row.col("lead")?,
            body: row.col("body")?,
            news_date: codec::read_date("news_revisions", "news_date", row.col("news_date")?)?,
            status: status_from_row(row)?,
            publish_at: optional_time(row, "publish_at")?,
            unpublish_at: optional_time(row, "unpublish_at")?,
            contact_ids: codec::read_id_list("news_revisions", "contact_ids", contact_ids)?,
        },
    })
}
