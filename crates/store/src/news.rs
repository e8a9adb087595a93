//! News articles and their contact persons.

use std::collections::HashSet;

use jiff::Timestamp;
use raadhus_domain::{NewsArticle, NewsInput, NewsStatus, NewsSummary, SiteId};
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
const PUBLIC: &str = "n.site_id = $1 AND n.status = 'published' AND n.publish_at <= $2";

const SUMMARY_COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at";

fn summary_from_row(row: &SqliteRow) -> Result<NewsSummary> {
    Ok(NewsSummary {
        id: row.try_get("id")?,
        slug: codec::read_slug("news", row.try_get("slug")?)?,
        title: row.try_get("title")?,
        lead: row.try_get("lead")?,
        news_date: codec::read_date("news", "news_date", row.try_get("news_date")?)?,
        publish_at: row
            .try_get::<Option<&str>, _>("publish_at")?
            .map(|s| codec::read_timestamp("news", "publish_at", s))
            .transpose()?,
    })
}

/// Inserts an article with its contact persons. The slug is made unique within
/// the site by appending `-2`, `-3`, … when needed.
pub(crate) async fn insert(
    conn: &mut SqliteConnection,
    site: SiteId,
    input: &NewsInput,
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
    let publish_at = match (input.status, input.publish_at) {
        (_, Some(at)) => Some(at),
        (NewsStatus::Published, None) => Some(now),
        (NewsStatus::Draft, None) => None,
    };
    let now = codec::timestamp(now);
    let row = sqlx::query(
        "INSERT INTO news (site_id, slug, title, lead, body, news_date, status, publish_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(site.0)
    .bind(slug.as_str())
    .bind(&input.title)
    .bind(&input.lead)
    .bind(&input.body)
    .bind(codec::date(input.news_date))
    .bind(input.status.as_str())
    .bind(publish_at.map(codec::timestamp))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get("id")?;
    for (position, contact_id) in (0_i64..).zip(&input.contact_ids) {
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
    Ok(id)
}

impl Store {
    /// Creates an article and returns it as stored (with its final slug).
    pub async fn create_news(
        &self,
        site: SiteId,
        input: &NewsInput,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let mut tx = self.pool.begin().await?;
        let id = insert(&mut tx, site, input, now).await?;
        let article = article(&mut tx, site, Lookup::Id(id)).await?;
        tx.commit().await?;
        article.ok_or_else(|| StoreError::UnknownReference(format!("news {id} vanished")))
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
    Id(i64),
    /// By slug, only if visible to the public at `now` (stored form).
    PublicSlug {
        slug: &'a str,
        now: String,
    },
}

async fn article(
    conn: &mut SqliteConnection,
    site: SiteId,
    lookup: Lookup<'_>,
) -> Result<Option<NewsArticle>> {
    const COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.body, n.news_date, n.status, n.publish_at, n.created_at, n.updated_at";
    let row = match lookup {
        Lookup::Id(id) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM news n WHERE n.site_id = $1 AND n.id = $2"
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
    let status: &str = row.try_get("status")?;
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
        status: NewsStatus::parse(status).map_err(|e| StoreError::Corrupt {
            table: "news",
            column: "status",
            detail: e.to_string(),
        })?,
        publish_at: summary.publish_at,
        contacts: contact_rows
            .iter()
            .map(contacts::from_row)
            .collect::<Result<_>>()?,
        created_at: codec::read_timestamp("news", "created_at", row.try_get("created_at")?)?,
        updated_at: codec::read_timestamp("news", "updated_at", row.try_get("updated_at")?)?,
    }))
}
