//! Public pages, one module per feature.

mod directory;
mod feeds;
mod health;
mod home;
mod media;
mod moved;
mod news;
mod page;
pub(crate) mod search;
mod sitemap;

pub(crate) use news::render_preview;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/nyheder", get(news::list))
        .route("/nyheder/feed.atom", get(feeds::atom))
        .route("/nyheder/feed.rss", get(feeds::rss))
        .route("/nyheder/{slug}", get(news::show))
        .route("/soeg", get(search::show))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .route("/hjemmesider", get(directory::show))
        .route("/healthz", get(health::check))
        .route("/was", get(accessibility_statement))
        .route("/static/{file}", get(crate::assets::serve))
        .route("/static/brand/{file}", get(crate::layout::brand_css))
        .route("/medier/{id}/{key}/{name}", get(media::serve))
}

/// What the application answers where no route is: a content page at its
/// path of slugs (any depth), a redirect from an old address, or not found.
/// (A fallback, not a route `/{*path}`: that would take paths from the
/// API's own fallback.)
pub use page::show as page_or_not_found;

/// `/was`: the accessibility statement in the national WAS-tool, if configured.
async fn accessibility_statement(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<axum::response::Redirect, crate::WebError> {
    state
        .inner
        .was_url
        .as_ref()
        .map(|u| axum::response::Redirect::to(u.as_str()))
        .ok_or(crate::WebError::NotFound)
}

/// Every query parameter a public page reads (with the search's aliases).
/// Others, such as `utm_source` or `fbclid` on shared links, change nothing
/// on the page, so the render cache leaves them out of its keys.
pub(crate) const QUERY_PARAMETERS: &[&str] = &[
    "side",
    "q",
    "type",
    "year",
    "aar",
    "page",
    "emne",
    "hjemmeside",
    "vis",
];

/// The short text above the directory form, on the front page and its own page.
const DIRECTORY_INTRO: &str = "Kommunens skoler, dagtilbud, biblioteker og mange andre institutioner og afdelinger har deres egen hjemmeside. Vælg et emne og derefter den hjemmeside, du vil besøge.";
