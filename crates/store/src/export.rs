//! The whole database as an [`Export`] and back, on either backend.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::export::{
    self, Export, ExportAudit, ExportContact, ExportNews, ExportRevision, ExportSite, ExportToken,
    ExportTopic, ExportUser, ExportWebsite,
};
use raadhus_domain::{Email, NewsStatus, Role, SiteId, Slug, WebUrl};

use crate::{Backend, Change, Conn, DbRow, Result, Store, StoreError, codec};

fn time(row: &impl DbRow, table: &'static str, column: &'static str) -> Result<Timestamp> {
    codec::read_timestamp(table, column, row.col(column)?)
}

fn optional_time(
    row: &impl DbRow,
    table: &'static str,
    column: &'static str,
) -> Result<Option<Timestamp>> {
    codec::read_optional_timestamp(row.col(column)?, table, column)
}

fn corrupt(table: &'static str, column: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        table,
        column,
        detail: detail.to_string(),
    }
}

fn status(row: &impl DbRow, table: &'static str) -> Result<NewsStatus> {
    NewsStatus::parse(row.col("status")?).map_err(|e| corrupt(table, "status", e))
}

fn slug(row: &impl DbRow, table: &'static str) -> Result<Slug> {
    codec::read_slug(table, row.col("slug")?)
}

fn url(row: &impl DbRow, column: &'static str) -> Result<Option<WebUrl>> {
    row.col::<Option<&str>>(column)?
        .map(|u| WebUrl::parse(u).map_err(|e| corrupt("websites", column, e)))
        .transpose()
}

fn site_of(row: &impl DbRow) -> Result<i64> {
    Ok(row.col("site_id")?)
}

/// Runs `$sql` (no parameters) and maps every row with `$map`.
macro_rules! all_rows {
    ($store:expr, $sql:expr, $map:expr) => {
        on_pool!($store, pool => sqlx::query($sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map($map)
            .collect::<Result<Vec<_>>>())
    };
}

impl Store {
    /// Everything in the database. Password hashes and API tokens only with
    /// `secrets`.
    pub async fn export(&self, secrets: bool, now: Timestamp) -> Result<Export> {
        let users = all_rows!(
            self,
            "SELECT id, email, name, role, password_hash, disabled_at, created_at, updated_at
             FROM users ORDER BY id",
            |r| {
                Ok(ExportUser {
                    id: r.col("id")?,
                    email: Email::parse(r.col("email")?)
                        .map_err(|e| corrupt("users", "email", e))?,
                    name: r.col("name")?,
                    role: Role::parse(r.col("role")?).map_err(|e| corrupt("users", "role", e))?,
                    password_hash: if secrets {
                        Some(r.col("password_hash")?)
                    } else {
                        None
                    },
                    disabled_at: optional_time(r, "users", "disabled_at")?,
                    created_at: time(r, "users", "created_at")?,
                    updated_at: time(r, "users", "updated_at")?,
                })
            }
        )?;
        let api_tokens = if secrets {
            all_rows!(
                self,
                "SELECT id, user_id, name, token_hash, created_at, last_used_at, revoked_at
                 FROM api_tokens ORDER BY id",
                |r| {
                    Ok(ExportToken {
                        id: r.col("id")?,
                        user_id: r.col("user_id")?,
                        name: r.col("name")?,
                        token_hash: r.col("token_hash")?,
                        created_at: time(r, "api_tokens", "created_at")?,
                        last_used_at: optional_time(r, "api_tokens", "last_used_at")?,
                        revoked_at: optional_time(r, "api_tokens", "revoked_at")?,
                    })
                }
            )?
        } else {
            Vec::new()
        };
        let mut sites = all_rows!(
            self,
            "SELECT id, name, created_at FROM sites ORDER BY id",
            |r| {
                Ok(ExportSite {
                    id: r.col("id")?,
                    name: r.col("name")?,
                    created_at: time(r, "sites", "created_at")?,
                    contacts: Vec::new(),
                    topics: Vec::new(),
                    websites: Vec::new(),
                    news: Vec::new(),
                    audit_log: Vec::new(),
                })
            }
        )?;
        let index: HashMap<i64, usize> = sites.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let site = |id: i64| {
            index
                .get(&id)
                .copied()
                .ok_or_else(|| corrupt("sites", "id", format!("site {id} is missing")))
        };

        for (site_id, contact) in all_rows!(
            self,
            "SELECT site_id, id, name, job_title, email, phone, created_at, updated_at
             FROM contacts ORDER BY id",
            |r| {
                Ok((
                    site_of(r)?,
                    ExportContact {
                        id: r.col("id")?,
                        name: r.col("name")?,
                        job_title: r.col("job_title")?,
                        email: codec::read_email("contacts", r.col("email")?)?,
                        phone: codec::read_phone("contacts", r.col("phone")?)?,
                        created_at: time(r, "contacts", "created_at")?,
                        updated_at: time(r, "contacts", "updated_at")?,
                    },
                ))
            }
        )? {
            sites[site(site_id)?].contacts.push(contact);
        }

        for (site_id, topic) in all_rows!(
            self,
            "SELECT site_id, id, slug, name, sort_order, created_at, updated_at FROM topics ORDER BY id",
            |r| {
                Ok((
                    site_of(r)?,
                    ExportTopic {
                        id: r.col("id")?,
                        slug: slug(r, "topics")?,
                        name: r.col("name")?,
                        sort_order: r.col("sort_order")?,
                        created_at: time(r, "topics", "created_at")?,
                        updated_at: time(r, "topics", "updated_at")?,
                    },
                ))
            }
        )? {
            sites[site(site_id)?].topics.push(topic);
        }

        let mut website_topics: HashMap<i64, Vec<i64>> = HashMap::new();
        for (website, topic) in all_rows!(
            self,
            "SELECT website_id, topic_id FROM website_topics ORDER BY website_id, topic_id",
            |r| Ok((r.col::<i64>("website_id")?, r.col::<i64>("topic_id")?))
        )? {
            website_topics.entry(website).or_default().push(topic);
        }
        for (site_id, mut website) in all_rows!(
            self,
            "SELECT site_id, id, name, url, description, sort_order, active, statement_url,
                    created_at, updated_at FROM websites ORDER BY id",
            |r| {
                Ok((
                    site_of(r)?,
                    ExportWebsite {
                        id: r.col("id")?,
                        name: r.col("name")?,
                        url: url(r, "url")?.ok_or_else(|| corrupt("websites", "url", "missing"))?,
                        description: r.col("description")?,
                        sort_order: r.col("sort_order")?,
                        active: r.col("active")?,
                        statement_url: url(r, "statement_url")?,
                        topic_ids: Vec::new(),
                        created_at: time(r, "websites", "created_at")?,
                        updated_at: time(r, "websites", "updated_at")?,
                    },
                ))
            }
        )? {
            website.topic_ids = website_topics.remove(&website.id).unwrap_or_default();
            sites[site(site_id)?].websites.push(website);
        }

        let mut news_contacts: HashMap<i64, Vec<i64>> = HashMap::new();
        for (news, contact) in all_rows!(
            self,
            "SELECT news_id, contact_id FROM news_contacts ORDER BY news_id, position",
            |r| Ok((r.col::<i64>("news_id")?, r.col::<i64>("contact_id")?))
        )? {
            news_contacts.entry(news).or_default().push(contact);
        }
        let mut revisions: HashMap<i64, Vec<ExportRevision>> = HashMap::new();
        for (news, revision) in all_rows!(
            self,
            "SELECT news_id, id, version, user_id, created_at, slug, title, lead, body, news_date,
                    status, publish_at, unpublish_at, contact_ids
             FROM news_revisions ORDER BY news_id, version",
            |r| {
                Ok((
                    r.col::<i64>("news_id")?,
                    ExportRevision {
                        id: r.col("id")?,
                        version: r.col("version")?,
                        user_id: r.col("user_id")?,
                        created_at: time(r, "news_revisions", "created_at")?,
                        slug: slug(r, "news_revisions")?,
                        title: r.col("title")?,
                        lead: r.col("lead")?,
                        body: r.col("body")?,
                        news_date: codec::read_date(
                            "news_revisions",
                            "news_date",
                            r.col("news_date")?,
                        )?,
                        status: status(r, "news_revisions")?,
                        publish_at: optional_time(r, "news_revisions", "publish_at")?,
                        unpublish_at: optional_time(r, "news_revisions", "unpublish_at")?,
                        contact_ids: codec::read_id_list(
                            "news_revisions",
                            "contact_ids",
                            r.col("contact_ids")?,
                        )?,
                    },
                ))
            }
        )? {
            revisions.entry(news).or_default().push(revision);
        }
        for (site_id, mut article) in all_rows!(
            self,
            "SELECT site_id, id, slug, title, lead, body, news_date, status, publish_at, unpublish_at,
                    deleted_at, version, created_at, updated_at FROM news ORDER BY id",
            |r| {
                Ok((site_of(r)?, ExportNews {
                    id: r.col("id")?,
                    slug: slug(r, "news")?,
                    title: r.col("title")?,
                    lead: r.col("lead")?,
                    body: r.col("body")?,
                    news_date: codec::read_date("news", "news_date", r.col("news_date")?)?,
                    status: status(r, "news")?,
                    publish_at: optional_time(r, "news", "publish_at")?,
                    unpublish_at: optional_time(r, "news", "unpublish_at")?,
                    deleted_at: optional_time(r, "news", "deleted_at")?,
                    version: r.col("version")?,
                    created_at: time(r, "news", "created_at")?,
                    updated_at: time(r, "news", "updated_at")?,
                    contact_ids: Vec::new(),
                    revisions: Vec::new(),
                }))
            }
        )? {
            article.contact_ids = news_contacts.remove(&article.id).unwrap_or_default();
            article.revisions = revisions.remove(&article.id).unwrap_or_default();
            sites[site(site_id)?].news.push(article);
        }

        let mut audit_log = Vec::new();
        for (site_id, entry) in all_rows!(
            self,
            "SELECT site_id, id, user_id, at, action, entity, entity_id, summary FROM audit_log ORDER BY id",
            |r| {
                Ok((
                    r.col::<Option<i64>>("site_id")?,
                    ExportAudit {
                        id: r.col("id")?,
                        user_id: r.col("user_id")?,
                        at: time(r, "audit_log", "at")?,
                        action: r.col("action")?,
                        entity: r.col("entity")?,
                        entity_id: r.col("entity_id")?,
                        summary: r.col("summary")?,
                    },
                ))
            }
        )? {
            match site_id {
                Some(id) => sites[site(id)?].audit_log.push(entry),
                None => audit_log.push(entry),
            }
        }

        Ok(Export {
            format: export::FORMAT.to_string(),
            version: export::VERSION,
            exported_at: now,
            secrets,
            scheduler_last_run: self.scheduler_last_run().await?,
            users,
            api_tokens,
            audit_log,
            sites,
        })
    }

    /// Loads `data` (already checked with [`Export::check`]) into this
    /// database, which must hold no content, users or audit entries yet (a
    /// site without content, as a first start leaves, is replaced). All or
    /// nothing: one transaction.
    pub async fn import(&self, data: &Export) -> Result<()> {
        data.check()
            .map_err(|e| StoreError::Import(e.to_string()))?;
        let mut tx = self.write_tx().await?;
        let conn = &mut tx.conn();
        let used: i64 = on_conn!(conn, c => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM news)
                  + (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM topics)
                  + (SELECT COUNT(*) FROM websites) + (SELECT COUNT(*) FROM audit_log)",
        )
        .fetch_one(&mut *c)
        .await)?;
        if used > 0 {
            return Err(StoreError::Import(
                "the database is not empty: import only into a new database".into(),
            ));
        }
        for sql in [
            "DELETE FROM sites",
            "DELETE FROM scheduler_state",
            "DELETE FROM login_failures",
        ] {
            on_conn!(conn, c => sqlx::query(sql).execute(&mut *c).await.map(drop))?;
        }
        insert_users(conn, data).await?;
        for site in &data.sites {
            insert_site(conn, site).await?;
        }
        let site_less = data.audit_log.iter().map(|a| (None, a));
        let per_site = data
            .sites
            .iter()
            .flat_map(|s| s.audit_log.iter().map(move |a| (Some(s.id), a)));
        for (site, a) in site_less.chain(per_site) {
            on_conn!(conn, c => sqlx::query(
                "INSERT INTO audit_log (id, site_id, user_id, at, action, entity, entity_id, summary)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(a.id)
            .bind(site)
            .bind(a.user_id)
            .bind(codec::timestamp(a.at))
            .bind(&a.action)
            .bind(&a.entity)
            .bind(a.entity_id)
            .bind(&a.summary)
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
        if let Some(at) = data.scheduler_last_run {
            on_conn!(conn, c => sqlx::query("INSERT INTO scheduler_state (id, last_run) VALUES (1, $1)")
                .bind(codec::timestamp(at))
                .execute(&mut *c)
                .await
                .map(drop))?;
        }
        if self.backend() == Backend::Postgres {
            // Rows came with their ids: move each identity past the largest.
            for table in [
                "users",
                "api_tokens",
                "sites",
                "contacts",
                "topics",
                "websites",
                "news",
                "news_revisions",
                "audit_log",
                "login_failures",
            ] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut *c)
                    .await
                    .map(drop))?;
            }
        }
        for site in &data.sites {
            tx.changed(SiteId(site.id), Change::Site);
        }
        tx.commit().await
    }
}

async fn insert_users(conn: &mut Conn<'_>, data: &Export) -> Result<()> {
    for u in &data.users {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO users (id, email, name, role, password_hash, disabled_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.id)
        .bind(u.email.as_str())
        .bind(&u.name)
        .bind(u.role.as_str())
        // Without a hash nobody can sign in as the user until one is set.
        .bind(u.password_hash.as_deref().unwrap_or(""))
        .bind(u.disabled_at.map(codec::timestamp))
        .bind(codec::timestamp(u.created_at))
        .bind(codec::timestamp(u.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    for t in &data.api_tokens {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id)
        .bind(t.user_id)
        .bind(&t.name)
        .bind(&t.token_hash)
        .bind(codec::timestamp(t.created_at))
        .bind(t.last_used_at.map(codec::timestamp))
        .bind(t.revoked_at.map(codec::timestamp))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}

async fn insert_site(conn: &mut Conn<'_>, site: &ExportSite) -> Result<()> {
    on_conn!(conn, c => sqlx::query("INSERT INTO sites (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(site.id)
        .bind(&site.name)
        .bind(codec::timestamp(site.created_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    for x in &site.contacts {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO contacts (id, site_id, name, job_title, email, phone, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(x.id)
        .bind(site.id)
        .bind(&x.name)
        .bind(&x.job_title)
        .bind(x.email.as_ref().map(Email::as_str))
        .bind(x.phone.as_ref().map(|p| p.e164()))
        .bind(codec::timestamp(x.created_at))
        .bind(codec::timestamp(x.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    for t in &site.topics {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO topics (id, site_id, slug, name, sort_order, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(t.id)
        .bind(site.id)
        .bind(t.slug.as_str())
        .bind(&t.name)
        .bind(t.sort_order)
        .bind(codec::timestamp(t.created_at))
        .bind(codec::timestamp(t.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    for w in &site.websites {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO websites (id, site_id, name, url, description, sort_order, active, statement_url,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(w.id)
        .bind(site.id)
        .bind(&w.name)
        .bind(w.url.as_str())
        .bind(&w.description)
        .bind(w.sort_order)
        .bind(w.active)
        .bind(w.statement_url.as_ref().map(WebUrl::as_str))
        .bind(codec::timestamp(w.created_at))
        .bind(codec::timestamp(w.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
        for topic in &w.topic_ids {
            on_conn!(conn, c => sqlx::query(
                "INSERT INTO website_topics (site_id, website_id, topic_id) VALUES ($1, $2, $3)",
            )
            .bind(site.id)
            .bind(w.id)
            .bind(topic)
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
    }
    for n in &site.news {
        insert_news(conn, site.id, n).await?;
    }
    Ok(())
}

async fn insert_news(conn: &mut Conn<'_>, site: i64, n: &ExportNews) -> Result<()> {
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO news (id, site_id, slug, title, lead, body, news_date, status, publish_at,
                           unpublish_at, deleted_at, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(n.id)
    .bind(site)
    .bind(n.slug.as_str())
    .bind(&n.title)
    .bind(&n.lead)
    .bind(&n.body)
    .bind(codec::date(n.news_date))
    .bind(n.status.as_str())
    .bind(n.publish_at.map(codec::timestamp))
    .bind(n.unpublish_at.map(codec::timestamp))
    .bind(n.deleted_at.map(codec::timestamp))
    .bind(n.version)
    .bind(codec::timestamp(n.created_at))
    .bind(codec::timestamp(n.updated_at))
    .execute(&mut *c)
    .await
    .map(drop))?;
    for (position, contact) in (0_i64..).zip(&n.contact_ids) {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO news_contacts (site_id, news_id, contact_id, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(site)
        .bind(n.id)
        .bind(contact)
        .bind(position)
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    for r in &n.revisions {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO news_revisions (id, site_id, news_id, version, user_id, created_at, slug, title,
                                         lead, body, news_date, status, publish_at, unpublish_at, contact_ids)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(r.id)
        .bind(site)
        .bind(n.id)
        .bind(r.version)
        .bind(r.user_id)
        .bind(codec::timestamp(r.created_at))
        .bind(r.slug.as_str())
        .bind(&r.title)
        .bind(&r.lead)
        .bind(&r.body)
        .bind(codec::date(r.news_date))
        .bind(r.status.as_str())
        .bind(r.publish_at.map(codec::timestamp))
        .bind(r.unpublish_at.map(codec::timestamp))
        .bind(codec::id_list(&r.contact_ids))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}
