//! Breadcrumbs: the trail from the front page to the page shown
//! (`Forside › Nyheder › title`), for the template
//! `partials/breadcrumbs.html` and as schema.org `BreadcrumbList` JSON-LD.
//!
//! A page builds its trail from its ancestors and itself:
//!
//! ```ignore
//! let crumbs = Breadcrumbs::new(
//!     [Crumb::new("Borger", "/borger")],
//!     Crumb::new("Affald og genbrug", "/borger/affald-og-genbrug"),
//! );
//! let ctx = context! {
//!     breadcrumbs => crumbs.value(),
//!     structured_data => views::structured_data(vec![crumbs.json_ld(state.urls())]),
//! };
//! ```
//!
//! and its template includes `partials/breadcrumbs.html` first in `main`.

use minijinja::Value;
use minijinja::value::Serde;
use raadhus_domain::SiteUrls;
use serde::Serialize;

/// The first crumb of every trail.
pub const FRONT_PAGE: &str = "Forside";

/// One step of the trail: what it is called and its path on this site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Crumb {
    pub label: String,
    pub path: String,
}

impl Crumb {
    pub fn new(label: impl Into<String>, path: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            path: path.into(),
        }
    }
}

/// A whole trail: "Forside", the ancestors, the current page last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breadcrumbs {
    crumbs: Vec<Crumb>,
}

impl Breadcrumbs {
    /// The trail to `current` through `ancestors` (outermost first, without
    /// the front page, which is always put first).
    pub fn new(ancestors: impl IntoIterator<Item = Crumb>, current: Crumb) -> Self {
        let mut crumbs = vec![Crumb::new(FRONT_PAGE, "/")];
        crumbs.extend(ancestors);
        crumbs.push(current);
        Self { crumbs }
    }

    /// What `partials/breadcrumbs.html` reads as `breadcrumbs`.
    pub fn value(&self) -> Value {
        Value::from(Serde(&self.crumbs))
    }

    /// schema.org `BreadcrumbList`, without `@context`: give it to
    /// [`crate::views::structured_data`], alone or beside the page's other items.
    pub fn json_ld(&self, urls: &SiteUrls) -> serde_json::Value {
        let items: Vec<_> = self
            .crumbs
            .iter()
            .enumerate()
            .map(|(i, c)| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": c.label,
                    "item": urls.absolute(&c.path),
                })
            })
            .collect();
        serde_json::json!({ "@type": "BreadcrumbList", "itemListElement": items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> SiteUrls {
        SiteUrls::new(url::Url::parse("https://www.kommune.example/").unwrap())
    }

    #[test]
    fn the_front_page_comes_first_and_the_current_page_last() {
        let crumbs = Breadcrumbs::new(
            [
                Crumb::new("Borger", "/borger"),
                Crumb::new("Affald og genbrug", "/borger/affald-og-genbrug"),
            ],
            Crumb::new("Storskrald", "/borger/affald-og-genbrug/storskrald"),
        );
        let labels: Vec<_> = crumbs.crumbs.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Forside", "Borger", "Affald og genbrug", "Storskrald"]
        );
        assert_eq!(crumbs.crumbs[0].path, "/");
    }

    #[test]
    fn json_ld_lists_every_crumb_with_its_position_and_absolute_url() {
        let crumbs = Breadcrumbs::new(
            [Crumb::new("Nyheder", "/nyheder")],
            Crumb::new("Ny skole", "/nyheder/ny-skole"),
        );
        let ld = crumbs.json_ld(&urls());
        assert_eq!(ld["@type"], "BreadcrumbList");
        let items = ld["itemListElement"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0]["position"], 1);
        assert_eq!(items[0]["name"], "Forside");
        assert_eq!(items[0]["item"], "https://www.kommune.example/");
        assert_eq!(items[2]["@type"], "ListItem");
        assert_eq!(items[2]["position"], 3);
        assert_eq!(items[2]["name"], "Ny skole");
        assert_eq!(
            items[2]["item"],
            "https://www.kommune.example/nyheder/ny-skole"
        );
    }
}
