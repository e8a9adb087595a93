//! Writing pages: each save stores the page, its contact persons, the
//! files it uses and a revision, in the caller's transaction; moves, the
//! bin and restoring keep the tree's positions and paths whole.

use std::collections::HashSet;

use jiff::Timestamp;
use raadhus_domain::markup::{self, BodyHtml};
use raadhus_domain::page::{PageContent, Placement, WebPage, child_path};
use raadhus_domain::{NewsStatus, SiteId, urls};

use super::tree::{self, check_slug, close_gap, open_gap, parent_path, sibling_slugs};
use super::{Lookup, page};
use crate::news::publish_time;
use crate::owner::{self, Owner, write_contacts, write_uses};
use crate::{Change, Conn, Result, StoreError, WriteTx, codec};

/// Writes a page's content with its rendered body as a new version of page
/// `id` (the version before this save is `version` on the right).
async fn write_content(
    conn: &mut Conn<'_>,
    id: i64,
    content: &PageContent,
    html: &BodyHtml,
    publish_at: Option<Timestamp>,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    on_conn!(conn, c => sqlx::query(
        "UPDATE pages SET slug = $1, title = $2, lead = $3, body = $4, status = $5, publish_at = $6,
                unpublish_at = $7, image_id = $8, body_html = $9, body_html_renderer = $10,
                updated_at = $11, updated_by = $12, version = version + 1,
                body_html_version = version + 1
         WHERE id = $13",
    )
    .bind(content.slug.as_str())
    .bind(&content.title)
    .bind(&content.lead)
    .bind(&content.body)
    .bind(content.status.as_str())
    .bind(publish_at.map(codec::timestamp))
    .bind(content.unpublish_at.map(codec::timestamp))
    .bind(content.image_id)
    .bind(html.as_str())
    .bind(markup::RENDER_VERSION)
    .bind(codec::timestamp(now))
    .bind(user)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(drop))
    .map_err(|e| {
        crate::missing_reference(e, || {
            format!("media {:?} does not exist on this site", content.image_id)
        })
    })
}

/// Stores the page as it is now as a revision.
async fn write_revision(
    conn: &mut Conn<'_>,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    let contacts = owner::contact_ids(conn, Owner::Page(id)).await?;
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO page_revisions (site_id, page_id, version, user_id, created_at, slug, title, lead,
                                     body, status, publish_at, unpublish_at, contact_ids, image_id)
         SELECT n.site_id, n.id, n.version, $2, $3, n.slug, n.title, n.lead, n.body, n.status,
                n.publish_at, n.unpublish_at, $4, n.image_id
         FROM pages n WHERE n.id = $1",
    )
    .bind(id)
    .bind(user)
    .bind(codec::timestamp(now))
    .bind(codec::id_list(&contacts))
    .execute(&mut *c)
    .await
    .map(drop))?;
    Ok(())
}

/// Writes what a save of `content` writes besides the page's row.
async fn write_links(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    content: &PageContent,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    write_contacts(conn, site, Owner::Page(id), &content.contact_ids).await?;
    write_uses(conn, site, Owner::Page(id), &content.body, content.image_id).await?;
    write_revision(conn, id, user, now).await
}

impl WriteTx {
    async fn page_or_not_found(&mut self, site: SiteId, id: i64) -> Result<WebPage> {
        page(&mut self.conn(), site, Lookup::Id(id))
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Creates a page where `placement` says, with its contact persons and
    /// its first revision, saved by `user` if anyone, and returns it as
    /// stored. A slug made from the title is made unique among its
    /// siblings (and kept off the application's own addresses at the top)
    /// by appending `-2`, `-3`, …; one that was typed is refused if taken.
    /// `html` is its body rendered.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_page(
        &mut self,
        site: SiteId,
        placement: Placement,
        content: &PageContent,
        slug_typed: bool,
        html: &BodyHtml,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<WebPage> {
        let conn = &mut self.conn();
        let parent = placement.parent_id;
        let parent_path = parent_path(conn, site, parent, None).await?;
        let slug = if slug_typed {
            check_slug(conn, site, parent, &content.slug, None).await?;
            content.slug.clone()
        } else {
            let taken: HashSet<String> = sibling_slugs(conn, site, parent, None)
                .await?
                .into_iter()
                .collect();
            content.slug.make_unique(|s| {
                taken.contains(s.as_str()) || (parent.is_none() && urls::is_reserved(s.as_str()))
            })
        };
        let path = child_path(parent_path.as_deref(), &slug);
        let position = open_gap(conn, site, parent, placement.position, None).await?;
        let publish_at = publish_time((content.status, content.publish_at), None, now);
        let id: i64 = on_conn!(conn, c => sqlx::query_scalar(
            "INSERT INTO pages (site_id, parent_id, position, slug, path, title, lead, body, status,
                                publish_at, unpublish_at, created_at, updated_at, created_by, updated_by,
                                version, body_html_version)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13, 0, 0)
             RETURNING id",
        )
        .bind(site.0)
        .bind(parent)
        .bind(position)
        .bind(slug.as_str())
        .bind(&path)
        .bind(&content.title)
        .bind(&content.lead)
        .bind(&content.body)
        .bind(content.status.as_str())
        .bind(publish_at.map(codec::timestamp))
        .bind(content.unpublish_at.map(codec::timestamp))
        .bind(codec::timestamp(now))
        .bind(user)
        .fetch_one(&mut *c)
        .await)?;
        // Version 0 is the bare row: the first save of the content makes it 1.
        let content = PageContent {
            slug,
            ..content.clone()
        };
        write_content(conn, id, &content, html, publish_at, user, now).await?;
        write_links(conn, site, id, &content, user, now).await?;
        crate::old_paths::forget(conn, site, &path).await?;
        self.changed(
            site,
            Change::Page {
                id,
                listed: content.status == NewsStatus::Published,
                moved: true,
            },
        );
        self.page_or_not_found(site, id).await
    }

    /// Saves a new version of a page's content with its body rendered as
    /// `html`, if `expected_version` is still the newest
    /// ([`StoreError::Stale`] otherwise), and returns it as stored. A new
    /// slug gives the page and its whole branch new paths (the old ones
    /// lead to them).
    #[allow(clippy::too_many_arguments)]
    pub async fn update_page(
        &mut self,
        site: SiteId,
        id: i64,
        expected_version: i64,
        content: &PageContent,
        html: &BodyHtml,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<WebPage> {
        let current = self.page_or_not_found(site, id).await?;
        if current.version != expected_version {
            return Err(StoreError::Stale {
                expected: expected_version,
                current: current.version,
            });
        }
        let conn = &mut self.conn();
        if current.content.slug != content.slug {
            check_slug(conn, site, current.parent_id, &content.slug, Some(id)).await?;
        }
        let publish_at = publish_time(
            (content.status, content.publish_at),
            current.content.publish_at,
            now,
        );
        let unchanged = PageContent {
            publish_at,
            ..content.clone()
        } == current.content;
        if unchanged {
            return Ok(current);
        }
        write_content(conn, id, content, html, publish_at, user, now).await?;
        write_links(conn, site, id, content, user, now).await?;
        let new_path = match current.path.rsplit_once('/') {
            Some((parent, _)) => format!("{parent}/{}", content.slug),
            None => current.path.clone(),
        };
        self.repath(site, id, (&current.path, &new_path), now)
            .await?;
        let saved = self.page_or_not_found(site, id).await?;
        let (before, after) = (&current.content, &saved.content);
        self.changed(
            site,
            Change::Page {
                id,
                listed: before.status == NewsStatus::Published
                    || after.status == NewsStatus::Published,
                moved: before.status != after.status
                    || before.publish_at != after.publish_at
                    || before.unpublish_at != after.unpublish_at
                    || current.path != saved.path,
            },
        );
        Ok(saved)
    }

    /// Moves page `id` (and its branch) where `placement` says: under
    /// another parent, or to another position among its siblings. Its
    /// content and version stay as they are; its paths change with its
    /// parent's, the old ones leading to the new.
    pub async fn move_page(
        &mut self,
        site: SiteId,
        id: i64,
        placement: Placement,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<WebPage> {
        let current = self.page_or_not_found(site, id).await?;
        let conn = &mut self.conn();
        let parent = placement.parent_id;
        let parent_path = parent_path(conn, site, parent, Some(id)).await?;
        if parent != current.parent_id {
            check_slug(conn, site, parent, &current.content.slug, Some(id)).await?;
        }
        close_gap(conn, site, current.parent_id, current.position).await?;
        // Out of the way while the new siblings make room.
        on_conn!(conn, c => sqlx::query("UPDATE pages SET position = -1, parent_id = $1 WHERE id = $2")
            .bind(parent)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        let position = open_gap(conn, site, parent, placement.position, Some(id)).await?;
        on_conn!(conn, c => sqlx::query("UPDATE pages SET position = $1 WHERE id = $2")
            .bind(position)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        tree::touch(conn, id, user, now).await?;
        let new_path = child_path(parent_path.as_deref(), &current.content.slug);
        self.repath(site, id, (&current.path, &new_path), now)
            .await?;
        self.changed(
            site,
            Change::Page {
                id,
                listed: current.content.status == NewsStatus::Published,
                moved: true,
            },
        );
        self.page_or_not_found(site, id).await
    }

    /// Moves a page to the bin and returns it. A page with subpages (not in
    /// the bin) is [`StoreError::InUse`] with their titles: they go first.
    pub async fn bin_page(&mut self, site: SiteId, id: i64, now: Timestamp) -> Result<WebPage> {
        let current = self.page_or_not_found(site, id).await?;
        let conn = &mut self.conn();
        let children: Vec<String> = on_conn!(conn, c => sqlx::query_scalar(
            "SELECT title FROM pages WHERE parent_id = $1 AND deleted_at IS NULL ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await)?;
        if !children.is_empty() {
            return Err(StoreError::InUse(children));
        }
        on_conn!(conn, c => sqlx::query("UPDATE pages SET deleted_at = $1 WHERE id = $2")
            .bind(codec::timestamp(now))
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        close_gap(conn, site, current.parent_id, current.position).await?;
        self.changed(
            site,
            Change::Page {
                id,
                listed: current.content.status == NewsStatus::Published,
                moved: true,
            },
        );
        Ok(current)
    }

    /// Takes a page out of the bin, last among its siblings, and returns
    /// it. Its parent must be out of the bin, and its address free.
    pub async fn restore_page(&mut self, site: SiteId, id: i64) -> Result<WebPage> {
        let conn = &mut self.conn();
        let found: Option<(Option<i64>, String)> = on_conn!(conn, c => sqlx::query_as(
            "SELECT parent_id, slug FROM pages WHERE site_id = $1 AND id = $2 AND deleted_at IS NOT NULL",
        )
        .bind(site.0)
        .bind(id)
        .fetch_optional(&mut *c)
        .await)?;
        let (parent, slug) = found.ok_or(StoreError::NotFound)?;
        let slug = codec::read_slug("pages", &slug)?;
        let parent_path = parent_path(conn, site, parent, Some(id)).await?;
        check_slug(conn, site, parent, &slug, Some(id)).await?;
        let path = child_path(parent_path.as_deref(), &slug);
        let position = open_gap(conn, site, parent, None, Some(id)).await?;
        on_conn!(conn, c => sqlx::query(
            "UPDATE pages SET deleted_at = NULL, position = $1, path = $2 WHERE id = $3",
        )
        .bind(position)
        .bind(&path)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(drop))?;
        crate::old_paths::forget(conn, site, &path).await?;
        let restored = self.page_or_not_found(site, id).await?;
        self.changed(
            site,
            Change::Page {
                id,
                listed: restored.content.status == NewsStatus::Published,
                moved: true,
            },
        );
        Ok(restored)
    }
}
