//! What the scheduler needs: the publish and unpublish times that passed
//! since it last ran, recorded exactly once however many nodes run it.

use jiff::Timestamp;
use raadhus_domain::SiteId;

use crate::{Change, DbRow, Result, Store, codec};

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

fn transition_from_row(r: &impl DbRow) -> Result<Transition> {
    Ok(Transition {
        site: SiteId(r.col("site_id")?),
        news_id: r.col("id")?,
        title: r.col("title")?,
        published: r.col("published")?,
        at: codec::read_timestamp("news", "publish_at", r.col("at")?)?,
    })
}

impl Store {
    /// Where the scheduler got to, if it ever ran.
    pub async fn scheduler_last_run(&self) -> Result<Option<Timestamp>> {
        let last: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT last_run FROM scheduler_state WHERE id = 1",
        )
        .fetch_optional(pool)
        .await)?;
        codec::read_optional_timestamp(last.as_deref(), "scheduler_state", "last_run")
    }

    /// Moves the scheduler on to `now`: every publish or unpublish time in
    /// (last run, `now`] that was set ahead of the article's last save (an
    /// article published as it is saved has no scheduled moment) is recorded in the audit log with the action and
    /// summary `describe` gives, and the new position saved, in one write
    /// transaction. Writers are serialised (see `write_tx`), so when several
    /// nodes run this at once each transition is recorded by exactly one of
    /// them. On a database where it never ran it only notes `now`. Returns the
    /// transitions it recorded.
    pub async fn advance_scheduler(
        &self,
        now: Timestamp,
        describe: impl Fn(&Transition) -> (&'static str, String),
    ) -> Result<Vec<Transition>> {
        let mut tx = self.write_tx().await?;
        let last: Option<String> = on_conn!(&mut tx.conn(), c => sqlx::query_scalar(
            "SELECT last_run FROM scheduler_state WHERE id = 1",
        )
        .fetch_optional(&mut *c)
        .await)?;
        let last = codec::read_optional_timestamp(last.as_deref(), "scheduler_state", "last_run")?;
        let transitions = match last {
            Some(last) if now <= last => return Ok(Vec::new()),
            None => Vec::new(),
            Some(last) => on_conn!(&mut tx.conn(), c => sqlx::query(
                "SELECT site_id, id, title, publish_at AS at, TRUE AS published FROM news
                 WHERE status = 'published' AND deleted_at IS NULL AND publish_at > $1 AND publish_at <= $2
                   AND publish_at > updated_at
                 UNION ALL
                 SELECT site_id, id, title, unpublish_at AS at, FALSE AS published FROM news
                 WHERE status = 'published' AND deleted_at IS NULL AND unpublish_at > $1 AND unpublish_at <= $2
                   AND unpublish_at > updated_at
                 ORDER BY at, id",
            )
            .bind(codec::timestamp(last))
            .bind(codec::timestamp(now))
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(transition_from_row)
            .collect::<Result<Vec<_>>>())?,
        };
        for t in &transitions {
            tx.changed(
                t.site,
                Change::News {
                    id: t.news_id,
                    listed: true,
                    moved: true,
                },
            );
            let (action, summary) = describe(t);
            on_conn!(&mut tx.conn(), c => sqlx::query(
                "INSERT INTO audit_log (site_id, user_id, at, action, entity, entity_id, summary)
                 VALUES ($1, NULL, $2, $3, 'news', $4, $5)",
            )
            .bind(t.site.0)
            .bind(codec::timestamp(t.at))
            .bind(action)
            .bind(t.news_id)
            .bind(&summary)
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
        on_conn!(&mut tx.conn(), c => sqlx::query(
            "INSERT INTO scheduler_state (id, last_run) VALUES (1, $1)
             ON CONFLICT (id) DO UPDATE SET last_run = excluded.last_run",
        )
        .bind(codec::timestamp(now))
        .execute(&mut *c)
        .await
        .map(drop))?;
        tx.commit().await?;
        Ok(transitions)
    }
}
