//! The JSON content API under `/api/v1`, described by `/api/v1/openapi.json`,
//! a document made from these routes and their types (see [`doc`]).
//!
//! Reads of public content need no token; everything else needs
//! `Authorization: Bearer <token>` and acts as the token's user. Errors are
//! `{"error": "...", "field": "..."}` with a fitting status.

mod best_bets;
mod content;
mod doc;
mod error;
mod json;
mod media;
mod news;
mod pages;
mod records;
mod redirects;
mod reports;
mod schema;
mod search;
mod site;

use std::sync::{Arc, OnceLock};

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use raadhus_domain::{ContactPerson, Topic, Website};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;

use crate::AppState;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// The routes of `/api/v1` and the OpenAPI document describing them.
fn described() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(doc::base())
        .routes(routes!(openapi))
        .routes(routes!(search::search))
        .routes(routes!(news::list, news::create))
        .routes(routes!(news::show, news::update, news::delete))
        .routes(routes!(news::revisions))
        .routes(routes!(pages::list, pages::create))
        .routes(routes!(pages::show, pages::update, pages::delete))
        .routes(routes!(pages::move_page))
        .routes(routes!(site::show, site::update))
        .routes(routes!(redirects::list, redirects::create))
        .routes(routes!(redirects::delete))
        .routes(routes!(best_bets::list, best_bets::create))
        .routes(routes!(best_bets::delete))
        .merge(media::routes())
        .merge(reports::routes())
        .merge(records::routes::<ContactPerson>())
        .merge(records::routes::<Topic>())
        .merge(records::routes::<Website>())
        .split_for_parts();
    news::describe(&mut doc);
    pages::describe(&mut doc);
    doc::complete(&mut doc, PREFIX);
    (router, doc)
}

/// The OpenAPI document of `/api/v1`, as served at `/api/v1/openapi.json`.
pub fn openapi_json() -> String {
    described().1.to_pretty_json().unwrap_or_default()
}

pub fn router() -> Router<AppState> {
    // The document is the same for every site: one copy serves them all.
    static DOCUMENT: OnceLock<Arc<str>> = OnceLock::new();
    let (router, doc) = described();
    let doc = DOCUMENT
        .get_or_init(|| doc.to_json().unwrap_or_default().into())
        .clone();
    router
        .layer(Extension(Document(doc)))
        .fallback(|| async { ApiError::not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        })
        // Answers may depend on the token: never stored by caches.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[derive(Clone)]
struct Document(Arc<str>);

/// This document
///
/// The OpenAPI document of this API, made from the server's code.
#[utoipa::path(
    get, path = "/openapi.json", tag = "meta", operation_id = "getOpenApi",
    responses((status = 200, description = "The OpenAPI 3.1 document.", content_type = "application/json")),
)]
async fn openapi(Extension(Document(doc)): Extension<Document>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
}
