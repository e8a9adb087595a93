//! The use cases of Raadhus: every change a person can make, whichever door
//! they come through (the admin, the JSON API, the command line). Each use
//! case is one transaction holding the change, everything it creates on the
//! way and its line in the audit log: a refused change leaves nothing behind.
//!
//! Adapters only translate: they turn a form, a JSON body or command-line
//! arguments into the domain's validated input, call a use case with the
//! [`Actor`] doing it, and turn the answer or the [`Error`] into a page,
//! JSON or a line on stderr. Reading needs no use case: adapters ask the
//! [`Store`] directly.
//!
//! A new kind of content plugs in here: its input type in the domain, its
//! writes on [`raadhus_store::WriteTx`], and either a [`Record`] impl (for a
//! plain list of things with create, update and delete) or use cases of its
//! own (for content with versions, like news).

mod access;
mod accounts;
mod best_bets;
mod catalog;
mod clock;
mod counting;
mod error;
mod feedback;
mod link_check;
mod links;
mod media;
mod news;
mod pages;
mod redirects;
mod render;
mod settings;
mod sites;

use jiff::Timestamp;
use raadhus_store::{Audit, Store};

pub use accounts::{NewSession, RESET_LINK_HOURS, SESSION_HOURS};
pub use catalog::Record;
pub use clock::Clock;
pub use counting::Counter;
pub use error::Error;
pub use link_check::BrokenLink;
pub use links::Saved;
pub use media::{MediaFields, Upload};
pub use pages::PageAt;
pub use redirects::{Created, Imported, RowError};
pub use render::Renderer;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Who makes a change, and through which door: their user (none on the
/// command line) and how the audit log says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub via: Via,
}

/// The door a change comes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Admin,
    Api,
    Cli,
}

impl Actor {
    /// A signed-in editor or administrator in the admin.
    pub fn editor(user_id: i64) -> Self {
        Self {
            user_id: Some(user_id),
            via: Via::Admin,
        }
    }

    /// The user an API token acts as.
    pub fn api(user_id: i64) -> Self {
        Self {
            user_id: Some(user_id),
            via: Via::Api,
        }
    }

    /// The operator at the command line.
    pub fn cli() -> Self {
        Self {
            user_id: None,
            via: Via::Cli,
        }
    }

    /// An audit summary, saying the door where it is not the admin.
    fn summary(&self, what: impl std::fmt::Display) -> String {
        match self.via {
            Via::Admin => what.to_string(),
            Via::Api => format!("{what}{}", raadhus_domain::audit::VIA_API),
            Via::Cli => format!("{what}{}", raadhus_domain::audit::FROM_CLI),
        }
    }

    /// The audit line of an action on `entity` `id`, on `site` if it belongs
    /// to one.
    fn audit<'a>(
        &self,
        site: Option<raadhus_domain::SiteId>,
        action: &'a str,
        entity: &'a str,
        id: i64,
        summary: &'a str,
    ) -> Audit<'a> {
        Audit {
            site,
            user_id: self.user_id,
            action,
            entity,
            entity_id: Some(id),
            summary,
        }
    }
}

/// The use cases, on one database and one clock. Cheap to clone.
#[derive(Clone, Debug)]
pub struct UseCases {
    store: Store,
    clock: Clock,
    renderer: Renderer,
}

impl UseCases {
    pub fn new(store: Store, clock: Clock) -> Self {
        Self {
            store,
            clock,
            renderer: Renderer::default(),
        }
    }

    /// Renders bodies off the async workers: saves here, and previews and
    /// stale stored bodies in the adapters.
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// The database, for reading.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
