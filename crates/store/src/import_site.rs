//! Loading the file of one site into an installation that has content, as
//! a new subsite (`raadhus import --site`): the installation already uses
//! the file's ids, so every row gets a new one after the installation's
//! largest (see [`raadhus_domain::export::ExportSite::rebased`]) and is
//! stored by the same code as a whole import; the file's users become the
//! installation's.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::export::{Export, ExportUser, IdOffsets, ImportError, Rebase};
use raadhus_domain::{Access, Role, SiteId, UserInput};

use crate::import::{insert_audit_lines, insert_content, insert_settings, move_sequences};
use crate::{Conn, Result, StoreError, WriteTx, access, export_media};

/// How the file's users were taken in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportedUsers {
    /// The installation had a user of the same e-mail address: left as
    /// they were.
    pub matched: usize,
    /// Made from the file's.
    pub created: usize,
}

/// The largest id of `table` (0 for none).
async fn largest(conn: &mut Conn<'_>, table: &'static str) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
    Ok(
        on_conn!(conn, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut *c)
        .await)?,
    )
}

fn invalid(e: ImportError) -> StoreError {
    StoreError::Import(e.to_string())
}

impl WriteTx {
    /// Loads the one site of `data` into `site`, a subsite made in this
    /// transaction ([`WriteTx::create_subsite`]): every row with a new id,
    /// the files not stored yet, the users matched or made
    /// (by e-mail: `user_ids`), the site's audit lines. The file's API
    /// tokens and its audit lines of no site are not taken in.
    pub async fn import_site(
        &mut self,
        site: SiteId,
        data: &Export,
        now: Timestamp,
    ) -> Result<ImportedUsers> {
        data.check().map_err(invalid)?;
        let one = data.single_site().map_err(invalid)?;
        // A user's role on the file's site becomes their role on this one.
        let roles: Vec<Option<Role>> = data
            .users
            .iter()
            .map(|u| u.access().role_on(SiteId(one.id), one.host.is_none()))
            .collect();
        let (users, imported) = self.user_ids(&data.users, &roles, site, now).await?;
        let conn = &mut self.conn();
        let offsets = IdOffsets {
            contacts: largest(conn, "contacts").await?,
            topics: largest(conn, "topics").await?,
            websites: largest(conn, "websites").await?,
            media: largest(conn, "media").await?,
            media_revisions: largest(conn, "media_revisions").await?,
            news: largest(conn, "news").await?,
            news_revisions: largest(conn, "news_revisions").await?,
            pages: largest(conn, "pages").await?,
            page_revisions: largest(conn, "page_revisions").await?,
            redirects: largest(conn, "redirects").await?,
            audit_log: largest(conn, "audit_log").await?,
        };
        let to = Rebase {
            site: site.0,
            offsets,
            users: &users,
        };
        let rebased = one.clone().rebased(&to).map_err(invalid)?;
        export_media::insert_files(conn, &data.media_files).await?;
        insert_content(conn, &rebased).await?;
        insert_audit_lines(conn, Some(site.0), &rebased.audit_log).await?;
        if matches!(conn, Conn::Postgres(_)) {
            move_sequences(conn).await?;
        }
        insert_settings(self, &rebased).await?;
        Ok(imported)
    }

    /// The installation's user for each of the file's `users`, by the
    /// file's id: the one of the same e-mail address (any case), or one
    /// made now with the file's name and password hash (none: they cannot
    /// sign in until given one), disabled if the file's is. Each gets their
    /// role of `roles` (by position) on `site` and nothing else: a site's
    /// people never become the installation's.
    async fn user_ids(
        &mut self,
        users: &[ExportUser],
        roles: &[Option<Role>],
        site: SiteId,
        now: Timestamp,
    ) -> Result<(HashMap<i64, i64>, ImportedUsers)> {
        let mut ids = HashMap::with_capacity(users.len());
        let mut imported = ImportedUsers::default();
        for (u, role) in users.iter().zip(roles) {
            let here: Vec<(SiteId, Role)> = role.iter().map(|r| (site, *r)).collect();
            let existing: Option<i64> = on_conn!(&mut self.conn(), c => sqlx::query_scalar(
                "SELECT id FROM users WHERE lower(email) = lower($1)",
            )
            .bind(u.email.as_str())
            .fetch_optional(&mut *c)
            .await)?;
            let id = match existing {
                Some(id) => {
                    access::insert_subsites(&mut self.conn(), id, &here).await?;
                    imported.matched += 1;
                    id
                }
                None => {
                    let input = UserInput::new(u.email.as_str(), &u.name, u.role.as_str())
                        .map_err(|e| StoreError::Import(format!("user {}: {e}", u.email)))?;
                    let hash = u.password_hash.as_deref().unwrap_or("");
                    let made = self.create_user(&input, hash, now).await?;
                    let access = Access {
                        main: None,
                        subsites: here,
                    };
                    self.set_access(made.id, &access, now).await?;
                    if u.disabled_at.is_some() {
                        self.disable_user(made.id, now).await?;
                    }
                    imported.created += 1;
                    made.id
                }
            };
            ids.insert(u.id, id);
        }
        Ok((ids, imported))
    }
}
