//! The media library: files stored once by content (`media_files`), the
//! site's items that show them (`media`), what editors said about each item
//! over time (`media_revisions`) and which articles and pages use which
//! item (`media_uses`, `page_media_uses`).

use jiff::Timestamp;
use raadhus_domain::media::{DocumentCheck, FocalPoint, MediaDetails, MediaKind};
use raadhus_domain::{Media, SiteId};

use crate::owner::{BodyUse, Owner, Using, body_uses};
use crate::{Change, Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

pub(crate) const COLUMNS: &str =
    "m.id, m.kind, m.sha256, m.mime, m.filename, m.size, m.width, m.height,
    m.title, m.alt, m.decorative, m.caption, m.credit, m.focal_x, m.focal_y, m.tagged,
    m.language, m.has_title, m.has_text, m.version, m.created_at, m.updated_at";

/// A file to add to the library: its cleaned bytes and what is known of them.
#[derive(Debug)]
pub struct NewMedia<'a> {
    pub kind: MediaKind,
    /// SHA-256 of `bytes`, hex.
    pub sha256: &'a str,
    pub bytes: &'a [u8],
    pub mime: &'a str,
    pub filename: &'a str,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub details: &'a MediaDetails,
    pub check: Option<DocumentCheck>,
    /// A document's text, for search.
    pub text: Option<&'a str>,
}

/// An article or page that uses a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaUse {
    pub of: Owner,
    pub title: String,
    /// The article or page is in the bin.
    pub binned: bool,
    /// It is the article's lead image, or the page's image (not only in
    /// its text).
    pub lead: bool,
}

/// One version of what editors said about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRevision {
    pub version: i64,
    pub created_at: Timestamp,
    pub user_name: Option<String>,
    pub details: MediaDetails,
}

/// Which files a library listing shows.
#[derive(Debug, Clone, Default)]
pub struct MediaFilter<'a> {
    pub kind: Option<MediaKind>,
    /// Words of the title, file name, alt text or caption (case-insensitive).
    pub query: Option<&'a str>,
    pub limit: u32,
    pub offset: u32,
}

fn number(row: &impl DbRow, name: &str) -> Result<Option<u32>> {
    let value: Option<i64> = row.col(name)?;
    value
        .map(|v| {
            u32::try_from(v).map_err(|_| StoreError::Corrupt {
                table: "media",
                column: "width/height",
                detail: v.to_string(),
            })
        })
        .transpose()
}

fn per_mille(row: &impl DbRow, name: &str) -> Result<u16> {
    let value: i64 = row.col(name)?;
    u16::try_from(value)
        .ok()
        .filter(|v| *v <= 1000)
        .ok_or_else(|| StoreError::Corrupt {
            table: "media",
            column: "focal",
            detail: value.to_string(),
        })
}

pub(crate) fn details_from_row(row: &impl DbRow) -> Result<MediaDetails> {
    Ok(MediaDetails {
        title: row.col("title")?,
        alt: row.col("alt")?,
        decorative: row.col("decorative")?,
        caption: row.col("caption")?,
        credit: row.col("credit")?,
        focal: FocalPoint {
            x: per_mille(row, "focal_x")?,
            y: per_mille(row, "focal_y")?,
        },
    })
}

pub(crate) fn from_row(row: &impl DbRow) -> Result<Media> {
    let kind: String = row.col("kind")?;
    let kind = MediaKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
        table: "media",
        column: "kind",
        detail: kind.clone(),
    })?;
    let size: i64 = row.col("size")?;
    let tagged: Option<bool> = row.col("tagged")?;
    let accessibility = match tagged {
        Some(tagged) => Some(DocumentCheck {
            tagged,
            language: row.col::<Option<bool>>("language")?.unwrap_or(false),
            title: row.col::<Option<bool>>("has_title")?.unwrap_or(false),
            has_text: row.col::<Option<bool>>("has_text")?.unwrap_or(false),
        }),
        None => None,
    };
    Ok(Media {
        id: row.col("id")?,
        kind,
        sha256: row.col("sha256")?,
        mime: row.col("mime")?,
        filename: row.col("filename")?,
        size: u64::try_from(size).unwrap_or(0),
        width: number(row, "width")?,
        height: number(row, "height")?,
        details: details_from_row(row)?,
        accessibility,
        version: row.col("version")?,
        created_at: codec::read_timestamp("media", "created_at", row.col("created_at")?)?,
        updated_at: codec::read_timestamp("media", "updated_at", row.col("updated_at")?)?,
    })
}

pub(crate) async fn media_by_id(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
) -> Result<Option<Media>> {
    let sql = format!("SELECT {COLUMNS} FROM media m WHERE m.site_id = $1 AND m.id = $2");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .as_ref()
        .map(from_row)
        .transpose())
}

async fn many(conn: &mut Conn<'_>, site: SiteId, ids: &[i64]) -> Result<Vec<Media>> {
    let mut found = Vec::with_capacity(ids.len());
    for &id in ids {
        if let Some(media) = media_by_id(conn, site, id).await? {
            found.push(media);
        }
    }
    Ok(found)
}

/// The articles, then the pages, that use file `id` (in the bin or not),
/// each by title.
async fn uses(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Vec<MediaUse>> {
    on_conn!(conn, c => sqlx::query(
        "SELECT 0 AS page, n.id, n.title, n.deleted_at, n.image_id FROM media_uses u
         JOIN news n ON n.id = u.news_id WHERE u.site_id = $1 AND u.media_id = $2
         UNION ALL
         SELECT 1 AS page, p.id, p.title, p.deleted_at, p.image_id FROM page_media_uses u
         JOIN pages p ON p.id = u.page_id WHERE u.site_id = $1 AND u.media_id = $2
         ORDER BY page, title, id",
    )
    .bind(site.0)
    .bind(id)
    .fetch_all(&mut *c)
    .await?
    .iter()
    .map(|r| {
        let owner_id = r.col("id")?;
        Ok(MediaUse {
            of: if r.col::<i32>("page")? == 1 {
                Owner::Page(owner_id)
            } else {
                Owner::News(owner_id)
            },
            title: r.col("title")?,
            binned: r.col::<Option<String>>("deleted_at")?.is_some(),
            lead: r.col::<Option<i64>>("image_id")? == Some(id),
        })
    })
    .collect())
}

impl Store {
    /// One file of the site's library.
    pub async fn media(&self, site: SiteId, id: i64) -> Result<Option<Media>> {
        media_by_id(&mut self.pool_conn().await?.conn(), site, id).await
    }

    /// The files of `ids` that are in the site's library, in no set order.
    pub async fn media_many(&self, site: SiteId, ids: &[i64]) -> Result<Vec<Media>> {
        many(&mut self.pool_conn().await?.conn(), site, ids).await
    }

    /// A page of the site's library, newest first, and how many match in all.
    pub async fn media_list(
        &self,
        site: SiteId,
        filter: &MediaFilter<'_>,
    ) -> Result<(Vec<Media>, i64)> {
        let kind = filter.kind.map(MediaKind::as_str);
        let pattern = filter
            .query
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_', '\\'], "")));
        const WHERE: &str = "m.site_id = $1 AND ($2 IS NULL OR m.kind = $2)
            AND ($3 IS NULL OR lower(m.title) LIKE $3 OR lower(m.filename) LIKE $3
                 OR lower(COALESCE(m.alt, '')) LIKE $3 OR lower(COALESCE(m.caption, '')) LIKE $3)";
        let sql = format!(
            "SELECT {COLUMNS} FROM media m WHERE {WHERE} ORDER BY m.id DESC LIMIT $4 OFFSET $5"
        );
        let count_sql = format!("SELECT COUNT(*) FROM media m WHERE {WHERE}");
        on_pool!(self, pool => {
            let items = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(kind)
                .bind(pattern.as_deref())
                .bind(i64::from(filter.limit))
                .bind(i64::from(filter.offset))
                .fetch_all(pool)
                .await?
                .iter()
                .map(from_row)
                .collect::<Result<Vec<_>>>()?;
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(site.0)
                .bind(kind)
                .bind(pattern.as_deref())
                .fetch_one(pool)
                .await?;
            Ok((items, total))
        })
    }

    /// The stored bytes of the file with this SHA-256.
    pub async fn media_bytes(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        on_pool!(self, pool => Ok(sqlx::query_scalar(
            "SELECT bytes FROM media_files WHERE sha256 = $1",
        )
        .bind(sha256)
        .fetch_optional(pool)
        .await?))
    }

    /// A document's text, for search.
    pub async fn media_text(&self, site: SiteId, id: i64) -> Result<Option<String>> {
        on_pool!(self, pool => Ok(sqlx::query_scalar::<_, Option<String>>(
            "SELECT text FROM media WHERE site_id = $1 AND id = $2",
        )
        .bind(site.0)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .flatten()))
    }

    /// The articles and pages that use a file.
    pub async fn media_uses(&self, site: SiteId, id: i64) -> Result<Vec<MediaUse>> {
        uses(&mut self.pool_conn().await?.conn(), site, id).await
    }

    /// Every version of what editors said about a file, newest first.
    pub async fn media_revisions(&self, site: SiteId, id: i64) -> Result<Vec<MediaRevision>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT r.version, r.created_at, u.name AS user_name, r.title, r.alt, r.decorative,
                    r.caption, r.credit, r.focal_x, r.focal_y
             FROM media_revisions r LEFT JOIN users u ON u.id = r.user_id
             WHERE r.site_id = $1 AND r.media_id = $2 ORDER BY r.version DESC",
        )
        .bind(site.0)
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(MediaRevision {
                version: r.col("version")?,
                created_at: codec::read_timestamp("media_revisions", "created_at", r.col("created_at")?)?,
                user_name: r.col("user_name")?,
                details: details_from_row(r)?,
            })
        })
        .collect())
    }

    /// The documents in use that fail some accessibility check, with the
    /// articles and pages using them (binned ones left out), by title.
    pub async fn inaccessible_documents(
        &self,
        site: SiteId,
    ) -> Result<Vec<(Media, Vec<MediaUse>)>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM media m WHERE m.site_id = $1 AND m.kind = 'document'
             AND NOT (m.tagged AND m.language AND m.has_title AND m.has_text)
             AND (EXISTS (SELECT 1 FROM media_uses u JOIN news n ON n.id = u.news_id
                          WHERE u.media_id = m.id AND n.deleted_at IS NULL)
                  OR EXISTS (SELECT 1 FROM page_media_uses u JOIN pages p ON p.id = u.page_id
                             WHERE u.media_id = m.id AND p.deleted_at IS NULL))
             ORDER BY m.title, m.id"
        );
        let mut conn = self.pool_conn().await?;
        let documents = on_conn!(&mut conn.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>>>())?;
        let mut found = Vec::with_capacity(documents.len());
        for document in documents {
            let mut used = uses(&mut conn.conn(), site, document.id).await?;
            used.retain(|u| !u.binned);
            found.push((document, used));
        }
        Ok(found)
    }
}

impl WriteTx {
    /// Adds a file to the site's library (its bytes stored once, whichever
    /// site or item holds them already), with its first revision.
    pub async fn create_media(
        &mut self,
        site: SiteId,
        new: &NewMedia<'_>,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<Media> {
        let now_text = codec::timestamp(now);
        let size = i64::try_from(new.bytes.len()).unwrap_or(i64::MAX);
        let conn = &mut self.conn();
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO media_files (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(new.sha256)
        .bind(size)
        .bind(new.bytes)
        .bind(&now_text)
        .execute(&mut *c)
        .await
        .map(drop))?;
        let d = new.details;
        let check = new.check;
        let id: i64 = on_conn!(conn, c => sqlx::query_scalar(
            "INSERT INTO media (site_id, kind, sha256, mime, filename, size, width, height, title, alt,
                                decorative, caption, credit, focal_x, focal_y, tagged, language,
                                has_title, has_text, text, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
                     $19, $20, $21, $21) RETURNING id",
        )
        .bind(site.0)
        .bind(new.kind.as_str())
        .bind(new.sha256)
        .bind(new.mime)
        .bind(new.filename)
        .bind(size)
        .bind(new.width.map(i64::from))
        .bind(new.height.map(i64::from))
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
        .bind(new.text)
        .bind(&now_text)
        .fetch_one(&mut *c)
        .await)?;
        write_revision(conn, site, id, user, now).await?;
        self.changed(site, Change::Media { id });
        media_by_id(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Changes what is said about file `id`, if `expected_version` is still
    /// its newest ([`StoreError::Stale`] otherwise). Returns it as stored,
    /// and whether anything changed (saving the same details writes
    /// nothing).
    pub async fn update_media(
        &mut self,
        site: SiteId,
        id: i64,
        expected_version: Option<i64>,
        details: &MediaDetails,
        user: Option<i64>,
        now: Timestamp,
    ) -> Result<(Media, bool)> {
        let conn = &mut self.conn();
        let current = media_by_id(conn, site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(StoreError::Stale {
                expected,
                current: current.version,
            });
        }
        if &current.details == details {
            return Ok((current, false));
        }
        on_conn!(conn, c => sqlx::query(
            "UPDATE media SET title = $1, alt = $2, decorative = $3, caption = $4, credit = $5,
                    focal_x = $6, focal_y = $7, version = version + 1, updated_at = $8
             WHERE site_id = $9 AND id = $10",
        )
        .bind(&details.title)
        .bind(&details.alt)
        .bind(details.decorative)
        .bind(&details.caption)
        .bind(&details.credit)
        .bind(i64::from(details.focal.x))
        .bind(i64::from(details.focal.y))
        .bind(codec::timestamp(now))
        .bind(site.0)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(drop))?;
        write_revision(conn, site, id, user, now).await?;
        self.changed(site, Change::Media { id });
        // The logo is in every page's header.
        if self.is_logo(id).await? {
            self.changed(site, Change::Site);
        }
        let saved = media_by_id(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((saved, true))
    }

    /// The files of `ids` in the site's library, seen from inside this
    /// transaction (no second connection while it holds the write lock).
    pub async fn media_many(&mut self, site: SiteId, ids: &[i64]) -> Result<Vec<Media>> {
        many(&mut self.conn(), site, ids).await
    }

    /// The articles and pages that use file `id`, in their text or as
    /// their image, with their bodies, as this transaction sees them.
    pub async fn media_body_uses(&mut self, site: SiteId, id: i64) -> Result<Vec<BodyUse>> {
        body_uses(&mut self.conn(), site, Using::Media(id)).await
    }

    /// Deletes file `id` from the library, if no article or page uses it
    /// (binned ones too): [`StoreError::InUse`] names them otherwise. Its bytes go
    /// when no other item holds them.
    pub async fn delete_media(&mut self, site: SiteId, id: i64) -> Result<Media> {
        let conn = &mut self.conn();
        let media = media_by_id(conn, site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut used: Vec<String> = uses(conn, site, id)
            .await?
            .into_iter()
            .map(|u| {
                if u.binned {
                    format!("{} (i papirkurven)", u.title)
                } else {
                    u.title
                }
            })
            .collect();
        if self.is_logo(id).await? {
            used.insert(0, "Kommunens logo (Indstillinger)".to_string());
        }
        if !used.is_empty() {
            return Err(StoreError::InUse(used));
        }
        let conn = &mut self.conn();
        on_conn!(conn, c => sqlx::query("DELETE FROM media WHERE site_id = $1 AND id = $2")
            .bind(site.0)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        on_conn!(conn, c => sqlx::query(
            "DELETE FROM media_files WHERE sha256 = $1
             AND NOT EXISTS (SELECT 1 FROM media WHERE sha256 = $1)",
        )
        .bind(&media.sha256)
        .execute(&mut *c)
        .await
        .map(drop))?;
        self.changed(site, Change::Media { id });
        Ok(media)
    }
}

/// Stores file `id`'s details as they are now as a revision.
async fn write_revision(
    conn: &mut Conn<'_>,
    site: SiteId,
    id: i64,
    user: Option<i64>,
    now: Timestamp,
) -> Result<()> {
    on_conn!(conn, c => sqlx::query(
        "INSERT INTO media_revisions (site_id, media_id, version, user_id, created_at, title, alt,
                                      decorative, caption, credit, focal_x, focal_y)
         SELECT m.site_id, m.id, m.version, $3, $4, m.title, m.alt, m.decorative, m.caption,
                m.credit, m.focal_x, m.focal_y
         FROM media m WHERE m.id = $1 AND m.site_id = $2",
    )
    .bind(id)
    .bind(site.0)
    .bind(user)
    .bind(codec::timestamp(now))
    .execute(&mut *c)
    .await
    .map(drop))?;
    Ok(())
}
