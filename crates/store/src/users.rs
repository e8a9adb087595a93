//! Users, sessions, API tokens, sign-in throttling and the audit log.

use crate::{Conn, DbRow, Result, Store, StoreError, WriteTx, codec};
use jiff::Timestamp;
use raadhus_domain::{ApiToken, AuditEntry, Email, Role, SiteId, User, UserInput};

const USER_COLUMNS: &str = "u.id, u.email, u.name, u.role, u.disabled_at";

fn user_from_row(row: &impl DbRow) -> Result<User> {
    let email: String = row.col("email")?;
    let role: String = row.col("role")?;
    let corrupt = |column, detail: String| StoreError::Corrupt {
        table: "users",
        column,
        detail,
    };
    Ok(User {
        id: row.col("id")?,
        email: Email::parse(&email).map_err(|e| corrupt("email", e.to_string()))?,
        name: row.col("name")?,
        role: Role::parse(&role).map_err(|e| corrupt("role", e.to_string()))?,
        disabled: row.col::<Option<String>>("disabled_at")?.is_some(),
    })
}

/// Writes one line of the audit log, inside the transaction of the change
/// it records, so that a change and its line are stored together or not at
/// all. The only place lines are written.
pub(crate) async fn insert_audit(
    conn: &mut Conn<'_>,
    id: Option<i64>,
    record: &Audit<'_>,
    at: Timestamp,
) -> Result<()> {
    let Audit {
        site,
        user_id,
        action,
        entity,
        entity_id,
        summary,
    } = *record;
    // A new line gets the next id; an imported one keeps its own.
    let sql = match id {
        None => {
            "INSERT INTO audit_log (site_id, user_id, at, action, entity, entity_id, summary)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        }
        Some(_) => {
            "INSERT INTO audit_log (site_id, user_id, at, action, entity, entity_id, summary, id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        }
    };
    on_conn!(conn, c => {
        let query = sqlx::query(sql)
            .bind(site.map(|s| s.0))
            .bind(user_id)
            .bind(codec::timestamp(at))
            .bind(action)
            .bind(entity)
            .bind(entity_id)
            .bind(summary);
        match id {
            Some(id) => query.bind(id),
            None => query,
        }
        .execute(&mut *c)
        .await
        .map(drop)
    })?;
    Ok(())
}

/// One thing done, for the audit log.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    pub site: Option<SiteId>,
    pub user_id: Option<i64>,
    /// "create", "update", "delete", "restore", "publish", "sign-in", …
    pub action: &'a str,
    /// "news", "contact", "topic", "website", "user", "token"
    pub entity: &'a str,
    pub entity_id: Option<i64>,
    pub summary: &'a str,
}

/// A signed-in session: whose it is and its CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl Store {
    /// The user with this e-mail address (any case) and the stored password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>> {
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.email) = lower($1)"
        )))
        .bind(email.trim())
        .fetch_optional(pool)
        .await?
        .map(|row| Ok((user_from_row(&row)?, row.col("password_hash")?)))
        .transpose())
    }

    /// One user, by id.
    pub async fn user(&self, id: i64) -> Result<Option<User>> {
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        )))
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose())
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY lower(u.email)"
        )))
        .fetch_all(pool)
        .await?
        .iter()
        .map(user_from_row)
        .collect())
    }

    /// The live session with this token digest: not expired, user not disabled.
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s
             JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL"
        )))
        .bind(token_hash)
        .bind(codec::timestamp(now))
        .fetch_optional(pool)
        .await?
        .map(|row| {
            Ok(Session {
                user: user_from_row(&row)?,
                csrf_token: row.col("csrf_token")?,
                expires_at: codec::read_timestamp("sessions", "expires_at", row.col("expires_at")?)?,
            })
        })
        .transpose())
    }

    /// Removes expired sessions and old sign-in failures.
    pub async fn prune_sessions(&self, now: Timestamp, failures_before: Timestamp) -> Result<()> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(codec::timestamp(now))
            .execute(pool)
            .await.map(drop))?;
        on_pool!(self, pool => sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
            .bind(codec::timestamp(failures_before))
            .execute(pool)
            .await.map(drop))?;
        Ok(())
    }

    /// The active user whose unused, unexpired password reset link has this
    /// token digest.
    pub async fn password_reset_user(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<User>> {
        on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM password_resets r JOIN users u ON u.id = r.user_id
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2
               AND u.disabled_at IS NULL"
        )))
        .bind(token_hash)
        .bind(codec::timestamp(now))
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose())
    }

    /// All API tokens, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT t.id, t.user_id, u.email, t.name, t.created_at, t.last_used_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ApiToken {
                id: row.col("id")?,
                user_id: row.col("user_id")?,
                user_email: row.col("email")?,
                name: row.col("name")?,
                created_at: codec::read_timestamp("api_tokens", "created_at", row.col("created_at")?)?,
                last_used_at: codec::read_optional_timestamp(
                    row.col("last_used_at")?,
                    "api_tokens",
                    "last_used_at",
                )?,
                revoked: row.col::<Option<&str>>("revoked_at")?.is_some(),
            })
        })
        .collect())
    }

    /// The user a live API token acts as; records its use (unless the disk
    /// is full).
    pub async fn api_token_user(&self, token_hash: &str, now: Timestamp) -> Result<Option<User>> {
        let found = on_pool!(self, pool => sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        )))
        .bind(token_hash)
        .fetch_optional(pool)
        .await?
        .map(|row| Ok::<_, StoreError>((user_from_row(&row)?, row.col::<i64>("token_id")?)))
        .transpose())?;
        let Some((user, token_id)) = found else {
            return Ok(None);
        };
        let used = on_pool!(self, pool => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(codec::timestamp(now))
            .bind(token_id)
            .execute(pool)
            .await.map(drop));
        match used.map_err(StoreError::from) {
            Ok(()) => {}
            // A full disk stops changes, not reading: the token still works.
            Err(StoreError::DiskFull(e)) => {
                tracing::warn!(error = %e, "API token use not recorded: the disk is full");
            }
            Err(e) => return Err(e),
        }
        Ok(Some(user))
    }

    /// The latest `limit` audit entries, newest first.
    pub async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        self.audit_lines(None, limit).await
    }

    /// The latest `limit` audit entries about `site`, newest first.
    pub async fn site_audit_log(&self, site: SiteId, limit: u32) -> Result<Vec<AuditEntry>> {
        self.audit_lines(Some(site), limit).await
    }

    async fn audit_lines(&self, site: Option<SiteId>, limit: u32) -> Result<Vec<AuditEntry>> {
        on_pool!(self, pool => sqlx::query(
            "SELECT a.at, u.name, a.action, a.entity, a.entity_id, a.summary,
                    CASE a.entity
                      WHEN 'news' THEN EXISTS (SELECT 1 FROM news x WHERE x.id = a.entity_id AND x.deleted_at IS NULL)
                      WHEN 'contact' THEN EXISTS (SELECT 1 FROM contacts x WHERE x.id = a.entity_id)
                      WHEN 'topic' THEN EXISTS (SELECT 1 FROM topics x WHERE x.id = a.entity_id)
                      WHEN 'website' THEN EXISTS (SELECT 1 FROM websites x WHERE x.id = a.entity_id)
                      WHEN 'user' THEN EXISTS (SELECT 1 FROM users x WHERE x.id = a.entity_id)
                      WHEN 'media' THEN EXISTS (SELECT 1 FROM media x WHERE x.id = a.entity_id)
                      WHEN 'redirect' THEN EXISTS (SELECT 1 FROM redirects x WHERE x.id = a.entity_id)
                      WHEN 'page' THEN EXISTS (SELECT 1 FROM pages x WHERE x.id = a.entity_id AND x.deleted_at IS NULL)
                      ELSE FALSE
                    END AS present
             FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
             WHERE $2 IS NULL OR a.site_id = $2
             ORDER BY a.at DESC, a.id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .bind(site.map(|s| s.0))
        .fetch_all(pool)
        .await?
        .iter()
            .map(|row| {
                Ok(AuditEntry {
                    at: codec::read_timestamp("audit_log", "at", row.col("at")?)?,
                    user_name: row.col("name")?,
                    action: row.col("action")?,
                    entity: row.col("entity")?,
                    entity_id: row.col("entity_id")?,
                    summary: row.col("summary")?,
                    exists: row.col("present")?,
                })
            })
            .collect())
    }
}

impl WriteTx {
    /// Creates a user; an e-mail address already in use (any case) is a conflict.
    pub async fn create_user(
        &mut self,
        input: &UserInput,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<User> {
        let now = codec::timestamp(now);
        let id: i64 = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(input.email.as_str())
        .bind(&input.name)
        .bind(input.role.as_str())
        .bind(password_hash)
        .bind(&now)
        .fetch_one(&mut *c)
        .await)
        .map_err(|e| match e.as_database_error() {
            Some(db) if db.is_unique_violation() => {
                StoreError::Conflict(format!("a user with e-mail {} exists", input.email))
            }
            _ => e.into(),
        })?;
        Ok(User {
            id,
            email: input.email.clone(),
            name: input.name.clone(),
            role: input.role,
            disabled: false,
        })
    }

    /// Sets a new password and ends the user's sessions; with
    /// `revoke_tokens`, their API tokens stop working too.
    pub async fn set_password(
        &mut self,
        user_id: i64,
        password_hash: &str,
        revoke_tokens: bool,
        now: Timestamp,
    ) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(codec::timestamp(now))
            .bind(user_id)
            .execute(&mut *c)
            .await.map(drop))?;
        self.end_sessions(user_id).await?;
        if revoke_tokens {
            self.revoke_user_tokens(user_id, &codec::timestamp(now))
                .await?;
        }
        Ok(())
    }

    /// Disables a user: sessions end and API tokens are revoked at once.
    pub async fn disable_user(&mut self, user_id: i64, now: Timestamp) -> Result<()> {
        let now = codec::timestamp(now);
        on_conn!(&mut self.conn(), c => sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1), updated_at = $1 WHERE id = $2")
            .bind(&now)
            .bind(user_id)
            .execute(&mut *c)
            .await.map(drop))?;
        self.end_sessions(user_id).await?;
        self.revoke_user_tokens(user_id, &now).await
    }

    /// Lifts a user's block: they can sign in again. Their API tokens stay
    /// revoked (blocking revoked them; new ones are made if needed).
    pub async fn enable_user(&mut self, user_id: i64, now: Timestamp) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("UPDATE users SET disabled_at = NULL, updated_at = $1 WHERE id = $2")
            .bind(codec::timestamp(now))
            .bind(user_id)
            .execute(&mut *c)
            .await.map(drop))?;
        Ok(())
    }

    /// Stores a password reset link's token digest for the user, valid
    /// until `expires_at`; the user's earlier links stop working.
    pub async fn create_password_reset(
        &mut self,
        user_id: i64,
        token_hash: &str,
        created_by: Option<i64>,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *c)
            .await.map(drop))?;
        on_conn!(&mut self.conn(), c => sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(created_by)
        .bind(codec::timestamp(now))
        .bind(codec::timestamp(expires_at))
        .execute(&mut *c)
        .await.map(drop))?;
        Ok(())
    }

    /// Uses up the password reset link with this token digest: the id of
    /// its user, if the link is unused and not expired at `now`. Once taken
    /// it never works again.
    pub async fn take_password_reset(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<i64>> {
        let now = codec::timestamp(now);
        Ok(on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(&now)
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await)?)
    }

    /// Revokes every API token acting as the user (stored time `now`).
    async fn revoke_user_tokens(&mut self, user_id: i64, now: &str) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE user_id = $2",
        )
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await.map(drop))?;
        Ok(())
    }

    /// Ends every session of the user.
    async fn end_sessions(&mut self, user_id: i64) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *c)
            .await.map(drop))?;
        Ok(())
    }

    pub async fn create_session(
        &mut self,
        user_id: i64,
        token_hash: &str,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(codec::timestamp(now))
        .bind(codec::timestamp(expires_at))
        .execute(&mut *c)
        .await.map(drop))?;
        Ok(())
    }

    pub async fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *c)
            .await.map(drop))?;
        Ok(())
    }

    pub async fn create_api_token(
        &mut self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<i64> {
        Ok(on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(codec::timestamp(now))
        .fetch_one(&mut *c)
        .await)?)
    }

    /// Revokes a token; `false` if there is no such live token.
    pub async fn revoke_api_token(&mut self, id: i64, now: Timestamp) -> Result<bool> {
        let done = on_conn!(&mut self.conn(), c => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(codec::timestamp(now))
        .bind(id)
        .execute(&mut *c)
        .await.map(|d| d.rows_affected()))?;
        Ok(done == 1)
    }

    /// How many failures `subject` had since `since`, and the latest one.
    pub async fn login_failures(
        &mut self,
        subject: &str,
        since: Timestamp,
    ) -> Result<(i64, Option<Timestamp>)> {
        let (count, latest): (i64, Option<String>) = on_conn!(&mut self.conn(), c => sqlx::query_as(
            "SELECT COUNT(*), MAX(failed_at) FROM login_failures WHERE subject = $1 AND failed_at >= $2",
        )
        .bind(subject)
        .bind(codec::timestamp(since))
        .fetch_one(&mut *c)
        .await)?;
        let latest =
            codec::read_optional_timestamp(latest.as_deref(), "login_failures", "failed_at")?;
        Ok((count, latest))
    }

    /// Counts a sign-in attempt for `subject` as failed, until it is
    /// forgotten: an attempt is recorded before its password is checked, so
    /// that however many arrive at once, no more are checked than the limit.
    /// Returns the record's id.
    pub async fn record_login_failure(&mut self, subject: &str, now: Timestamp) -> Result<i64> {
        Ok(on_conn!(&mut self.conn(), c => sqlx::query_scalar(
            "INSERT INTO login_failures (subject, failed_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(subject)
        .bind(codec::timestamp(now))
        .fetch_one(&mut *c)
        .await)?)
    }

    /// Forgets one recorded attempt (it did not fail after all).
    pub async fn forget_login_failure(&mut self, id: i64) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(&mut *c)
            .await.map(drop))?;
        Ok(())
    }

    pub async fn clear_login_failures(&mut self, subject: &str) -> Result<()> {
        on_conn!(&mut self.conn(), c => sqlx::query("DELETE FROM login_failures WHERE subject = $1")
            .bind(subject)
            .execute(&mut *c)
            .await.map(drop))?;
        Ok(())
    }

    /// Writes one line of the audit log in this transaction.
    pub async fn audit(&mut self, record: &Audit<'_>, now: Timestamp) -> Result<()> {
        insert_audit(&mut self.conn(), None, record, now).await
    }
}
