//! Best bets (see the domain's `best_bet` module): results editors pin for
//! a search phrase, found by the phrase's key.

use jiff::Timestamp;
use raadhus_domain::{BestBet, BestBetInput, SiteId};

use crate::{Change, Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

const COLUMNS: &str = "id, phrase, target, title, created_at";

/// Most best bets a site keeps: enough for any site's top searches, few
/// enough to list on one page.
pub const MAX_BEST_BETS: i64 = 1000;

fn from_row(row: &impl DbRow) -> Result<BestBet> {
    let created: String = row.col("created_at")?;
    Ok(BestBet {
        id: row.col("id")?,
        phrase: row.col("phrase")?,
        target: row.col("target")?,
        title: row.col("title")?,
        created_at: codec::read_timestamp("best_bets", "created_at", &created)?,
    })
}

async fn by_id(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Option<BestBet>> {
    let sql = format!("SELECT {COLUMNS} FROM best_bets WHERE site_id = $1 AND id = $2");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .map(|row| from_row(&row))
        .transpose())
}

impl Store {
    /// Every best bet of the site, by phrase, then in the order they were made.
    pub async fn best_bets(&self, site: SiteId) -> Result<Vec<BestBet>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM best_bets WHERE site_id = $1 ORDER BY phrase_key, id LIMIT $2"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(MAX_BEST_BETS)
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect())
    }

    /// The best bets for a search whose key (`best_bet::phrase_key`) is
    /// `key`, in the order they were made.
    pub async fn best_bets_for(&self, site: SiteId, key: &str) -> Result<Vec<BestBet>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM best_bets WHERE site_id = $1 AND phrase_key = $2 ORDER BY id"
        );
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(key)
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect())
    }

    /// One best bet of the site.
    pub async fn best_bet(&self, site: SiteId, id: i64) -> Result<Option<BestBet>> {
        by_id(&mut self.pool_conn().await?.conn(), site, id).await
    }
}

impl WriteTx {
    /// Stores a new best bet named `title`; the same target for the same
    /// phrase, or one more than [`MAX_BEST_BETS`]: [`StoreError::Conflict`].
    pub async fn insert_best_bet(
        &mut self,
        site: SiteId,
        input: &BestBetInput,
        title: &str,
        now: Timestamp,
    ) -> Result<BestBet> {
        let count: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "SELECT COUNT(*) FROM best_bets WHERE site_id = $1",
        )
        .bind(site.0)
        .fetch_one(&mut *c)
        .await)?;
        if count >= MAX_BEST_BETS {
            return Err(StoreError::Conflict(format!(
                "a site keeps at most {MAX_BEST_BETS} best bets"
            )));
        }
        let at = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO best_bets (site_id, phrase, phrase_key, target, title, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(site.0)
        .bind(&input.phrase)
        .bind(&input.key)
        .bind(&input.target)
        .bind(title)
        .bind(&at)
        .fetch_one(&mut *c)
        .await)
        .map_err(|e| match e.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Conflict(format!(
                "{} is a best bet for »{}« already",
                input.target, input.phrase
            )),
            _ => e.into(),
        })?;
        self.changed(site, Change::BestBets);
        Ok(BestBet {
            id,
            phrase: input.phrase.clone(),
            target: input.target.clone(),
            title: title.to_string(),
            created_at: now,
        })
    }

    /// Deletes best bet `id`; returns what was deleted.
    pub async fn delete_best_bet(&mut self, site: SiteId, id: i64) -> Result<BestBet> {
        let found = by_id(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM best_bets WHERE site_id = $1 AND id = $2")
            .bind(site.0)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        self.changed(site, Change::BestBets);
        Ok(found)
    }
}
