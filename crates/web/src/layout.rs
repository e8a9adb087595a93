//! What every public and admin page's layout shows around its content: the
//! municipality's name and logo in the header, its brand colour, the main
//! menu, and the footer's facts. Read from the database for each page
//! rendered (public pages are then served from the render cache, which a
//! change of the settings empties on every node).

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use raadhus_domain::page::PageNode;
use raadhus_domain::settings::BrandColor;
use raadhus_domain::{Media, MediaKind, SiteSettings};
use serde::Serialize;

use crate::{AppState, WebError};

/// How tall the header shows the logo, in CSS pixels (see the header's
/// section of the stylesheet).
const LOGO_HEIGHT: u32 = 48;

/// The layout's facts, read once per page.
pub(crate) struct Layout {
    pub settings: SiteSettings,
    logo: Option<Media>,
    /// The privacy page's title and path, while it is published.
    privacy: Option<(String, String)>,
    /// The top-level pages the public sees now, in order: the main menu's.
    menu_pages: Vec<PageNode>,
}

/// An entry of the main menu.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MenuEntry {
    pub title: String,
    pub url: String,
    /// The page shown is this entry or below it.
    pub current: bool,
}

impl AppState {
    /// The site's settings and its logo, as they are now.
    pub(crate) async fn layout(&self) -> Result<Layout, WebError> {
        let settings = self.store().site_settings(self.site().id).await?;
        let logo = match settings.logo_id {
            Some(id) => self
                .store()
                .media(self.site().id, id)
                .await?
                .filter(|m| m.kind == MediaKind::Image),
            None => None,
        };
        self.cache().footer_shows(settings.privacy_page_id);
        let privacy = match settings.privacy_page_id {
            Some(id) => self.public_page_link(id).await?,
            None => None,
        };
        let menu_pages = self.menu_pages().await?;
        Ok(Layout {
            settings,
            logo,
            privacy,
            menu_pages,
        })
    }

    /// The layout as it is now, or the offline one while the database cannot
    /// be read (for pages that need nothing else from it).
    pub(crate) async fn layout_or_offline(&self) -> Layout {
        match self.layout().await {
            Ok(layout) => layout,
            Err(e) => {
                tracing::warn!(error = %e, "layout shown without the site's settings");
                Layout::offline(&self.site().name)
            }
        }
    }

    /// The top-level pages the public sees now, in order; the cache learns
    /// them, and when the menu next changes by itself.
    async fn menu_pages(&self) -> Result<Vec<PageNode>, WebError> {
        let now = self.now();
        let top = self.store().page_children(self.site().id, None).await?;
        let expires = top
            .iter()
            .flat_map(|n| [n.publish_at, n.unpublish_at])
            .flatten()
            .filter(|&t| t > now)
            .min();
        let shown: Vec<PageNode> = top
            .into_iter()
            .filter(|n| n.visibility(now) == raadhus_domain::Visibility::Public)
            .collect();
        self.cache()
            .menu_shows(shown.iter().map(|n| n.id).collect(), expires);
        Ok(shown)
    }

    /// The title and path of page `id`, if the public sees it now (it is
    /// not in the bin, and it and every page above it are public).
    pub(crate) async fn public_page_link(
        &self,
        id: i64,
    ) -> Result<Option<(String, String)>, WebError> {
        if self.store().page_by_id(self.site().id, id).await?.is_none() {
            return Ok(None);
        }
        let lineage = self.store().page_lineage(self.site().id, id).await?;
        let now = self.now();
        let public = lineage
            .iter()
            .all(|n| n.visibility(now) == raadhus_domain::Visibility::Public);
        Ok(match lineage.last() {
            Some(page) if public && page.id == id => Some((page.title.clone(), page.path.clone())),
            _ => None,
        })
    }

    /// The municipality's name as it is now (the name in [`AppState::site`]
    /// is the one it had when this node started).
    pub(crate) async fn site_name(&self) -> Result<String, WebError> {
        Ok(self.store().site_settings(self.site().id).await?.name)
    }
}

impl Layout {
    /// The layout of a page shown while the database is away (an error
    /// page): the name this node started with, no logo, no pages in the
    /// menu, no footer facts — nothing that would wait for the database
    /// once more.
    pub fn offline(site_name: &str) -> Self {
        Self {
            settings: SiteSettings::named(site_name),
            logo: None,
            privacy: None,
            menu_pages: Vec::new(),
        }
    }

    /// The main menu: the front page, the top-level pages, and news and the
    /// directory as the site chooses. `current` is the meta's current entry ("forside",
    /// "nyheder", "hjemmesider", a top-level page's path or "").
    pub fn menu(&self, current: &str) -> Vec<MenuEntry> {
        let entry = |title: &str, url: &str, key: &str| MenuEntry {
            title: title.into(),
            url: url.into(),
            current: key == current,
        };
        std::iter::once(entry("Forside", "/", "forside"))
            .chain(
                self.menu_pages
                    .iter()
                    .map(|n| entry(&n.title, &n.path, &n.path)),
            )
            .chain(
                self.settings
                    .menu_news
                    .then(|| entry("Nyheder", "/nyheder", "nyheder")),
            )
            .chain(
                self.settings
                    .menu_directory
                    .then(|| entry("Andre hjemmesider", "/hjemmesider", "hjemmesider")),
            )
            .collect()
    }

    /// The `site` the templates see.
    pub fn site(&self, has_statement: bool) -> Value {
        let s = &self.settings;
        let lines = |text: &Option<String>| -> Vec<String> {
            text.iter()
                .flat_map(|t| t.lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        context! {
            name => s.name.clone(),
            has_statement => has_statement,
            logo => self.logo.as_ref().map(logo),
            brand_css => s.brand_color.as_ref().map(brand_css_url),
            address => lines(&s.address),
            phone => s.phone.as_ref().map(|p| context! { text => p.display(), tel => p.tel_uri() }),
            email => s.email.as_ref().map(|e| context! { text => e.as_str(), mailto => e.mailto() }),
            cvr => s.cvr.as_ref().map(|c| c.as_str().to_string()),
            ean => s.ean.as_ref().map(|e| e.as_str().to_string()),
            opening_hours => lines(&s.opening_hours),
            privacy => self.privacy.as_ref().map(|(title, url)| context! { title => title, url => url }),
            social => s.social_links.iter().map(|l| context! { label => l.label.clone(), url => l.url.clone() }).collect::<Vec<_>>(),
        }
    }
}

/// The header's logo: the cleaned original (an uploaded PNG keeps its
/// transparency), at [`LOGO_HEIGHT`], its alt text empty: the link holding
/// it names the site in text.
fn logo(media: &Media) -> Value {
    let (w, h) = (
        media.width.unwrap_or(1).max(1),
        media.height.unwrap_or(1).max(1),
    );
    let width = (u64::from(w) * u64::from(LOGO_HEIGHT)).div_ceil(u64::from(h));
    context! {
        src => media.url(),
        width => width,
        height => LOGO_HEIGHT,
    }
}

/// Where the stylesheet of a brand colour is: named by the colour, so it
/// never changes and may be cached for good.
fn brand_css_url(color: &BrandColor) -> String {
    format!("/static/brand/{}.css", &color.as_str()[1..])
}

/// `/static/brand/{rrggbb}.css`: the custom properties of a brand colour.
/// A stylesheet rather than a `style` attribute or element, so the
/// Content-Security-Policy stays `style-src 'self'` without hashes. Only
/// colours white text is readable on are served.
pub(crate) async fn brand_css(Path(file): Path<String>) -> Result<Response, WebError> {
    let hex = file.strip_suffix(".css").ok_or(WebError::NotFound)?;
    if hex.len() != 6 || hex != hex.to_ascii_lowercase() {
        return Err(WebError::NotFound);
    }
    let color = BrandColor::parse(hex).map_err(|_| WebError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        brand_stylesheet(&color),
    )
        .into_response())
}

/// `:root` with `--brand` and `--brand-dark` (the colour with 30 % black,
/// for hover: darker still, so white on it stays readable).
fn brand_stylesheet(color: &BrandColor) -> String {
    let [r, g, b] = color.rgb().map(|c| (u16::from(c) * 7 / 10) as u8);
    format!(":root {{ --brand: {color}; --brand-dark: #{r:02x}{g:02x}{b:02x}; }}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brand_stylesheet_sets_the_colour_and_a_darker_one() {
        let color = BrandColor::parse("#1a5c8e").unwrap();
        assert_eq!(brand_css_url(&color), "/static/brand/1a5c8e.css");
        assert_eq!(
            brand_stylesheet(&color),
            ":root { --brand: #1a5c8e; --brand-dark: #124063; }\n"
        );
    }
}
