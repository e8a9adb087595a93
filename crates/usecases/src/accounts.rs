//! Users, API tokens and signing in and out.

use jiff::{SignedDuration, Timestamp};
use raadhus_domain::audit;
use raadhus_domain::secret::{
    hash_password, random_token, token_digest, verify_nothing, verify_password,
};
use raadhus_domain::throttle::{PER_ACCOUNT, PER_ADDRESS, Rule};
use raadhus_domain::{Access, Role, SiteId, TokenName, User, UserInput};
use raadhus_store::StoreError;

use crate::{Actor, Error, Result, UseCases};

/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// How long a password reset link works.
pub const RESET_LINK_HOURS: i64 = 24;

/// Longest text taken for an e-mail address at sign-in (RFC 5321's limit).
const MAX_EMAIL_CHARS: usize = 254;

/// A session begun by signing in: its token (for the cookie; only its digest
/// is stored) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub user: User,
    pub token: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// Runs slow work (argon2) off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Internal(format!("a worker thread failed: {e}")))
}

fn token() -> Result<String> {
    random_token().map_err(|e| Error::Internal(e.to_string()))
}

/// The password's argon2 hash, or the password rule it breaks.
async fn hash(password: &str) -> Result<String> {
    let password = password.to_string();
    blocking(move || hash_password(&password))
        .await?
        .map_err(|e| Error::field("password", e.to_string()))
}

impl UseCases {
    /// Signs a user in from `address`. The attempt is counted against the
    /// account and the address before the password is checked, in one
    /// transaction that first looks whether either is locked: however many
    /// attempts arrive at once, on however many nodes, no more passwords are
    /// checked in a window than the limits allow. A successful attempt is
    /// then forgotten (and the account's failures with it).
    pub async fn sign_in(&self, email: &str, password: &str, address: &str) -> Result<NewSession> {
        let now = self.now();
        let email = email.trim();
        // Text that cannot be an e-mail address (or stored) names no account.
        let plausible = email.chars().count() <= MAX_EMAIL_CHARS
            && !email
                .chars()
                .any(raadhus_domain::validation::forbidden_char);
        let account = plausible.then(|| format!("user:{}", email.to_lowercase()));
        let from = format!("ip:{address}");
        let subjects: Vec<(&str, Rule)> = account
            .iter()
            .map(|a| (a.as_str(), PER_ACCOUNT))
            .chain([(from.as_str(), PER_ADDRESS)])
            .collect();
        let mut tx = self.store.write().await?;
        for &(subject, rule) in &subjects {
            let (failures, latest) = tx.login_failures(subject, rule.window_start(now)).await?;
            if let Some(until) = rule.locked_until(failures, latest, now) {
                tracing::warn!(%subject, "sign-in locked");
                return Err(Error::Locked(until));
            }
        }
        let mut attempts = Vec::with_capacity(subjects.len());
        for &(subject, _) in &subjects {
            attempts.push(tx.record_login_failure(subject, now).await?);
        }
        tx.commit().await?;
        let found = match plausible {
            true => self.store.user_by_email(email).await?,
            false => None,
        };
        let password = password.to_string();
        let verified = blocking(move || match found {
            Some((user, hash)) => verify_password(&password, &hash).then_some(user),
            None => {
                verify_nothing(&password);
                None
            }
        })
        .await?;
        let Some(user) = verified else {
            tracing::info!(email = %email.escape_debug(), ip = %address, "sign-in failed");
            return Err(Error::WrongCredentials);
        };
        let mut tx = self.store.write().await?;
        for id in attempts {
            tx.forget_login_failure(id).await?;
        }
        if user.disabled {
            tx.commit().await?;
            return Err(Error::Disabled);
        }
        if let Some(account) = &account {
            tx.clear_login_failures(account).await?;
        }
        // A new session token every time: a token planted before sign-in is worthless.
        let (token, csrf_token) = (token()?, token()?);
        let expires_at = now
            .checked_add(SignedDuration::from_hours(SESSION_HOURS))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let summary = audit::signed_in(address);
        tx.create_session(user.id, &token_digest(&token), &csrf_token, now, expires_at)
            .await?;
        let line = Actor::editor(user.id).audit(None, "sign-in", "user", user.id, &summary);
        tx.audit(&line, now).await?;
        tx.commit().await?;
        Ok(NewSession {
            user,
            token,
            csrf_token,
            expires_at,
        })
    }

    /// Ends the session with this token digest.
    pub async fn sign_out(&self, session_digest: &str) -> Result<()> {
        let mut tx = self.store.write().await?;
        tx.delete_session(session_digest).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a user with a password, with their role on the main site, or
    /// on each of `subsites` (and none on the main site) when some are
    /// given. An e-mail address in use (any case) is [`Error::EmailTaken`];
    /// a password breaking the rules an error on `password`.
    pub async fn create_user(
        &self,
        by: &Actor,
        input: &UserInput,
        password: &str,
        subsites: &[SiteId],
    ) -> Result<User> {
        let hash = hash(password).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let user = match tx.create_user(input, &hash, now).await {
            Err(StoreError::Conflict(_)) => return Err(Error::EmailTaken(input.email.to_string())),
            other => other?,
        };
        let summary = by.summary(audit::user_created(user.email.as_str()));
        tx.audit(&by.audit(None, "create", "user", user.id, &summary), now)
            .await?;
        if !subsites.is_empty() {
            let access = Access::subsites(input.role, subsites.iter().copied());
            self.grant(&mut tx, by, &user, &access).await?;
        }
        tx.commit().await?;
        Ok(user)
    }

    /// Gives a user a new password; their sessions end. Their API tokens keep
    /// working (they serve other systems, which a new password does not
    /// concern) unless `revoke_tokens`: when the password may have leaked,
    /// a token made with it may have too.
    pub async fn set_password(
        &self,
        by: &Actor,
        user_id: i64,
        password: &str,
        revoke_tokens: bool,
    ) -> Result<User> {
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        let hash = hash(password).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        tx.set_password(user.id, &hash, revoke_tokens, now).await?;
        let summary = by.summary(audit::password_changed(user.email.as_str(), revoke_tokens));
        tx.audit(&by.audit(None, "update", "user", user.id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Disables a user: their sessions end and their API tokens stop working
    /// at once. Nobody disables their own account.
    pub async fn disable_user(&self, by: &Actor, user_id: i64) -> Result<User> {
        if by.user_id == Some(user_id) {
            return Err(Error::OwnAccount);
        }
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        tx.disable_user(user.id, now).await?;
        let summary = by.summary(audit::user_disabled(user.email.as_str()));
        tx.audit(&by.audit(None, "disable", "user", user.id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Lifts the block on a user: they can sign in again (their revoked API
    /// tokens stay revoked).
    pub async fn enable_user(&self, by: &Actor, user_id: i64) -> Result<User> {
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        tx.enable_user(user.id, now).await?;
        let summary = by.summary(audit::user_enabled(user.email.as_str()));
        tx.audit(&by.audit(None, "enable", "user", user.id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(User {
            disabled: false,
            ..user
        })
    }

    /// Gives a user another role on the main site (and so access to it).
    /// Nobody changes their own role: an administrator could otherwise
    /// leave the site with none.
    pub async fn set_role(&self, by: &Actor, user_id: i64, role: Role) -> Result<User> {
        if by.user_id == Some(user_id) {
            return Err(Error::OwnAccount);
        }
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        let access = self.store.access(user_id).await?;
        if access.main == Some(role) {
            return Ok(user);
        }
        let now = self.now();
        let mut tx = self.store.write().await?;
        let access = Access {
            main: Some(role),
            ..access
        };
        tx.set_access(user.id, &access, now).await?;
        let summary = by.summary(audit::role_set(user.email.as_str(), role.as_str()));
        tx.audit(&by.audit(None, "role", "user", user.id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(User { role, ..user })
    }

    /// Makes a one-time link for an active user to choose a new password:
    /// returns its token (stored only as a digest, so this is the one time it
    /// can be shown) and when it stops working. The user's earlier links stop
    /// working at once.
    pub async fn create_reset_link(&self, by: &Actor, user_id: i64) -> Result<(String, Timestamp)> {
        let user = self.store.user(user_id).await?.ok_or(Error::NotFound)?;
        if user.disabled {
            return Err(Error::Disabled);
        }
        let token = token()?;
        let now = self.now();
        let expires_at = now
            .checked_add(SignedDuration::from_hours(RESET_LINK_HOURS))
            .map_err(|e| Error::Internal(e.to_string()))?;
        let mut tx = self.store.write().await?;
        tx.create_password_reset(user.id, &token_digest(&token), by.user_id, now, expires_at)
            .await?;
        let summary = by.summary(audit::reset_link_made(user.email.as_str()));
        tx.audit(
            &by.audit(None, "reset-link", "user", user.id, &summary),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok((token, expires_at))
    }

    /// Sets the password of the user whose reset link has `token`, and uses
    /// the link up; the user's sessions end, as with any new password. A
    /// link that is unknown, used, expired or replaced is
    /// [`Error::NotFound`]; a password breaking the rules an error on
    /// `password` (and the link still works).
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<User> {
        let digest = token_digest(token);
        let user = self
            .store
            .password_reset_user(&digest, self.now())
            .await?
            .ok_or(Error::NotFound)?;
        let hash = hash(password).await?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        // Taken in the transaction: of two uses at once, one finds it used.
        if tx.take_password_reset(&digest, now).await? != Some(user.id) {
            return Err(Error::NotFound);
        }
        tx.set_password(user.id, &hash, false, now).await?;
        let summary = audit::password_reset(user.email.as_str());
        let line = Actor::editor(user.id).audit(None, "reset-password", "user", user.id, &summary);
        tx.audit(&line, now).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Creates an API token acting as user `owner_id` (who must be active)
    /// and returns its id and the token itself, which is stored only as a
    /// digest: this is the one time it can be shown.
    pub async fn create_token(
        &self,
        by: &Actor,
        owner_id: i64,
        name: &str,
    ) -> Result<(i64, String)> {
        let name = TokenName::parse(name).map_err(|e| Error::field("token_name", e))?;
        let owner = self.store.user(owner_id).await?.ok_or(Error::NotFound)?;
        if owner.disabled {
            return Err(Error::Disabled);
        }
        let token = token()?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        let id = tx
            .create_api_token(owner.id, name.as_str(), &token_digest(&token), now)
            .await?;
        let summary = by.summary(audit::token_created(name.as_str(), owner.email.as_str()));
        tx.audit(&by.audit(None, "create", "token", id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok((id, token))
    }

    /// Revokes a live API token.
    pub async fn revoke_token(&self, by: &Actor, id: i64) -> Result<()> {
        let tokens = self.store.api_tokens().await?;
        let name = tokens
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .ok_or(Error::NotFound)?;
        let now = self.now();
        let mut tx = self.store.write().await?;
        if !tx.revoke_api_token(id, now).await? {
            return Err(Error::NotFound);
        }
        let summary = by.summary(audit::token_revoked(&name));
        tx.audit(&by.audit(None, "revoke", "token", id, &summary), now)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
