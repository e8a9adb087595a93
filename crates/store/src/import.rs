//! Loading an [`Export`] into an empty database of either backend: every
//! row keeps its id and its times.

use raadhus_domain::export::{Export, ExportAudit, ExportMedia, ExportNews, ExportSite};
use raadhus_domain::markup::{self, Shown};
use raadhus_domain::media::refs_in;
use raadhus_domain::{ContactPerson, Email, Media, SiteId, WebUrl};

use crate::{
    Audit, Backend, Change, Conn, Result, Store, StoreError, WriteTx, access, codec, export_media,
    export_pages, users,
};

impl Store {
    /// Loads `data` (already checked with [`Export::check`]) into this
    /// database, which must hold no content, users or audit entries yet (a
    /// site without content, as a first start leaves, is replaced). All or
    /// nothing: one transaction.
    pub async fn import(&self, data: &Export) -> Result<()> {
        data.check()
            .map_err(|e| StoreError::Import(e.to_string()))?;
        let mut tx = self.write().await?;
        let conn = &mut tx.conn();
        let used: i64 = on_conn!(conn, c => sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM news)
                  + (SELECT COUNT(*) FROM contacts) + (SELECT COUNT(*) FROM topics)
                  + (SELECT COUNT(*) FROM websites) + (SELECT COUNT(*) FROM audit_log)
                  + (SELECT COUNT(*) FROM media) + (SELECT COUNT(*) FROM media_files)
                  + (SELECT COUNT(*) FROM pages)",
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
        export_media::insert_files(conn, &data.media_files).await?;
        for site in &data.sites {
            insert_site(conn, site).await?;
        }
        for u in &data.users {
            access::insert_subsites(&mut tx.conn(), u.id, &u.access().subsites).await?;
        }
        for site in data.sites.iter().filter(|s| s.topic_id.is_some()) {
            on_conn!(&mut tx.conn(), c => sqlx::query("UPDATE sites SET topic_id = $1 WHERE id = $2")
                .bind(site.topic_id)
                .bind(site.id)
                .execute(&mut *c)
                .await
                .map(drop))?;
        }
        for site in &data.sites {
            insert_settings(&mut tx, site).await?;
        }
        let conn = &mut tx.conn();
        insert_audit_lines(conn, None, &data.audit_log).await?;
        for site in &data.sites {
            insert_audit_lines(conn, Some(site.id), &site.audit_log).await?;
        }
        if let Some(at) = data.scheduler_last_run {
            on_conn!(conn, c => sqlx::query("INSERT INTO scheduler_state (id, last_run) VALUES (1, $1)")
                .bind(codec::timestamp(at))
                .execute(&mut *c)
                .await
                .map(drop))?;
        }
        if self.backend() == Backend::Postgres {
            move_sequences(conn).await?;
        }
        for site in &data.sites {
            tx.changed(SiteId(site.id), Change::Site);
        }
        tx.commit().await?;
        self.analyze_after_bulk_write().await
    }
}

/// Stores the identity and front page of `site`, if the file has them.
pub(crate) async fn insert_settings(tx: &mut WriteTx, site: &ExportSite) -> Result<()> {
    if let Some(settings) = &site.settings {
        let id = SiteId(site.id);
        tx.save_site_settings(id, &settings.identity, settings.updated_at)
            .await?;
        tx.save_front_page(id, &settings.front_page, settings.updated_at)
            .await?;
    }
    Ok(())
}

/// Stores audit lines with their ids, of site `site` (none: of no site).
pub(crate) async fn insert_audit_lines(
    conn: &mut Conn<'_>,
    site: Option<i64>,
    lines: &[ExportAudit],
) -> Result<()> {
    for a in lines {
        let line = Audit {
            site: site.map(SiteId),
            user_id: a.user_id,
            action: &a.action,
            entity: &a.entity,
            entity_id: a.entity_id,
            summary: &a.summary,
        };
        users::insert_audit(conn, Some(a.id), &line, a.at).await?;
    }
    Ok(())
}

/// On PostgreSQL, after rows came with their ids: moves each identity past
/// the largest.
pub(crate) async fn move_sequences(conn: &mut Conn<'_>) -> Result<()> {
    for table in [
        "users",
        "api_tokens",
        "sites",
        "contacts",
        "topics",
        "websites",
        "news",
        "news_revisions",
        "pages",
        "page_revisions",
        "media",
        "media_revisions",
        "audit_log",
        "login_failures",
        "redirects",
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
    Ok(())
}

async fn insert_users(conn: &mut Conn<'_>, data: &Export) -> Result<()> {
    for u in &data.users {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO users (id, email, name, role, main_site, password_hash, disabled_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(u.id)
        .bind(u.email.as_str())
        .bind(&u.name)
        .bind(u.role.as_str())
        .bind(u.main_site)
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
    // The topic (of the main site) is set once every site's topics are in.
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO sites (id, name, created_at, host, base_url) VALUES ($1, $2, $3, $4, $5)",
    )
        .bind(site.id)
        .bind(&site.name)
        .bind(codec::timestamp(site.created_at))
        .bind(site.host.as_deref())
        .bind(site.base_url.as_deref())
        .execute(&mut *c)
        .await
        .map(drop))?;
    insert_content(conn, site).await
}

/// Stores what site `site` holds (the site itself is stored): contact
/// persons, the directory, the media library, articles, pages, old
/// addresses and redirects, with their ids.
pub(crate) async fn insert_content(conn: &mut Conn<'_>, site: &ExportSite) -> Result<()> {
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
    export_media::insert_media(conn, site.id, &site.media).await?;
    let library: Vec<Media> = site.media.iter().map(ExportMedia::to_media).collect();
    let contacts: Vec<ContactPerson> = site
        .contacts
        .iter()
        .map(|x| ContactPerson {
            id: x.id,
            name: x.name.clone(),
            job_title: x.job_title.clone(),
            email: x.email.clone(),
            phone: x.phone.clone(),
        })
        .collect();
    let shown = |body: &str| shown_in(body, &library, &contacts);
    for n in &site.news {
        insert_news(conn, site.id, n, &shown).await?;
    }
    export_pages::insert_pages(conn, site.id, &site.pages, shown).await?;
    export_pages::insert_old_paths(conn, site.id, &site.old_paths).await?;
    crate::export_redirects::insert(conn, site.id, &site.redirects).await
}

/// What `body` shows of a site's `library` and `contacts`.
fn shown_in(body: &str, library: &[Media], contacts: &[ContactPerson]) -> Shown {
    let refs = refs_in(body);
    let named = markup::contact_refs(body);
    Shown {
        media: library
            .iter()
            .filter(|m| refs.contains(&m.id))
            .cloned()
            .collect(),
        contacts: contacts
            .iter()
            .filter(|c| named.contains(&c.id))
            .cloned()
            .collect(),
    }
}

/// Stores article `n` of `site`, its body rendered with what it shows
/// (`shown`), and records which files it uses.
async fn insert_news(
    conn: &mut Conn<'_>,
    site: i64,
    n: &ExportNews,
    shown: impl Fn(&str) -> Shown,
) -> Result<()> {
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO news (id, site_id, slug, title, lead, body, news_date, status, publish_at,
                           unpublish_at, deleted_at, version, created_at, updated_at,
                           body_html, body_html_renderer, body_html_version, image_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $12, $17)",
    )
    .bind(n.id)
    .bind(site)
    .bind(n.content.slug.as_str())
    .bind(&n.content.title)
    .bind(&n.content.lead)
    .bind(&n.content.body)
    .bind(codec::date(n.content.news_date))
    .bind(n.content.status.as_str())
    .bind(n.content.publish_at.map(codec::timestamp))
    .bind(n.content.unpublish_at.map(codec::timestamp))
    .bind(n.deleted_at.map(codec::timestamp))
    .bind(n.version)
    .bind(codec::timestamp(n.created_at))
    .bind(codec::timestamp(n.updated_at))
    // The HTML is derived, never in the file: rendered here.
    .bind(markup::render_with(&n.content.body, &shown(&n.content.body)))
    .bind(markup::RENDER_VERSION)
    .bind(n.content.image_id)
    .execute(&mut *c)
    .await
    .map(drop))?;
    for (position, contact) in (0_i64..).zip(&n.content.contact_ids) {
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
                                         lead, body, news_date, status, publish_at, unpublish_at, contact_ids,
                                         image_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(r.id)
        .bind(site)
        .bind(n.id)
        .bind(r.version)
        .bind(r.user_id)
        .bind(codec::timestamp(r.created_at))
        .bind(r.content.slug.as_str())
        .bind(&r.content.title)
        .bind(&r.content.lead)
        .bind(&r.content.body)
        .bind(codec::date(r.content.news_date))
        .bind(r.content.status.as_str())
        .bind(r.content.publish_at.map(codec::timestamp))
        .bind(r.content.unpublish_at.map(codec::timestamp))
        .bind(codec::id_list(&r.content.contact_ids))
        .bind(r.content.image_id)
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    crate::owner::write_uses(
        conn,
        SiteId(site),
        crate::owner::Owner::News(n.id),
        &n.content.body,
        n.content.image_id,
    )
    .await
}
