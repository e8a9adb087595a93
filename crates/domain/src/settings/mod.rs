//! The municipality's identity: its name, logo, brand colour and the facts
//! every footer shows (address, phone, e-mail, CVR and EAN, opening hours,
//! the privacy page, social media, the accessibility statement), and how its
//! front page is composed.
//!
//! Ids of other things (the logo's file, the privacy page, the lead story,
//! the shortcuts' pages) are only numbers here: that they exist on the site
//! is checked where the database is at hand (the use case).

mod codes;
mod statement;
#[cfg(test)]
mod tests;

pub use codes::{
    BrandColor, BrandColorError, Cvr, CvrError, Ean, EanError, MIN_CONTRAST, contrast_ratio,
    relative_luminance,
};
pub use statement::{MAX_STATEMENT_URL_CHARS, Statement};

use crate::directory::WebUrl;
use crate::validation::{ValidationErrors, optional_text, required_text};
use crate::{Email, Phone};

/// Longest name of the municipality, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest address, in characters (a few lines).
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest opening hours text, in characters.
pub const MAX_OPENING_HOURS_CHARS: usize = 1000;
/// Most links to social media.
pub const MAX_SOCIAL_LINKS: usize = 10;
/// Longest label of a social media link.
pub const MAX_SOCIAL_LABEL_CHARS: usize = 60;
/// Most shortcuts ("Genveje") on the front page.
pub const MAX_SHORTCUTS: usize = 8;

/// The municipality's identity, as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSettings {
    /// "Vesterfjord Kommune": the header, the footer, every page title.
    pub name: String,
    /// An image of the media library, shown in the header.
    pub logo_id: Option<i64>,
    /// The header's colour; white text on it is readable.
    pub brand_color: Option<BrandColor>,
    /// Street, postcode and town; may have several lines.
    pub address: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub cvr: Option<Cvr>,
    pub ean: Option<Ean>,
    /// Free text, e.g. "Telefontid: mandag-fredag kl. 9-15".
    pub opening_hours: Option<String>,
    /// The page that tells how the municipality handles personal data.
    pub privacy_page_id: Option<i64>,
    pub social_links: Vec<SocialLink>,
    /// Whether the main menu shows "Nyheder" (absent in older export files:
    /// shown).
    #[serde(default = "shown")]
    pub menu_news: bool,
    /// Whether the main menu shows the directory, "Andre hjemmesider"
    /// (absent in older export files: shown).
    #[serde(default = "shown")]
    pub menu_directory: bool,
    /// The site's accessibility statement (absent in older export files:
    /// none).
    #[serde(default)]
    pub statement: Option<Statement>,
}

/// The main menu's entries are shown unless the site chooses otherwise.
fn shown() -> bool {
    true
}

impl SiteSettings {
    /// A new site's settings: its name and nothing else.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.to_string(),
            logo_id: None,
            brand_color: None,
            address: None,
            phone: None,
            email: None,
            cvr: None,
            ean: None,
            opening_hours: None,
            privacy_page_id: None,
            social_links: Vec::new(),
            menu_news: true,
            menu_directory: true,
            statement: None,
        }
    }

    /// Validates what an administrator typed. Error fields are those of
    /// the API (`name`, `brand_color`, `social_links`, …).
    pub fn new(form: SettingsForm<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check(
            "name",
            required_text(form.name, MAX_NAME_CHARS, "kommunens navn"),
        );
        let brand_color = errors
            .check("brand_color", optional_text(form.brand_color, 20))
            .flatten()
            .and_then(|c| errors.check("brand_color", BrandColor::parse(&c)));
        let address = errors
            .check("address", optional_text(form.address, MAX_ADDRESS_CHARS))
            .flatten();
        let phone = errors
            .check("phone", optional_text(form.phone, 40))
            .flatten()
            .and_then(|p| errors.check("phone", Phone::parse(&p)));
        let email = errors
            .check("email", optional_text(form.email, 254))
            .flatten()
            .and_then(|e| errors.check("email", Email::parse(&e)));
        let cvr = errors
            .check("cvr", optional_text(form.cvr, 20))
            .flatten()
            .and_then(|c| errors.check("cvr", Cvr::parse(&c)));
        let ean = errors
            .check("ean", optional_text(form.ean, 30))
            .flatten()
            .and_then(|c| errors.check("ean", Ean::parse(&c)));
        let opening_hours = errors
            .check(
                "opening_hours",
                optional_text(form.opening_hours, MAX_OPENING_HOURS_CHARS),
            )
            .flatten();
        let social_links = errors
            .check("social_links", SocialLink::list(form.social_links))
            .unwrap_or_default();
        let positive = |errors: &mut ValidationErrors, field: &'static str, id: Option<i64>| {
            if id.is_some_and(|id| id <= 0) {
                errors.add(field, "Vælg en af mulighederne på listen.");
            }
            id
        };
        let logo_id = positive(&mut errors, "logo_id", form.logo_id);
        let privacy_page_id = positive(&mut errors, "privacy_page_id", form.privacy_page_id);
        let statement = Statement::typed(
            &mut errors,
            form.statement_url,
            form.statement_reviewed,
            form.today,
        );
        errors.into_result(|| Self {
            name: name.unwrap_or_default(),
            logo_id,
            brand_color,
            address,
            phone,
            email,
            cvr,
            ean,
            opening_hours,
            privacy_page_id,
            social_links,
            menu_news: form.menu_news,
            menu_directory: form.menu_directory,
            statement,
        })
    }
}

/// The settings as typed: texts as given (blank is none), ids as chosen.
#[derive(Debug, Clone, Copy, Default)]
pub struct SettingsForm<'a> {
    pub name: &'a str,
    pub logo_id: Option<i64>,
    pub brand_color: Option<&'a str>,
    pub address: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub cvr: Option<&'a str>,
    pub ean: Option<&'a str>,
    pub opening_hours: Option<&'a str>,
    pub privacy_page_id: Option<i64>,
    /// (label, address) pairs; a pair left wholly blank is skipped.
    pub social_links: &'a [(String, String)],
    /// Whether the main menu shows "Nyheder".
    pub menu_news: bool,
    /// Whether the main menu shows "Andre hjemmesider".
    pub menu_directory: bool,
    /// The accessibility statement's address; blank (with a blank date) is
    /// none.
    pub statement_url: Option<&'a str>,
    /// When the statement was last reviewed, as typed (`dd.mm.åååå` or
    /// ISO); not after `today`.
    pub statement_reviewed: Option<&'a str>,
    /// The date in Copenhagen now.
    pub today: jiff::civil::Date,
}

/// A link to the municipality on social media: its label and an https
/// address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocialLink {
    /// "Facebook", "LinkedIn", …
    pub label: String,
    /// An absolute https address.
    pub url: String,
}

impl SocialLink {
    /// Validates the typed pairs, skipping wholly blank ones. The message
    /// names the link by its place ("Link 2: …").
    pub fn list(pairs: &[(String, String)]) -> Result<Vec<Self>, String> {
        let mut links = Vec::new();
        for (i, (label, url)) in pairs.iter().enumerate() {
            if label.trim().is_empty() && url.trim().is_empty() {
                continue;
            }
            let place = i + 1;
            let label = required_text(label, MAX_SOCIAL_LABEL_CHARS, "linkets navn, fx Facebook")
                .map_err(|e| format!("Link {place}: {e}"))?;
            let url = WebUrl::parse(url)
                .ok()
                .filter(|u| u.as_str().starts_with("https://"))
                .ok_or_else(|| {
                    format!(
                        "Link {place}: Skriv en fuld adresse, der begynder med https://, fx https://www.facebook.com/kommunen."
                    )
                })?;
            links.push(Self {
                label,
                url: url.as_str().to_string(),
            });
        }
        if links.len() > MAX_SOCIAL_LINKS {
            return Err(format!(
                "Der kan højst være {MAX_SOCIAL_LINKS} links til sociale medier."
            ));
        }
        Ok(links)
    }

    /// The stored form of a list of links: JSON.
    pub fn to_json(links: &[Self]) -> String {
        serde_json::to_string(links).unwrap_or_else(|_| "[]".to_string())
    }

    /// Reads the stored form, checking every link as if typed anew.
    pub fn from_json(json: &str) -> Result<Vec<Self>, String> {
        let links: Vec<Self> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let pairs: Vec<(String, String)> = links.into_iter().map(|l| (l.label, l.url)).collect();
        Self::list(&pairs)
    }
}

/// How the front page is composed: a lead story and up to
/// [`MAX_SHORTCUTS`] shortcuts ("Genveje") to pages; the latest news and
/// the directory follow by themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontPage {
    /// A news article shown first and large (while it is published).
    pub lead_news_id: Option<i64>,
    /// Pages, in order, without repeats.
    pub shortcuts: Vec<i64>,
}

impl FrontPage {
    /// Validates the chosen ids: repeats are dropped, at most
    /// [`MAX_SHORTCUTS`] remain.
    pub fn new(lead_news_id: Option<i64>, shortcuts: &[i64]) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        if lead_news_id.is_some_and(|id| id <= 0) {
            errors.add("lead_news_id", "Vælg en af nyhederne på listen.");
        }
        let mut unique: Vec<i64> = Vec::with_capacity(shortcuts.len());
        for &id in shortcuts {
            if id <= 0 {
                errors.add("shortcuts", "Vælg en af siderne på listen.");
                break;
            }
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        if unique.len() > MAX_SHORTCUTS {
            errors.add(
                "shortcuts",
                format!(
                    "Vælg højst {MAX_SHORTCUTS} genveje; der er valgt {}.",
                    unique.len()
                ),
            );
        }
        errors.into_result(|| Self {
            lead_news_id,
            shortcuts: unique,
        })
    }
}
