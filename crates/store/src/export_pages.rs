//! Content pages, old addresses and the sites' identity in an export and
//! back, ids and times kept. A page's path is not in the file: it is made
//! again from the tree on import.

use std::collections::HashMap;

use raadhus_domain::SiteId;
use raadhus_domain::export::{
    ExportOldPath, ExportPage, ExportPageRevision, ExportSettings, page_paths,
};
use raadhus_domain::markup::{self, Shown};

use crate::owner::{Owner, write_contacts, write_uses};
use crate::{Conn, DbRow, Result, StoreError, codec, pages};

fn time(row: &impl DbRow, table: &'static str, column: &'static str) -> Result<jiff::Timestamp> {
    codec::read_timestamp(table, column, row.col(column)?)
}

/// Every page of every site, by id, with the id of its site, its contact
/// persons and its revisions oldest first.
pub(crate) async fn read_pages(conn: &mut Conn<'_>) -> Result<Vec<(i64, ExportPage)>> {
    let mut contacts: HashMap<i64, Vec<i64>> = HashMap::new();
    for (page, contact) in on_conn!(conn, c => sqlx::query_as::<_, (i64, i64)>(
        "SELECT page_id, contact_id FROM page_contacts ORDER BY page_id, position",
    )
    .fetch_all(&mut *c)
    .await)?
    {
        contacts.entry(page).or_default().push(contact);
    }
    let mut revisions: HashMap<i64, Vec<ExportPageRevision>> = HashMap::new();
    let rows = on_conn!(conn, c => sqlx::query(
        "SELECT page_id, id, version, user_id, created_at, slug, title, lead, body, status,
                publish_at, unpublish_at, contact_ids, image_id
         FROM page_revisions ORDER BY page_id, version",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        let table = "page_revisions";
        let contact_ids = codec::read_id_list(table, "contact_ids", r.col("contact_ids")?)?;
        Ok((
            r.col::<i64>("page_id")?,
            ExportPageRevision {
                id: r.col("id")?,
                version: r.col("version")?,
                user_id: r.col("user_id")?,
                created_at: time(r, table, "created_at")?,
                content: pages::content_from_row(r, table, contact_ids)?,
            },
        ))
    })
    .collect::<Result<Vec<_>>>())?;
    for (page, revision) in rows {
        revisions.entry(page).or_default().push(revision);
    }
    on_conn!(conn, c => sqlx::query(
        "SELECT site_id, id, parent_id, position, slug, title, lead, body, status, publish_at,
                unpublish_at, image_id, deleted_at, version, created_by, updated_by, created_at,
                updated_at
         FROM pages ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        let id: i64 = r.col("id")?;
        let own = contacts.remove(&id).unwrap_or_default();
        Ok((
            r.col("site_id")?,
            ExportPage {
                id,
                parent_id: r.col("parent_id")?,
                position: r.col("position")?,
                content: pages::content_from_row(r, "pages", own)?,
                deleted_at: codec::read_optional_timestamp(
                    r.col("deleted_at")?,
                    "pages",
                    "deleted_at",
                )?,
                version: r.col("version")?,
                created_by: r.col("created_by")?,
                updated_by: r.col("updated_by")?,
                created_at: time(r, "pages", "created_at")?,
                updated_at: time(r, "pages", "updated_at")?,
                revisions: revisions.remove(&id).unwrap_or_default(),
            },
        ))
    })
    .collect())
}

/// Every old address, with the id of its site.
pub(crate) async fn read_old_paths(conn: &mut Conn<'_>) -> Result<Vec<(i64, ExportOldPath)>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT site_id, path, page_id, news_id, created_at FROM old_paths ORDER BY site_id, path",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.col("site_id")?,
            ExportOldPath {
                path: r.col("path")?,
                page_id: r.col("page_id")?,
                news_id: r.col("news_id")?,
                created_at: time(r, "old_paths", "created_at")?,
            },
        ))
    })
    .collect())
}

/// The identity and front page of every site that has them, by site id.
/// Each site's name is filled in by the caller (it is the site's).
pub(crate) async fn read_settings(conn: &mut Conn<'_>) -> Result<Vec<(i64, ExportSettings)>> {
    let sites: Vec<(i64, String)> = on_conn!(conn, c => sqlx::query_as(
        "SELECT site_id, updated_at FROM site_settings ORDER BY site_id",
    )
    .fetch_all(&mut *c)
    .await)?;
    let mut all = Vec::with_capacity(sites.len());
    for (site, updated_at) in sites {
        let (identity, front_page) = crate::settings::read(conn, SiteId(site)).await?;
        all.push((
            site,
            ExportSettings {
                identity,
                front_page,
                updated_at: codec::read_timestamp("site_settings", "updated_at", &updated_at)?,
            },
        ));
    }
    Ok(all)
}

/// Stores the pages of `site`, parents before their children, each at the
/// path its tree gives it and with its body rendered with the files and
/// contact persons it shows (`shown` gives them for a body).
pub(crate) async fn insert_pages(
    conn: &mut Conn<'_>,
    site: i64,
    pages: &[ExportPage],
    shown: impl Fn(&str) -> Shown,
) -> Result<()> {
    let paths = page_paths(pages).map_err(|i| {
        StoreError::Import(format!("page {}: its parents form a loop", pages[i].id))
    })?;
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by_key(|&i| paths[i].matches('/').count());
    for i in order {
        let (p, path) = (&pages[i], &paths[i]);
        let content = &p.content;
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO pages (id, site_id, parent_id, position, slug, path, title, lead, body,
                                body_html, body_html_version, body_html_renderer, image_id, status,
                                publish_at, unpublish_at, version, deleted_at, created_by,
                                updated_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $17, $11, $12, $13, $14, $15, $17,
                     $16, $18, $19, $20, $21)",
        )
        .bind(p.id)
        .bind(site)
        .bind(p.parent_id)
        .bind(p.position)
        .bind(content.slug.as_str())
        .bind(path)
        .bind(&content.title)
        .bind(&content.lead)
        .bind(&content.body)
        // The HTML is derived, never in the file: rendered here.
        .bind(markup::render_with(&content.body, &shown(&content.body)))
        .bind(markup::RENDER_VERSION)
        .bind(content.image_id)
        .bind(content.status.as_str())
        .bind(content.publish_at.map(codec::timestamp))
        .bind(content.unpublish_at.map(codec::timestamp))
        .bind(p.deleted_at.map(codec::timestamp))
        .bind(p.version)
        .bind(p.created_by)
        .bind(p.updated_by)
        .bind(codec::timestamp(p.created_at))
        .bind(codec::timestamp(p.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
        let owner = Owner::Page(p.id);
        write_contacts(conn, SiteId(site), owner, &content.contact_ids).await?;
        write_uses(conn, SiteId(site), owner, &content.body, content.image_id).await?;
        for r in &p.revisions {
            on_conn!(conn, c => sqlx::query(
                "INSERT INTO page_revisions (id, site_id, page_id, version, user_id, created_at, slug,
                                             title, lead, body, status, publish_at, unpublish_at,
                                             contact_ids, image_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(r.id)
            .bind(site)
            .bind(p.id)
            .bind(r.version)
            .bind(r.user_id)
            .bind(codec::timestamp(r.created_at))
            .bind(r.content.slug.as_str())
            .bind(&r.content.title)
            .bind(&r.content.lead)
            .bind(&r.content.body)
            .bind(r.content.status.as_str())
            .bind(r.content.publish_at.map(codec::timestamp))
            .bind(r.content.unpublish_at.map(codec::timestamp))
            .bind(codec::id_list(&r.content.contact_ids))
            .bind(r.content.image_id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
    }
    Ok(())
}

/// Stores the old addresses of `site`.
pub(crate) async fn insert_old_paths(
    conn: &mut Conn<'_>,
    site: i64,
    old_paths: &[ExportOldPath],
) -> Result<()> {
    for old in old_paths {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO old_paths (site_id, path, page_id, news_id, created_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(site)
        .bind(&old.path)
        .bind(old.page_id)
        .bind(old.news_id)
        .bind(codec::timestamp(old.created_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}
