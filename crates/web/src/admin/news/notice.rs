//! What the editor is told after a change: each outcome its own message,
//! with a link to what it concerns or a way to undo it.

use jiff::Timestamp;
use raadhus_domain::{NewsArticle, Visibility, date, urls};
use serde::{Deserialize, Serialize};

/// A message above a page, in an element with `role="status"`.
#[derive(Debug, Serialize)]
pub(in crate::admin) struct Notice {
    pub(super) text: String,
    /// A link after the text: its address and its words.
    pub(super) link: Option<(String, &'static str)>,
    /// A form that undoes what happened (`POST` to this address).
    pub(super) undo: Option<String>,
}

impl Notice {
    pub(in crate::admin) fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            link: None,
            undo: None,
        }
    }
}

/// The query string the edit form is shown with after a change: which one.
#[derive(Debug, Default, Deserialize)]
pub struct Outcome {
    /// Saved (created or updated).
    gemt: Option<String>,
    /// Saved, and it was public before as after.
    opdateret: Option<String>,
    /// Saved, but nothing had changed.
    uaendret: Option<String>,
    /// This version restored as the newest.
    gendannet: Option<i64>,
    /// Taken back out of the bin.
    hentet: Option<String>,
}

impl Outcome {
    /// The message for the outcome, about `article` as it is now.
    pub(super) fn notice(&self, article: &NewsArticle, now: Timestamp) -> Option<Notice> {
        let public = || Some((urls::news(article.content.slug.as_str()), "Se nyheden"));
        if self.uaendret.is_some() {
            return Some(Notice::text("Der var ingen ændringer at gemme."));
        }
        if let Some(version) = self.gendannet {
            return Some(Notice::text(format!(
                "Version {version} er gendannet som version {}.",
                article.version
            )));
        }
        if self.hentet.is_some() {
            return Some(Notice::text(
                "Nyheden er hentet tilbage fra papirkurven. Den har samme status som før.",
            ));
        }
        if self.gemt.is_none() && self.opdateret.is_none() {
            return None;
        }
        let when = article
            .content
            .publish_at
            .map(|t| date::short_datetime(t, now));
        let notice = match (article.visibility(now), when) {
            (Visibility::Public, _) if self.opdateret.is_some() => Notice {
                link: public(),
                ..Notice::text("Ændringerne er udgivet")
            },
            (Visibility::Public, Some(when)) => Notice {
                link: public(),
                ..Notice::text(format!("Udgivet {when}"))
            },
            (Visibility::Scheduled, Some(when)) => Notice::text(format!("Planlagt til {when}")),
            (Visibility::Expired, _) => {
                Notice::text("Nyheden er gemt. Den er afpubliceret og ikke synlig for borgerne.")
            }
            (Visibility::Draft, _) => {
                Notice::text("Kladden er gemt. Den er ikke synlig for borgerne.")
            }
            _ => Notice::text("Nyheden er gemt."),
        };
        Some(notice)
    }
}
