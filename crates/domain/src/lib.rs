//! Pure types and rules of Raadhus. Nothing in this crate performs I/O.
//!
//! Every value that comes from outside (an editor's form, the API, an import file)
//! enters the system through one of the validating constructors here, so the layers
//! above can trust what they hold.

pub mod bundle;
pub mod contact;
pub mod date;
pub mod directory;
pub mod email;
pub mod markup;
pub mod news;
pub mod paging;
pub mod phone;
pub mod secret;
pub mod site;
pub mod slug;
pub mod throttle;
pub mod user;
pub mod validation;

pub use contact::{ContactInput, ContactPerson};
pub use directory::{Topic, TopicInput, WebUrl, Website, WebsiteInput};
pub use email::Email;
pub use news::{NewsArticle, NewsForm, NewsInput, NewsStatus, NewsSummary, Visibility};
pub use phone::Phone;
pub use site::{Site, SiteId};
pub use slug::Slug;
pub use user::{ApiToken, AuditEntry, Role, User, UserInput};
pub use validation::{FieldError, ValidationErrors};
