//! Writing articles: each save stores the article, its contact persons and
//! a revision, in the caller's transaction.

use jiff::Timestamp;
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::{NewsArticle, NewsContent, NewsStatus, SiteId, Slug, urls};

use super::{Lookup, article};
use crate::old_paths::{self, OldPathTarget};
use crate::owner::{Owner, write_contacts, write_uses};
use crate::{Change, Conn, Result, StoreError, WriteTx, codec};

/// The publish time a save stores: the one given; for a published article
/// without one, the time it was first published if that has passed, or now
/// (publishing a scheduled article now publishes it now).
pub(crate) fn publish_time(
    (status, publish_at): (NewsStatus, Option<Timestamp>),
    existing: Option<Timestamp>,
    now: Timestamp,
) -> Option<Timestamp> {
    match (status, publish_at) {
        (_, Some(at)) => Some(at),
        (NewsStatus::Published, None) => Some(existing.filter(|&at| at <= now).unwrap_or(now)),
        (NewsStatus::Draft, None) => None,
    }
}

/// Writes a new version of article `id` with its rendered body.
#[allow(clippy::too_many_arguments)]
async fn write_article(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    slug: &Slug,
    content: &NewsContent,
    html: &BodyHtml,
    publish_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<()> {
    // `version` on the right is the version before this save.
    on_conn!(conn, c => {
        let query = sqlx::query(
            "UPDATE news SET slug = $1, title = $2, lead = $3, body = $4, news_date = $5,
                    status = $6, publish_at = $7, unpublish_at = $8, updated_at = $9,
                    body_html = $11, body_html_renderer = $12, image_id = $13,
                    version = version + 1, body_html_version = version + 1
             WHERE site_id = $10 AND id = $14",
        );
        bind_article!(query, site, slug, content, html, publish_at, now)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop)
    })?;
    Ok(())
}

/// Binds the columns an article's save writes, in the order both the
/// INSERT of a new article and the UPDATE of a save number them (`$1` to
/// `$13`): slug, title, lead, body, news date, status, publish and
/// unpublish times, the time of the save, the site, the rendered body, its
/// renderer's version and the image.
macro_rules! bind_article {
    ($query:expr, $site:expr, $slug:expr, $content:expr, $html:expr, $publish_at:expr, $now:expr) => {
        $query
            .bind($slug.as_str())
            .bind(&$content.title)
            .bind(&$content.lead)
            .bind(&$content.body)
            .bind($crate::codec::date($content.news_date))
            .bind($content.status.as_str())
            .bind($publish_at.map($crate::codec::timestamp))
            .bind($content.unpublish_at.map($crate::codec::timestamp))
            .bind($crate::codec::timestamp($now))
            .bind($site.0)
            .bind($html.as_str())
            .bind(raadhus_domain::markup::RENDER_VERSION)
            .bind($content.image_id)
    };
}
pub(super) use bind_article;

/// Revisions written by one statement: two parameters each.
const REVISIONS: usize = 1_000;

/// Stores each article of `articles` as it is now as a revision, with
/// the contact persons it was just given (ids in order), saved by `user`.
pub(super) async fn write_revisions(
    conn: &mut Conn<'_>,
    site: SiteId,
    articles: &[(i64, &[i64])],
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    for chunk in articles.chunks(REVISIONS) {
        // VALUES names its columns column1, column2, … in both databases.
        let sql = format!(
            "INSERT INTO news_revisions (site_id, news_id, version, user_id, created_at, slug, title, lead,
                                         body, news_date, status, publish_at, unpublish_at, contact_ids,
                                         image_id)
             SELECT n.site_id, n.id, n.version, $2, $3, n.slug, n.title, n.lead, n.body, n.news_date,
                    n.status, n.publish_at, n.unpublish_at, v.column2, n.image_id
             FROM news n JOIN (VALUES {}) v ON v.column1 = n.id
             WHERE n.site_id = $1",
            codec::placeholders(chunk.len(), 2, 3)
        );
        on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(user)
                .bind(codec::timestamp(now));
            for &(id, contacts) in chunk {
                query = query.bind(id).bind(codec::id_list(contacts));
            }
            query.execute(&mut *c).await.map(drop)
        })?;
    }
    Ok(())
}

impl WriteTx {
    /// Any article of the site that is not in the bin, as this transaction
    /// sees it.
    pub async fn news_by_id(&mut self, site: SiteId, id: i64) -> Result<Option<NewsArticle>> {
        article(&mut self.conn(), site, Lookup::Id(id)).await
    }

    /// Saves a new version of an article with its body rendered as `html`,
    /// if `expected_version` is still the newest ([`StoreError::Stale`]
    /// otherwise), and returns it as stored.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_news(
        &mut self,
        site: SiteId,
        id: i64,
        expected_version: i64,
        content: &NewsContent,
        html: &BodyHtml,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let current = self
            .news_by_id(site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if current.version != expected_version {
            return Err(StoreError::Stale {
                expected: expected_version,
                current: current.version,
            });
        }
        let conn = &mut self.conn();
        if current.content.slug != content.slug {
            let taken: i64 = on_conn!(conn, c => sqlx::query_scalar(
                "SELECT COUNT(*) FROM news WHERE site_id = $1 AND slug = $2 AND id <> $3",
            )
            .bind(site.0)
            .bind(content.slug.as_str())
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
            if taken > 0 {
                return Err(StoreError::SlugTaken(content.slug.to_string()));
            }
        }
        let publish_at = publish_time(
            (content.status, content.publish_at),
            current.content.publish_at,
            now,
        );
        let unchanged = NewsContent {
            publish_at,
            ..content.clone()
        } == current.content;
        if unchanged {
            return Ok(current);
        }
        let slug = &content.slug;
        write_article(conn, site, id, slug, content, html, publish_at, now).await?;
        if current.content.slug != content.slug {
            // A published article's old address leads to the new one.
            if current.content.status == NewsStatus::Published {
                let old = urls::news(current.content.slug.as_str());
                old_paths::record(conn, site, &old, OldPathTarget::News(id), now).await?;
            }
            old_paths::forget(conn, site, &urls::news(slug.as_str())).await?;
        }
        write_contacts(conn, site, Owner::News(id), &content.contact_ids).await?;
        write_uses(conn, site, Owner::News(id), &content.body, content.image_id).await?;
        write_revisions(conn, site, &[(id, &content.contact_ids)], user, now).await?;
        let saved = self
            .news_by_id(site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (before, after) = (&current.content, &saved.content);
        self.changed(
            site,
            Change::News {
                id,
                listed: before.status == NewsStatus::Published
                    || after.status == NewsStatus::Published,
                moved: before.status != after.status
                    || before.publish_at != after.publish_at
                    || before.unpublish_at != after.unpublish_at
                    || before.news_date != after.news_date
                    // Related articles are found by their contact persons.
                    || before.contact_ids != after.contact_ids,
            },
        );
        Ok(saved)
    }

    /// Moves an article to the bin and returns it.
    pub async fn bin_news(&mut self, site: SiteId, id: i64, now: Timestamp) -> Result<NewsArticle> {
        let article = self
            .news_by_id(site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.set_binned(site, id, Some(now)).await?;
        Ok(article)
    }

    /// Takes an article out of the bin, as it was, and returns it.
    pub async fn restore_news(&mut self, site: SiteId, id: i64) -> Result<NewsArticle> {
        self.set_binned(site, id, None).await?;
        self.news_by_id(site, id).await?.ok_or(StoreError::NotFound)
    }

    /// Moves an article into the bin (`Some(when)`) or out of it (`None`);
    /// `NotFound` if it was not where it could be moved from.
    async fn set_binned(&mut self, site: SiteId, id: i64, binned: Option<Timestamp>) -> Result<()> {
        let status: Option<String> = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
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
        let status = status.ok_or(StoreError::NotFound)?;
        self.changed(
            site,
            Change::News {
                id,
                listed: status == NewsStatus::Published.as_str(),
                moved: true,
            },
        );
        Ok(())
    }
}
