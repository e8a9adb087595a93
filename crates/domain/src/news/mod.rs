//! News articles.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::contact::{ContactInput, ContactPerson};
use crate::slug::Slug;
use crate::validation::{ValidationErrors, optional_text, required_text};

/// Longest body we accept, in characters (about 100 printed pages).
pub const MAX_BODY_CHARS: usize = 200_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NewsStatus {
    /// Being written; never shown publicly.
    Draft,
    /// Public from its publish time on.
    Published,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Status skal være kladde, planlagt eller udgivet.")]
pub struct StatusError;

/// What the public sees of an article at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    Draft,
    /// Published, but its publish time has not come yet.
    Scheduled,
    Public,
    /// Its unpublish time has passed.
    Expired,
}

impl Visibility {
    pub fn of(
        status: NewsStatus,
        publish_at: Option<Timestamp>,
        unpublish_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Self {
        match status {
            NewsStatus::Draft => Self::Draft,
            NewsStatus::Published if unpublish_at.is_some_and(|t| t <= now) => Self::Expired,
            NewsStatus::Published if publish_at.is_some_and(|t| t > now) => Self::Scheduled,
            NewsStatus::Published => Self::Public,
        }
    }

    /// The value used in forms and the API: "draft", "scheduled", "published", "expired".
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Public => "published",
            Self::Expired => "expired",
        }
    }

    /// Danish label for the admin.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Kladde",
            Self::Scheduled => "Planlagt",
            Self::Public => "Udgivet",
            Self::Expired => "Afpubliceret",
        }
    }
}

impl NewsStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    /// Reads a stored status or a form's choice; "scheduled" is a published
    /// article whose publish time lies ahead.
    pub fn parse(value: &str) -> Result<Self, StatusError> {
        match value.trim() {
            "draft" => Ok(Self::Draft),
            "published" | "scheduled" => Ok(Self::Published),
            _ => Err(StatusError),
        }
    }
}

/// The content of an article: what an editor writes, what the API and an
/// import file give, what every revision keeps and what the store holds.
/// Built only through [`NewsContent::new`] (or checked with
/// [`NewsContent::validated`]), so one set of rules applies to every door.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewsContent {
    /// The wanted slug; the store makes a new article's slug unique within the site.
    pub slug: Slug,
    pub title: String,
    pub lead: Option<String>,
    /// CommonMark source.
    pub body: String,
    pub news_date: Date,
    pub status: NewsStatus,
    /// When the article becomes public. `None` for a published article means
    /// "now", fixed by the store at the moment it is saved.
    pub publish_at: Option<Timestamp>,
    /// When it stops being public, if ever.
    pub unpublish_at: Option<Timestamp>,
    /// Contact persons in the order they are shown.
    pub contact_ids: Vec<i64>,
    /// The lead image ("Topbillede"), a file of the media library.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<i64>,
}

/// The raw fields of an article before validation, as a form or a request
/// gives them.
#[derive(Debug, Clone, Default)]
pub struct NewsForm<'a> {
    pub title: &'a str,
    pub slug: Option<&'a str>,
    pub lead: Option<&'a str>,
    pub body: &'a str,
    /// Blank means the day of saving.
    pub news_date: &'a str,
    /// "draft", "scheduled" or "published".
    pub status: &'a str,
    pub publish_at: Option<Timestamp>,
    pub unpublish_at: Option<Timestamp>,
    pub contact_ids: Vec<i64>,
    pub image_id: Option<i64>,
}

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest lead, in characters.
pub const MAX_LEAD_CHARS: usize = 600;

impl NewsContent {
    /// The names of its fields, as forms and files call them.
    pub const FIELDS: [&'static str; 10] = [
        "slug",
        "title",
        "lead",
        "body",
        "news_date",
        "status",
        "publish_at",
        "unpublish_at",
        "contact_ids",
        "image_id",
    ];

    /// Validates an article, naming every field that is wrong. Without a slug,
    /// one is made from the title; a blank news date follows the publish
    /// time (its day in Copenhagen), or is `today` when the article has none
    /// (a draft, or published now); a draft keeps no publish time.
    pub fn new(form: NewsForm<'_>, today: Date) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check(
            "title",
            required_text(form.title, MAX_TITLE_CHARS, "en overskrift"),
        );
        let slug = Slug::typed_or_from_title(form.slug, title.as_deref(), "nyhed", &mut errors);
        let lead = errors.check("lead", optional_text(form.lead, MAX_LEAD_CHARS));
        let body = errors.check("body", normal_body(form.body));
        let publish_at = publish_time(form.status, form.publish_at);
        let news_date = match form.news_date.trim() {
            "" => Some(publish_at.map_or(today, crate::date::local_date)),
            typed => errors.check("news_date", crate::date::parse(typed)),
        };
        let status = check_publishing(
            form.status,
            publish_at,
            form.unpublish_at,
            "Vælg, hvornår nyheden skal udgives.",
            &mut errors,
        );
        let contact_ids = distinct_contacts(form.contact_ids, &mut errors);
        match (title, slug, lead, body, news_date, status) {
            (Some(title), Some(slug), Some(lead), Some(body), Some(news_date), Some(status))
                if errors.is_empty() =>
            {
                Ok(Self {
                    slug,
                    title,
                    lead,
                    body,
                    news_date,
                    status,
                    publish_at,
                    unpublish_at: form.unpublish_at,
                    contact_ids,
                    image_id: form.image_id,
                })
            }
            _ => Err(errors),
        }
    }

    /// Applies the editors' rules to content that arrived already typed (an
    /// import file): the same checks and the same normal form as
    /// [`NewsContent::new`].
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let news_date = crate::date::iso(self.news_date);
        let form = NewsForm {
            title: &self.title,
            slug: Some(self.slug.as_str()),
            lead: self.lead.as_deref(),
            body: &self.body,
            news_date: &news_date,
            status: self.status.as_str(),
            publish_at: self.publish_at,
            unpublish_at: self.unpublish_at,
            contact_ids: self.contact_ids.clone(),
            image_id: self.image_id,
        };
        Self::new(form, self.news_date)
    }

    pub fn visibility(&self, now: Timestamp) -> Visibility {
        Visibility::of(self.status, self.publish_at, self.unpublish_at, now)
    }
}

/// The publish time content keeps: none for a draft.
pub(crate) fn publish_time(status: &str, publish_at: Option<Timestamp>) -> Option<Timestamp> {
    match NewsStatus::parse(status) {
        Ok(NewsStatus::Draft) => None,
        _ => publish_at,
    }
}

/// Checks the status and times of content being saved (news or a page),
/// `publish_at` as [`publish_time`] gives it: "scheduled" needs a publish
/// time (`when_missing` says so), and an unpublish time must lie after it.
/// Problems are recorded on `errors`.
pub(crate) fn check_publishing(
    status: &str,
    publish_at: Option<Timestamp>,
    unpublish_at: Option<Timestamp>,
    when_missing: &str,
    errors: &mut ValidationErrors,
) -> Option<NewsStatus> {
    let parsed = errors.check("status", NewsStatus::parse(status));
    if status.trim() == "scheduled" && publish_at.is_none() {
        errors.add("publish_at", when_missing);
    }
    if let (Some(from), Some(to)) = (publish_at, unpublish_at)
        && to <= from
    {
        errors.add(
            "unpublish_at",
            "Tidspunktet for afpublicering skal ligge efter udgivelsen.",
        );
    }
    parsed
}

/// Contact persons in the order chosen, each once; choosing one twice is
/// recorded on `errors`.
pub(crate) fn distinct_contacts(mut ids: Vec<i64>, errors: &mut ValidationErrors) -> Vec<i64> {
    let before = ids.len();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    if ids.len() != before {
        errors.add("contacts", "Den samme kontaktperson er valgt flere gange.");
    }
    ids
}

/// A contact person of an article being saved: one of the site's, or a new
/// one created together with the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactChoice {
    Existing(i64),
    New(ContactInput),
}

impl ContactChoice {
    /// The ids of the existing contact persons among `choices`, in order.
    pub fn existing(choices: &[Self]) -> Vec<i64> {
        choices
            .iter()
            .filter_map(|c| match c {
                Self::Existing(id) => Some(*id),
                Self::New(_) => None,
            })
            .collect()
    }

    /// Existing contact persons `ids`, in order.
    pub fn all_existing(ids: &[i64]) -> Vec<Self> {
        ids.iter().map(|&id| Self::Existing(id)).collect()
    }
}

/// An article as an editor or the API saves it: its content and its contact
/// persons in the order shown, some of which may be new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsDraft {
    /// `contact_ids` holds the existing contact persons of `contacts`, in order.
    pub content: NewsContent,
    pub contacts: Vec<ContactChoice>,
    /// The slug was given, not made from the title: a published article
    /// changes its slug only then.
    pub slug_typed: bool,
}

impl NewsDraft {
    /// Validates the article with the existing contact persons of `contacts`
    /// (the form's own `contact_ids` are replaced).
    pub fn new(
        form: NewsForm<'_>,
        contacts: Vec<ContactChoice>,
        today: Date,
    ) -> Result<Self, ValidationErrors> {
        let contact_ids = ContactChoice::existing(&contacts);
        let slug_typed = form.slug.is_some_and(|s| !s.trim().is_empty());
        let content = NewsContent::new(
            NewsForm {
                contact_ids,
                ..form
            },
            today,
        )?;
        Ok(Self {
            content,
            contacts,
            slug_typed,
        })
    }

    /// Content to save again as it is (a restored revision), contact persons
    /// unchanged.
    pub fn unchanged(content: NewsContent) -> Self {
        let contacts = ContactChoice::all_existing(&content.contact_ids);
        Self {
            content,
            contacts,
            slug_typed: true,
        }
    }
}

/// A body as it is stored, or why it cannot be: too long, a character no
/// text may hold, elements nested deeper than
/// [`MAX_NESTING`](crate::markup::MAX_NESTING), or blocks that break their
/// rules ([`crate::markup::blocks::check`]). The message is for the editor.
pub fn normal_body(body: &str) -> Result<String, String> {
    // Line endings from browsers are CRLF, and text pasted from word
    // processors has vertical tabs and form feeds for line breaks: keep one form.
    let normal = body.replace("\r\n", "\n").replace(['\u{b}', '\u{c}'], "\n");
    crate::validation::checked(&normal, MAX_BODY_CHARS)?;
    // Only after the length check: parsing is linear, but in what is allowed.
    crate::markup::check_nesting(&normal)?;
    crate::markup::blocks::check(&normal)?;
    Ok(normal.trim_end().to_string())
}

/// A line of a news list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsSummary {
    pub id: i64,
    pub slug: Slug,
    pub title: String,
    pub lead: Option<String>,
    pub news_date: Date,
    pub publish_at: Option<Timestamp>,
    /// The lead image (a file of the media library).
    pub image_id: Option<i64>,
}

/// A stored article: its content, its contact persons (those of
/// `content.contact_ids`, in that order) and its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsArticle {
    pub id: i64,
    pub content: NewsContent,
    pub contacts: Vec<ContactPerson>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Grows by one with every save; a save must name the version it started from.
    pub version: i64,
    /// The body as HTML, rendered when this version was saved; `None` when
    /// there is none of this version by this renderer (saved by an older
    /// Raadhus, or a preview): then render it.
    pub body_html: Option<String>,
}

impl NewsArticle {
    pub fn visibility(&self, now: Timestamp) -> Visibility {
        self.content.visibility(now)
    }
}

text_serde!(NewsStatus, NewsStatus::parse, |s: &NewsStatus| s.as_str());

#[cfg(test)]
mod tests;
