//! What the editor is told after a change: each outcome its own message,
//! with a link to what it concerns or a way to undo it.

use jiff::Timestamp;
use raadhus_domain::{Visibility, date};
use serde::{Deserialize, Serialize};

use crate::admin::editor::Kind;

/// A message above a page, in an element with `role="status"`.
#[derive(Debug, Serialize)]
pub(in crate::admin) struct Notice {
    pub(in crate::admin) text: String,
    /// A link after the text: its address and its words.
    pub(in crate::admin) link: Option<(String, &'static str)>,
    /// A form that undoes what happened (`POST` to this address).
    pub(in crate::admin) undo: Option<String>,
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

/// What the outcome's message says about the item as it is now.
pub(in crate::admin) struct Shown {
    pub(in crate::admin) visibility: Visibility,
    pub(in crate::admin) publish_at: Option<Timestamp>,
    pub(in crate::admin) version: i64,
    /// Its public address.
    pub(in crate::admin) url: String,
}

impl Outcome {
    /// The message for the outcome, about the item `shown` as it is now.
    pub(in crate::admin) fn notice(
        &self,
        kind: &Kind,
        shown: Shown,
        now: Timestamp,
    ) -> Option<Notice> {
        let the = kind.the;
        let public = || Some((shown.url.clone(), kind.see));
        if self.uaendret.is_some() {
            return Some(Notice::text("Der var ingen ændringer at gemme."));
        }
        if let Some(version) = self.gendannet {
            return Some(Notice::text(format!(
                "Version {version} er gendannet som version {}.",
                shown.version
            )));
        }
        if self.hentet.is_some() {
            return Some(Notice::text(format!(
                "{the} er hentet tilbage fra papirkurven. Den har samme status som før."
            )));
        }
        if self.gemt.is_none() && self.opdateret.is_none() {
            return None;
        }
        let when = shown.publish_at.map(|t| date::short_datetime(t, now));
        let notice = match (shown.visibility, when) {
            (Visibility::Public, _) if self.opdateret.is_some() => Notice {
                link: public(),
                ..Notice::text("Ændringerne er udgivet")
            },
            (Visibility::Public, Some(when)) => Notice {
                link: public(),
                ..Notice::text(format!("Udgivet {when}"))
            },
            (Visibility::Scheduled, Some(when)) => Notice::text(format!("Planlagt til {when}")),
            (Visibility::Expired, _) => Notice::text(format!(
                "{the} er gemt. Den er afpubliceret og ikke synlig for borgerne."
            )),
            (Visibility::Draft, _) => {
                Notice::text("Kladden er gemt. Den er ikke synlig for borgerne.")
            }
            _ => Notice::text(format!("{the} er gemt.")),
        };
        Some(notice)
    }
}

/// The outcome a save comes back with: `uaendret` when an update changed
/// nothing (it came back at the version it was based on), `opdateret` when
/// it was public before and is after, else `gemt`.
pub(in crate::admin) fn saved_outcome(
    was_public: Option<bool>,
    unchanged: bool,
    is_public: bool,
) -> &'static str {
    match was_public {
        Some(_) if unchanged => "uaendret",
        Some(true) if is_public => "opdateret",
        _ => "gemt",
    }
}

/// The query string of a list after an action: `?udfoert=WHAT`.
#[derive(Debug, Deserialize)]
pub struct Done {
    udfoert: Option<String>,
}

impl Done {
    /// What was done, if the query string says (and reads).
    pub(in crate::admin) fn what(
        query: Result<axum::extract::Query<Self>, axum::extract::rejection::QueryRejection>,
    ) -> Option<String> {
        query
            .ok()
            .and_then(|axum::extract::Query(done)| done.udfoert)
    }
}
