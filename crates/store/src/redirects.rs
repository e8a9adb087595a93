//! Redirects made by editors (see the domain's `redirect` module). Stored
//! collapsed: no target's path is another redirect's `from` (the use cases
//! keep it so), so every redirect is one hop.

use jiff::Timestamp;
use raadhus_domain::redirect::target_path;
use raadhus_domain::{Redirect, RedirectInput, SiteId};

use crate::news::Page;
use crate::{Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

const COLUMNS: &str = "id, from_path, to_target, permanent, created_at";

fn from_row(row: &impl DbRow) -> Result<Redirect> {
    let created: String = row.col("created_at")?;
    Ok(Redirect {
        id: row.col("id")?,
        from: row.col("from_path")?,
        to: row.col("to_target")?,
        permanent: row.col("permanent")?,
        created_at: codec::read_timestamp("redirects", "created_at", &created)?,
    })
}

async fn by_id(conn: &mut Conn<'_>, site: SiteId, id: i64) -> Result<Option<Redirect>> {
    let sql = format!("SELECT {COLUMNS} FROM redirects WHERE site_id = $1 AND id = $2");
    on_conn!(conn, c => sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site.0)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?
        .map(|row| from_row(&row))
        .transpose())
}

impl Store {
    /// Where the (canonical) `path` redirects to, and whether permanently.
    pub async fn redirect_target(
        &self,
        site: SiteId,
        path: &str,
    ) -> Result<Option<(String, bool)>> {
        let row: Option<(String, bool)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT to_target, permanent FROM redirects WHERE site_id = $1 AND from_path = $2",
        )
        .bind(site.0)
        .bind(path)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// One page of the site's redirects whose `from` or `to` holds `search`
    /// (any case; blank: all), newest first, and how many there are in all.
    pub async fn redirects(
        &self,
        site: SiteId,
        search: &str,
        page: Page,
    ) -> Result<(Vec<Redirect>, u64)> {
        let words = search.trim();
        let like = codec::contains_pattern(words);
        let condition = "site_id = $1 AND ($2 = '' OR lower(from_path) LIKE lower($3) ESCAPE '\\'
                          OR lower(to_target) LIKE lower($3) ESCAPE '\\')";
        let list = format!(
            "SELECT {COLUMNS} FROM redirects WHERE {condition} ORDER BY id DESC LIMIT $4 OFFSET $5"
        );
        let items = on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(list))
            .bind(site.0)
            .bind(words)
            .bind(&like)
            .bind(i64::from(page.size))
            .bind(page.offset())
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>>>())?;
        let count = format!("SELECT COUNT(*) FROM redirects WHERE {condition}");
        let total: i64 = on_pool!(self, pool => sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .bind(site.0)
            .bind(words)
            .bind(&like)
            .fetch_one(pool)
            .await)?;
        Ok((items, u64::try_from(total).unwrap_or_default()))
    }

    /// One redirect of the site.
    pub async fn redirect(&self, site: SiteId, id: i64) -> Result<Option<Redirect>> {
        by_id(&mut self.pool_conn().await?.conn(), site, id).await
    }
}

impl WriteTx {
    /// The redirect from the (canonical) `path`, if there is one.
    pub async fn redirect_from(&mut self, site: SiteId, path: &str) -> Result<Option<Redirect>> {
        let sql = format!("SELECT {COLUMNS} FROM redirects WHERE site_id = $1 AND from_path = $2");
        on_conn!(&mut self.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(path)
            .fetch_optional(&mut *c)
            .await?
            .map(|row| from_row(&row))
            .transpose())
    }

    /// The redirects whose target is the (canonical) `path` of this site.
    pub async fn redirects_to(&mut self, site: SiteId, path: &str) -> Result<Vec<Redirect>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM redirects WHERE site_id = $1 AND to_path = $2 ORDER BY id"
        );
        on_conn!(&mut self.conn(), c => sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(site.0)
            .bind(path)
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(from_row)
            .collect())
    }

    /// Stores a new redirect; one from the same path exists:
    /// [`StoreError::Conflict`].
    pub async fn insert_redirect(
        &mut self,
        site: SiteId,
        input: &RedirectInput,
        now: Timestamp,
    ) -> Result<Redirect> {
        let at = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO redirects (site_id, from_path, to_target, to_path, permanent, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(site.0)
        .bind(&input.from)
        .bind(&input.to)
        .bind(input.to_path())
        .bind(input.permanent)
        .bind(&at)
        .fetch_one(&mut *c)
        .await)
        .map_err(|e| match e.as_database_error() {
            Some(db) if db.is_unique_violation() => {
                StoreError::Conflict(format!("a redirect from {} exists", input.from))
            }
            _ => e.into(),
        })?;
        Ok(Redirect {
            id,
            from: input.from.clone(),
            to: input.to.clone(),
            permanent: input.permanent,
            created_at: now,
        })
    }

    /// Points redirect `id` at `to` instead.
    pub async fn retarget_redirect(
        &mut self,
        site: SiteId,
        id: i64,
        to: &str,
        now: Timestamp,
    ) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE redirects SET to_target = $1, to_path = $2, updated_at = $3
             WHERE site_id = $4 AND id = $5",
        )
        .bind(to)
        .bind(target_path(to))
        .bind(codec::timestamp(now))
        .bind(site.0)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(drop))?;
        Ok(())
    }

    /// Deletes redirect `id`; returns what was deleted.
    pub async fn delete_redirect(&mut self, site: SiteId, id: i64) -> Result<Redirect> {
        let found = by_id(&mut self.conn(), site, id)
            .await?
            .ok_or(StoreError::NotFound)?;
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM redirects WHERE site_id = $1 AND id = $2")
            .bind(site.0)
            .bind(id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        Ok(found)
    }
}
