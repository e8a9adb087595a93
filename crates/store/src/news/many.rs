//! Reading many articles whole at once, for feeds and the search index: one
//! query for their rows and one for their contact persons, whatever their
//! number.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::{NewsArticle, SiteId};

use super::{ARTICLE_COLUMNS, article_from_row, visibility};
use crate::owner::{Owner, contacts_of_many};
use crate::{Conn, Result, Store, codec};

/// Articles read by one query: one parameter each.
const CHUNK: usize = 1_000;

/// The articles `ids` of the site that are not in the bin, whole, in the
/// order of `ids` (those not found left out).
pub(super) async fn articles(
    conn: &mut Conn<'_>,
    site: SiteId,
    ids: &[i64],
) -> Result<Vec<NewsArticle>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<NewsArticle> = site_rows_by_id!(
            conn,
            site,
            chunk,
            |list| format!(
                "SELECT {ARTICLE_COLUMNS} FROM news n
                 WHERE n.site_id = $1 AND n.deleted_at IS NULL AND n.id IN ({list})"
            ),
            article_from_row
        )?;
        let owners: Vec<Owner> = rows.iter().map(|a| Owner::News(a.id)).collect();
        let mut contacts = contacts_of_many(conn, &owners).await?;
        let mut by_id: HashMap<i64, NewsArticle> = rows.into_iter().map(|a| (a.id, a)).collect();
        for id in chunk {
            if let Some(mut article) = by_id.remove(id) {
                article.contacts = contacts.remove(id).unwrap_or_default();
                article.content.contact_ids = article.contacts.iter().map(|c| c.id).collect();
                found.push(article);
            }
        }
    }
    Ok(found)
}

impl Store {
    /// The ids of every article visible to the public at `now`, in the
    /// order the lists show them (newest first).
    pub async fn public_news_ids(&self, site: SiteId, now: Timestamp) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT n.id FROM news n WHERE {}
             ORDER BY n.news_date DESC, n.publish_at DESC, n.id DESC",
            visibility::public()
        );
        Ok(
            on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(codec::timestamp(now))
                .fetch_all(pool)
                .await)?,
        )
    }

    /// The articles `ids` of the site that are not in the bin, whole (with
    /// their contact persons), in the order of `ids`; a few queries for
    /// each thousand.
    pub async fn news_by_ids(&self, site: SiteId, ids: &[i64]) -> Result<Vec<NewsArticle>> {
        let mut conn = self.pool_conn().await?;
        articles(&mut conn.conn(), site, ids).await
    }
}
