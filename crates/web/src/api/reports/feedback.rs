//! `GET /api/v1/reports/feedback`: the answers to "Fandt du det, du
//! søgte?" per page and article, with the comments of the last 90 days.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use raadhus_store::FeedbackRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiError;
use crate::api::json::TokenUser;

/// A visitor's comment after answering "Nej".
#[derive(Serialize, ToSchema)]
#[schema(as = FeedbackComment)]
pub struct CommentJson {
    /// As the visitor wrote it: plain text, never HTML.
    text: String,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
}

/// The feedback on one page or article.
#[derive(Serialize, ToSchema)]
#[schema(as = FeedbackItem)]
pub struct ItemJson {
    /// The public address of the page or article.
    path: String,
    /// How many answered "Ja".
    yes: i64,
    /// How many answered "Nej".
    no: i64,
    /// Newest first; kept 90 days.
    comments: Vec<CommentJson>,
}

fn item(row: FeedbackRow) -> ItemJson {
    ItemJson {
        path: row.path,
        yes: row.tally.yes,
        no: row.tally.no,
        comments: row
            .tally
            .comments
            .into_iter()
            .map(|c| CommentJson {
                text: c.body,
                created_at: c.created_at,
            })
            .collect(),
    }
}

/// Feedback report
///
/// The answers to "Fandt du det, du søgte?" under pages and articles (not
/// in the bin): per page or article, how many answered "Ja" and "Nej" over
/// all time, and the comments given after "Nej" in the last 90 days. The
/// largest share of "Nej" comes first.
#[utoipa::path(
    get, path = "/reports/feedback", tag = "reports", operation_id = "getFeedbackReport",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The pages and articles with answers or comments, the largest share of \"Nej\" first.", body = Vec<ItemJson>)),
)]
pub async fn feedback(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
) -> Result<Json<Vec<ItemJson>>, ApiError> {
    let rows = state.store().feedback_report(state.site().id).await?;
    Ok(Json(rows.into_iter().map(item).collect()))
}
