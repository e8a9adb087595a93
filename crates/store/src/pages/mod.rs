//! Content pages in a tree: reading them here, writing them in `write.rs`,
//! their place in the tree (positions, paths, moves) in `tree.rs`.
//!
//! Pages are read under the alias `n`, as articles are, so that the one SQL
//! form of [`Visibility`] (`news::visibility`) serves both.

mod tree;
mod write;

use jiff::Timestamp;
use raadhus_domain::page::{PageContent, PageNode, WebPage, tree_order};
use raadhus_domain::{NewsStatus, SiteId, Visibility, markup};

use crate::owner::{Owner, contacts_of};
use crate::{Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

const NODE_COLUMNS: &str = "n.id, n.parent_id, n.position, n.path, n.title, n.lead, n.status,
    n.publish_at, n.unpublish_at, n.image_id, n.updated_at, n.version";

const PAGE_COLUMNS: &str = "n.id, n.parent_id, n.position, n.path, n.slug, n.title, n.lead,
    n.body, n.status, n.publish_at, n.unpublish_at, n.image_id, n.created_at, n.updated_at,
    n.version, n.body_html, n.body_html_version, n.body_html_renderer";

/// The pages under `parent` (none: the top level) that are not in the bin,
/// as a condition on `pages`: `$1` the site, `$2` the parent's id or 0.
/// Two forms, each of which the index `pages_parent` answers (a condition
/// such as `COALESCE(parent_id, 0) = $2` would read every page of the site);
/// both name `$2`, so that every caller binds the same parameters.
fn siblings(parent: Option<i64>) -> &'static str {
    match parent {
        Some(_) => "site_id = $1 AND parent_id = $2 AND deleted_at IS NULL",
        None => "site_id = $1 AND parent_id IS NULL AND $2 = 0 AND deleted_at IS NULL",
    }
}

/// One saved version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRevision {
    pub id: i64,
    pub version: i64,
    pub created_at: Timestamp,
    pub user_name: Option<String>,
    pub content: PageContent,
}

/// A page in the bin: when it was put there, and by whom (none when from
/// the command line, or when the log does not say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinnedPage {
    pub node: PageNode,
    pub binned_at: Timestamp,
    pub binned_by: Option<String>,
}

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

fn status(row: &impl DbRow, table: &'static str) -> Result<NewsStatus> {
    let status: &str = row.col("status")?;
    NewsStatus::parse(status).map_err(|e| StoreError::Corrupt {
        table,
        column: "status",
        detail: e.to_string(),
    })
}

fn node_from_row(row: &impl DbRow) -> Result<PageNode> {
    Ok(PageNode {
        id: row.col("id")?,
        parent_id: row.col("parent_id")?,
        position: row.col("position")?,
        path: row.col("path")?,
        title: row.col("title")?,
        lead: row.col("lead")?,
        status: status(row, "pages")?,
        publish_at: optional_time(row, "pages", "publish_at")?,
        unpublish_at: optional_time(row, "pages", "unpublish_at")?,
        image_id: row.col("image_id")?,
        updated_at: time(row, "pages", "updated_at")?,
        version: row.col("version")?,
    })
}

/// The content of a page or revision from its row (`table`), with
/// `contact_ids`.
pub(crate) fn content_from_row(
    row: &impl DbRow,
    table: &'static str,
    contact_ids: Vec<i64>,
) -> Result<PageContent> {
    Ok(PageContent {
        slug: codec::read_slug(table, row.col("slug")?)?,
        title: row.col("title")?,
        lead: row.col("lead")?,
        body: row.col("body")?,
        status: status(row, table)?,
        publish_at: optional_time(row, table, "publish_at")?,
        unpublish_at: optional_time(row, table, "unpublish_at")?,
        contact_ids,
        image_id: row.col("image_id")?,
    })
}

/// A page from its row, without its contact persons; with its rendered
/// body if that is of its version and this renderer.
fn page_from_row(row: &impl DbRow) -> Result<WebPage> {
    let version: i64 = row.col("version")?;
    let current = row.col::<i64>("body_html_version")? == version
        && row.col::<i64>("body_html_renderer")? == markup::RENDER_VERSION;
    Ok(WebPage {
        id: row.col("id")?,
        parent_id: row.col("parent_id")?,
        position: row.col("position")?,
        path: row.col("path")?,
        content: content_from_row(row, "pages", Vec::new())?,
        contacts: Vec::new(),
        created_at: time(row, "pages", "created_at")?,
        updated_at: time(row, "pages", "updated_at")?,
        version,
        body_html: if current { row.col("body_html")? } else { None },
    })
}

/// How to find one page (never one in the bin).
enum Lookup<'a> {
    Id(i64),
    /// By its path, whatever its status.
    Path(&'a str),
}

async fn page(conn: &mut Conn<'_>, site: SiteId, lookup: Lookup<'_>) -> Result<Option<WebPage>> {
    let base =
        format!("SELECT {PAGE_COLUMNS} FROM pages n WHERE n.site_id = $1 AND n.deleted_at IS NULL");
    let found = match lookup {
        Lookup::Id(id) => {
            on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(format!("{base} AND n.id = $2")))
            .bind(site.0)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            .map(|row| page_from_row(&row))
            .transpose())?
        }
        Lookup::Path(path) => {
            on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(format!("{base} AND n.path = $2")))
            .bind(site.0)
            .bind(path)
            .fetch_optional(&mut *c)
            .await?
            .map(|row| page_from_row(&row))
            .transpose())?
        }
    };
    let Some(mut page) = found else {
        return Ok(None);
    };
    page.contacts = contacts_of(conn, Owner::Page(page.id)).await?;
    page.content.contact_ids = page.contacts.iter().map(|c| c.id).collect();
    Ok(Some(page))
}

/// The site's pages that are not in the bin, in tree order.
async fn nodes(conn: &mut Conn<'_>, site: SiteId) -> Result<Vec<PageNode>> {
    let sql =
        format!("SELECT {NODE_COLUMNS} FROM pages n WHERE n.site_id = $1 AND n.deleted_at IS NULL");
    let nodes = on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(node_from_row)
        .collect::<Result<Vec<_>>>())?;
    Ok(tree_order(nodes))
}

/// Page `id` and its ancestors, the top-level one first; empty when `id`
/// is not a page of the site.
async fn lineage(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Vec<PageNode>> {
    let sql = format!(
        "WITH RECURSIVE up(id, depth) AS (
             SELECT id, 0 FROM pages WHERE site_id = $1 AND id = $2
             UNION ALL
             SELECT p.parent_id, up.depth + 1 FROM pages p JOIN up ON p.id = up.id
             WHERE p.parent_id IS NOT NULL
         )
         SELECT {NODE_COLUMNS} FROM up JOIN pages n ON n.id = up.id ORDER BY up.depth DESC"
    );
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(id)
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(node_from_row)
        .collect())
}

impl Store {
    /// Any page of the site that is not in the bin, whatever its status.
    pub async fn page_by_id(&self, site: SiteId, id: i64) -> Result<Option<WebPage>> {
        page(&mut self.pool_conn().await?.conn(), site, Lookup::Id(id)).await
    }

    /// Every page of the site not in the bin, whatever its status, in tree
    /// order: each page followed by its subpages, siblings by position.
    pub async fn page_tree(&self, site: SiteId) -> Result<Vec<PageNode>> {
        nodes(&mut self.pool_conn().await?.conn(), site).await
    }

    /// Page `id` (in the bin or not) and its ancestors, the top-level one
    /// first: for breadcrumbs. Empty when there is no such page.
    pub async fn page_lineage(&self, site: SiteId, id: i64) -> Result<Vec<PageNode>> {
        lineage(&mut self.pool_conn().await?.conn(), site, id).await
    }

    /// The pages directly under `parent` (none: the top level) that are not
    /// in the bin, by position, whatever their status.
    pub async fn page_children(&self, site: SiteId, parent: Option<i64>) -> Result<Vec<PageNode>> {
        let sql = format!(
            "SELECT {NODE_COLUMNS} FROM pages n WHERE {} ORDER BY n.position, n.id",
            siblings(parent)
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(parent.unwrap_or(0))
            .fetch_all(pool)
            .await?
            .iter()
            .map(node_from_row)
            .collect())
    }

    /// The page at `path`, if the public may see it at `now`: it is public,
    /// and so are all its ancestors.
    pub async fn public_page(
        &self,
        site: SiteId,
        path: &str,
        now: Timestamp,
    ) -> Result<Option<WebPage>> {
        let mut conn = self.pool_conn().await?;
        let conn = &mut conn.conn();
        let Some(found) = page(conn, site, Lookup::Path(path)).await? else {
            return Ok(None);
        };
        let lineage = lineage(conn, site, found.id).await?;
        let all_public = lineage
            .iter()
            .all(|n| n.visibility(now) == Visibility::Public);
        Ok(all_public.then_some(found))
    }

    /// The pages in the bin, most recently binned first.
    pub async fn binned_pages(&self, site: SiteId) -> Result<Vec<BinnedPage>> {
        let sql = format!(
            "SELECT {NODE_COLUMNS}, n.deleted_at,
                    (SELECT u.name FROM audit_log a JOIN users u ON u.id = a.user_id
                     WHERE a.entity = 'page' AND a.entity_id = n.id AND a.action = 'delete'
                     ORDER BY a.id DESC LIMIT 1) AS binned_by
             FROM pages n WHERE n.site_id = $1 AND n.deleted_at IS NOT NULL
             ORDER BY n.deleted_at DESC, n.id DESC"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok(BinnedPage {
                    node: node_from_row(row)?,
                    binned_at: time(row, "pages", "deleted_at")?,
                    binned_by: row.col("binned_by")?,
                })
            })
            .collect())
    }

    /// Every saved version of a page, newest first.
    pub async fn page_revisions(&self, site: SiteId, page_id: i64) -> Result<Vec<PageRevision>> {
        self.page_revisions_where(site, page_id, None).await
    }

    /// One saved version of a page.
    pub async fn page_revision(
        &self,
        site: SiteId,
        page_id: i64,
        revision_id: i64,
    ) -> Result<Option<PageRevision>> {
        Ok(self
            .page_revisions_where(site, page_id, Some(revision_id))
            .await?
            .pop())
    }

    async fn page_revisions_where(
        &self,
        site: SiteId,
        page_id: i64,
        revision_id: Option<i64>,
    ) -> Result<Vec<PageRevision>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT r.id, r.version, r.created_at, u.name AS user_name, r.slug, r.title, r.lead,
                    r.body, r.status, r.publish_at, r.unpublish_at, r.contact_ids, r.image_id
             FROM page_revisions r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.site_id = $1 AND r.page_id = $2 AND ($3 IS NULL OR r.id = $3)
             ORDER BY r.version DESC",
        )
        .bind(site.0)
        .bind(page_id)
        .bind(revision_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let ids: &str = row.col("contact_ids")?;
            let table = "page_revisions";
            Ok(PageRevision {
                id: row.col("id")?,
                version: row.col("version")?,
                created_at: time(row, table, "created_at")?,
                user_name: row.col("user_name")?,
                content: content_from_row(
                    row,
                    table,
                    codec::read_id_list(table, "contact_ids", ids)?,
                )?,
            })
        })
        .collect())
    }

    /// The Markdown bodies of the pages `only` (all with `None`) that are
    /// not in the bin, by id, in no set order: what search finds in them
    /// besides their title and lead ([`PageNode`]).
    pub async fn page_bodies(
        &self,
        site: SiteId,
        only: Option<&[i64]>,
    ) -> Result<Vec<(i64, String)>> {
        let restrict = match only {
            Some([]) => return Ok(Vec::new()),
            Some(ids) => codec::among("n.id", ids),
            None => String::new(),
        };
        let sql = format!(
            "SELECT n.id, n.body FROM pages n
             WHERE n.site_id = $1 AND n.deleted_at IS NULL {restrict}"
        );
        let bodies: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await)?;
        Ok(bodies)
    }

    /// The pages the public sees at `now`, in tree order: public
    /// themselves, and so are all their ancestors.
    pub async fn public_pages(&self, site: SiteId, now: Timestamp) -> Result<Vec<PageNode>> {
        let all = self.page_tree(site).await?;
        Ok(raadhus_domain::page::public_only(all, now))
    }
}

impl WriteTx {
    /// Any page of the site that is not in the bin, as this transaction
    /// sees it.
    pub async fn page_by_id(&mut self, site: SiteId, id: i64) -> Result<Option<WebPage>> {
        page(&mut self.conn(), site, Lookup::Id(id)).await
    }
}

/// The titles of the pages (in the bin or not) that name contact person
/// `contact_id`: what keeps them from being deleted.
pub(crate) async fn pages_naming(
    conn: &mut Conn<'_>,
    site: SiteId,
    contact_id: i64,
) -> Result<Vec<String>> {
    let titles: Vec<(String, Option<String>)> = on_conn!(conn, c => sqlx::query_as(
        "SELECT n.title, n.deleted_at FROM pages n WHERE n.site_id = $1 AND
             EXISTS (SELECT 1 FROM page_contacts pc WHERE pc.page_id = n.id AND pc.contact_id = $2)
         ORDER BY n.title, n.id",
    )
    .bind(site.0)
    .bind(contact_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(titles
        .into_iter()
        .map(|(title, binned)| match binned {
            Some(_) => format!("{title} (i papirkurven)"),
            None => title,
        })
        .collect())
}

impl WriteTx {
    /// Stores `html` as the rendered body of page `id` at `version`, if
    /// that is still its version. Nodes are not told: the caller says what
    /// looks different ([`WriteTx::shown_anew`]). Returns whether it was
    /// stored.
    pub async fn store_page_body_html(
        &mut self,
        site: SiteId,
        id: i64,
        version: i64,
        html: &markup::BodyHtml,
    ) -> Result<bool> {
        let stored = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE pages SET body_html = $1, body_html_version = version, body_html_renderer = $2
             WHERE id = $3 AND site_id = $4 AND version = $5",
        )
        .bind(html.as_str())
        .bind(markup::RENDER_VERSION)
        .bind(id)
        .bind(site.0)
        .bind(version)
        .execute(&mut *c)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(stored == 1)
    }
}
