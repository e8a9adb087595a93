//! The JSON content API under `/api/v1`, described by `/api/v1/openapi.json`.
//!
//! Reads of public content need no token; everything else needs
//! `Authorization: Bearer <token>` and acts as the token's user. Errors are
//! `{"error": "...", "field": "..."}` with a fitting status.

mod error;
mod json;
mod news;
mod records;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::get;
use raadhus_domain::{ContactPerson, Topic, Website};
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
        .merge(records::routes::<ContactPerson>())
        .merge(records::routes::<Topic>())
        .merge(records::routes::<Website>())
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
