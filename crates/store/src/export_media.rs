//! The media library in an export and back: stored files (each once) and
//! each site's items with their revisions, ids and times kept.

use std::collections::HashMap;

use raadhus_domain::export::{ExportFile, ExportMedia, ExportMediaRevision};

use crate::media::{COLUMNS, details_from_row, from_row};
use crate::{Conn, DbRow, Result, codec};

/// Every stored file with its bytes, by SHA-256.
pub(crate) async fn read_files(conn: &mut Conn<'_>) -> Result<Vec<ExportFile>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT sha256, created_at, bytes FROM media_files ORDER BY sha256",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok(ExportFile {
            sha256: r.col("sha256")?,
            created_at: codec::read_timestamp("media_files", "created_at", r.col("created_at")?)?,
            bytes: r.col("bytes")?,
        })
    })
    .collect())
}

/// Every item of every site's library, by id, with the id of its site and
/// its revisions oldest first.
pub(crate) async fn read_media(conn: &mut Conn<'_>) -> Result<Vec<(i64, ExportMedia)>> {
    let mut revisions: HashMap<i64, Vec<ExportMediaRevision>> = HashMap::new();
    let rows = on_conn!(conn, c => sqlx::query(
        "SELECT media_id, id, version, user_id, created_at, title, alt, decorative, caption,
                credit, focal_x, focal_y
         FROM media_revisions ORDER BY media_id, version",
    )
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.col::<i64>("media_id")?,
            ExportMediaRevision {
                id: r.col("id")?,
                version: r.col("version")?,
                user_id: r.col("user_id")?,
                created_at: codec::read_timestamp(
                    "media_revisions",
                    "created_at",
                    r.col("created_at")?,
                )?,
                details: details_from_row(r)?,
            },
        ))
    })
    .collect::<Result<Vec<_>>>())?;
    for (media, revision) in rows {
        revisions.entry(media).or_default().push(revision);
    }
    let sql = format!("SELECT m.site_id, m.text, {COLUMNS} FROM media m ORDER BY m.id");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            let media = from_row(r)?;
            let own = revisions.remove(&media.id).unwrap_or_default();
            Ok((r.col("site_id")?, ExportMedia::from_media(media, r.col("text")?, own)))
        })
        .collect())
}

/// Stores the files of an export that are not stored yet (files are
/// shared by their SHA-256).
pub(crate) async fn insert_files(conn: &mut Conn<'_>, files: &[ExportFile]) -> Result<()> {
    for f in files {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO media_files (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&f.sha256)
        .bind(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX))
        .bind(f.bytes.as_slice())
        .bind(codec::timestamp(f.created_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}

/// Stores site `site`'s library as the export holds it.
pub(crate) async fn insert_media(
    conn: &mut Conn<'_>,
    site: i64,
    media: &[ExportMedia],
) -> Result<()> {
    for m in media {
        let (d, check) = (&m.details, m.accessibility);
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO media (id, site_id, kind, sha256, mime, filename, size, width, height, title,
                                alt, decorative, caption, credit, focal_x, focal_y, tagged, language,
                                has_title, has_text, text, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                     $18, $19, $20, $21, $22, $23, $24)",
        )
        .bind(m.id)
        .bind(site)
        .bind(m.kind.as_str())
        .bind(&m.sha256)
        .bind(&m.mime)
        .bind(&m.filename)
        .bind(i64::try_from(m.size).unwrap_or(i64::MAX))
        .bind(m.width.map(i64::from))
        .bind(m.height.map(i64::from))
        .bind(&d.title)
        .bind(&d.alt)
        .bind(d.decorative)
        .bind(&d.caption)
        .bind(&d.credit)
        .bind(i64::from(d.focal.x))
        .bind(i64::from(d.focal.y))
        .bind(check.map(|c| c.tagged))
        .bind(check.map(|c| c.language))
        .bind(check.map(|c| c.title))
        .bind(check.map(|c| c.has_text))
        .bind(&m.text)
        .bind(m.version)
        .bind(codec::timestamp(m.created_at))
        .bind(codec::timestamp(m.updated_at))
        .execute(&mut *c)
        .await
        .map(drop))?;
        for r in &m.revisions {
            let d = &r.details;
            on_conn!(conn, c => sqlx::query(
                "INSERT INTO media_revisions (id, site_id, media_id, version, user_id, created_at,
                                              title, alt, decorative, caption, credit, focal_x, focal_y)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(r.id)
            .bind(site)
            .bind(m.id)
            .bind(r.version)
            .bind(r.user_id)
            .bind(codec::timestamp(r.created_at))
            .bind(&d.title)
            .bind(&d.alt)
            .bind(d.decorative)
            .bind(&d.caption)
            .bind(&d.credit)
            .bind(i64::from(d.focal.x))
            .bind(i64::from(d.focal.y))
            .execute(&mut *c)
            .await
            .map(drop))?;
        }
    }
    Ok(())
}
