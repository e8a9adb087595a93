//! The route a request was answered by, as `/metrics` counts it: the
//! pattern the site's router matched (`/nyheder/{slug}`), the same for an
//! answer from the render cache (its entry keeps the route it was rendered
//! by), [`FALLBACK`] where no route matched (a page of the page tree, an
//! address not found) and [`UNKNOWN_HOST`] for a host no site has.

use std::sync::Arc;

use axum::extract::{MatchedPath, Request};
use axum::http::Extensions;
use axum::middleware::Next;
use axum::response::Response;

/// What no route of a site's router matched.
pub const FALLBACK: &str = "fallback";
/// A request for a host no site has.
pub const UNKNOWN_HOST: &str = "unknown-host";
/// A media file kept in memory (served before routing).
pub const MEDIA_FILE: &str = "/medier/{id}/{key}/{name}";

/// A route's name.
#[derive(Debug, Clone)]
pub enum Route {
    Matched(Arc<str>),
    Named(&'static str),
}

impl Route {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Matched(pattern) => pattern,
            Self::Named(name) => name,
        }
    }

    /// The route a response with `extensions` was answered by (see
    /// [`mark`]).
    pub fn of_parts(extensions: &Extensions) -> Self {
        extensions
            .get::<Self>()
            .cloned()
            .unwrap_or(Self::Named(FALLBACK))
    }
}

/// Middleware of the matched routes: puts the route on the response.
pub async fn mark(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| Route::Matched(Arc::from(matched.as_str())));
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}
