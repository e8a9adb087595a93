//! News articles and their contact persons: reading them here, writing
//! them in `write.rs`, and which the public sees in `visibility.rs`.

mod create;
mod many;
mod media;
mod related;
mod rendered;
mod visibility;
mod write;

pub use media::PublicDocument;
pub use rendered::Unrendered;
pub(crate) use visibility::PUBLISHED;
pub(crate) use write::publish_time;

use crate::owner::{Owner, contacts_of};
use crate::{Conn, DbRow, Result, Store, StoreError, codec};
use jiff::Timestamp;
use raadhus_domain::{
    NewsArticle, NewsContent, NewsStatus, NewsSummary, SiteId, Slug, Visibility, markup,
};

/// One page of a list: 1-based page number and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub(crate) fn offset(self) -> i64 {
        i64::from(self.number.saturating_sub(1)) * i64::from(self.size)
    }
}

/// The columns of a whole article (as `n`).
const ARTICLE_COLUMNS: &str =
    "n.id, n.slug, n.title, n.lead, n.body, n.news_date, n.status, n.publish_at,
    n.unpublish_at, n.created_at, n.updated_at, n.version, n.body_html,
    n.body_html_version, n.body_html_renderer, n.image_id";

const SUMMARY_COLUMNS: &str =
    "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at, n.image_id";

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
        image_id: row.col("image_id")?,
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
    /// Who wrote it: the user who saved its first version (none when it
    /// came from the command line or an import).
    pub author: Option<String>,
}

/// An article in the bin: when it was put there, and by whom (none when
/// from the command line, or when the log does not say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinnedNews {
    pub row: NewsRow,
    pub binned_at: Timestamp,
    pub binned_by: Option<String>,
}

impl NewsRow {
    pub fn visibility(&self, now: Timestamp) -> Visibility {
        Visibility::of(self.status, self.summary.publish_at, self.unpublish_at, now)
    }
}

const ROW_COLUMNS: &str = "n.id, n.slug, n.title, n.lead, n.news_date, n.publish_at, n.image_id, n.status, n.unpublish_at, n.updated_at, n.version,
    (SELECT u.name FROM news_revisions r JOIN users u ON u.id = r.user_id
     WHERE r.news_id = n.id AND r.version = 1) AS author";

fn news_row(row: &impl DbRow) -> Result<NewsRow> {
    Ok(NewsRow {
        summary: summary_from_row(row)?,
        status: status_from_row(row)?,
        unpublish_at: optional_time(row, "unpublish_at")?,
        updated_at: codec::read_timestamp("news", "updated_at", row.col("updated_at")?)?,
        version: row.col("version")?,
        author: row.col("author")?,
    })
}

/// What the editors' list shows: by visibility and words of the title.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsFilter {
    pub visibility: Option<Visibility>,
    pub title: Option<String>,
    /// Only those this user wrote (saved the first version of).
    pub author: Option<i64>,
    /// With `title`'s words: also the articles with these slugs (what the
    /// site search finds for the words: other forms of them, compounds,
    /// typos, words of the text), whatever their title.
    pub found: Vec<Slug>,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: i64,
    pub version: i64,
    pub created_at: Timestamp,
    pub user_name: Option<String>,
    pub content: NewsContent,
}

impl Store {
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
        let visibility = filter.visibility.map_or("1 = 1", visibility::condition);
        let words = filter.title.as_deref().map(str::trim).unwrap_or_default();
        let like = codec::contains_pattern(words);
        // A number, so written into the SQL: the list and the count keep
        // the same parameters.
        let author = filter.author.map_or_else(String::new, |id| {
            format!(
                "AND EXISTS (SELECT 1 FROM news_revisions r
                 WHERE r.news_id = n.id AND r.version = 1 AND r.user_id = {id})"
            )
        });
        // Slugs hold only a-z, 0-9 and '-': written into the SQL as they are.
        let found = if filter.found.is_empty() || words.is_empty() {
            String::new()
        } else {
            let slugs: Vec<String> = filter
                .found
                .iter()
                .map(|slug| format!("'{}'", slug.as_str()))
                .collect();
            format!("OR n.slug IN ({})", slugs.join(", "))
        };
        let condition = format!(
            "n.site_id = $1 AND n.deleted_at IS NULL AND {visibility}
             AND ($3 = '' OR lower(n.title) LIKE lower($4) ESCAPE '\\' {found}) {author}"
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

    /// The articles in the bin, most recently binned first.
    pub async fn binned_news(&self, site: SiteId) -> Result<Vec<BinnedNews>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, n.deleted_at,
                    (SELECT u.name FROM audit_log a JOIN users u ON u.id = a.user_id
                     WHERE a.entity = 'news' AND a.entity_id = n.id AND a.action = 'delete'
                     ORDER BY a.id DESC LIMIT 1) AS binned_by
             FROM news n WHERE n.site_id = $1 AND n.deleted_at IS NOT NULL
             ORDER BY n.deleted_at DESC, n.id DESC"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok(BinnedNews {
                    row: news_row(row)?,
                    binned_at: codec::read_timestamp("news", "deleted_at", row.col("deleted_at")?)?,
                    binned_by: row.col("binned_by")?,
                })
            })
            .collect())
    }

    /// The articles that are to go public after `now` and by `until`, the
    /// soonest first.
    pub async fn scheduled_news(
        &self,
        site: SiteId,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<NewsRow>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM news n
             WHERE n.site_id = $1 AND n.deleted_at IS NULL AND {}
               AND n.publish_at <= $3
             ORDER BY n.publish_at, n.id",
            visibility::condition(Visibility::Scheduled)
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(codec::timestamp(now))
            .bind(codec::timestamp(until))
            .fetch_all(pool)
            .await?
            .iter()
            .map(news_row)
            .collect())
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
                    r.news_date, r.status, r.publish_at, r.unpublish_at, r.contact_ids, r.image_id
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
        let count = format!("SELECT COUNT(*) FROM news n WHERE {}", visibility::public());
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
            "SELECT {SUMMARY_COLUMNS} FROM news n WHERE {}
             ORDER BY n.news_date DESC, n.publish_at DESC, n.id DESC LIMIT $3 OFFSET $4",
            visibility::public()
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
        let ids: Vec<i64> = summaries.iter().map(|s| s.id).collect();
        self.news_by_ids(site, &ids).await
    }

    /// Slug and last change of every article visible to the public at `now`,
    /// for the sitemap.
    pub async fn public_news_index(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Vec<(String, Timestamp)>> {
        let sql = format!(
            "SELECT n.slug, n.updated_at, n.publish_at FROM news n WHERE {} ORDER BY n.news_date DESC, n.id DESC",
            visibility::public()
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
    /// articles and pages: until then, what the public sees changes only by saves.
    pub async fn next_scheduled_change(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        // Few items lie ahead, so each part walks the site's index of its
        // time from `now` (`news_site_publish_at`, …). The status is
        // written so that no index can serve it (`|| ''`): SQLite's planner
        // otherwise takes `news_public` for its equality and scans every
        // published article of the site (25 ms at 100,000).
        let ahead = "n.site_id = $1 AND n.deleted_at IS NULL AND n.status || '' = 'published'";
        let sql = format!(
            "SELECT MIN(t) FROM (
                 SELECT MIN(n.publish_at) AS t FROM news n
                 WHERE {ahead} AND n.publish_at > $2
                 UNION ALL SELECT MIN(n.unpublish_at) FROM news n
                 WHERE {ahead} AND n.unpublish_at > $2
                 UNION ALL SELECT MIN(n.publish_at) FROM pages n
                 WHERE {ahead} AND n.publish_at > $2
                 UNION ALL SELECT MIN(n.unpublish_at) FROM pages n
                 WHERE {ahead} AND n.unpublish_at > $2
             ) AS upcoming"
        );
        let next: Option<String> = on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
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
    const COLUMNS: &str = ARTICLE_COLUMNS;
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
            let sql = format!(
                "SELECT {COLUMNS} FROM news n WHERE {} AND n.slug = $3",
                visibility::public()
            );
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
    article.contacts = contacts_of(conn, Owner::News(article.id)).await?;
    article.content.contact_ids = article.contacts.iter().map(|c| c.id).collect();
    Ok(Some(article))
}

/// The content of an article or revision from its row (`table`), with
/// `contact_ids`.
pub(crate) fn content_from_row(
    row: &impl DbRow,
    table: &'static str,
    contact_ids: Vec<i64>,
) -> Result<NewsContent> {
    Ok(NewsContent {
        slug: codec::read_slug(table, row.col("slug")?)?,
        title: row.col("title")?,
        lead: row.col("lead")?,
        body: row.col("body")?,
        news_date: codec::read_date(table, "news_date", row.col("news_date")?)?,
        status: status_from_row(row)?,
        publish_at: optional_time(row, "publish_at")?,
        unpublish_at: optional_time(row, "unpublish_at")?,
        contact_ids,
        image_id: row.col("image_id")?,
    })
}

/// An article from its row, without its contact persons; with its
/// rendered body if that is of its version and this renderer.
fn article_from_row(row: &impl DbRow) -> Result<NewsArticle> {
    let version: i64 = row.col("version")?;
    let current = row.col::<i64>("body_html_version")? == version
        && row.col::<i64>("body_html_renderer")? == markup::RENDER_VERSION;
    Ok(NewsArticle {
        id: row.col("id")?,
        content: content_from_row(row, "news", Vec::new())?,
        contacts: Vec::new(),
        created_at: codec::read_timestamp("news", "created_at", row.col("created_at")?)?,
        updated_at: codec::read_timestamp("news", "updated_at", row.col("updated_at")?)?,
        version,
        body_html: if current { row.col("body_html")? } else { None },
    })
}

fn revision_from_row(row: &impl DbRow) -> Result<Revision> {
    let contact_ids: &str = row.col("contact_ids")?;
    Ok(Revision {
        id: row.col("id")?,
        version: row.col("version")?,
        created_at: codec::read_timestamp("news_revisions", "created_at", row.col("created_at")?)?,
        user_name: row.col("user_name")?,
        content: content_from_row(
            row,
            "news_revisions",
            codec::read_id_list("news_revisions", "contact_ids", contact_ids)?,
        )?,
    })
}
