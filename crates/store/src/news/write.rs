//! Writing articles: each save stores the article, its contact persons and
//! a revision, in the caller's transaction.

use std::collections::HashSet;

use jiff::Timestamp;
use raadhus_domain::markup::{self, BodyHtml};
use raadhus_domain::{NewsArticle, NewsContent, NewsStatus, SiteId, Slug, urls};

use super::{Lookup, article};
use crate::old_paths::{self, OldPathTarget};
use crate::owner::{self, Owner, write_contacts, write_uses};
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

/// Writes an article's row with its rendered body: a new one (`id` None,
/// version 1) or a new version of article `id`. Returns its id.
#[allow(clippy::too_many_arguments)]
async fn write_article(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: Option<i64>,
    slug: &Slug,
    content: &NewsContent,
    html: &BodyHtml,
    publish_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<i64> {
    // Both statements take the same first thirteen parameters. In the UPDATE,
    // `version` on the right is the version before this save.
    let sql = match id {
        None => {
            "INSERT INTO news (slug, title, lead, body, news_date, status, publish_at, unpublish_at,
                               updated_at, site_id, body_html, body_html_renderer, image_id,
                               created_at, version, body_html_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $9, 1, 1) RETURNING id"
        }
        Some(_) => {
            "UPDATE news SET slug = $1, title = $2, lead = $3, body = $4, news_date = $5, status = $6,
                    publish_at = $7, unpublish_at = $8, updated_at = $9, body_html = $11,
                    body_html_renderer = $12, image_id = $13, version = version + 1,
                    body_html_version = version + 1
             WHERE site_id = $10 AND id = $14 RETURNING id"
        }
    };
    on_conn!(conn, c => {
        let query = sqlx::query_scalar(sql)
            .bind(slug.as_str())
            .bind(&content.title)
            .bind(&content.lead)
            .bind(&content.body)
            .bind(codec::date(content.news_date))
            .bind(content.status.as_str())
            .bind(publish_at.map(codec::timestamp))
            .bind(content.unpublish_at.map(codec::timestamp))
            .bind(codec::timestamp(now))
            .bind(site.0)
            .bind(html.as_str())
            .bind(markup::RENDER_VERSION)
            .bind(content.image_id);
        match id {
            Some(id) => query.bind(id),
            None => query,
        }
        .fetch_one(&mut *c)
        .await
    })
    .map_err(StoreError::from)
}

/// Stores the article as it is now as a revision.
async fn write_revision(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let contacts = owner::contact_ids(conn, Owner::News(id)).await?;
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO news_revisions (site_id, news_id, version, user_id, created_at, slug, title, lead, body,
                                     news_date, status, publish_at, unpublish_at, contact_ids, image_id)
         SELECT n.site_id, n.id, n.version, $3, $4, n.slug, n.title, n.lead, n.body, n.news_date, n.status,
                n.publish_at, n.unpublish_at, $5, n.image_id
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

impl WriteTx {
    /// Any article of the site that is not in the bin, as this transaction
    /// sees it.
    pub async fn news_by_id(&mut self, site: SiteId, id: i64) -> Result<Option<NewsArticle>> {
        article(&mut self.conn(), site, Lookup::Id(id)).await
    }

    /// Creates an article with its contact persons and its first revision,
    /// saved by `user` if anyone, and returns it as stored. The slug is made
    /// unique within the site by appending `-2`, `-3`, … when needed. `html`
    /// is its body rendered (before the transaction: rendering takes time).
    pub async fn create_news(
        &mut self,
        site: SiteId,
        content: &NewsContent,
        html: &BodyHtml,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<NewsArticle> {
        let conn = &mut self.conn();
        // Slugs hold only a-z, 0-9 and '-': nothing LIKE reads as a wildcard.
        let taken: Vec<String> = on_conn!(conn, c => sqlx::query_scalar(
            "SELECT slug FROM news WHERE site_id = $1 AND slug LIKE $2 || '%'",
        )
        .bind(site.0)
        .bind(content.slug.family())
        .fetch_all(&mut *c)
        .await)?;
        let taken: HashSet<String> = taken.into_iter().collect();
        let slug = content.slug.make_unique(|s| taken.contains(s.as_str()));
        let publish_at = publish_time((content.status, content.publish_at), None, now);
        let id = write_article(conn, site, None, &slug, content, html, publish_at, now).await?;
        old_paths::forget(conn, site, &urls::news(slug.as_str())).await?;
        write_contacts(conn, site, Owner::News(id), &content.contact_ids).await?;
        write_uses(conn, site, Owner::News(id), &content.body, content.image_id).await?;
        write_revision(conn, site, id, user, now).await?;
        self.changed(
            site,
            Change::News {
                id,
                listed: content.status == NewsStatus::Published,
                moved: true,
            },
        );
        self.news_by_id(site, id).await?.ok_or(StoreError::NotFound)
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
        write_article(conn, site, Some(id), slug, content, html, publish_at, now).await?;
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
        write_revision(conn, site, id, user, now).await?;
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
