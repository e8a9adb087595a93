//! News articles.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::contact::ContactPerson;
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
#[error("Status skal være kladde eller udgivet.")]
pub struct StatusError;

impl NewsStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(value: &str) -> Result<Self, StatusError> {
        match value {
            "draft" => Ok(Self::Draft),
            "published" => Ok(Self::Published),
            _ => Err(StatusError),
        }
    }
}

/// What an editor, the API or an import gives to create or change an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsInput {
    /// The wanted slug; the store makes it unique within the site.
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
    /// Contact persons in the order they are shown.
    pub contact_ids: Vec<i64>,
}

/// The raw fields of an article before validation.
#[derive(Debug, Clone, Default)]
pub struct NewsForm<'a> {
    pub title: &'a str,
    pub slug: Option<&'a str>,
    pub lead: Option<&'a str>,
    pub body: &'a str,
    pub news_date: &'a str,
    pub status: &'a str,
    pub publish_at: Option<Timestamp>,
    pub contact_ids: Vec<i64>,
}

impl NewsInput {
    /// Validates an article, naming every field that is wrong. Without a slug,
    /// one is made from the title.
    pub fn new(form: NewsForm<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check("title", required_text(form.title, 200, "en overskrift"));
        let slug = Slug::typed_or_from_title(form.slug, title.as_deref(), &mut errors);
        let lead = errors.check("lead", optional_text(form.lead, 600));
        let body = errors.check("body", body_text(form.body));
        let news_date = errors.check("news_date", crate::date::parse(form.news_date));
        let status = errors.check("status", NewsStatus::parse(form.status));
        let mut contact_ids = form.contact_ids;
        let before = contact_ids.len();
        let mut seen = std::collections::HashSet::new();
        contact_ids.retain(|id| seen.insert(*id));
        if contact_ids.len() != before {
            errors.add("contacts", "Den samme kontaktperson er valgt flere gange.");
        }
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
                    publish_at: form.publish_at,
                    contact_ids,
                })
            }
            _ => Err(errors),
        }
    }
}

fn body_text(body: &str) -> Result<String, String> {
    let len = body.chars().count();
    if len > MAX_BODY_CHARS {
        return Err(format!(
            "Teksten er for lang: {len} tegn, højst {MAX_BODY_CHARS} er tilladt."
        ));
    }
    // Line endings from browsers are CRLF; keep one form.
    Ok(body.replace("\r\n", "\n").trim_end().to_string())
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
}

/// A whole article with its contact persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsArticle {
    pub id: i64,
    pub slug: Slug,
    pub title: String,
    pub lead: Option<String>,
    pub body: String,
    pub news_date: Date,
    pub status: NewsStatus,
    pub publish_at: Option<Timestamp>,
    pub contacts: Vec<ContactPerson>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> NewsForm<'static> {
        NewsForm {
            title: "Positivt dialogmøde med erhvervslivet",
            body: "Tekst.\r\nMere tekst.\r\n\r\n",
            news_date: "18.12.2017",
            status: "published",
            ..NewsForm::default()
        }
    }

    #[test]
    fn valid_article_gets_slug_from_title() {
        let n = NewsInput::new(form()).unwrap();
        assert_eq!(n.slug.as_str(), "positivt-dialogmoede-med-erhvervslivet");
        assert_eq!(n.body, "Tekst.\nMere tekst.");
        assert_eq!(n.news_date, jiff::civil::date(2017, 12, 18));
        assert_eq!(n.lead, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let e = NewsInput::new(NewsForm {
            title: "",
            slug: Some("Ikke Gyldig"),
            news_date: "31.02.2017",
            status: "hemmelig",
            contact_ids: vec![1, 1],
            ..NewsForm::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "slug", "news_date", "status", "contacts"]);
        assert_eq!(e.for_field("title"), Some("Skriv en overskrift."));
    }

    #[test]
    fn oversized_body_is_refused() {
        let big = "a".repeat(MAX_BODY_CHARS + 1);
        let e = NewsInput::new(NewsForm {
            body: &big,
            ..form()
        })
        .unwrap_err();
        assert!(e.for_field("body").is_some());
    }
}
