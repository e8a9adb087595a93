//! `/api/v1/redirects`: redirects from addresses of this site (see the
//! domain's `redirect` module). Token only.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{Redirect, RedirectInput};
use raadhus_store::Page;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::{IntoParams, ToSchema};

use super::content::created;
use super::error::ErrorBody;
use super::json::{Acting, Id, JsonBody, TokenUser};
use super::{ApiError, schema};
use crate::AppState;

const PER_PAGE: u32 = 50;

/// A redirect.
#[derive(Serialize, ToSchema)]
#[schema(as = Redirect)]
pub struct RedirectJson {
    id: i64,
    /// The path of this site it redirects from, in canonical form
    /// (percent-encoded, no trailing slash).
    from: String,
    /// A path of this site (with any query and fragment) or an absolute
    /// `https://` URL. A chain is stored collapsed: this is the final target.
    to: String,
    /// `true`: `301 Moved Permanently`; `false`: `302 Found`.
    permanent: bool,
}

impl From<&Redirect> for RedirectJson {
    fn from(r: &Redirect) -> Self {
        Self {
            id: r.id,
            from: r.from.clone(),
            to: r.to.clone(),
            permanent: r.permanent,
        }
    }
}

/// A redirect just made, with what to know about it.
#[derive(Serialize, ToSchema)]
#[schema(as = RedirectCreated)]
pub struct CreatedJson {
    #[serde(flatten)]
    redirect: RedirectJson,
    /// In Danish: a public page or article lives at `from` and keeps
    /// answering there (the redirect works once it moves away). Empty when
    /// there is nothing to say.
    warnings: Vec<String>,
}

/// A redirect to make. Unknown fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedirectRequest {
    /// A path of this site starting with `/`: no query or fragment, no
    /// `//`, `.` or `..` segments, no control characters, at most 1000
    /// characters; percent escapes are read as UTF-8 and a trailing slash
    /// dropped. Not the front page nor one of the site's own addresses
    /// (`/admin`, `/api`, `/static`, `/medier`, `/nyheder`, its feeds,
    /// `/soeg`, …; old article addresses under `/nyheder/` may be
    /// redirected).
    #[schema(schema_with = from_schema)]
    from: String,
    /// A path of this site starting with `/` (a query and a fragment may
    /// follow), or an absolute `https://` URL with a host and no user name
    /// or password; at most 2000 characters, not `from` itself. A target
    /// that is another redirect's `from` is collapsed to that one's target;
    /// a loop is refused (422). No white space inside (write `%20`).
    #[schema(schema_with = to_schema)]
    to: String,
    /// `true` (the default): `301 Moved Permanently`; `false`: `302 Found`.
    #[serde(default = "permanent_default")]
    permanent: bool,
}

fn permanent_default() -> bool {
    true
}

/// What the schema says of `from`: a path, without query or fragment, at
/// most 1000 characters (the rules it cannot state are in words).
fn from_schema() -> Object {
    text_schema("^\\s*/[^?#]*$", 1000)
}

/// What the schema says of `to`: a path or an `https://` URL without white
/// space, at most 2000 characters.
fn to_schema() -> Object {
    text_schema("^\\s*(/|https://)\\S*\\s*$", 2000)
}

fn text_schema(pattern: &str, max: usize) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .max_length(Some(max))
        .build()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(schema_with = schema::page_number)]
    page: Option<String>,
    /// Only redirects whose `from` or `to` contains this (any case).
    #[param(schema_with = schema::form_text::<200>)]
    q: Option<String>,
}

/// A page of redirects, newest first.
#[derive(Serialize, ToSchema)]
#[schema(as = RedirectList)]
pub struct RedirectList {
    page: u32,
    pages: u32,
    per_page: u32,
    total: u64,
    items: Vec<RedirectJson>,
}

/// List redirects
///
/// The site's redirects, newest first, 50 a page; `q` filters them.
#[utoipa::path(
    get, path = "/redirects", tag = "redirects", operation_id = "listRedirects",
    params(ListQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of redirects.", body = RedirectList),
        (status = 400, description = "`page` is not a whole number from 1 up, or `q` is longer than 200 characters or holds a character no text may hold.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(_): TokenUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<RedirectList>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let number = parse_page_number(query.page.as_deref())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).field("page"))?;
    let search = query.q.unwrap_or_default();
    raadhus_domain::validation::optional_text(Some(&search), 200)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e).field("q"))?;
    let page = Page {
        number,
        size: PER_PAGE,
    };
    let (items, total) = state
        .store()
        .redirects(state.site().id, &search, page)
        .await?;
    Ok(Json(RedirectList {
        page: number,
        pages: page_count(total, PER_PAGE),
        per_page: PER_PAGE,
        total,
        items: items.iter().map(RedirectJson::from).collect(),
    }))
}

/// Create a redirect
///
/// Makes `from` answer `301` (or `302`) with `to`; the request's query is
/// passed on. Public pages and articles keep answering at their addresses:
/// a redirect from one is made, with a warning, and works once the content
/// moves away.
#[utoipa::path(
    post, path = "/redirects", tag = "redirects", operation_id = "createRedirect",
    request_body = RedirectRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new redirect, as stored (a chain collapsed), with `warnings`.", body = CreatedJson,
            headers(("Location" = String, description = "Its address in the API."))),
        (status = 409, description = "A redirect from `from` exists.", body = ErrorBody),
    ),
)]
pub async fn create(
    acting: Acting,
    JsonBody(req): JsonBody<RedirectRequest>,
) -> Result<Response, ApiError> {
    let input = RedirectInput::new(&req.from, &req.to, req.permanent)?;
    let made = acting
        .usecases
        .create_redirect(acting.site, &acting.actor, &input)
        .await?;
    let location = format!("{}/redirects/{}", super::PREFIX, made.redirect.id);
    Ok(created(
        location,
        CreatedJson {
            redirect: RedirectJson::from(&made.redirect),
            warnings: made.warnings,
        },
    ))
}

/// Delete a redirect
///
/// Its address answers as if it had none, at once.
#[utoipa::path(
    delete, path = "/redirects/{id}", tag = "redirects", operation_id = "deleteRedirect",
    security(("bearerAuth" = [])),
    responses((status = 204, description = "Deleted.")),
)]
pub async fn delete(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .delete_redirect(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
