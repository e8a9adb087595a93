//! The JSON content API under `/api/v1`, described by `/api/v1/openapi.json`.
//!
//! Reads of public content need no token; everything else needs
//! `Authorization: Bearer <token>` and acts as the token's user. Errors are
//! `{"error": "...", "field": "..."}` with a fitting status.

mod directory;
mod error;
mod json;
mod news;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/search", get(news::search))
        .route("/news", get(news::list).post(news::create))
        .route(
            "/news/{id}",
            get(news::show).put(news::update).delete(news::delete),
        )
        .route("/news/{id}/revisions", get(news::revisions))
        .route(
            "/contacts",
            get(directory::contacts).post(directory::create_contact),
        )
        .route(
            "/contacts/{id}",
            get(directory::contact)
                .put(directory::update_contact)
                .delete(directory::delete_contact),
        )
        .route(
            "/topics",
            get(directory::topics).post(directory::create_topic),
        )
        .route(
            "/topics/{id}",
            get(directory::topic)
                .put(directory::update_topic)
                .delete(directory::delete_topic),
        )
        .route(
            "/sites",
            get(directory::websites).post(directory::create_website),
        )
        .route(
            "/sites/{id}",
            get(directory::website)
                .put(directory::update_website)
                .delete(directory::delete_website),
        )
        .fallback(|| async { ApiError::not_found() })
        // Answers may depend on the token: never stored by caches.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
