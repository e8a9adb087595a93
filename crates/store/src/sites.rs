//! Sites (tenants).

use jiff::Timestamp;
use raadhus_domain::{Site, SiteId};
use sqlx::Row;

use crate::{Result, Store, codec};

impl Store {
    /// Returns the first site, creating it with `name` on an empty database.
    pub async fn primary_site(&self, name: &str, now: Timestamp) -> Result<Site> {
        sqlx::query(
            "INSERT INTO sites (id, name, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(name)
        .bind(codec::timestamp(now))
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT id, name FROM sites ORDER BY id LIMIT 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Site {
            id: SiteId(row.try_get("id")?),
            name: row.try_get("name")?,
        })
    }

    pub async fn rename_site(&self, site: SiteId, name: &str) -> Result<()> {
        sqlx::query("UPDATE sites SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(site.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// When anything the public pages show last changed: a save or delete of
    /// any content, or a publish or unpublish time that has passed by `now`.
    pub async fn content_changed_at(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        let row = sqlx::query(
            "SELECT MAX(t) AS changed FROM (
                 SELECT MAX(updated_at) AS t FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(publish_at) FROM news WHERE site_id = $1 AND publish_at <= $2
                 UNION ALL SELECT MAX(unpublish_at) FROM news WHERE site_id = $1 AND unpublish_at <= $2
                 UNION ALL SELECT MAX(deleted_at) FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM contacts WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM topics WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM websites WHERE site_id = $1
                 UNION ALL SELECT MAX(at) FROM audit_log WHERE site_id = $1 AND at <= $2)",
        )
        .bind(site.0)
        .bind(codec::timestamp(now))
        .fetch_one(&self.pool)
        .await?;
        codec::read_optional_timestamp(&row, "changed", "news", "updated_at")
    }

    /// A value that changes whenever anything the public can see changes:
    /// saves, deletes, versions, and publish or unpublish times passing by `now`.
    /// Two equal fingerprints mean nothing changed in between (to the second).
    pub async fn content_fingerprint(&self, site: SiteId, now: Timestamp) -> Result<String> {
        let row = sqlx::query(
            "SELECT
                 (SELECT COUNT(*) || ':' || COALESCE(MAX(updated_at), '') || ':' || COALESCE(SUM(version), 0)
                         || ':' || COUNT(deleted_at) || ':' || SUM(publish_at <= $2) || ':' || SUM(unpublish_at <= $2)
                  FROM news WHERE site_id = $1)
                 || '|' || (SELECT COUNT(*) || ':' || COALESCE(MAX(updated_at), '') FROM contacts WHERE site_id = $1)
                 || '|' || (SELECT COUNT(*) || ':' || COALESCE(MAX(updated_at), '') FROM topics WHERE site_id = $1)
                 || '|' || (SELECT COUNT(*) || ':' || COALESCE(MAX(updated_at), '') FROM websites WHERE site_id = $1)
                 || '|' || (SELECT COUNT(*) FROM website_topics WHERE site_id = $1)
                 AS fingerprint",
        )
        .bind(site.0)
        .bind(codec::timestamp(now))
        .fetch_one(&self.pool)
        .await?;
        Ok(row
            .try_get::<Option<String>, _>("fingerprint")?
            .unwrap_or_default())
    }

    /// Whether the site has any content at all (news, contacts, topics or websites).
    pub async fn has_content(&self, site: SiteId) -> Result<bool> {
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM news WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM contacts WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM topics WHERE site_id = $1)
                 OR EXISTS (SELECT 1 FROM websites WHERE site_id = $1) AS any_content",
        )
        .bind(site.0)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("any_content")?)
    }
}
