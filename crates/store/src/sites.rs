//! Sites (tenants).

use crate::{DbRow, Result, Store, codec};
use jiff::Timestamp;
use raadhus_domain::{Site, SiteId};

impl Store {
    /// Returns the first site, creating it with `name` on an empty database.
    pub async fn primary_site(&self, name: &str, now: Timestamp) -> Result<Site> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO sites (id, name, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(name)
        .bind(codec::timestamp(now))
        .execute(pool)
        .await.map(drop))?;
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT id, name FROM sites ORDER BY id LIMIT 1")
                .fetch_one(pool)
                .await?;
            Ok(Site {
                id: SiteId(row.col("id")?),
                name: row.col("name")?,
            })
        })
    }

    /// When anything the public pages show last changed: a save or delete of
    /// any content, or a publish or unpublish time that has passed by `now`.
    /// (The times that have passed are read from their own indexes, walked
    /// back from `now`: `site_id + 0` keeps SQLite from scanning every
    /// article of the site by `news_public` instead, 12 ms each at 100,000.)
    pub async fn content_changed_at(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        let changed: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(t) FROM (
                 SELECT MAX(updated_at) AS t FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(publish_at) FROM news WHERE site_id + 0 = $1 AND publish_at <= $2
                 UNION ALL SELECT MAX(unpublish_at) FROM news WHERE site_id + 0 = $1 AND unpublish_at <= $2
                 UNION ALL SELECT MAX(deleted_at) FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM pages WHERE site_id = $1
                 UNION ALL SELECT MAX(publish_at) FROM pages WHERE site_id + 0 = $1 AND publish_at <= $2
                 UNION ALL SELECT MAX(unpublish_at) FROM pages WHERE site_id + 0 = $1 AND unpublish_at <= $2
                 UNION ALL SELECT MAX(deleted_at) FROM pages WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM contacts WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM topics WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM websites WHERE site_id = $1
                 UNION ALL SELECT MAX(at) FROM audit_log WHERE site_id = $1 AND at <= $2
             ) AS changes",
        )
        .bind(site.0)
        .bind(codec::timestamp(now))
        .fetch_one(pool)
        .await)?;
        codec::read_optional_timestamp(changed.as_deref(), "news", "updated_at")
    }

    /// The shared secret `name`: the one stored, or `fresh` stored now if
    /// there is none yet (the first node to start wins; every node reads the
    /// same).
    pub async fn secret(&self, name: &str, fresh: &str) -> Result<String> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .execute(pool)
        .await
        .map(drop))?;
        Ok(
            on_pool!(self, pool => sqlx::query_scalar("SELECT value FROM secrets WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await)?,
        )
    }

    /// Whether the site has any content at all (news, contacts, topics or websites).
    pub async fn has_content(&self, site: SiteId) -> Result<bool> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM news WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM contacts WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM topics WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM websites WHERE site_id = $1)",
        )
        .bind(site.0)
        .fetch_one(pool)
        .await)?)
    }
}
