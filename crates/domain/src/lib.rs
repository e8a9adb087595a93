//! Pure types and rules of Raadhus. Nothing in this crate performs I/O.
//!
//! Every value that comes from outside (an editor's form, the API, an import file)
//! enters the system through one of the validating constructors here, so the layers
//! above can trust what they hold.

/// Implements serde for a validated text type: written as its text, and
/// checked with the same rules as any input when read.
macro_rules! text_serde {
    ($ty:ty, $parse:expr, $text:expr) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($text(self))
            }
        }
        text_serde!($ty, $parse);
    };
    ($ty:ty, $parse:expr) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod audit;
pub mod best_bet;
pub mod bundle;
pub mod chain;
pub mod contact;
pub mod counting;
pub mod date;
pub mod description;
pub mod directory;
pub mod email;
pub mod export;
pub mod feedback;
pub mod link_check;
pub mod links;
pub mod markup;
pub mod media;
pub mod news;
pub mod page;
pub mod paging;
pub mod phone;
pub mod redirect;
pub mod secret;
pub mod settings;
pub mod site;
pub mod slug;
pub mod throttle;
pub mod urls;
pub mod user;
pub mod validation;

pub use best_bet::{BestBet, BestBetInput};
pub use contact::{ContactInput, ContactPerson};
pub use directory::{Topic, TopicInput, WebUrl, Website, WebsiteInput};
pub use email::Email;
pub use media::{Media, MediaDetails, MediaForm, MediaKind};
pub use news::{
    ContactChoice, NewsArticle, NewsContent, NewsDraft, NewsForm, NewsStatus, NewsSummary,
    Visibility,
};
pub use page::{PageContent, PageDraft, PageForm, PageNode, Placement, WebPage};
pub use phone::Phone;
pub use redirect::{Redirect, RedirectInput};
pub use settings::{FrontPage, SiteSettings};
pub use site::{Host, Site, SiteId, Subsite, SubsiteInput};
pub use slug::Slug;
pub use urls::SiteUrls;
pub use user::{Access, ApiToken, AuditEntry, Role, TokenName, User, UserInput};
pub use validation::{FieldError, ValidationErrors};
