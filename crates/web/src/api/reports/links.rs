//! `GET /api/v1/reports/links`: the links to other sites that the
//! background link checker found broken, with where each is used.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use raadhus_domain::link_check::SourceKind;
use raadhus_usecases::BrokenLink;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::admin::links::edit_url;
use crate::api::ApiError;
use crate::api::json::TokenUser;

/// What uses a link.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = LinkUseKind)]
pub enum KindJson {
    News,
    Page,
    Website,
}

/// A place a link is used: an article's or page's body, or a website of
/// the directory.
#[derive(Serialize, ToSchema)]
#[schema(as = LinkUse)]
pub struct UseJson {
    kind: KindJson,
    /// The article's, page's or website's id (as in `/news/{id}`,
    /// `/pages/{id}`, `/websites/{id}`).
    id: i64,
    /// Its title (a website's name).
    title: String,
    /// The path of its edit screen in the admin, e.g. `/admin/nyheder/12`.
    admin_url: String,
}

/// A broken link.
#[derive(Serialize, ToSchema)]
#[schema(as = BrokenLink)]
pub struct BrokenJson {
    /// The address as checked (absolute, without a `#fragment`).
    url: String,
    /// The final HTTP status (redirects followed), when the server answered.
    status: Option<u16>,
    /// Why there was no answer (time-out, unknown host, refused connection,
    /// bad certificate, too many redirects), in Danish; `null` when
    /// `status` says it.
    error: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    checked_at: Timestamp,
    /// Where the content links to it now; never empty.
    used_in: Vec<UseJson>,
}

fn broken(b: BrokenLink) -> BrokenJson {
    BrokenJson {
        url: b.check.url,
        status: b.check.status,
        error: b.check.error,
        checked_at: b.check.checked_at,
        used_in: b
            .used_in
            .into_iter()
            .map(|u| UseJson {
                kind: match u.kind {
                    SourceKind::News => KindJson::News,
                    SourceKind::Page => KindJson::Page,
                    SourceKind::Website => KindJson::Website,
                },
                admin_url: edit_url(u.kind, u.id),
                id: u.id,
                title: u.title,
            })
            .collect(),
    }
}

/// Broken links
///
/// The links to other sites, in articles' and pages' bodies (not in the
/// bin) and the directory's websites, that the last background check found
/// broken: a final status of 4xx or 5xx (redirects followed, at most 5), or
/// no answer at all. A server answering `429` is asked again at the next
/// check and is not listed; neither are addresses in private networks,
/// which are not checked. Ordered by address.
#[utoipa::path(
    get, path = "/reports/links", tag = "reports", operation_id = "getBrokenLinksReport",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The broken links.", body = Vec<BrokenJson>)),
)]
pub async fn links(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
) -> Result<Json<Vec<BrokenJson>>, ApiError> {
    let rows = state
        .usecases()
        .broken_links(state.site().id, state.urls())
        .await?;
    Ok(Json(rows.into_iter().map(broken).collect()))
}
