//! Why a use case did not happen. Each variant carries what an adapter needs
//! to say it in its own language (Danish pages, JSON, a line on stderr);
//! failures of the machinery keep their cause as `source()`.

use jiff::Timestamp;
use raadhus_domain::ValidationErrors;
use raadhus_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input breaks the rules; the messages are Danish, per field.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The item does not exist (on this site), or is in the bin.
    #[error("not found")]
    NotFound,
    /// The change was based on version `expected`, but someone saved
    /// version `current` meanwhile. Nothing was written.
    #[error("the item is at version {current}, not {expected}")]
    Stale { expected: i64, current: i64 },
    /// The input clashes with what is stored (a redirect from the same
    /// address exists); the messages are Danish, per field.
    #[error("conflict: {0}")]
    Conflict(ValidationErrors),
    /// Another item of the site has this slug.
    #[error("the slug {0:?} is taken")]
    SlugTaken(String),
    /// The input names something that does not exist (any more), e.g. a
    /// deleted contact person.
    #[error("{0}")]
    UnknownReference(String),
    /// The item cannot be deleted while these (titles or names) refer to it.
    #[error("in use by {}", .0.join(", "))]
    InUse(Vec<String>),
    /// Another user has this e-mail address (in any case).
    #[error("a user with e-mail {0} exists")]
    EmailTaken(String),
    /// A user may not do this to their own account (disable it, change its role).
    #[error("not on one's own account")]
    OwnAccount,
    /// Sign-in is locked for the account or the address until then.
    #[error("sign-in is locked until {0}")]
    Locked(Timestamp),
    /// No such user, or the wrong password.
    #[error("wrong e-mail address or password")]
    WrongCredentials,
    /// The user is disabled.
    #[error("the user is disabled")]
    Disabled,
    /// The database failed, or is unavailable or full.
    #[error("storage failed")]
    Store(#[source] StoreError),
    /// Something the use case needed failed (the random source, a worker
    /// thread).
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Stale { expected, current } => Self::Stale { expected, current },
            StoreError::SlugTaken(slug) => Self::SlugTaken(slug),
            StoreError::UnknownReference(what) => Self::UnknownReference(what),
            StoreError::InUse(names) => Self::InUse(names),
            StoreError::Invalid(errors) => Self::Invalid(errors),
            other => Self::Store(other),
        }
    }
}

impl From<ValidationErrors> for Error {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}

impl Error {
    /// The store's error, when the database failed.
    pub fn store(&self) -> Option<&StoreError> {
        match self {
            Self::Store(e) => Some(e),
            _ => None,
        }
    }

    /// One field's error, for a rule that only the whole system can check.
    pub(crate) fn field(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::one(field, message))
    }
}
