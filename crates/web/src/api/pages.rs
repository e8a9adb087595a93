//! `/api/v1/pages`: content pages in a tree.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use raadhus_domain::page::{PageDraft, PageForm, PageNode, Placement, WebPage, public_only};
use raadhus_domain::{Visibility, news};
use raadhus_usecases::{PageAt, Saved};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{PartialSchema, ToSchema};

use super::content::{
    ContactRef, LinkWarningJson, api_time, change_version, contact_refs, created, describe_change,
    read_contacts, status, warnings_json,
};
use super::error::ErrorBody;
use super::json::{Acting, Id, Int, JsonBody, MaybeTokenUser};
use super::records::ContactJson;
use super::{ApiError, schema};
use crate::AppState;

/// A page.
#[derive(Serialize, ToSchema)]
#[schema(as = Page)]
pub struct PageJson {
    id: i64,
    /// The page above it; null at the top level.
    parent_id: Option<i64>,
    /// Its place among its siblings, from 0.
    position: i64,
    /// Its address on the site: the slugs of its ancestors and its own.
    #[schema(example = "/borger/affald-og-genbrug")]
    path: String,
    /// Its public page.
    url: String,
    slug: String,
    title: String,
    lead: Option<String>,
    /// CommonMark source.
    body: String,
    /// `published` only once its publish time has come: else `scheduled`,
    /// and `expired` after its unpublish time.
    #[schema(value_type = String, example = "published")]
    status: &'static str,
    #[schema(value_type = Option<String>, format = DateTime)]
    publish_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    unpublish_at: Option<Timestamp>,
    contacts: Vec<ContactJson>,
    /// The page's image: a file of the media library (`/api/v1/media`).
    image_id: Option<i64>,
    /// The version a change must be based on (`PUT`).
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
    /// Only in the answer to a save (`POST`, `PUT`): the links of its body
    /// to this site's news, pages and files that lead nowhere or to an old
    /// address. The save is done all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<LinkWarningJson>, required = false)]
    warnings: Option<Vec<LinkWarningJson>>,
}

fn page_json(state: &AppState, p: &WebPage) -> PageJson {
    let c = &p.content;
    PageJson {
        id: p.id,
        parent_id: p.parent_id,
        position: p.position,
        path: p.path.clone(),
        url: state.urls().absolute(&p.path),
        slug: c.slug.to_string(),
        title: c.title.clone(),
        lead: c.lead.clone(),
        body: c.body.clone(),
        status: p.visibility(state.now()).as_str(),
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
        contacts: p.contacts.iter().map(ContactJson::from).collect(),
        image_id: c.image_id,
        version: p.version,
        created_at: p.created_at,
        updated_at: p.updated_at,
        warnings: None,
    }
}

/// A saved page, with the warnings about its links.
fn saved_json(state: &AppState, saved: Saved<WebPage>) -> PageJson {
    PageJson {
        warnings: warnings_json(saved.warnings),
        ..page_json(state, &saved.item)
    }
}

/// A page in the tree.
#[derive(Serialize, ToSchema)]
#[schema(as = PageTreeItem)]
pub struct TreeItem {
    id: i64,
    parent_id: Option<i64>,
    position: i64,
    /// 1 at the top level.
    depth: usize,
    path: String,
    url: String,
    title: String,
    lead: Option<String>,
    #[schema(value_type = String, example = "published")]
    status: &'static str,
    version: i64,
}

/// Every page, in tree order: each page followed by its subpages, siblings
/// by position.
#[derive(Serialize, ToSchema)]
#[schema(as = PageTree)]
pub struct PageTree {
    items: Vec<TreeItem>,
}

/// List the pages (the tree)
///
/// The pages the public sees for everyone (a page whose parent is not
/// public is not either); with a token, every page not in the bin.
#[utoipa::path(
    get, path = "/pages", tag = "pages", operation_id = "listPages",
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The tree of pages.", body = PageTree)),
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeTokenUser(user): MaybeTokenUser,
) -> Result<Json<PageTree>, ApiError> {
    let now = state.now();
    let mut nodes: Vec<PageNode> = state.store().page_tree(state.site().id).await?;
    if user.is_none() {
        nodes = public_only(nodes, now);
    }
    let items = nodes
        .into_iter()
        .map(|n| TreeItem {
            depth: n.depth(),
            url: state.urls().absolute(&n.path),
            status: n.visibility(now).as_str(),
            id: n.id,
            parent_id: n.parent_id,
            position: n.position,
            path: n.path,
            title: n.title,
            lead: n.lead,
            version: n.version,
        })
        .collect();
    Ok(Json(PageTree { items }))
}

/// Get a page
///
/// Pages the public sees for everyone, any (not in the bin) with a token.
#[utoipa::path(
    get, path = "/pages/{id}", tag = "pages", operation_id = "getPage",
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The page.", body = PageJson)),
)]
pub async fn show(
    State(state): State<AppState>,
    MaybeTokenUser(user): MaybeTokenUser,
    Id(id): Id,
) -> Result<Json<PageJson>, ApiError> {
    let (site, now) = (state.site().id, state.now());
    let page = state
        .store()
        .page_by_id(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if user.is_none()
        && (page.visibility(now) != Visibility::Public
            || state
                .store()
                .public_page(site, &page.path, now)
                .await?
                .is_none())
    {
        return Err(ApiError::not_found());
    }
    Ok(Json(page_json(&state, &page)))
}

/// A field that may be missing (`None`), null (`Some(None)`) or a value.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A field that must be given, but may be null.
fn required_nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// A page to create (POST) or the whole new state of one (PUT). Unknown
/// fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PageRequest {
    #[schema(schema_with = schema::required_text::<{ news::MAX_TITLE_CHARS }>)]
    title: String,
    /// CommonMark; quotes, lists, emphasis and links nest at most 32 deep.
    #[schema(schema_with = schema::long_text::<{ news::MAX_BODY_CHARS }>)]
    body: String,
    /// The "manchet", also shown where the page is listed.
    #[schema(schema_with = schema::optional_text::<{ news::MAX_LEAD_CHARS }>)]
    lead: Option<String>,
    /// The page above it; null or missing for the top level. A change
    /// (PUT) cannot move the page: use `POST /pages/{id}/move`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    parent_id: Option<Option<Int>>,
    /// Where a new page goes among its siblings, from 0; missing: last. A
    /// change (PUT) cannot move the page.
    #[schema(value_type = Option<i64>, minimum = 0)]
    position: Option<Int>,
    /// Null or missing means `draft`. `scheduled` needs `publish_at`;
    /// `published` without `publish_at` publishes now.
    #[schema(schema_with = status)]
    status: Option<String>,
    /// When the page becomes public (ignored for drafts).
    #[schema(schema_with = schema::time)]
    publish_at: Option<String>,
    /// When it stops being public: after `publish_at`.
    #[schema(schema_with = schema::time)]
    unpublish_at: Option<String>,
    /// The page's own segment of its path, unique among its siblings;
    /// missing: made from the title for a new page, kept for a change. A
    /// top-level page cannot take one of the site's own first segments
    /// (`nyheder`, `admin`, `api`, …). Old paths answer 301.
    #[schema(schema_with = schema::slug)]
    slug: Option<String>,
    #[serde(default)]
    #[schema(required = false, schema_with = contact_refs)]
    contacts: Vec<ContactRef>,
    /// The page's image: the id of an image of the media library; null or
    /// missing for none.
    #[schema(value_type = Option<i64>)]
    image_id: Option<Int>,
    /// Required when changing a page: the version the change is based on.
    #[schema(value_type = Option<i64>)]
    version: Option<Int>,
}

/// Reads a request into a page with its contact persons, in order.
fn read_request(req: &PageRequest, top_level: bool) -> Result<PageDraft, ApiError> {
    let mut errors = raadhus_domain::ValidationErrors::new();
    let publish_at = api_time(req.publish_at.as_deref(), "publish_at", &mut errors);
    let unpublish_at = api_time(req.unpublish_at.as_deref(), "unpublish_at", &mut errors);
    let contacts = read_contacts(&req.contacts, &mut errors);
    let form = PageForm {
        title: &req.title,
        slug: req.slug.as_deref(),
        lead: req.lead.as_deref(),
        body: &req.body,
        status: req.status.as_deref().unwrap_or("draft"),
        publish_at,
        unpublish_at,
        contact_ids: Vec::new(),
        image_id: req.image_id.map(|Int(id)| id),
        top_level,
    };
    Ok(errors.and(PageDraft::new(form, contacts))?)
}

/// A requested position among siblings: from 0.
fn position(given: Option<Int>) -> Result<Option<i64>, ApiError> {
    match given {
        Some(Int(p)) if p < 0 => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Placeringen skal være 0 eller derover.",
        )
        .field("position")),
        other => Ok(other.map(|Int(p)| p)),
    }
}

fn parent_of(req: &PageRequest) -> Option<i64> {
    req.parent_id.flatten().map(|Int(id)| id)
}

/// Create a page
#[utoipa::path(
    post, path = "/pages", tag = "pages", operation_id = "createPage",
    request_body = PageRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new page, as stored.", body = PageJson,
            headers(("Location" = String, description = "Its address in the API."))),
        (status = 409, description = "The slug is taken by a sibling, or the parent or a contact id does not exist.", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    acting: Acting,
    JsonBody(req): JsonBody<PageRequest>,
) -> Result<Response, ApiError> {
    let parent = parent_of(&req);
    let draft = read_request(&req, parent.is_none())?;
    let placement = Placement {
        parent_id: parent,
        position: position(req.position)?,
    };
    let at = PageAt::New(placement);
    let saved = acting
        .usecases
        .save_page(acting.site, &acting.actor, at, draft, Some(state.urls()))
        .await?;
    let location = format!("{}/pages/{}", super::PREFIX, saved.item.id);
    Ok(created(location, saved_json(&state, saved)))
}

/// Change a page
///
/// Replaces the page's content with a new version, if `version` is still
/// its newest. A change that changes nothing makes no new version. A new
/// slug moves the page's whole branch to new paths; the old ones answer 301.
#[utoipa::path(
    put, path = "/pages/{id}", tag = "pages", operation_id = "updatePage",
    request_body = PageRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The page as stored.", body = PageJson),
        (status = 409, description = "`version` is not the newest (fetch the page again), the slug is taken by a sibling, a contact id does not exist, or `parent_id` or `position` differ from the page's (move it with `POST /pages/{id}/move`).", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    acting: Acting,
    Id(id): Id,
    JsonBody(req): JsonBody<PageRequest>,
) -> Result<Json<PageJson>, ApiError> {
    let current = state
        .store()
        .page_by_id(acting.site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let version = change_version(req.version, current.version)?;
    let moves = req
        .parent_id
        .is_some_and(|p| p.map(|Int(id)| id) != current.parent_id)
        || req.position.is_some_and(|Int(p)| p != current.position);
    if moves {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!(
                "a change does not move a page: use POST {}/pages/{id}/move",
                super::PREFIX
            ),
        )
        .field(if req.position.is_some() && req.parent_id.is_none() {
            "position"
        } else {
            "parent_id"
        }));
    }
    let draft = read_request(&req, current.parent_id.is_none())?;
    let at = PageAt::Version { id, version };
    let saved = acting
        .usecases
        .save_page(acting.site, &acting.actor, at, draft, Some(state.urls()))
        .await?;
    Ok(Json(saved_json(&state, saved)))
}

/// Where to move a page.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveRequest {
    /// The page to move it under; null for the top level.
    #[serde(deserialize_with = "required_nullable")]
    #[schema(value_type = Option<i64>, required = true)]
    parent_id: Option<Int>,
    /// Its place among its new siblings, from 0; missing or past the end:
    /// last.
    #[schema(value_type = Option<i64>, minimum = 0)]
    position: Option<Int>,
}

/// A [`MoveRequest`] read only from a JSON object (serde would take an
/// array of two values for it too).
pub struct MoveBody(MoveRequest);

impl<'de> Deserialize<'de> for MoveBody {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        MoveRequest::deserialize(serde_json::Value::Object(object))
            .map(Self)
            .map_err(serde::de::Error::custom)
    }
}

/// Move a page
///
/// Moves the page, with its subpages, under another parent or to another
/// place among its siblings. Its content and version stay; its old paths
/// (and its subpages') answer 301 to the new ones.
#[utoipa::path(
    post, path = "/pages/{id}/move", tag = "pages", operation_id = "movePage",
    request_body = MoveRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The page where it is now, with its new `path`.", body = PageJson),
        (status = 409, description = "A page under the new parent has the same slug, or the new parent does not exist, is in the bin, or is the page itself or one of its subpages.", body = ErrorBody),
        (status = 422, description = "The slug is one of the site's own first segments, which a top-level page cannot have.", body = ErrorBody),
    ),
)]
pub async fn move_page(
    State(state): State<AppState>,
    acting: Acting,
    Id(id): Id,
    JsonBody(MoveBody(req)): JsonBody<MoveBody>,
) -> Result<Json<PageJson>, ApiError> {
    let placement = Placement {
        parent_id: req.parent_id.map(|Int(id)| id),
        position: position(req.position)?,
    };
    let page = acting
        .usecases
        .move_page(acting.site, &acting.actor, id, placement)
        .await?;
    Ok(Json(page_json(&state, &page)))
}

/// Move a page to the bin
///
/// The bin keeps it: an editor can restore it in the admin. A page with
/// subpages is refused (409): move or delete them first.
#[utoipa::path(
    delete, path = "/pages/{id}", tag = "pages", operation_id = "deletePage",
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Moved to the bin."),
        (status = 409, description = "The page has subpages.", body = ErrorBody),
    ),
)]
pub async fn delete(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .bin_page(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What the page routes add to the document beyond their handlers: the
/// body of `PUT /pages/{id}`, a `PageChange` with `version` required.
pub fn describe(doc: &mut utoipa::openapi::OpenApi) {
    describe_change(
        doc,
        PageRequest::schema(),
        ("PageChange", "/pages/{id}"),
        "The whole new state of a page's content, based on `version`. Unknown fields are refused.",
    );
}
