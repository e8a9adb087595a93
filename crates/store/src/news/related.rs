//! "Flere nyheder" under an article: other public articles sharing one of
//! its contact persons (news have no topics; the contact person is what
//! ties two articles to the same subject).

use jiff::Timestamp;
use raadhus_domain::{NewsSummary, SiteId};

use super::{SUMMARY_COLUMNS, summary_from_row, visibility};
use crate::{Result, Store, codec};

impl Store {
    /// Up to `limit` articles the public sees at `now` that share a contact
    /// person with article `id`, never `id` itself, newest news date first.
    pub async fn related_public_news(
        &self,
        site: SiteId,
        id: i64,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<NewsSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM news n WHERE {} AND n.id <> $3
             AND EXISTS (SELECT 1 FROM news_contacts mine JOIN news_contacts theirs
                         ON theirs.contact_id = mine.contact_id
                         WHERE mine.news_id = $3 AND theirs.news_id = n.id)
             ORDER BY n.news_date DESC, n.publish_at DESC, n.id DESC LIMIT $4",
            visibility::public()
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(codec::timestamp(now))
            .bind(id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
            .iter()
            .map(summary_from_row)
            .collect())
    }
}
