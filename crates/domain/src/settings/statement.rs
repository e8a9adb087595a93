//! The site's accessibility statement ("tilgængelighedserklæring"): its
//! address in the national WAS-tool and when it was last reviewed. Every
//! footer links it; the admin reminds editors when it is missing or due for
//! its yearly review.

use jiff::civil::Date;

use crate::date;
use crate::directory::WebUrl;
use crate::validation::ValidationErrors;

/// Longest address of the statement, in characters.
pub const MAX_STATEMENT_URL_CHARS: usize = 2000;

/// A typed text, unless blank.
fn unless_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// An accessibility statement: where it is, and when it was last reviewed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// An absolute http(s) address, normally in the WAS-tool.
    pub url: String,
    /// When the statement was last reviewed (not known: the admin asks).
    pub reviewed: Option<Date>,
}

impl Statement {
    /// Validates what an administrator typed: a blank address and date is
    /// no statement; a date needs an address and may not lie after `today`.
    /// Errors are put on `statement_url` and `statement_reviewed`.
    pub fn typed(
        errors: &mut ValidationErrors,
        url: Option<&str>,
        reviewed: Option<&str>,
        today: Date,
    ) -> Option<Self> {
        let url = unless_blank(url).and_then(|u| {
            let parsed = if u.chars().count() > MAX_STATEMENT_URL_CHARS {
                None
            } else {
                WebUrl::parse(u).ok()
            };
            if parsed.is_none() {
                errors.add(
                    "statement_url",
                    "Skriv erklæringens fulde adresse, der begynder med https:// eller http://, fx https://www.was.digst.dk/vesterfjord-dk.",
                );
            }
            parsed
        });
        let reviewed = unless_blank(reviewed).and_then(|d| {
            let day = errors.check("statement_reviewed", date::parse(d))?;
            if day > today {
                errors.add(
                    "statement_reviewed",
                    format!(
                        "Datoen for seneste gennemgang kan ikke ligge efter i dag ({}).",
                        date::admin_date(today)
                    ),
                );
                return None;
            }
            Some(day)
        });
        match url {
            Some(url) => Some(Self {
                url: url.as_str().to_string(),
                reviewed,
            }),
            None => {
                if reviewed.is_some() && errors.for_field("statement_url").is_none() {
                    errors.add(
                        "statement_url",
                        "Skriv adressen på erklæringen, eller slet datoen for seneste gennemgang.",
                    );
                }
                None
            }
        }
    }

    /// The statement in force: the site's own, else the one configured for
    /// the installation (given for the main site only), which is how an
    /// installation set up with `--was-url` keeps its statement until the
    /// administrators store one.
    pub fn in_force(own: Option<&Self>, configured: Option<&Self>) -> Option<Self> {
        own.or(configured).cloned()
    }

    /// What the admin should remind editors of on `today`, in Danish: no
    /// statement, no review date, or a review more than 12 months ago.
    pub fn reminder(statement: Option<&Self>, today: Date) -> Option<String> {
        match statement.map(|s| s.reviewed) {
            None => Some(
                "Sitet har ingen tilgængelighedserklæring. En administrator skal skrive adressen på erklæringen i WAS-værktøjet under Indstillinger."
                    .to_string(),
            ),
            Some(None) => Some(
                "Det er ikke angivet, hvornår tilgængelighedserklæringen sidst blev gennemgået. En administrator skal skrive datoen for seneste gennemgang under Indstillinger."
                    .to_string(),
            ),
            Some(Some(reviewed)) if date::statement_review_due(reviewed, today) => Some(format!(
                "Tilgængelighedserklæringen blev sidst gennemgået {}. Den skal gennemgås mindst én gang om året: gennemgå den i WAS-værktøjet, og skriv den nye dato for seneste gennemgang under Indstillinger.",
                date::admin_date(reviewed)
            )),
            Some(Some(_)) => None,
        }
    }
}
