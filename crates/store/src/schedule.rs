//! What the scheduler needs: the publish and unpublish times that passed
//! since it last ran, recorded exactly once however many nodes run it.

use jiff::Timestamp;
use raadhus_domain::SiteId;

use crate::news::PUBLISHED;
use crate::{Audit, Change, Conn, DbRow, Result, Store, codec};

/// What a scheduled time belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheduled {
    News,
    Page,
}

impl Scheduled {
    /// The audit log's entity name (and the journal's).
    pub fn entity(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Page => "page",
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::News => "news",
            Self::Page => "pages",
        }
    }

    fn parse(entity: &str) -> Self {
        if entity == Self::Page.entity() {
            Self::Page
        } else {
            Self::News
        }
    }
}

/// An article or page whose publish or unpublish time passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub site: SiteId,
    pub item: Scheduled,
    pub id: i64,
    pub title: String,
    /// `true`: it went public; `false`: it went away.
    pub published: bool,
    pub at: Timestamp,
}

fn transition_from_row(r: &impl DbRow) -> Result<Transition> {
    Ok(Transition {
        site: SiteId(r.col("site_id")?),
        item: Scheduled::parse(&r.col::<String>("entity")?),
        id: r.col("id")?,
        title: r.col("title")?,
        published: r.col("published")?,
        at: codec::read_timestamp("news", "publish_at", r.col("at")?)?,
    })
}

/// The publish and unpublish times in ($1, $2] of published articles or
/// pages (their tables share the columns), set ahead of the last save.
fn transitions_of(item: Scheduled) -> String {
    let (entity, table) = (item.entity(), item.table());
    format!(
        "SELECT n.site_id, '{entity}' AS entity, n.id, n.title, n.publish_at AS at,
                TRUE AS published FROM {table} n
         WHERE {PUBLISHED} AND n.publish_at > $1 AND n.publish_at <= $2
           AND n.publish_at > n.updated_at
         UNION ALL
         SELECT n.site_id, '{entity}' AS entity, n.id, n.title, n.unpublish_at AS at,
                FALSE AS published FROM {table} n
         WHERE {PUBLISHED} AND n.unpublish_at > $1 AND n.unpublish_at <= $2
           AND n.unpublish_at > n.updated_at"
    )
}

/// Where the scheduler got to, if it ever ran.
pub(crate) async fn last_run(conn: &mut Conn<'_>) -> Result<Option<Timestamp>> {
    let last: Option<String> = on_conn!(conn, c => sqlx::query_scalar(
        "SELECT last_run FROM scheduler_state WHERE id = 1",
    )
    .fetch_optional(&mut *c)
    .await)?;
    codec::read_optional_timestamp(last.as_deref(), "scheduler_state", "last_run")
}

impl Store {
    /// Where the scheduler got to, if it ever ran.
    pub async fn scheduler_last_run(&self) -> Result<Option<Timestamp>> {
        last_run(&mut self.pool_conn().await?.conn()).await
    }

    /// Moves the scheduler on to `now`: every publish or unpublish time in
    /// (last run, `now`] of an article or page that was set ahead of its last
    /// save (one published as it is saved has no scheduled moment) is recorded in the audit log with the action and
    /// summary `describe` gives, and the new position saved, in one write
    /// transaction. Writers are serialised (see `Store::write`), so when several
    /// nodes run this at once each transition is recorded by exactly one of
    /// them. On a database where it never ran it only notes `now`. Returns the
    /// transitions it recorded.
    pub async fn advance_scheduler(
        &self,
        now: Timestamp,
        describe: impl Fn(&Transition) -> (&'static str, String),
    ) -> Result<Vec<Transition>> {
        let mut tx = self.write().await?;
        let last = last_run(&mut tx.conn()).await?;
        let transitions = match last {
            Some(last) if now <= last => return Ok(Vec::new()),
            None => Vec::new(),
            Some(last) => on_conn!(&mut tx.conn(), c => sqlx::query(sqlx::AssertSqlSafe(format!(
                "{} UNION ALL {} ORDER BY at, entity, id",
                transitions_of(Scheduled::News),
                transitions_of(Scheduled::Page),
            )))
            .bind(codec::timestamp(last))
            .bind(codec::timestamp(now))
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(transition_from_row)
            .collect::<Result<Vec<_>>>())?,
        };
        for t in &transitions {
            let (id, listed, moved) = (t.id, true, true);
            let change = match t.item {
                Scheduled::News => Change::News { id, listed, moved },
                Scheduled::Page => Change::Page { id, listed, moved },
            };
            tx.changed(t.site, change);
            let (action, summary) = describe(t);
            let line = Audit {
                site: Some(t.site),
                user_id: None,
                action,
                entity: t.item.entity(),
                entity_id: Some(t.id),
                summary: &summary,
            };
            tx.audit(&line, t.at).await?;
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
