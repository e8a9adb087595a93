//! `/api/v1/best-bets`: results editors pin for a search phrase ("Anbefalede
//! resultater", see the domain's `best_bet` module). Token only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use raadhus_domain::best_bet::{MAX_PHRASE_CHARS, MAX_TITLE_CHARS};
use raadhus_domain::{BestBet, BestBetInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use super::content::created;
use super::error::ErrorBody;
use super::json::{Acting, Id, JsonBody, TokenUser};
use super::{ApiError, schema};
use crate::AppState;

/// A best bet.
#[derive(Serialize, ToSchema)]
#[schema(as = BestBet)]
pub struct BestBetJson {
    id: i64,
    /// The search it is shown first for, as written (searches match it in
    /// any case, spacing and punctuation, with or without æ ø å).
    phrase: String,
    /// A canonical path of this site or an absolute `https://` URL.
    target: String,
    /// What the result is called.
    title: String,
}

impl From<&BestBet> for BestBetJson {
    fn from(b: &BestBet) -> Self {
        Self {
            id: b.id,
            phrase: b.phrase.clone(),
            target: b.target.clone(),
            title: b.title.clone(),
        }
    }
}

/// A best bet to make. Unknown fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BestBetRequest {
    /// The search phrase: at least one letter or digit, at most 100
    /// characters (white space inside counts as one space).
    #[schema(schema_with = schema::required_text::<{ MAX_PHRASE_CHARS }>)]
    phrase: String,
    /// A path of this site starting with `/` (a query and a fragment may
    /// follow), or an absolute `https://` URL with a host and no user name
    /// or password; at most 2000 characters, no white space inside.
    #[schema(schema_with = target_schema)]
    target: String,
    /// What the result is called. Without it, a target on this site takes
    /// the title of the page or article there (422 when nothing is
    /// published there), an https URL its host.
    #[schema(schema_with = schema::optional_text::<{ MAX_TITLE_CHARS }>)]
    title: Option<String>,
}

fn target_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^\\s*(/|https://)\\S*\\s*$"))
        .max_length(Some(2000))
        .build()
}

/// List best bets
///
/// Every best bet of the site, by phrase.
#[utoipa::path(
    get, path = "/best-bets", tag = "best-bets", operation_id = "listBestBets",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The site's best bets.", body = Vec<BestBetJson>)),
)]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(_): TokenUser,
) -> Result<Json<Vec<BestBetJson>>, ApiError> {
    let bets = state.store().best_bets(state.site().id).await?;
    Ok(Json(bets.iter().map(BestBetJson::from).collect()))
}

/// Create a best bet
///
/// Shows `target` first, marked as recommended, when someone searches for
/// `phrase` (on `/soeg` and in `/api/v1/search`), at once.
#[utoipa::path(
    post, path = "/best-bets", tag = "best-bets", operation_id = "createBestBet",
    request_body = BestBetRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new best bet.", body = BestBetJson,
            headers(("Location" = String, description = "Its address in the API."))),
        (status = 409, description = "The target is a best bet for the phrase already, or the site has 1000.", body = ErrorBody),
    ),
)]
pub async fn create(
    acting: Acting,
    JsonBody(req): JsonBody<BestBetRequest>,
) -> Result<Response, ApiError> {
    let input = BestBetInput::new(&req.phrase, &req.target, req.title.as_deref())?;
    let bet = acting
        .usecases
        .create_best_bet(acting.site, &acting.actor, &input)
        .await?;
    let location = format!("{}/best-bets/{}", super::PREFIX, bet.id);
    Ok(created(location, BestBetJson::from(&bet)))
}

/// Delete a best bet
///
/// Searches for its phrase show it no more, at once.
#[utoipa::path(
    delete, path = "/best-bets/{id}", tag = "best-bets", operation_id = "deleteBestBet",
    security(("bearerAuth" = [])),
    responses((status = 204, description = "Deleted.")),
)]
pub async fn delete(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .delete_best_bet(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
