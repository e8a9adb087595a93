//! Where users may work ([`Access`]): `users.role` while `users.main_site`
//! is set, and a role on each subsite in `user_sites`.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::{Access, Role, SiteId};

use crate::{Conn, DbRow, Result, Store, StoreError, WriteTx, codec};

const ACCESS: &str = "SELECT u.id, u.role, u.main_site, s.site_id, s.role AS site_role
     FROM users u LEFT JOIN user_sites s ON s.user_id = u.id";

/// Folds rows of [`ACCESS`] into each user's access.
fn fold(rows: &[impl DbRow]) -> Result<HashMap<i64, Access>> {
    let role = |value: String, column| {
        Role::parse(&value).map_err(|e| StoreError::Corrupt {
            table: "users",
            column,
            detail: e.to_string(),
        })
    };
    let mut all: HashMap<i64, Access> = HashMap::new();
    for row in rows {
        let id: i64 = row.col("id")?;
        let access = match all.entry(id) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let main = match row.col::<bool>("main_site")? {
                    true => Some(role(row.col("role")?, "role")?),
                    false => None,
                };
                e.insert(Access {
                    main,
                    subsites: Vec::new(),
                })
            }
        };
        if let Some(site) = row.col::<Option<i64>>("site_id")? {
            let site_role = role(row.col("site_role")?, "user_sites.role")?;
            access.subsites.push((SiteId(site), site_role));
        }
    }
    for access in all.values_mut() {
        access.subsites.sort_by_key(|(site, _)| site.0);
    }
    Ok(all)
}

impl Store {
    /// Where `user_id` may work (nowhere for an unknown user).
    pub async fn access(&self, user_id: i64) -> Result<Access> {
        let sql = format!("{ACCESS} WHERE u.id = $1");
        let rows = on_pool!(self, pool => fold(
            &sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user_id).fetch_all(pool).await?
        ))?;
        Ok(rows.into_values().next().unwrap_or_default())
    }

    /// Every user's access, by user id.
    pub async fn all_access(&self) -> Result<HashMap<i64, Access>> {
        on_pool!(self, pool => fold(&sqlx::query(ACCESS).fetch_all(pool).await?))
    }
}

impl WriteTx {
    /// Replaces where `user_id` may work. A user without a role on the main
    /// site keeps their stored role (unused until they get one there).
    pub async fn set_access(
        &mut self,
        user_id: i64,
        access: &Access,
        now: Timestamp,
    ) -> Result<()> {
        let conn = &mut self.conn();
        on_conn!(conn, c => sqlx::query(
            "UPDATE users SET main_site = $1, role = COALESCE($2, role), updated_at = $3 WHERE id = $4",
        )
        .bind(access.main.is_some())
        .bind(access.main.map(Role::as_str))
        .bind(codec::timestamp(now))
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(drop))?;
        on_conn!(conn, c => sqlx::query("DELETE FROM user_sites WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *c)
            .await
            .map(drop))?;
        insert_subsites(conn, user_id, &access.subsites).await
    }
}

/// Gives `user_id` the roles of `subsites` (none of which they have yet).
pub(crate) async fn insert_subsites(
    conn: &mut Conn<'_>,
    user_id: i64,
    subsites: &[(SiteId, Role)],
) -> Result<()> {
    for (site, role) in subsites {
        on_conn!(conn, c => sqlx::query(
            "INSERT INTO user_sites (user_id, site_id, role) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(site.0)
        .bind(role.as_str())
        .execute(&mut *c)
        .await
        .map(drop))?;
    }
    Ok(())
}
