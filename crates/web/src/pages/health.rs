//! `/healthz`: is this node able to serve? Checks the database and says
//! which kind it is.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

use crate::AppState;

pub async fn check(State(state): State<AppState>) -> impl IntoResponse {
    let backend = match state.store().backend() {
        raadhus_store::Backend::Sqlite => "sqlite",
        raadhus_store::Backend::Postgres => "postgresql",
    };
    let (status, body) = match state.store().ping().await {
        Ok(()) => (
            StatusCode::OK,
            json!({ "status": "ok", "database": "ok", "backend": backend, "cache": state.cache().stats() }),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "status": "error", "database": "unavailable", "backend": backend }),
            )
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body))
}
