//! A page's place in the tree: positions among siblings (kept 0, 1, 2, …
//! among the pages not in the bin), paths (kept current for a whole branch
//! when a page is renamed or moved, the old ones remembered), and the rules
//! a parent must meet.

use jiff::Timestamp;
use raadhus_domain::page::check_top_level;
use raadhus_domain::{NewsStatus, SiteId, Slug, ValidationErrors};

use crate::old_paths::{self, OldPathTarget};
use crate::{Change, Conn, Result, StoreError, WriteTx, codec};

use super::siblings;

/// The slugs of the pages under `parent`, other than page `except`.
pub(super) async fn sibling_slugs(
    conn: &mut Conn<'_>,
    site: SiteId,
    parent: Option<i64>,
    except: Option<i64>,
) -> Result<Vec<String>> {
    let sql = format!(
        "SELECT slug FROM pages WHERE {} AND id <> $3",
        siblings(parent)
    );
    Ok(
        on_conn!(conn, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(parent.unwrap_or(0))
        .bind(except.unwrap_or(0))
        .fetch_all(&mut *c)
        .await)?,
    )
}

/// Makes room under `parent` at `wanted` (none or past the end: after the
/// last) for page `moving` (none: a new one) and returns the position made
/// free.
pub(super) async fn open_gap(
    conn: &mut Conn<'_>,
    site: SiteId,
    parent: Option<i64>,
    wanted: Option<i64>,
    moving: Option<i64>,
) -> Result<i64> {
    let under = siblings(parent);
    let count_sql = format!("SELECT COUNT(*) FROM pages WHERE {under} AND id <> $3");
    let count: i64 = on_conn!(conn, c => sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
        .bind(site.0)
        .bind(parent.unwrap_or(0))
        .bind(moving.unwrap_or(0))
        .fetch_one(&mut *c)
        .await)?;
    let position = wanted.map_or(count, |p| p.clamp(0, count));
    let shift =
        format!("UPDATE pages SET position = position + 1 WHERE {under} AND position >= $3");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(shift))
        .bind(site.0)
        .bind(parent.unwrap_or(0))
        .bind(position)
        .execute(&mut *c)
        .await
        .map(drop))?;
    Ok(position)
}

/// Closes the gap a page left at `position` under `parent`.
pub(super) async fn close_gap(
    conn: &mut Conn<'_>,
    site: SiteId,
    parent: Option<i64>,
    position: i64,
) -> Result<()> {
    let shift = format!(
        "UPDATE pages SET position = position - 1 WHERE {} AND position > $3",
        siblings(parent)
    );
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(shift))
        .bind(site.0)
        .bind(parent.unwrap_or(0))
        .bind(position)
        .execute(&mut *c)
        .await
        .map(drop))?;
    Ok(())
}

/// The path of the page that is to be `parent` of page `moving` (none: a
/// new page): it must be a page of the site that is not in the bin, and not
/// `moving` itself nor one of its subpages.
pub(super) async fn parent_path(
    conn: &mut Conn<'_>,
    site: SiteId,
    parent: Option<i64>,
    moving: Option<i64>,
) -> Result<Option<String>> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    let lineage = super::lineage(conn, site, parent).await?;
    let Some(found) = lineage.last() else {
        return Err(refused("Den overordnede side findes ikke."));
    };
    let binned: Option<String> = on_conn!(conn, c => sqlx::query_scalar(
        "SELECT deleted_at FROM pages WHERE id = $1",
    )
    .bind(parent)
    .fetch_one(&mut *c)
    .await)?;
    if binned.is_some() {
        return Err(refused("Den overordnede side ligger i papirkurven."));
    }
    if moving.is_some_and(|id| lineage.iter().any(|n| n.id == id)) {
        return Err(refused(
            "En side kan ikke flyttes ind under sig selv eller en af sine undersider.",
        ));
    }
    Ok(Some(found.path.clone()))
}

/// A parent that cannot be one now: the tree as it is stands in the way
/// (answered like a reference to something that is not there).
fn refused(message: &str) -> StoreError {
    StoreError::UnknownReference(message.into())
}

/// The store's refusal of a rule of the tree, for the editor.
pub(super) fn invalid(field: &'static str, message: &str) -> StoreError {
    StoreError::Invalid(ValidationErrors::one(field, message))
}

/// Refuses `slug` for a page under `parent` when a sibling has it, or when
/// the page is at the top and the slug is one of the application's own.
pub(super) async fn check_slug(
    conn: &mut Conn<'_>,
    site: SiteId,
    parent: Option<i64>,
    slug: &Slug,
    page: Option<i64>,
) -> Result<()> {
    if parent.is_none()
        && let Err(message) = check_top_level(slug)
    {
        return Err(invalid("slug", &message));
    }
    let taken = sibling_slugs(conn, site, parent, page).await?;
    if taken.iter().any(|s| s == slug.as_str()) {
        return Err(StoreError::SlugTaken(slug.to_string()));
    }
    Ok(())
}

/// A page of a branch: its id, path, whether it is published and whether
/// it is in the bin.
struct Branch {
    id: i64,
    path: String,
    published: bool,
    binned: bool,
}

/// Page `id` and every page below it (in the bin or not).
async fn branch(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Vec<Branch>> {
    let rows: Vec<(i64, String, String, Option<String>)> = on_conn!(conn, c => sqlx::query_as(
        "WITH RECURSIVE down(id) AS (
             SELECT id FROM pages WHERE site_id = $1 AND id = $2
             UNION ALL
             SELECT p.id FROM pages p JOIN down ON p.parent_id = down.id
         )
         SELECT p.id, p.path, p.status, p.deleted_at FROM down JOIN pages p ON p.id = down.id",
    )
    .bind(site.0)
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, path, status, deleted)| Branch {
            id,
            path,
            published: status == NewsStatus::Published.as_str(),
            binned: deleted.is_some(),
        })
        .collect())
}

impl WriteTx {
    /// Gives page `id` the path `to` instead of `from`, and every page below
    /// it the same new beginning. Each published page not in the bin keeps
    /// its old path as an address that leads to it; what now lives at a new
    /// path is no longer an old address. Every page of the branch is noted
    /// as changed (its address is new).
    pub(super) async fn repath(
        &mut self,
        site: SiteId,
        id: i64,
        (from, to): (&str, &str),
        now: Timestamp,
    ) -> Result<()> {
        if from == to {
            return Ok(());
        }
        let conn = &mut self.conn();
        let pages = branch(conn, site, id).await?;
        for page in &pages {
            let rest = page.path.strip_prefix(from).unwrap_or_default();
            let new_path = format!("{to}{rest}");
            on_conn!(conn, c => sqlx::query("UPDATE pages SET path = $1 WHERE id = $2")
                .bind(&new_path)
                .bind(page.id)
                .execute(&mut *c)
                .await
                .map(drop))?;
            if page.binned {
                continue;
            }
            if page.published {
                old_paths::record(conn, site, &page.path, OldPathTarget::Page(page.id), now)
                    .await?;
            }
            old_paths::forget(conn, site, &new_path).await?;
        }
        for page in pages {
            self.changed(
                site,
                Change::Page {
                    id: page.id,
                    listed: page.published,
                    moved: true,
                },
            );
        }
        Ok(())
    }
}

/// Stores `now` as the moment page `id` was last changed by `user`.
pub(super) async fn touch(
    conn: &mut Conn<'_>,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    on_conn!(conn, c => sqlx::query("UPDATE pages SET updated_at = $1, updated_by = $2 WHERE id = $3")
        .bind(codec::timestamp(now))
        .bind(user)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(drop))?;
    Ok(())
}
