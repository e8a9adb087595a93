//! Topics and the websites of the directory.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::{SiteId, Topic, TopicInput, WebUrl, Website, WebsiteInput};
use sqlx::{Row, SqliteConnection};

use crate::{Result, Store, StoreError, codec, missing_reference};

pub(crate) async fn insert_topic(
    conn: &mut SqliteConnection,
    site: SiteId,
    input: &TopicInput,
    now: Timestamp,
) -> Result<Topic> {
    let now = codec::timestamp(now);
    let row = sqlx::query(
        "INSERT INTO topics (site_id, slug, name, sort_order, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(site.0)
    .bind(input.slug.as_str())
    .bind(&input.name)
    .bind(input.sort_order)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Topic {
        id: row.try_get("id")?,
        slug: input.slug.clone(),
        name: input.name.clone(),
        sort_order: input.sort_order,
    })
}

pub(crate) async fn insert_website(
    conn: &mut SqliteConnection,
    site: SiteId,
    input: &WebsiteInput,
    now: Timestamp,
) -> Result<Website> {
    let now = codec::timestamp(now);
    let row = sqlx::query(
        "INSERT INTO websites (site_id, name, url, description, sort_order, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(site.0)
    .bind(&input.name)
    .bind(input.url.as_str())
    .bind(&input.description)
    .bind(input.sort_order)
    .bind(input.active)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?;
    let id: i64 = row.try_get("id")?;
    for topic_id in &input.topic_ids {
        sqlx::query(
            "INSERT INTO website_topics (site_id, website_id, topic_id) VALUES ($1, $2, $3)",
        )
        .bind(site.0)
        .bind(id)
        .bind(topic_id)
        .execute(&mut *conn)
        .await
        .map_err(|e| {
            missing_reference(e, || {
                format!("topic {topic_id} does not exist on this site")
            })
        })?;
    }
    Ok(Website {
        id,
        name: input.name.clone(),
        url: input.url.clone(),
        description: input.description.clone(),
        topic_ids: input.topic_ids.clone(),
        sort_order: input.sort_order,
        active: input.active,
    })
}

impl Store {
    pub async fn create_topic(
        &self,
        site: SiteId,
        input: &TopicInput,
        now: Timestamp,
    ) -> Result<Topic> {
        let mut conn = self.pool.acquire().await?;
        insert_topic(&mut conn, site, input, now).await
    }

    /// Creates a website with its topics, all or nothing.
    pub async fn create_website(
        &self,
        site: SiteId,
        input: &WebsiteInput,
        now: Timestamp,
    ) -> Result<Website> {
        let mut tx = self.pool.begin().await?;
        let website = insert_website(&mut tx, site, input, now).await?;
        tx.commit().await?;
        Ok(website)
    }

    /// All topics of the site in display order.
    pub async fn topics(&self, site: SiteId) -> Result<Vec<Topic>> {
        let rows = sqlx::query(
            "SELECT id, slug, name, sort_order FROM topics WHERE site_id = $1 ORDER BY sort_order, name, id",
        )
        .bind(site.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Topic {
                    id: row.try_get("id")?,
                    slug: codec::read_slug("topics", row.try_get("slug")?)?,
                    name: row.try_get("name")?,
                    sort_order: row.try_get("sort_order")?,
                })
            })
            .collect()
    }

    /// The active websites of the site in display order, each with its topics.
    pub async fn active_websites(&self, site: SiteId) -> Result<Vec<Website>> {
        self.websites_where(site, None).await
    }

    /// One active website of the site, looked up by id.
    pub async fn active_website(&self, site: SiteId, id: i64) -> Result<Option<Website>> {
        Ok(self.websites_where(site, Some(id)).await?.pop())
    }

    async fn websites_where(&self, site: SiteId, id: Option<i64>) -> Result<Vec<Website>> {
        let rows = sqlx::query(
            "SELECT id, name, url, description, sort_order, active FROM websites
             WHERE site_id = $1 AND active AND ($2 IS NULL OR id = $2)
             ORDER BY sort_order, name, id",
        )
        .bind(site.0)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query(
            "SELECT wt.website_id, wt.topic_id FROM website_topics wt
             JOIN topics t ON t.id = wt.topic_id
             WHERE wt.site_id = $1 AND ($2 IS NULL OR wt.website_id = $2)
             ORDER BY t.sort_order, t.name, t.id",
        )
        .bind(site.0)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut topics: HashMap<i64, Vec<i64>> = HashMap::new();
        for link in &links {
            topics
                .entry(link.try_get("website_id")?)
                .or_default()
                .push(link.try_get("topic_id")?);
        }
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                let url: String = row.try_get("url")?;
                Ok(Website {
                    id,
                    name: row.try_get("name")?,
                    url: WebUrl::parse(&url).map_err(|e| StoreError::Corrupt {
                        table: "websites",
                        column: "url",
                        detail: e.to_string(),
                    })?,
                    description: row.try_get("description")?,
                    topic_ids: topics.remove(&id).unwrap_or_default(),
                    sort_order: row.try_get("sort_order")?,
                    active: row.try_get("active")?,
                })
            })
            .collect()
    }
}
