//! Articles whose stored HTML is missing or stale, and storing it: for the
//! binary's background pass that renders them after an upgrade.

use raadhus_domain::markup::{self, BodyHtml};

use crate::{DbRow, Result, SiteId, Store, WriteTx};

/// An article whose stored HTML is not of its version or not by this
/// renderer ([`markup::RENDER_VERSION`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unrendered {
    pub id: i64,
    pub site: SiteId,
    pub version: i64,
    /// The CommonMark source of that version.
    pub body: String,
}

impl Store {
    /// Up to `limit` articles of any site (the bin's too: they can be taken
    /// out) whose HTML is missing or stale, with ids above `after`, by id.
    pub async fn unrendered_news(&self, after: i64, limit: u32) -> Result<Vec<Unrendered>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT id, site_id, version, body FROM news
             WHERE id > $1 AND (body_html IS NULL OR body_html_version <> version
                                OR body_html_renderer <> $2)
             ORDER BY id LIMIT $3",
        )
        .bind(after)
        .bind(markup::RENDER_VERSION)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(Unrendered {
                id: row.col("id")?,
                site: SiteId(row.col("site_id")?),
                version: row.col("version")?,
                body: row.col("body")?,
            })
        })
        .collect())
    }
}

impl WriteTx {
    /// Stores `html` as the rendered body of article `id` at `version`, if
    /// that is still its version (a save meanwhile stored its own). What the
    /// public sees does not change: a page without stored HTML renders the
    /// same. Returns whether it was stored.
    pub async fn store_body_html(
        &mut self,
        id: i64,
        version: i64,
        html: &BodyHtml,
    ) -> Result<bool> {
        let stored = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE news SET body_html = $1, body_html_version = version, body_html_renderer = $2
             WHERE id = $3 AND version = $4",
        )
        .bind(html.as_str())
        .bind(markup::RENDER_VERSION)
        .bind(id)
        .bind(version)
        .execute(&mut *c)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(stored == 1)
    }
}
