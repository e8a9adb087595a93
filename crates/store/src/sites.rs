//! Sites (tenants).

use crate::db::Conn;
use crate::journal::Change;
use crate::{DbRow, Result, Store, StoreError, WriteTx, codec};
use jiff::Timestamp;
use raadhus_domain::{Host, Site, SiteId, Subsite, SubsiteInput, WebUrl, Website, WebsiteInput};

impl Store {
    /// Returns the main site (the first without a host: an imported site
    /// keeps its id), creating it with `name` on an empty database.
    pub async fn primary_site(&self, name: &str, now: Timestamp) -> Result<Site> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO sites (id, name, created_at)
             SELECT 1, $1, $2 WHERE NOT EXISTS (SELECT 1 FROM sites WHERE host IS NULL)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(name)
        .bind(codec::timestamp(now))
        .execute(pool)
        .await.map(drop))?;
        on_pool!(self, pool => {
            let row = sqlx::query("SELECT id, name FROM sites WHERE host IS NULL ORDER BY id LIMIT 1")
                .fetch_one(pool)
                .await?;
            Ok(Site {
                id: SiteId(row.col("id")?),
                name: row.col("name")?,
            })
        })
    }

    /// Every site but the main one, oldest first.
    pub async fn subsites(&self) -> Result<Vec<Subsite>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT id, name, host, base_url, topic_id FROM sites
             WHERE host IS NOT NULL ORDER BY id",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(subsite_of)
        .collect())
    }

    /// When anything the public pages show last changed: a save or delete of
    /// any content, or a publish or unpublish time that has passed by `now`.
    /// (The times that have passed are read from the site's indexes of
    /// them, walked back from `now`.)
    pub async fn content_changed_at(
        &self,
        site: SiteId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>> {
        let changed: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(t) FROM (
                 SELECT MAX(updated_at) AS t FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(publish_at) FROM news WHERE site_id = $1 AND publish_at <= $2
                 UNION ALL SELECT MAX(unpublish_at) FROM news WHERE site_id = $1 AND unpublish_at <= $2
                 UNION ALL SELECT MAX(deleted_at) FROM news WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM pages WHERE site_id = $1
                 UNION ALL SELECT MAX(publish_at) FROM pages WHERE site_id = $1 AND publish_at <= $2
                 UNION ALL SELECT MAX(unpublish_at) FROM pages WHERE site_id = $1 AND unpublish_at <= $2
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

impl WriteTx {
    /// Stores a new subsite, listed in the directory of the main site `main`
    /// under its topic `topic_id`; [`StoreError::Conflict`] if another site
    /// has its host.
    pub async fn create_subsite(
        &mut self,
        main: SiteId,
        input: &SubsiteInput,
        topic_id: Option<i64>,
        now: Timestamp,
    ) -> Result<Subsite> {
        let id: Option<i64> = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            // The id is chosen here (writers take turns): on PostgreSQL the
            // main site's explicit id 1 left the identity's sequence behind.
            "INSERT INTO sites (id, name, host, base_url, topic_id, created_at)
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM sites), $1, $2, $3, $4, $5)
             ON CONFLICT (host) DO NOTHING RETURNING id",
        )
        .bind(&input.name)
        .bind(input.host.as_str())
        .bind(input.base_url.as_str())
        .bind(topic_id)
        .bind(codec::timestamp(now))
        .fetch_optional(&mut *c)
        .await)?;
        let id = SiteId(id.ok_or_else(|| {
            StoreError::Conflict(format!("{} er allerede et websteds adresse.", input.host))
        })?);
        self.changed(id, Change::Site);
        self.changed(main, Change::Directory);
        Ok(Subsite {
            site: Site {
                id,
                name: input.name.clone(),
            },
            host: input.host.clone(),
            base_url: input.base_url.clone(),
            topic_id,
        })
    }
}

fn subsite_of(row: &impl DbRow) -> Result<Subsite> {
    let corrupt = |column: &'static str, detail: String| StoreError::Corrupt {
        table: "sites",
        column,
        detail,
    };
    let host: String = row.col("host")?;
    let base_url: String = row.col("base_url")?;
    Ok(Subsite {
        site: Site {
            id: SiteId(row.col("id")?),
            name: row.col("name")?,
        },
        host: Host::parse(&host).map_err(|e| corrupt("host", e.to_string()))?,
        base_url: url::Url::parse(&base_url).map_err(|e| corrupt("base_url", e.to_string()))?,
        topic_id: row.col("topic_id")?,
    })
}

/// The subsites as websites of the directory of `site` when it is the main
/// site (none otherwise): named and addressed as they are, under their
/// topic, with the negative of their site id as website id (`only`: the
/// one with that id).
pub(crate) async fn listed_subsites(
    conn: &mut Conn<'_>,
    site: SiteId,
    only: Option<i64>,
) -> Result<Vec<Website>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT s.id, s.name, s.base_url, s.topic_id FROM sites s
         WHERE s.host IS NOT NULL AND ($2 IS NULL OR -s.id = $2)
           AND EXISTS (SELECT 1 FROM sites m WHERE m.id = $1 AND m.host IS NULL)
         ORDER BY s.id",
    )
    .bind(site.0)
    .bind(only)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(listed_subsite)
    .collect())
}

fn listed_subsite(row: &impl DbRow) -> Result<Website> {
    let base_url: String = row.col("base_url")?;
    let topic: Option<i64> = row.col("topic_id")?;
    let id: i64 = row.col("id")?;
    Ok(Website {
        id: -id,
        details: WebsiteInput {
            name: row.col("name")?,
            url: WebUrl::parse(&base_url).map_err(|e| StoreError::Corrupt {
                table: "sites",
                column: "base_url",
                detail: e.to_string(),
            })?,
            description: None,
            topic_ids: topic.into_iter().collect(),
            sort_order: 0,
            active: true,
            statement_url: None,
        },
    })
}
