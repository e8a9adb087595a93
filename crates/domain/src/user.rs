//! Editors and administrators.

use crate::email::Email;
use crate::site::SiteId;
use crate::validation::{ValidationErrors, required_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Manages news, contact persons, topics and directory websites.
    Editor,
    /// Also manages users and API tokens.
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Rollen skal være admin eller editor.")]
pub struct RoleError;

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Result<Self, RoleError> {
        match value.trim() {
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            _ => Err(RoleError),
        }
    }

    /// Danish name for the admin UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Editor => "Redaktør",
            Self::Admin => "Administrator",
        }
    }

    pub fn may_manage_users(self) -> bool {
        self == Self::Admin
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
}

/// A new user as given on the command line or in the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInput {
    pub email: Email,
    pub name: String,
    pub role: Role,
}

impl UserInput {
    pub fn new(email: &str, name: &str, role: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let email = errors.check("email", Email::parse(email));
        let name = errors.check("name", required_text(name, 120, "et navn"));
        let role = errors.check("role", Role::parse(role));
        match (email, name, role) {
            (Some(email), Some(name), Some(role)) if errors.is_empty() => {
                Ok(Self { email, name, role })
            }
            _ => Err(errors),
        }
    }
}

text_serde!(Role, Role::parse, |r: &Role| r.as_str());

/// Where a user may work, and as what: their role on the main site (none
/// for someone who works on subsites only) and on each subsite they were
/// given. Administrators of the main site administer every site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    pub main: Option<Role>,
    pub subsites: Vec<(SiteId, Role)>,
}

impl Access {
    /// A role on the main site alone.
    pub fn main(role: Role) -> Self {
        Self {
            main: Some(role),
            subsites: Vec::new(),
        }
    }

    /// The same role on each of `sites`, none on the main site.
    pub fn subsites(role: Role, sites: impl IntoIterator<Item = SiteId>) -> Self {
        Self {
            main: None,
            subsites: sites.into_iter().map(|s| (s, role)).collect(),
        }
    }

    /// The role on `site` (`main` says whether it is the main site), if any.
    pub fn role_on(&self, site: SiteId, main: bool) -> Option<Role> {
        if main {
            self.main
        } else if self.main == Some(Role::Admin) {
            Some(Role::Admin)
        } else {
            self.subsites
                .iter()
                .find(|(s, _)| *s == site)
                .map(|(_, role)| *role)
        }
    }

    /// Whether the user may work anywhere at all.
    pub fn is_empty(&self) -> bool {
        self.main.is_none() && self.subsites.is_empty()
    }
}

/// What an API token is for, as its creator names it: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

/// Longest token name, in characters.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

impl TokenName {
    pub fn parse(value: &str) -> Result<Self, String> {
        required_text(value, MAX_TOKEN_NAME_CHARS, "hvad nøglen skal bruges til").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TokenName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        assert_eq!(Role::parse("admin"), Ok(Role::Admin));
        assert_eq!(Role::parse(" editor "), Ok(Role::Editor));
        assert_eq!(Role::parse("root"), Err(RoleError));
        assert!(Role::Admin.may_manage_users());
        assert!(!Role::Editor.may_manage_users());
    }

    #[test]
    fn user_input_names_bad_fields() {
        let e = UserInput::new("nej", "", "chef").unwrap_err();
        let fields: Vec<_> = e.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["email", "name", "role"]);
        assert!(UserInput::new("a@b.dk", "Anne", "editor").is_ok());
    }

    #[test]
    fn access_per_site() {
        let (a, b) = (SiteId(2), SiteId(3));
        let editor = Access::subsites(Role::Editor, [a]);
        assert_eq!(editor.role_on(a, false), Some(Role::Editor));
        assert_eq!(editor.role_on(b, false), None);
        assert_eq!(editor.role_on(SiteId(1), true), None);
        let main_editor = Access::main(Role::Editor);
        assert_eq!(main_editor.role_on(SiteId(1), true), Some(Role::Editor));
        assert_eq!(main_editor.role_on(a, false), None);
        let main_admin = Access::main(Role::Admin);
        assert_eq!(main_admin.role_on(b, false), Some(Role::Admin));
        let mixed = Access {
            main: Some(Role::Editor),
            subsites: vec![(b, Role::Admin)],
        };
        assert_eq!(mixed.role_on(b, false), Some(Role::Admin));
        assert_eq!(mixed.role_on(a, false), None);
        assert!(Access::default().is_empty());
        assert!(!editor.is_empty());
    }

    #[test]
    fn token_names() {
        assert_eq!(TokenName::parse(" intranet ").unwrap().as_str(), "intranet");
        assert!(TokenName::parse("  ").is_err());
        assert!(TokenName::parse(&"x".repeat(101)).is_err());
        assert!(TokenName::parse(&"x".repeat(100)).is_ok());
    }
}

/// An API token as listed (the token itself is shown once, at creation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub user_email: String,
    pub name: String,
    pub created_at: jiff::Timestamp,
    pub last_used_at: Option<jiff::Timestamp>,
    pub revoked: bool,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: jiff::Timestamp,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub summary: String,
    /// Whether what it names still exists (an article: out of the bin).
    pub exists: bool,
}
