//! Old addresses: where a published page or article was before its slug
//! changed or it moved. Each names the page or article itself, never the
//! address it went to, so any number of moves leaves one hop to the current
//! address and no loop.

use jiff::Timestamp;
use raadhus_domain::SiteId;

use crate::{Conn, DbRow, Result, Store, codec};

/// What an old address now stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldPathTarget {
    Page(i64),
    News(i64),
}

/// Remembers that `path` leads to `target` (taking it over from whatever it
/// led to before).
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    site: SiteId,
    path: &str,
    target: OldPathTarget,
    now: Timestamp,
) -> Result<()> {
    let (page, news) = match target {
        OldPathTarget::Page(id) => (Some(id), None),
        OldPathTarget::News(id) => (None, Some(id)),
    };
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO old_paths (site_id, path, page_id, news_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id, path) DO UPDATE
         SET page_id = excluded.page_id, news_id = excluded.news_id, created_at = excluded.created_at",
    )
    .bind(site.0)
    .bind(path)
    .bind(page)
    .bind(news)
    .bind(codec::timestamp(now))
    .execute(&mut *c)
    .await
    .map(drop))?;
    Ok(())
}

/// Forgets `path` as an old address: something lives there now.
pub(crate) async fn forget(conn: &mut Conn<'_>, site: SiteId, path: &str) -> Result<()> {
    forget_all(conn, site, &[path.to_string()]).await
}

/// Paths forgotten by one statement.
const PATHS: usize = 1_000;

/// [`forget`] for each of `paths`.
pub(crate) async fn forget_all(conn: &mut Conn<'_>, site: SiteId, paths: &[String]) -> Result<()> {
    for chunk in paths.chunks(PATHS) {
        let sql = format!(
            "DELETE FROM old_paths WHERE site_id = $1 AND path IN ({})",
            codec::list(chunk.len(), 1)
        );
        on_conn!(conn, c => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site.0);
            for path in chunk {
                query = query.bind(path);
            }
            query.execute(&mut *c).await.map(drop)
        })?;
    }
    Ok(())
}

impl Store {
    /// What the old address `path` of the site stands for, if it is one.
    pub async fn old_path(&self, site: SiteId, path: &str) -> Result<Option<OldPathTarget>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT page_id, news_id FROM old_paths WHERE site_id = $1 AND path = $2",
        )
        .bind(site.0)
        .bind(path)
        .fetch_optional(pool)
        .await?
        .map(|row| {
            let page: Option<i64> = row.col("page_id")?;
            let news: Option<i64> = row.col("news_id")?;
            Ok(match (page, news) {
                (Some(id), _) => OldPathTarget::Page(id),
                (None, Some(id)) => OldPathTarget::News(id),
                (None, None) => {
                    return Err(crate::StoreError::Corrupt {
                        table: "old_paths",
                        column: "page_id",
                        detail: format!("{path} leads nowhere"),
                    });
                }
            })
        })
        .transpose())
    }
}
