//! Whether the articles, pages and files that bodies link to are there
//! (see [`raadhus_domain::links`]).

use raadhus_domain::SiteId;
use raadhus_domain::links::{Found, LinkWarning, SiteLink, Target, warning};
use raadhus_domain::urls;

use crate::{Conn, Result, Store, WriteTx};

/// What the editor should hear of among `links`: those that lead nowhere
/// or to an old address.
async fn warnings(
    conn: &mut Conn<'_>,
    site: SiteId,
    links: &[SiteLink],
) -> Result<Vec<LinkWarning>> {
    let mut out = Vec::new();
    for link in links {
        if let Some(w) = warning(link, found(conn, site, &link.target).await?) {
            out.push(w);
        }
    }
    Ok(out)
}

async fn found(conn: &mut Conn<'_>, site: SiteId, target: &Target) -> Result<Found> {
    let (sql, path) = match target {
        Target::Media(id) => {
            let there = on_conn!(conn, c => sqlx::query(
                "SELECT 1 FROM media WHERE site_id = $1 AND id = $2",
            )
            .bind(site.0)
            .bind(*id)
            .fetch_optional(&mut *c)
            .await?
            .is_some());
            return Ok(if there { Found::Yes } else { Found::No });
        }
        Target::News(slug) => (
            "SELECT 1 FROM news WHERE site_id = $1 AND slug = $2 AND deleted_at IS NULL",
            urls::news(slug),
        ),
        Target::Page(path) => (
            "SELECT 1 FROM pages WHERE site_id = $1 AND path = $2 AND deleted_at IS NULL",
            path.clone(),
        ),
    };
    let key = match target {
        Target::News(slug) => slug.as_str(),
        _ => path.as_str(),
    };
    if exists(conn, sql, site, key).await? {
        Ok(Found::Yes)
    } else if exists(
        conn,
        "SELECT 1 FROM old_paths WHERE site_id = $1 AND path = $2",
        site,
        &path,
    )
    .await?
    {
        Ok(Found::Moved)
    } else {
        Ok(Found::No)
    }
}

async fn exists(conn: &mut Conn<'_>, sql: &'static str, site: SiteId, key: &str) -> Result<bool> {
    Ok(on_conn!(conn, c => sqlx::query(sql)
        .bind(site.0)
        .bind(key)
        .fetch_optional(&mut *c)
        .await?
        .is_some()))
}

impl WriteTx {
    /// The warnings about `links` (of a body being saved), as this
    /// transaction sees the site.
    pub async fn link_warnings(
        &mut self,
        site: SiteId,
        links: &[SiteLink],
    ) -> Result<Vec<LinkWarning>> {
        warnings(&mut self.conn(), site, links).await
    }
}

impl Store {
    /// The warnings about `links` (of a saved body), as the site is now.
    pub async fn link_warnings(
        &self,
        site: SiteId,
        links: &[SiteLink],
    ) -> Result<Vec<LinkWarning>> {
        let mut conn = self.pool_conn().await?;
        warnings(&mut conn.conn(), site, links).await
    }
}
