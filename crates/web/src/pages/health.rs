//! `/healthz`: is this node able to serve? Checks the database.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

use crate::AppState;

pub async fn check(State(state): State<AppState>) -> impl IntoResponse {
    let (status, body) = match state.store().ping().await {
        Ok(()) => (StatusCode::OK, json!({ "status": "ok", "database": "ok" })),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({ "status": "error", "database": "unavailable" }),
            )
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body))
}
