//! Public pages, one module per feature.

mod directory;
mod feedback;
mod feeds;
mod health;
mod home;
mod media;
mod moved;
mod news;
mod page;
pub(crate) mod search;
mod sitemap;

pub(crate) use feedback::{FeedbackLimiter, limiter as feedback_limiter};
pub(crate) use news::render_preview as news_preview;
pub(crate) use page::render_preview as page_preview;

use axum::Router;
use axum::routing::{get, post};

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
        .route("/tilbagemelding", post(feedback::answer))
        .route("/tilbagemelding/kommentar", post(feedback::comment))
}

/// What the application answers where no route is: a content page at its
/// path of slugs (any depth), a redirect from an old address, or not found.
/// (A fallback, not a route `/{*path}`: that would take paths from the
/// API's own fallback.)
pub use page::show as page_or_not_found;

/// `/was`: the site's accessibility statement in the national WAS-tool, if
/// it has one.
async fn accessibility_statement(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<axum::response::Redirect, crate::WebError> {
    let settings = state.store().site_settings(state.site().id).await?;
    state
        .statement(&settings)
        .map(|s| axum::response::Redirect::to(&s.url))
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
    "alle",
    "all_sites",
];

/// The short text above the directory form, on the front page and its own page.
const DIRECTORY_INTRO: &str = "Kommunens skoler, dagtilbud, biblioteker og mange andre institutioner og afdelinger har deres egen hjemmeside. Vælg et emne og derefter den hjemmeside, du vil besøge.";

#[cfg(test)]
mod tests {
    use raadhus_domain::urls;

    /// The first segments of every route path written in the web crate's
    /// source (each `route` call with a literal path), and of the API prefix.
    fn routed_first_segments() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![root];
        let mut segments = vec![crate::api::PREFIX.to_string()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                for (_, rest) in source
                    .match_indices(".route(")
                    .map(|(i, _)| source.split_at(i + 7))
                {
                    let rest = rest.trim_start();
                    if let Some(literal) = rest.strip_prefix('"') {
                        let end = literal.find('"').unwrap();
                        segments.push(literal[..end].to_string());
                    }
                }
            }
        }
        segments
            .iter()
            .filter_map(|p| p.strip_prefix('/'))
            .map(|p| p.split('/').next().unwrap_or("").to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A top-level page may never take an address the router answers.
    #[test]
    fn every_first_segment_the_router_answers_is_reserved_for_the_application() {
        let segments = routed_first_segments();
        for expected in ["nyheder", "admin", "api", "static", "medier", "sitemap.xml"] {
            assert!(
                segments.iter().any(|s| s == expected),
                "{expected} not found"
            );
        }
        for segment in &segments {
            assert!(
                urls::is_reserved(segment),
                "/{segment} is routed but not reserved"
            );
        }
    }
}
