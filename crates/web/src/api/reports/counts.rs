//! `GET /api/v1/reports/not-found`, `/reports/searches` and
//! `/reports/views`: what the public site counted (see
//! [`raadhus_domain::counting`]), each a plain JSON array, the most counted
//! first. Up to date within about 10 seconds: each node writes its counts
//! every 5.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use raadhus_domain::counting::{MAX_REPORT_ROWS, report_rows, report_since};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::error::ErrorBody;
use crate::api::json::TokenUser;
use crate::api::{ApiError, schema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LimitQuery {
    #[param(schema_with = schema::report_limit)]
    limit: Option<String>,
}

/// The number of rows asked for, or `400`.
fn rows(query: Result<Query<LimitQuery>, QueryRejection>) -> Result<u32, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    report_rows(query.limit.as_deref()).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("limit must be a whole number from 1 to {MAX_REPORT_ROWS}"),
        )
        .field("limit")
    })
}

/// An address of this site that was not found.
#[derive(Serialize, ToSchema)]
#[schema(as = NotFoundPath)]
pub struct NotFoundJson {
    /// The path asked for, without its query string, in canonical form
    /// (percent-encoded, no trailing slash).
    path: String,
    /// How many times it answered `404 Not Found`.
    count: i64,
    /// When it was last asked for (to within a few seconds).
    #[schema(value_type = String, format = DateTime)]
    last_seen: Timestamp,
}

/// A search that found nothing.
#[derive(Serialize, ToSchema)]
#[schema(as = SearchWithoutResults)]
pub struct SearchJson {
    /// The search text, normalised: lower case, white space made single
    /// spaces, at most 100 characters.
    query: String,
    /// How many times it found nothing.
    count: i64,
}

/// The views of a public page.
#[derive(Serialize, ToSchema)]
#[schema(as = PageViews)]
pub struct ViewsJson {
    /// The page's path, in canonical form.
    path: String,
    /// Views in the last 30 days, today included.
    views: i64,
}

/// Addresses not found
///
/// Public addresses of this site that answered `404 Not Found`, the most
/// asked for first (query strings dropped). At most 10,000 addresses are
/// kept; one not asked for in 400 days is deleted.
#[utoipa::path(
    get, path = "/reports/not-found", tag = "reports", operation_id = "getNotFoundReport",
    params(LimitQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The addresses, the most asked for first.", body = Vec<NotFoundJson>),
        (status = 400, description = "`limit` is not a whole number from 1 to 1000.", body = ErrorBody),
    ),
)]
pub async fn not_found(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
    query: Result<Query<LimitQuery>, QueryRejection>,
) -> Result<Json<Vec<NotFoundJson>>, ApiError> {
    let limit = rows(query)?;
    let rows = state
        .store()
        .not_found_report(state.site().id, limit)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| NotFoundJson {
                path: r.key,
                count: r.hits,
                last_seen: r.last_seen,
            })
            .collect(),
    ))
}

/// Searches without results
///
/// Searches on the site's search page (`/soeg`, without a type or year)
/// that found nothing, the most frequent first. Searches that look like
/// personal data (CPR numbers, e-mail addresses, phone numbers) are never
/// kept. At most 10,000 searches are kept; one not made in 400 days is
/// deleted.
#[utoipa::path(
    get, path = "/reports/searches", tag = "reports", operation_id = "getSearchReport",
    params(LimitQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The searches, the most frequent first.", body = Vec<SearchJson>),
        (status = 400, description = "`limit` is not a whole number from 1 to 1000.", body = ErrorBody),
    ),
)]
pub async fn searches(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
    query: Result<Query<LimitQuery>, QueryRejection>,
) -> Result<Json<Vec<SearchJson>>, ApiError> {
    let limit = rows(query)?;
    let rows = state.store().search_report(state.site().id, limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| SearchJson {
                query: r.key,
                count: r.hits,
            })
            .collect(),
    ))
}

/// Page views
///
/// Views of public pages in the last 30 days (Copenhagen days, today
/// included), the most viewed first. Counted without cookies, IP
/// addresses or fingerprints; obvious robots are left out.
#[utoipa::path(
    get, path = "/reports/views", tag = "reports", operation_id = "getViewsReport",
    params(LimitQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The pages, the most viewed first.", body = Vec<ViewsJson>),
        (status = 400, description = "`limit` is not a whole number from 1 to 1000.", body = ErrorBody),
    ),
)]
pub async fn views(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
    query: Result<Query<LimitQuery>, QueryRejection>,
) -> Result<Json<Vec<ViewsJson>>, ApiError> {
    let limit = rows(query)?;
    let since = report_since(state.today());
    let rows = state
        .store()
        .views_report(state.site().id, since, limit)
        .await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| ViewsJson {
                path: r.path,
                views: r.views,
            })
            .collect(),
    ))
}
