//! Redirects in export files: read for an export, written by an import.

use raadhus_domain::export::ExportRedirect;
use raadhus_domain::redirect::target_path;

use crate::{Conn, DbRow, Result, codec};

/// Every redirect, with the id of its site.
pub(crate) async fn read(conn: &mut Conn<'_>) -> Result<Vec<(i64, ExportRedirect)>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT site_id, id, from_path, to_target, permanent, created_at FROM redirects
         ORDER BY site_id, id",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        let created: String = r.col("created_at")?;
        Ok((
            r.col("site_id")?,
            ExportRedirect {
                id: r.col("id")?,
                from: r.col("from_path")?,
                to: r.col("to_target")?,
                permanent: r.col("permanent")?,
                created_at: codec::read_timestamp("redirects", "created_at", &created)?,
            },
        ))
    })
    .collect())
}

/// Stores the redirects of `site` (checked by the import).
pub(crate) async fn insert(
    conn: &mut Conn<'_>,
    site: i64,
    redirects: &[ExportRedirect],
) -> Result<()> {
    for r in redirects {
        let at = codec::timestamp(r.created_at);
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO redirects (id, site_id, from_path, to_target, to_path, permanent, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(r.id)
        .bind(site)
        .bind(&r.from)
        .bind(&r.to)
        .bind(target_path(&r.to))
        .bind(r.permanent)
        .bind(&at)
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}
