//! The background link checker's tables (see
//! [`raadhus_domain::link_check`]): what links to other sites the content
//! holds, what the last check of each address found, and the lease that
//! lets exactly one node check a site's links at a time.

use jiff::Timestamp;
use raadhus_domain::SiteId;
use raadhus_domain::link_check::{Health, LinkCheck, LinkSource, SourceKind};

use crate::{DbRow, Result, Store, StoreError, codec};

fn check_from_row(r: &impl DbRow) -> Result<LinkCheck> {
    let health: String = r.col("health")?;
    let status: Option<i32> = r.col("status")?;
    let checked_at: String = r.col("checked_at")?;
    Ok(LinkCheck {
        url: r.col("url")?,
        health: Health::parse(&health).ok_or_else(|| StoreError::Corrupt {
            table: "link_checks",
            column: "health",
            detail: health.clone(),
        })?,
        status: status.and_then(|s| u16::try_from(s).ok()),
        error: r.col("error")?,
        checked_at: codec::read_timestamp("link_checks", "checked_at", &checked_at)?,
    })
}

fn source_from_row(r: &impl DbRow) -> Result<LinkSource> {
    let kind: String = r.col("kind")?;
    Ok(LinkSource {
        kind: match kind.as_str() {
            "news" => SourceKind::News,
            "page" => SourceKind::Page,
            _ => SourceKind::Website,
        },
        id: r.col("id")?,
        title: r.col("title")?,
        text: r.col("text")?,
    })
}

impl Store {
    /// What may link to other sites: the bodies of the site's articles and
    /// pages not in the bin, and the addresses of its directory's websites.
    pub async fn link_sources(&self, site: SiteId) -> Result<Vec<LinkSource>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT 'news' AS kind, id, title, body AS text FROM news
             WHERE site_id = $1 AND deleted_at IS NULL
             UNION ALL
             SELECT 'page' AS kind, id, title, body AS text FROM pages
             WHERE site_id = $1 AND deleted_at IS NULL
             UNION ALL
             SELECT 'website' AS kind, id, name AS title, url AS text FROM websites
             WHERE site_id = $1
             ORDER BY kind, id",
        )
        .bind(site.0)
        .fetch_all(pool)
        .await?
        .iter()
        .map(source_from_row)
        .collect())
    }

    /// The last check of every address checked on the site, by address.
    pub async fn link_checks(&self, site: SiteId) -> Result<Vec<LinkCheck>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT url, health, status, error, checked_at FROM link_checks
             WHERE site_id = $1 ORDER BY url",
        )
        .bind(site.0)
        .fetch_all(pool)
        .await?
        .iter()
        .map(check_from_row)
        .collect())
    }

    /// Records what a check of one address found (replacing the last).
    pub async fn record_link_check(&self, site: SiteId, check: &LinkCheck) -> Result<()> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO link_checks (site_id, url, health, status, error, checked_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (site_id, url) DO UPDATE SET health = excluded.health,
                 status = excluded.status, error = excluded.error,
                 checked_at = excluded.checked_at",
        )
        .bind(site.0)
        .bind(&check.url)
        .bind(check.health.as_str())
        .bind(check.status.map(i32::from))
        .bind(check.error.as_deref())
        .bind(codec::timestamp(check.checked_at))
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Forgets the checks of addresses the site no longer links to.
    pub async fn forget_link_checks(&self, site: SiteId, urls: &[String]) -> Result<()> {
        for url in urls {
            on_pool!(self, pool => sqlx::query(
                "DELETE FROM link_checks WHERE site_id = $1 AND url = $2",
            )
            .bind(site.0)
            .bind(url)
            .execute(pool)
            .await
            .map(drop))?;
        }
        Ok(())
    }

    /// Takes (or, held by `holder`, renews) the site's link-check lease
    /// until `until`, if nobody else holds it at `now`. One atomic `UPDATE`
    /// decides, so of nodes trying at once exactly one gets it.
    pub async fn take_link_lease(
        &self,
        site: SiteId,
        holder: &str,
        now: Timestamp,
        until: Timestamp,
    ) -> Result<bool> {
        on_pool!(self, pool => sqlx::query(
            "INSERT INTO link_check_runs (site_id) VALUES ($1) ON CONFLICT (site_id) DO NOTHING",
        )
        .bind(site.0)
        .execute(pool)
        .await
        .map(drop))?;
        let taken = on_pool!(self, pool => sqlx::query(
            "UPDATE link_check_runs SET holder = $2, expires_at = $3
             WHERE site_id = $1 AND (expires_at <= $4 OR holder = $2)",
        )
        .bind(site.0)
        .bind(holder)
        .bind(codec::timestamp(until))
        .bind(codec::timestamp(now))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(taken == 1)
    }

    /// Ends `holder`'s lease: the run ended at `now`.
    pub async fn finish_link_run(&self, site: SiteId, holder: &str, now: Timestamp) -> Result<()> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE link_check_runs SET holder = '', expires_at = '', last_run = $3
             WHERE site_id = $1 AND holder = $2",
        )
        .bind(site.0)
        .bind(holder)
        .bind(codec::timestamp(now))
        .execute(pool)
        .await
        .map(drop))?;
        Ok(())
    }

    /// When the site's last link check ended, if one ever did.
    pub async fn last_link_run(&self, site: SiteId) -> Result<Option<Timestamp>> {
        let last: Option<Option<String>> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT last_run FROM link_check_runs WHERE site_id = $1",
        )
        .bind(site.0)
        .fetch_optional(pool)
        .await)?;
        codec::read_optional_timestamp(last.flatten().as_deref(), "link_check_runs", "last_run")
    }
}
