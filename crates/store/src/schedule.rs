//! What the scheduler needs: the publish and unpublish times that passed
//! since it last ran, and where it got to.

use jiff::Timestamp;
use raadhus_domain::SiteId;
use sqlx::Row;

use crate::{Result, Store, codec};

/// An article whose publish or unpublish time passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub site: SiteId,
    pub news_id: i64,
    pub title: String,
    /// `true`: it went public; `false`: it went away.
    pub published: bool,
    pub at: Timestamp,
}

impl Store {
    /// Where the scheduler got to, if it ever ran.
    pub async fn scheduler_last_run(&self) -> Result<Option<Timestamp>> {
        let row = sqlx::query("SELECT last_run FROM scheduler_state WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| codec::read_timestamp("scheduler_state", "last_run", r.try_get("last_run")?))
            .transpose()
    }

    pub async fn set_scheduler_last_run(&self, at: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO scheduler_state (id, last_run) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET last_run = excluded.last_run",
        )
        .bind(codec::timestamp(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Published articles (not in the bin) whose publish or unpublish time lies
    /// in `(after, until]`, oldest first, across all sites.
    pub async fn transitions(&self, after: Timestamp, until: Timestamp) -> Result<Vec<Transition>> {
        let rows = sqlx::query(
            "SELECT site_id, id, title, publish_at AS at, 1 AS published FROM news
             WHERE status = 'published' AND deleted_at IS NULL AND publish_at > $1 AND publish_at <= $2
             UNION ALL
             SELECT site_id, id, title, unpublish_at AS at, 0 AS published FROM news
             WHERE status = 'published' AND deleted_at IS NULL AND unpublish_at > $1 AND unpublish_at <= $2
             ORDER BY at, id",
        )
        .bind(codec::timestamp(after))
        .bind(codec::timestamp(until))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Transition {
                    site: SiteId(r.try_get("site_id")?),
                    news_id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    published: r.try_get::<i64, _>("published")? == 1,
                    at: codec::read_timestamp("news", "publish_at", r.try_get("at")?)?,
                })
            })
            .collect()
    }
}
