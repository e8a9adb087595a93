//! The files the public sees with the news: the lead images of a page of
//! summaries (in one query), and the documents that public articles link
//! (for search).

use jiff::Timestamp;
use raadhus_domain::{Media, NewsSummary, SiteId};

use super::visibility;
use crate::{DbRow, Result, Store, codec, media};

/// A document linked from at least one article the public sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicDocument {
    pub media: Media,
    /// Its text, for search (empty when it has none).
    pub text: String,
    /// The public articles linking it (id and title), newest first.
    pub used_by: Vec<(i64, String)>,
}

impl Store {
    /// The lead images of `news` that are in the site's library, in one
    /// query, in no set order.
    pub async fn lead_images(&self, site: SiteId, news: &[NewsSummary]) -> Result<Vec<Media>> {
        let mut ids: Vec<i64> = news.iter().filter_map(|n| n.image_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM media m WHERE m.site_id = $1 AND m.kind = 'image' {}",
            media::COLUMNS,
            codec::among("m.id", &ids)
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(media::from_row)
            .collect())
    }

    /// The ids of the files article `news_id` uses (lead image and body).
    pub async fn media_of_news(&self, site: SiteId, news_id: i64) -> Result<Vec<i64>> {
        on_pool!(self, pool => Ok(sqlx::query_scalar(
            "SELECT media_id FROM media_uses WHERE site_id = $1 AND news_id = $2 ORDER BY media_id",
        )
        .bind(site.0)
        .bind(news_id)
        .fetch_all(pool)
        .await?))
    }

    /// The documents linked by articles the public sees at `now`, by id,
    /// with their text and those articles' titles; only those of `only`
    /// when given.
    pub async fn public_documents(
        &self,
        site: SiteId,
        now: Timestamp,
        only: Option<&[i64]>,
    ) -> Result<Vec<PublicDocument>> {
        let restrict = match only {
            Some([]) => return Ok(Vec::new()),
            Some(ids) => codec::among("m.id", ids),
            None => String::new(),
        };
        let public = visibility::public();
        let sql = format!(
            "SELECT {}, m.text FROM media m WHERE m.site_id = $1 AND m.kind = 'document' {restrict}
             AND EXISTS (SELECT 1 FROM media_uses u JOIN news n ON n.id = u.news_id
                         WHERE u.media_id = m.id AND {public})
             ORDER BY m.id",
            media::COLUMNS
        );
        let users = format!(
            "SELECT m.id AS media_id, n.id AS news_id, n.title FROM media_uses u
             JOIN news n ON n.id = u.news_id JOIN media m ON m.id = u.media_id
             WHERE {public} AND m.kind = 'document' {restrict}
             ORDER BY n.news_date DESC, n.id DESC"
        );
        let now = codec::timestamp(now);
        let (documents, users) = on_pool!(self, pool => {
            let documents = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(&now)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| {
                    Ok(PublicDocument {
                        media: media::from_row(row)?,
                        text: row.col::<Option<String>>("text")?.unwrap_or_default(),
                        used_by: Vec::new(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let users = sqlx::query(sqlx::AssertSqlSafe(users))
                .bind(site.0)
                .bind(&now)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| {
                    Ok((
                        row.col::<i64>("media_id")?,
                        (row.col::<i64>("news_id")?, row.col::<String>("title")?),
                    ))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok::<_, crate::StoreError>((documents, users))
        })?;
        let mut documents = documents;
        for document in &mut documents {
            document.used_by = users
                .iter()
                .filter(|(id, _)| *id == document.media.id)
                .map(|(_, used)| used.clone())
                .collect();
        }
        Ok(documents)
    }
}
