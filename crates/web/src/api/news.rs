//! `/api/v1/news`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use raadhus_domain::paging::page_count;
use raadhus_domain::{NewsArticle, NewsDraft, NewsForm, ValidationErrors, Visibility, date, news};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::Saved;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::content::{
    ContactRef, LinkWarningJson, api_time, change_version, contact_refs, created, describe_change,
    read_contacts, status, warnings_json,
};
use super::error::ErrorBody;
use super::json::{Acting, Id, Int, JsonBody, MaybeTokenUser, TokenUser};
use super::records::ContactJson;
use super::{ApiError, schema};
use crate::AppState;

const PER_PAGE: u32 = 20;

/// An article.
#[derive(Serialize, ToSchema)]
#[schema(as = News)]
pub struct NewsJson {
    id: i64,
    slug: String,
    /// Its public page.
    url: String,
    title: String,
    lead: Option<String>,
    /// CommonMark source.
    body: String,
    #[schema(format = Date)]
    news_date: String,
    /// `published` only once its publish time has come: else `scheduled`,
    /// and `expired` after its unpublish time.
    #[schema(value_type = String, example = "published")]
    status: &'static str,
    #[schema(value_type = Option<String>, format = DateTime)]
    publish_at: Option<Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    unpublish_at: Option<Timestamp>,
    contacts: Vec<ContactJson>,
    /// The lead image: a file of the media library (`/api/v1/media`).
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

fn news_json(state: &AppState, a: &NewsArticle) -> NewsJson {
    let c = &a.content;
    NewsJson {
        id: a.id,
        slug: c.slug.to_string(),
        url: state.urls().news(c.slug.as_str()),
        title: c.title.clone(),
        lead: c.lead.clone(),
        body: c.body.clone(),
        news_date: date::iso(c.news_date),
        status: a.visibility(state.now()).as_str(),
        publish_at: c.publish_at,
        unpublish_at: c.unpublish_at,
        contacts: a.contacts.iter().map(ContactJson::from).collect(),
        image_id: c.image_id,
        version: a.version,
        created_at: a.created_at,
        updated_at: a.updated_at,
        warnings: None,
    }
}

/// A saved article, with the warnings about its links.
fn saved_json(state: &AppState, saved: Saved<NewsArticle>) -> NewsJson {
    NewsJson {
        warnings: warnings_json(saved.warnings),
        ..news_json(state, &saved.item)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(schema_with = schema::page_number)]
    page: Option<String>,
}

/// An article in a list.
#[derive(Serialize, ToSchema)]
#[schema(as = NewsListItem)]
struct ListItem {
    id: i64,
    slug: String,
    url: String,
    title: String,
    lead: Option<String>,
    #[schema(format = Date)]
    news_date: String,
    #[schema(value_type = String)]
    status: &'static str,
    #[schema(value_type = Option<String>, format = DateTime)]
    publish_at: Option<Timestamp>,
}

/// A page of articles, newest news date first.
#[derive(Serialize, ToSchema)]
#[schema(as = NewsList)]
struct NewsList {
    page: u32,
    pages: u32,
    per_page: u32,
    total: u64,
    items: Vec<ListItem>,
}

/// List news
///
/// Published news for everyone; with a token, every article not in the bin.
#[utoipa::path(
    get, path = "/news", tag = "news", operation_id = "listNews",
    params(ListQuery),
    security((), ("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of articles.", body = NewsList),
        (status = 400, description = "`page` is not a whole number from 1 up.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeTokenUser(user): MaybeTokenUser,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let number = raadhus_domain::paging::parse_page_number(query.page.as_deref())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).field("page"))?;
    let (site, now, page) = (
        state.site().id,
        state.now(),
        Page {
            number,
            size: PER_PAGE,
        },
    );
    let (items, total) = if user.is_some() {
        let (rows, total) = state
            .store()
            .news_rows(site, &NewsFilter::default(), now, page)
            .await?;
        let items = rows
            .iter()
            .map(|r| ListItem {
                id: r.summary.id,
                slug: r.summary.slug.to_string(),
                url: state.urls().news(r.summary.slug.as_str()),
                title: r.summary.title.clone(),
                lead: r.summary.lead.clone(),
                news_date: date::iso(r.summary.news_date),
                status: r.visibility(now).as_str(),
                publish_at: r.summary.publish_at,
            })
            .collect::<Vec<_>>();
        (items, total)
    } else {
        let (rows, total) = state.store().public_news_page(site, now, page).await?;
        let items = rows
            .iter()
            .map(|n| ListItem {
                id: n.id,
                slug: n.slug.to_string(),
                url: state.urls().news(n.slug.as_str()),
                title: n.title.clone(),
                lead: n.lead.clone(),
                news_date: date::iso(n.news_date),
                status: Visibility::Public.as_str(),
                publish_at: n.publish_at,
            })
            .collect();
        (items, total)
    };
    Ok(Json(NewsList {
        page: number,
        pages: page_count(total, PER_PAGE),
        per_page: PER_PAGE,
        total,
        items,
    })
    .into_response())
}

/// Get an article
///
/// Public articles for everyone, any (not in the bin) with a token.
#[utoipa::path(
    get, path = "/news/{id}", tag = "news", operation_id = "getNews",
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The article.", body = NewsJson)),
)]
pub async fn show(
    State(state): State<AppState>,
    MaybeTokenUser(user): MaybeTokenUser,
    Id(id): Id,
) -> Result<Json<NewsJson>, ApiError> {
    let article = state
        .store()
        .news_by_id(state.site().id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    if user.is_none() && article.visibility(state.now()) != Visibility::Public {
        return Err(ApiError::not_found());
    }
    Ok(Json(news_json(&state, &article)))
}

/// An article to create (POST) or the whole new state of one (PUT).
/// Unknown fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsRequest {
    #[schema(schema_with = schema::required_text::<{ news::MAX_TITLE_CHARS }>)]
    title: String,
    /// CommonMark; quotes, lists, emphasis and links nest at most 32 deep.
    #[schema(schema_with = schema::long_text::<{ news::MAX_BODY_CHARS }>)]
    body: String,
    #[schema(schema_with = schema::optional_text::<{ news::MAX_LEAD_CHARS }>)]
    lead: Option<String>,
    #[schema(schema_with = schema::news_date)]
    news_date: Option<String>,
    /// Null or missing means `draft`. `scheduled` needs `publish_at`;
    /// `published` without `publish_at` publishes now (a change keeps the
    /// time it was first published).
    #[schema(schema_with = status)]
    status: Option<String>,
    /// When the article becomes public (ignored for drafts).
    #[schema(schema_with = schema::time)]
    publish_at: Option<String>,
    /// When it stops being public: after `publish_at`.
    #[schema(schema_with = schema::time)]
    unpublish_at: Option<String>,
    #[schema(schema_with = schema::slug)]
    slug: Option<String>,
    #[serde(default)]
    #[schema(required = false, schema_with = contact_refs)]
    contacts: Vec<ContactRef>,
    /// The lead image ("Topbillede"): the id of an image of the media
    /// library; null or missing for none.
    #[schema(value_type = Option<i64>)]
    image_id: Option<Int>,
    /// Required when changing an article: the version the change is based on.
    #[schema(value_type = Option<i64>)]
    version: Option<Int>,
}

/// Reads a request into an article with its contact persons, in order.
fn read_request(req: &NewsRequest, today: jiff::civil::Date) -> Result<NewsDraft, ApiError> {
    let mut errors = ValidationErrors::new();
    let publish_at = api_time(req.publish_at.as_deref(), "publish_at", &mut errors);
    let unpublish_at = api_time(req.unpublish_at.as_deref(), "unpublish_at", &mut errors);
    let contacts = read_contacts(&req.contacts, &mut errors);
    let form = NewsForm {
        title: &req.title,
        slug: req.slug.as_deref(),
        lead: req.lead.as_deref(),
        body: &req.body,
        news_date: req.news_date.as_deref().unwrap_or_default(),
        status: req.status.as_deref().unwrap_or("draft"),
        publish_at,
        unpublish_at,
        contact_ids: Vec::new(),
        image_id: req.image_id.map(|Int(id)| id),
    };
    Ok(errors.and(NewsDraft::new(form, contacts, today))?)
}

/// Create an article
#[utoipa::path(
    post, path = "/news", tag = "news", operation_id = "createNews",
    request_body = NewsRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The new article, as stored.", body = NewsJson,
            headers(("Location" = String, description = "Its address in the API."))),
        (status = 409, description = "The slug is taken by another article, or a contact id does not exist.", body = ErrorBody),
    ),
)]
pub async fn create(
    State(state): State<AppState>,
    acting: Acting,
    JsonBody(req): JsonBody<NewsRequest>,
) -> Result<Response, ApiError> {
    let draft = read_request(&req, state.today())?;
    let saved = acting
        .usecases
        .save_news(acting.site, &acting.actor, None, draft, Some(state.urls()))
        .await?;
    let location = format!("{}/news/{}", super::PREFIX, saved.item.id);
    Ok(created(location, saved_json(&state, saved)))
}

/// Change an article
///
/// Replaces the article's content with a new version, if `version` is still
/// its newest. A change that changes nothing makes no new version.
#[utoipa::path(
    put, path = "/news/{id}", tag = "news", operation_id = "updateNews",
    request_body = NewsRequest,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The article as stored.", body = NewsJson),
        (status = 409, description = "`version` is not the newest (fetch the article again), the slug is taken by another article, or a contact id does not exist.", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    acting: Acting,
    Id(id): Id,
    JsonBody(req): JsonBody<NewsRequest>,
) -> Result<Json<NewsJson>, ApiError> {
    let current = state
        .store()
        .news_by_id(acting.site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let version = change_version(req.version, current.version)?;
    let draft = read_request(&req, state.today())?;
    let at = Some((id, version));
    let saved = acting
        .usecases
        .save_news(acting.site, &acting.actor, at, draft, Some(state.urls()))
        .await?;
    Ok(Json(saved_json(&state, saved)))
}

/// What the news routes add to the document beyond their handlers: the
/// `ContactRef` schema (its list is described by hand, to say each comes
/// once), and the body of `PUT /news/{id}`, which needs the `version` that
/// `POST` ignores: a `NewsChange`, a `NewsRequest` with `version` required.
pub fn describe(doc: &mut utoipa::openapi::OpenApi) {
    describe_change(
        doc,
        NewsRequest::schema(),
        ("NewsChange", "/news/{id}"),
        "The whole new state of an article, based on `version`. Unknown fields are refused.",
    );
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    schemas.insert(ContactRef::name().into(), ContactRef::schema());
}

/// Move an article to the bin
///
/// The bin keeps it: an editor can restore it in the admin.
#[utoipa::path(
    delete, path = "/news/{id}", tag = "news", operation_id = "deleteNews",
    security(("bearerAuth" = [])),
    responses((status = 204, description = "Moved to the bin.")),
)]
pub async fn delete(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .bin_news(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A saved version of an article.
#[derive(Serialize, ToSchema)]
#[schema(as = Revision)]
struct RevisionJson {
    id: i64,
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    /// Who saved it.
    user: Option<String>,
    title: String,
    /// `draft` or `published`.
    #[schema(value_type = String)]
    status: &'static str,
}

/// The revisions of an article, newest first.
#[derive(Serialize, ToSchema)]
#[schema(as = RevisionList)]
struct RevisionList {
    items: Vec<RevisionJson>,
}

/// List an article's revisions
#[utoipa::path(
    get, path = "/news/{id}/revisions", tag = "news", operation_id = "listRevisions",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "Its revisions.", body = RevisionList)),
)]
pub async fn revisions(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
    Id(id): Id,
) -> Result<Response, ApiError> {
    let site = state.site().id;
    state
        .store()
        .news_by_id(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let revisions: Vec<RevisionJson> = state
        .store()
        .revisions(site, id)
        .await?
        .into_iter()
        .map(|r| RevisionJson {
            id: r.id,
            version: r.version,
            created_at: r.created_at,
            user: r.user_name,
            title: r.content.title,
            status: r.content.status.as_str(),
        })
        .collect();
    Ok(Json(RevisionList { items: revisions }).into_response())
}
