//! Topics and the websites of the directory.

use std::collections::HashMap;

use crate::sites::listed_subsites;

use crate::{
    Change, Conn, DbRow, Result, Store, StoreError, Table, WriteTx, codec, missing_reference,
};
use jiff::Timestamp;
use raadhus_domain::{SiteId, Topic, TopicInput, WebUrl, Website, WebsiteInput};

fn slug_taken(e: sqlx::Error, slug: &raadhus_domain::Slug) -> StoreError {
    match e.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::SlugTaken(slug.to_string()),
        _ => e.into(),
    }
}

/// Writes the topics of a website, replacing those it had.
async fn write_website_topics(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    topic_ids: &[i64],
) -> Result<()> {
    on_conn!(conn, c => sqlx::query("DELETE FROM website_topics WHERE website_id = $1")
        .bind(id)
        .execute(&mut *c)
        .await.map(drop))?;
    for topic_id in topic_ids {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO website_topics (site_id, website_id, topic_id) VALUES ($1, $2, $3)",
        )
        .bind(site.0)
        .bind(id)
        .bind(topic_id)
        .execute(&mut *c)
        .await.map(drop))
        .map_err(|e| {
            missing_reference(e, || {
                format!("topic {topic_id} does not exist on this site")
            })
        })?;
    }
    Ok(())
}

impl Store {
    /// When the directory (topics and websites) last changed, deletions included.
    pub async fn directory_changed_at(&self, site: SiteId) -> Result<Option<Timestamp>> {
        let changed: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT MAX(t) AS changed FROM (
                 SELECT MAX(updated_at) AS t FROM topics WHERE site_id = $1
                 UNION ALL SELECT MAX(updated_at) FROM websites WHERE site_id = $1
                 UNION ALL SELECT MAX(at) FROM audit_log WHERE site_id = $1 AND entity IN ('topic', 'website')
             ) AS changes",
        )
        .bind(site.0)
        .fetch_one(pool)
        .await)?;
        codec::read_optional_timestamp(changed.as_deref(), "websites", "updated_at")
    }

    /// One topic of the site.
    pub async fn topic(&self, site: SiteId, id: i64) -> Result<Option<Topic>> {
        topic(&mut self.pool_conn().await?.conn(), site, id).await
    }

    /// Every website of the site, active or not, in display order.
    pub async fn all_websites(&self, site: SiteId) -> Result<Vec<Website>> {
        self.websites_where(site, None, false).await
    }

    /// One website, active or not.
    pub async fn website(&self, site: SiteId, id: i64) -> Result<Option<Website>> {
        website(&mut self.pool_conn().await?.conn(), site, id, false).await
    }

    /// All topics of the site in display order.
    pub async fn topics(&self, site: SiteId) -> Result<Vec<Topic>> {
        topics(&mut self.pool_conn().await?.conn(), site).await
    }

    /// The active websites of the site in display order, each with its
    /// topics; the main site's list the subsites too.
    pub async fn active_websites(&self, site: SiteId) -> Result<Vec<Website>> {
        let mut websites = self.websites_where(site, None, true).await?;
        let mut conn = self.pool_conn().await?;
        websites.extend(listed_subsites(&mut conn.conn(), site, None).await?);
        websites.sort_by(|a, b| {
            let key = |w: &Website| (w.details.sort_order, w.details.name.clone(), w.id);
            key(a).cmp(&key(b))
        });
        Ok(websites)
    }

    /// One active website of the site (or a subsite in the main site's
    /// directory), looked up by id.
    pub async fn active_website(&self, site: SiteId, id: i64) -> Result<Option<Website>> {
        let conn = &mut self.pool_conn().await?;
        if id < 0 {
            return Ok(listed_subsites(&mut conn.conn(), site, Some(id))
                .await?
                .pop());
        }
        website(&mut conn.conn(), site, id, true).await
    }

    async fn websites_where(
        &self,
        site: SiteId,
        id: Option<i64>,
        only_active: bool,
    ) -> Result<Vec<Website>> {
        websites_where(&mut self.pool_conn().await?.conn(), site, id, only_active).await
    }
}

impl WriteTx {
    /// All topics of the site in display order, seen from inside this
    /// transaction.
    pub async fn topics(&mut self, site: SiteId) -> Result<Vec<Topic>> {
        topics(&mut self.conn(), site).await
    }

    pub async fn create_topic(
        &mut self,
        site: SiteId,
        input: &TopicInput,
        now: Timestamp,
    ) -> Result<Topic> {
        let now = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO topics (site_id, slug, name, sort_order, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(site.0)
        .bind(input.slug.as_str())
        .bind(&input.name)
        .bind(input.sort_order)
        .bind(&now)
        .fetch_one(&mut *c)
        .await)
        .map_err(|e| slug_taken(e, &input.slug))?;
        self.changed(site, Change::Directory);
        Ok(topic_of(id, input))
    }

    pub async fn update_topic(
        &mut self,
        site: SiteId,
        id: i64,
        input: &TopicInput,
        now: Timestamp,
    ) -> Result<Topic> {
        let done = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE topics SET slug = $1, name = $2, sort_order = $3, updated_at = $4 WHERE id = $5 AND site_id = $6",
        )
        .bind(input.slug.as_str())
        .bind(&input.name)
        .bind(input.sort_order)
        .bind(codec::timestamp(now))
        .bind(id)
        .bind(site.0)
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))
        .map_err(|e| slug_taken(e, &input.slug))?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.changed(site, Change::Directory);
        Ok(topic_of(id, input))
    }

    /// Deletes a topic no website (active or not) is listed under; one in
    /// use is [`StoreError::InUse`] with the websites' names.
    pub async fn delete_topic(&mut self, site: SiteId, id: i64) -> Result<Topic> {
        let found = topic(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let used_by: Vec<String> = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "SELECT w.name FROM website_topics wt JOIN websites w ON w.id = wt.website_id
             WHERE wt.site_id = $1 AND wt.topic_id = $2 ORDER BY w.sort_order, w.name",
        )
        .bind(site.0)
        .bind(id)
        .fetch_all(&mut *c)
        .await)?;
        self.delete_row(Table::Topics, site, id, used_by).await?;
        Ok(found)
    }

    /// Creates a website with its topics.
    pub async fn create_website(
        &mut self,
        site: SiteId,
        input: &WebsiteInput,
        now: Timestamp,
    ) -> Result<Website> {
        let now = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO websites (site_id, name, url, description, sort_order, active, created_at, updated_at, statement_url)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
        )
        .bind(site.0)
        .bind(&input.name)
        .bind(input.url.as_str())
        .bind(&input.description)
        .bind(input.sort_order)
        .bind(input.active)
        .bind(&now)
        .bind(input.statement_url.as_ref().map(|u| u.as_str()))
        .fetch_one(&mut *c)
        .await)?;
        self.write_website(site, id, input).await
    }

    /// Changes a website and its topics.
    pub async fn update_website(
        &mut self,
        site: SiteId,
        id: i64,
        input: &WebsiteInput,
        now: Timestamp,
    ) -> Result<Website> {
        let done = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE websites SET name = $1, url = $2, description = $3, sort_order = $4, active = $5, updated_at = $6,
                    statement_url = $9
             WHERE id = $7 AND site_id = $8",
        )
        .bind(&input.name)
        .bind(input.url.as_str())
        .bind(&input.description)
        .bind(input.sort_order)
        .bind(input.active)
        .bind(codec::timestamp(now))
        .bind(id)
        .bind(site.0)
        .bind(input.statement_url.as_ref().map(|u| u.as_str()))
        .execute(&mut *c)
        .await
        .map(|d| d.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::NotFound);
        }
        self.write_website(site, id, input).await
    }

    /// Writes a website's topics and reads it back as stored.
    async fn write_website(
        &mut self,
        site: SiteId,
        id: i64,
        input: &WebsiteInput,
    ) -> Result<Website> {
        write_website_topics(&mut self.conn(), site, id, &input.topic_ids).await?;
        self.changed(site, Change::Directory);
        website(&mut self.conn(), site, id, false)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Deletes a website (nothing refers to one).
    pub async fn delete_website(&mut self, site: SiteId, id: i64) -> Result<Website> {
        let found = website(&mut self.conn(), site, id, false)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.delete_row(Table::Websites, site, id, Vec::new())
            .await?;
        Ok(found)
    }
}

async fn websites_where(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: Option<i64>,
    only_active: bool,
) -> Result<Vec<Website>> {
    let links: Vec<(i64, i64)> = on_conn!(conn, c => sqlx::query_as(
        "SELECT wt.website_id, wt.topic_id FROM website_topics wt
         JOIN topics t ON t.id = wt.topic_id
         WHERE wt.site_id = $1 AND ($2 IS NULL OR wt.website_id = $2)
         ORDER BY t.sort_order, t.name, t.id",
    )
    .bind(site.0)
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    let mut topics: HashMap<i64, Vec<i64>> = HashMap::new();
    for (website, topic) in links {
        topics.entry(website).or_default().push(topic);
    }
    on_conn!(conn, c => sqlx::query(
        "SELECT id, name, url, description, sort_order, active, statement_url FROM websites
         WHERE site_id = $1 AND (active OR NOT $3) AND ($2 IS NULL OR id = $2)
         ORDER BY sort_order, name, id",
    )
    .bind(site.0)
    .bind(id)
    .bind(only_active)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|row| website_from_row(row, &mut topics))
    .collect())
}

/// The topic `id` as `input` made it.
fn topic_of(id: i64, input: &TopicInput) -> Topic {
    Topic {
        id,
        slug: input.slug.clone(),
        name: input.name.clone(),
        sort_order: input.sort_order,
    }
}

async fn topic(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Option<Topic>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT id, slug, name, sort_order FROM topics WHERE site_id = $1 AND id = $2",
    )
    .bind(site.0)
    .bind(id)
    .fetch_optional(&mut *c)
    .await?
    .as_ref()
    .map(topic_from_row)
    .transpose())
}

async fn website(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    only_active: bool,
) -> Result<Option<Website>> {
    Ok(websites_where(conn, site, Some(id), only_active)
        .await?
        .pop())
}

async fn topics(conn: &mut Conn<'_>, site: SiteId) -> Result<Vec<Topic>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT id, slug, name, sort_order FROM topics WHERE site_id = $1 ORDER BY sort_order, name, id",
    )
    .bind(site.0)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(topic_from_row)
    .collect())
}

fn topic_from_row(row: &impl DbRow) -> Result<Topic> {
    Ok(Topic {
        id: row.col("id")?,
        slug: codec::read_slug("topics", row.col("slug")?)?,
        name: row.col("name")?,
        sort_order: row.col("sort_order")?,
    })
}

/// A website from its row, taking its topics out of `topics` (by website id).
fn website_from_row(row: &impl DbRow, topics: &mut HashMap<i64, Vec<i64>>) -> Result<Website> {
    let id: i64 = row.col("id")?;
    let url: String = row.col("url")?;
    let corrupt = |e: raadhus_domain::directory::WebUrlError| StoreError::Corrupt {
        table: "websites",
        column: "url",
        detail: e.to_string(),
    };
    let statement: Option<String> = row.col("statement_url")?;
    Ok(Website {
        id,
        details: WebsiteInput {
            name: row.col("name")?,
            url: WebUrl::parse(&url).map_err(corrupt)?,
            description: row.col("description")?,
            topic_ids: topics.remove(&id).unwrap_or_default(),
            sort_order: row.col("sort_order")?,
            active: row.col("active")?,
            statement_url: statement
                .map(|s| WebUrl::parse(&s))
                .transpose()
                .map_err(corrupt)?,
        },
    })
}
