//! The whole database as an [`Export`] and back, on either backend.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::export::{
    self, Export, ExportAudit, ExportContact, ExportNews, ExportRevision, ExportSite, ExportToken,
    ExportTopic, ExportUser, ExportUserSite, ExportWebsite,
};
use raadhus_domain::{Email, Role, Slug, WebUrl};

use crate::{DbRow, Result, Store, StoreError, codec, export_media, export_pages, news, schedule};

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

/// Runs `$sql` (no parameters) on `$conn` and maps every row with `$map`.
macro_rules! all_rows {
    ($conn:expr, $sql:expr, $map:expr) => {
        on_conn!($conn, c => sqlx::query($sql)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map($map)
            .collect::<Result<Vec<_>>>())
    };
}

impl Store {
    /// Everything in the database, as one snapshot: what a single moment
    /// held, whatever is written while it is read. Every query below, the
    /// scheduler's position too, runs on the snapshot's connection (proven by
    /// the integration test `export_snapshot`). Password hashes and API
    /// tokens only with `secrets`.
    pub async fn export(&self, secrets: bool, now: Timestamp) -> Result<Export> {
        let mut snapshot = self.snapshot().await?;
        let conn = &mut snapshot.conn();
        let users = all_rows!(
            conn,
            "SELECT id, email, name, role, main_site, password_hash, disabled_at, created_at, updated_at
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
                    main_site: r.col("main_site")?,
                    sites: Vec::new(),
                })
            }
        )?;
        let user_sites = all_rows!(
            conn,
            "SELECT user_id, site_id, role FROM user_sites ORDER BY user_id, site_id",
            |r| {
                Ok((
                    r.col::<i64>("user_id")?,
                    ExportUserSite {
                        site_id: r.col("site_id")?,
                        role: Role::parse(r.col("role")?)
                            .map_err(|e| corrupt("user_sites", "role", e))?,
                    },
                ))
            }
        )?;
        let mut users = users;
        for (user_id, place) in user_sites {
            if let Some(user) = users.iter_mut().find(|u| u.id == user_id) {
                user.sites.push(place);
            }
        }
        let api_tokens = if secrets {
            all_rows!(
                conn,
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
            conn,
            "SELECT id, name, created_at, host, base_url, topic_id FROM sites ORDER BY id",
            |r| {
                Ok(ExportSite {
                    id: r.col("id")?,
                    name: r.col("name")?,
                    created_at: time(r, "sites", "created_at")?,
                    host: r.col("host")?,
                    base_url: r.col("base_url")?,
                    topic_id: r.col("topic_id")?,
                    contacts: Vec::new(),
                    topics: Vec::new(),
                    websites: Vec::new(),
                    media: Vec::new(),
                    news: Vec::new(),
                    pages: Vec::new(),
                    old_paths: Vec::new(),
                    redirects: Vec::new(),
                    settings: None,
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
            conn,
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
            conn,
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
            conn,
            "SELECT website_id, topic_id FROM website_topics ORDER BY website_id, topic_id",
            |r| Ok((r.col::<i64>("website_id")?, r.col::<i64>("topic_id")?))
        )? {
            website_topics.entry(website).or_default().push(topic);
        }
        for (site_id, mut website) in all_rows!(
            conn,
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

        let media_files = export_media::read_files(conn).await?;
        for (site_id, media) in export_media::read_media(conn).await? {
            sites[site(site_id)?].media.push(media);
        }

        let mut news_contacts: HashMap<i64, Vec<i64>> = HashMap::new();
        for (news, contact) in all_rows!(
            conn,
            "SELECT news_id, contact_id FROM news_contacts ORDER BY news_id, position",
            |r| Ok((r.col::<i64>("news_id")?, r.col::<i64>("contact_id")?))
        )? {
            news_contacts.entry(news).or_default().push(contact);
        }
        let mut revisions: HashMap<i64, Vec<ExportRevision>> = HashMap::new();
        for (news, revision) in all_rows!(
            conn,
            "SELECT news_id, id, version, user_id, created_at, slug, title, lead, body, news_date,
                    status, publish_at, unpublish_at, contact_ids, image_id
             FROM news_revisions ORDER BY news_id, version",
            |r| {
                Ok((
                    r.col::<i64>("news_id")?,
                    ExportRevision {
                        id: r.col("id")?,
                        version: r.col("version")?,
                        user_id: r.col("user_id")?,
                        created_at: time(r, "news_revisions", "created_at")?,
                        content: news::content_from_row(
                            r,
                            "news_revisions",
                            codec::read_id_list(
                                "news_revisions",
                                "contact_ids",
                                r.col("contact_ids")?,
                            )?,
                        )?,
                    },
                ))
            }
        )? {
            revisions.entry(news).or_default().push(revision);
        }
        for (site_id, mut article) in all_rows!(
            conn,
            "SELECT site_id, id, slug, title, lead, body, news_date, status, publish_at, unpublish_at,
                    deleted_at, version, created_at, updated_at, image_id FROM news ORDER BY id",
            |r| {
                Ok((site_of(r)?, ExportNews {
                    id: r.col("id")?,
                    content: news::content_from_row(r, "news", Vec::new())?,
                    deleted_at: optional_time(r, "news", "deleted_at")?,
                    version: r.col("version")?,
                    created_at: time(r, "news", "created_at")?,
                    updated_at: time(r, "news", "updated_at")?,
                    revisions: Vec::new(),
                }))
            }
        )? {
            article.content.contact_ids = news_contacts.remove(&article.id).unwrap_or_default();
            article.revisions = revisions.remove(&article.id).unwrap_or_default();
            sites[site(site_id)?].news.push(article);
        }

        for (site_id, page) in export_pages::read_pages(conn).await? {
            sites[site(site_id)?].pages.push(page);
        }
        for (site_id, old) in export_pages::read_old_paths(conn).await? {
            sites[site(site_id)?].old_paths.push(old);
        }
        for (site_id, redirect) in crate::export_redirects::read(conn).await? {
            sites[site(site_id)?].redirects.push(redirect);
        }
        for (site_id, settings) in export_pages::read_settings(conn).await? {
            sites[site(site_id)?].settings = Some(settings);
        }

        let mut audit_log = Vec::new();
        for (site_id, entry) in all_rows!(
            conn,
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
            scheduler_last_run: schedule::last_run(conn).await?,
            users,
            api_tokens,
            audit_log,
            media_files,
            sites,
        })
    }
}
