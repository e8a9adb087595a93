//! News articles and their contact persons.

use std::collections::HashSet;

use jiff::Timestamp;
use raadhus_domain::{NewsArticle, NewsInput, NewsStatus, NewsSummary, SiteId, Visibility};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::{Result, Store, StoreError, codec, contacts, missing_reference};

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
const PUBLIC: &str = "n.site_id = $1 AND n.deleted_at IS NULL AND n.status = 'published'
    AND n.publish_at <= $2 AND (n.unpublish_at IS NULL OR n.unpublish_at > $2)";

const SUMMARY_COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at";

fn optional_time(row: &SqliteRow, column: &'static str) -> Result<Option<Timestamp>> {
    codec::read_optional_timestamp(row, column, "news", column)
}

fn summary_from_row(row: &SqliteRow) -> Result<NewsSummary> {
    Ok(NewsSummary {
        id: row.try_get("id")?,
        slug: codec::read_slug("news", row.try_get("slug")?)?,
        title: row.try_get("title")?,
        lead: row.try_get("lead")?,
        news_date: codec::read_date("news", "news_date", row.try_get("news_date")?)?,
        publish_at: optional_time(row, "publish_at")?,
    })
}

fn status_from_row(row: &SqliteRow) -> Result<NewsStatus> {
    let status: &str = row.try_get("status")?;
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

fn news_row(row: &SqliteRow) -> Result<NewsRow> {
    Ok(NewsRow {
        summary: summary_from_row(row)?,
        status: status_from_row(row)?,
        unpublish_at: optional_time(row, "unpublish_at")?,
        updated_at: codec::read_timestamp("news", "updated_at", row.try_get("updated_at")?)?,
        version: row.try_get("version")?,
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
    conn: &mut SqliteConnection,
    site: SiteId,
    input: &NewsInput,
    user: Option<i64>,
    now: Timestamp,
) -> Result<i64> {
    let taken: HashSet<String> = sqlx::query(
        "SELECT slug FROM news WHERE site_id = $1 AND (slug = $2 OR slug LIKE $2 || '-%')",
    )
    .bind(site.0)
    .bind(input.slug.as_str())
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| row.try_get("slug"))
    .collect::<Result<_, _>>()?;
    let slug = input.slug.make_unique(|s| taken.contains(s.as_str()));
    let publish_at = publish_time(input, None, now);
    let row = sqlx::query(
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
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get("id")?;
    write_contacts(conn, site, id, &input.contact_ids).await?;
    write_revision(conn, site, id, user, now).await?;
    Ok(id)
}

async fn write_contacts(
    conn: &mut SqliteConnection,
    site: SiteId,
    id: i64,
    contact_ids: &[i64],
) -> Result<()> {
    sqlx::query("DELETE FROM news_contacts WHERE news_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for (position, contact_id) in (0_i64..).zip(contact_ids) {
        sqlx::query(
            "INSERT INTO news_contacts (site_id, news_id, contact_id, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(site.0)
        .bind(id)
        .bind(contact_id)
        .bind(position)
        .execute(&mut *conn)
        .await
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
    conn: &mut SqliteConnection,
    site: SiteId,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO news_revisions (site_id, news_id, version, user_id, created_at, slug, title, lead, body,
                                     news_date, status, publish_at, unpublish_at, contact_ids)
         SELECT n.site_id, n.id, n.version, $3, $4, n.slug, n.title, n.lead, n.body, n.news_date, n.status,
                n.publish_at, n.unpublish_at,
                COALESCE((SELECT group_concat(contact_id, ',') FROM
                            (SELECT contact_id FROM news_contacts WHERE news_id = n.id ORDER BY position)), '')
         FROM news n WHERE n.id = $1 AND n.site_id = $2",
    )
    .bind(id)
    .bind(site.0)
    .bind(user)
    .bind(codec::timestamp(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Creates an article with its first revision and returns it as stored
    /// (with its final slug). `user` is who wrote it, if anyone.
    pub async fn create_news(
        &self,
        site: SiteId,
        input: &NewsInput,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let mut tx = self.write_tx().await?;
        let id = insert(&mut tx, site, input, user, now).await?;
        let article = article(&mut tx, site, Lookup::Id(id)).await?;
        tx.commit().await?;
        article.ok_or(StoreError::NotFound)
    }

    /// Saves a new version of an article, if `expected_version` is still the
    /// newest; otherwise nothing is written and the answer is a conflict.
    pub async fn update_news(
        &self,
        site: SiteId,
        id: i64,
        expected_version: i64,
        input: &NewsInput,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let mut tx = self.write_tx().await?;
        let current = article(&mut tx, site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)?;
        if current.version != expected_version {
            return Err(StoreError::Conflict(format!(
                "news {id} is at version {}, not {expected_version}",
                current.version
            )));
        }
        if current.slug != input.slug {
            let taken =
                sqlx::query("SELECT 1 FROM news WHERE site_id = $1 AND slug = $2 AND id <> $3")
                    .bind(site.0)
                    .bind(input.slug.as_str())
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::SlugTaken(input.slug.to_string()));
            }
        }
        let publish_at = publish_time(input, current.publish_at, now);
        sqlx::query(
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
        .execute(&mut *tx)
        .await?;
        write_contacts(&mut tx, site, id, &input.contact_ids).await?;
        write_revision(&mut tx, site, id, user, now).await?;
        let saved = article(&mut tx, site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Any article of the site that is not in the bin, whatever its status.
    pub async fn news_by_id(&self, site: SiteId, id: i64) -> Result<Option<NewsArticle>> {
        let mut conn = self.pool.acquire().await?;
        article(&mut conn, site, Lookup::Id(id)).await
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} FROM news n WHERE {condition}
             ORDER BY n.news_date DESC, n.id DESC LIMIT $5 OFFSET $6"
        )))
        .bind(site.0)
        .bind(&now)
        .bind(words)
        .bind(&like)
        .bind(i64::from(page.size))
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS total FROM news n WHERE {condition}"
        )))
        .bind(site.0)
        .bind(&now)
        .bind(words)
        .bind(&like)
        .fetch_one(&self.pool)
        .await?
        .try_get("total")?;
        let rows = rows.iter().map(news_row).collect::<Result<_>>()?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// Moves an article to the bin. `false` if there was no such article.
    pub async fn bin_news(&self, site: SiteId, id: i64, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE news SET deleted_at = $1 WHERE id = $2 AND site_id = $3 AND deleted_at IS NULL",
        )
        .bind(codec::timestamp(now))
        .bind(id)
        .bind(site.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The articles in the bin, most recently binned first.
    pub async fn binned_news(&self, site: SiteId) -> Result<Vec<NewsRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ROW_COLUMNS} FROM news n WHERE n.site_id = $1 AND n.deleted_at IS NOT NULL
             ORDER BY n.deleted_at DESC, n.id DESC"
        )))
        .bind(site.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(news_row).collect()
    }

    /// Takes an article out of the bin, as it was. `false` if it was not there.
    pub async fn restore_news(&self, site: SiteId, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE news SET deleted_at = NULL WHERE id = $1 AND site_id = $2 AND deleted_at IS NOT NULL",
        )
        .bind(id)
        .bind(site.0)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
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
        let rows = sqlx::query(
            "SELECT r.id, r.version, r.created_at, u.name AS user_name, r.slug, r.title, r.lead, r.body,
                    r.news_date, r.status, r.publish_at, r.unpublish_at, r.contact_ids
             FROM news_revisions r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.site_id = $1 AND r.news_id = $2 AND ($3 IS NULL OR r.id = $3)
             ORDER BY r.version DESC",
        )
        .bind(site.0)
        .bind(news_id)
        .bind(revision_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let contact_ids: &str = row.try_get("contact_ids")?;
                Ok(Revision {
                    id: row.try_get("id")?,
                    version: row.try_get("version")?,
                    created_at: codec::read_timestamp(
                        "news_revisions",
                        "created_at",
                        row.try_get("created_at")?,
                    )?,
                    user_name: row.try_get("user_name")?,
                    content: NewsInput {
                        slug: codec::read_slug("news_revisions", row.try_get("slug")?)?,
                        title: row.try_get("title")?,
                        lead: row.try_get("lead")?,
                        body: row.try_get("body")?,
                        news_date: codec::read_date(
                            "news_revisions",
                            "news_date",
                            row.try_get("news_date")?,
                        )?,
                        status: status_from_row(row)?,
                        publish_at: optional_time(row, "publish_at")?,
                        unpublish_at: optional_time(row, "unpublish_at")?,
                        contact_ids: contact_ids
                            .split(',')
                            .filter(|s| !s.is_empty())
                            .map(|s| {
                                s.parse().map_err(|_| StoreError::Corrupt {
                                    table: "news_revisions",
                                    column: "contact_ids",
                                    detail: contact_ids.to_string(),
                                })
                            })
                            .collect::<Result<_>>()?,
                    },
                })
            })
            .collect()
    }

    /// A page of the news visible to the public at `now`, newest news date
    /// first, and the total number of such articles.
    pub async fn public_news_page(
        &self,
        site: SiteId,
        now: Timestamp,
        page: Page,
    ) -> Result<(Vec<NewsSummary>, u64)> {
        let now = codec::timestamp(now);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM news n WHERE {PUBLIC}
             ORDER BY n.news_date DESC, n.publish_at DESC, n.id DESC LIMIT $3 OFFSET $4"
        )))
        .bind(site.0)
        .bind(&now)
        .bind(i64::from(page.size))
        .bind(page.offset())
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS total FROM news n WHERE {PUBLIC}"
        )))
        .bind(site.0)
        .bind(&now)
        .fetch_one(&self.pool)
        .await?
        .try_get("total")?;
        let items = rows.iter().map(summary_from_row).collect::<Result<_>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// The newest `limit` articles visible to the public at `now`, whole, for
    /// feeds.
    pub async fn public_articles(
        &self,
        site: SiteId,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<NewsArticle>> {
        let (summaries, _) = self
            .public_news_page(
                site,
                now,
                Page {
                    number: 1,
                    size: limit,
                },
            )
            .await?;
        let mut conn = self.pool.acquire().await?;
        let mut articles = Vec::with_capacity(summaries.len());
        for s in summaries {
            if let Some(a) = article(&mut conn, site, Lookup::Id(s.id)).await? {
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
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT n.slug, n.updated_at, n.publish_at FROM news n WHERE {PUBLIC} ORDER BY n.news_date DESC, n.id DESC"
        )))
        .bind(site.0)
        .bind(codec::timestamp(now))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let updated =
                    codec::read_timestamp("news", "updated_at", r.try_get("updated_at")?)?;
                // A scheduled article changed when it went public.
                let published = optional_time(r, "publish_at")?.unwrap_or(updated);
                Ok((r.try_get("slug")?, updated.max(published)))
            })
            .collect()
    }

    /// The article with `slug`, if the public may see it at `now`.
    pub async fn public_news(
        &self,
        site: SiteId,
        slug: &str,
        now: Timestamp,
    ) -> Result<Option<NewsArticle>> {
        let mut conn = self.pool.acquire().await?;
        let lookup = Lookup::PublicSlug {
            slug,
            now: codec::timestamp(now),
        };
        article(&mut conn, site, lookup).await
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
    conn: &mut SqliteConnection,
    site: SiteId,
    lookup: Lookup<'_>,
) -> Result<Option<NewsArticle>> {
    const COLUMNS: &str =
        "n.id, n.slug, n.title, n.lead, n.body, n.news_date, n.status, n.publish_at,
        n.unpublish_at, n.created_at, n.updated_at, n.version";
    let row = match lookup {
        Lookup::Id(id) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM news n WHERE n.site_id = $1 AND n.id = $2 AND n.deleted_at IS NULL"
            )))
            .bind(site.0)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        }
        Lookup::PublicSlug { slug, now } => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM news n WHERE {PUBLIC} AND n.slug = $3"
            )))
            .bind(site.0)
            .bind(now)
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?
        }
    };
    let Some(row) = row else { return Ok(None) };
    let summary = summary_from_row(&row)?;
    let contact_rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM news_contacts nc JOIN contacts c ON c.id = nc.contact_id
         WHERE nc.news_id = $1 ORDER BY nc.position",
        contacts::COLUMNS
    )))
    .bind(summary.id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(NewsArticle {
        id: summary.id,
        slug: summary.slug,
        title: summary.title,
        lead: summary.lead,
        body: row.try_get("body")?,
        news_date: summary.news_date,
        status: status_from_row(&row)?,
        publish_at: summary.publish_at,
        unpublish_at: optional_time(&row, "unpublish_at")?,
        contacts: contact_rows
            .iter()
            .map(contacts::from_row)
            .collect::<Result<_>>()?,
        created_at: codec::read_timestamp("news", "created_at", row.try_get("created_at")?)?,
        updated_at: codec::read_timestamp("news", "updated_at", row.try_get("updated_at")?)?,
        version: row.try_get("version")?,
    }))
}
