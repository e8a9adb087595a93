//! The users of an export file: their accounts, where they may work, and
//! (with secrets) their API tokens.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::email::Email;
use crate::user::Role;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportUser {
    pub id: i64,
    pub email: Email,
    pub name: String,
    pub role: Role,
    /// The argon2 hash; only with secrets. Users imported without one cannot
    /// sign in until given a password (`raadhus user passwd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
    pub disabled_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Whether `role` is the user's role on the main site; a user without
    /// one works only on the subsites of `sites`.
    #[serde(default = "main_site_default", skip_serializing_if = "is_main_site")]
    pub main_site: bool,
    /// The user's role on subsites, by site id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<ExportUserSite>,
}

impl ExportUser {
    /// Where the user may work, as the file says.
    pub fn access(&self) -> crate::Access {
        crate::Access {
            main: self.main_site.then_some(self.role),
            subsites: self
                .sites
                .iter()
                .map(|s| (crate::SiteId(s.site_id), s.role))
                .collect(),
        }
    }
}

/// Files written before roles per site give every user the main site.
fn main_site_default() -> bool {
    true
}

/// The main site, the usual case, goes unsaid.
fn is_main_site(main_site: &bool) -> bool {
    *main_site
}

/// A user's role on one subsite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportUserSite {
    pub site_id: i64,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// SHA-256 of the token, as stored; the token itself is never stored.
    pub token_hash: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}
