//! `/api/v1/news`.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use raadhus_domain::paging::page_count;
use raadhus_domain::{
    ContactChoice, ContactInput, NewsArticle, NewsDraft, NewsForm, ValidationErrors, Visibility,
    date,
};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::Actor;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::json::{JsonBody, MaybeTokenUser, TokenUser};
use super::records::ContactJson;
use crate::AppState;

const PER_PAGE: u32 = 20;

#[derive(Serialize)]
pub struct NewsJson {
    id: i64,
    slug: String,
    url: String,
    title: String,
    lead: Option<String>,
    body: String,
    news_date: String,
    status: &'static str,
    publish_at: Option<Timestamp>,
    unpublish_at: Option<Timestamp>,
    contacts: Vec<ContactJson>,
    version: i64,
    created_at: Timestamp,
    updated_at: Timestamp,
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
        version: a.version,
        created_at: a.created_at,
        updated_at: a.updated_at,
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

#[derive(Serialize)]
struct ListItem {
    id: i64,
    slug: String,
    url: String,
    title: String,
    lead: Option<String>,
    news_date: String,
    status: &'static str,
    publish_at: Option<Timestamp>,
}

/// Published news for everyone; with a token, every article not in the bin.
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
    Ok(Json(serde_json::json!({
        "page": number,
        "pages": page_count(total, PER_PAGE),
        "per_page": PER_PAGE,
        "total": total,
        "items": items,
    }))
    .into_response())
}

/// One article: public ones for everyone, any with a token.
pub async fn show(
    State(state): State<AppState>,
    MaybeTokenUser(user): MaybeTokenUser,
    Path(id): Path<i64>,
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

/// A contact person of an article: an existing one by id, or a new one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRef {
    id: Option<i64>,
    name: Option<String>,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewsRequest {
    title: String,
    body: String,
    lead: Option<String>,
    news_date: Option<String>,
    status: Option<String>,
    publish_at: Option<String>,
    unpublish_at: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    contacts: Vec<ContactRef>,
    /// Required when changing an article: the version the change is based on.
    version: Option<i64>,
}

/// A time as RFC 3339 (`2026-12-01T09:00:00Z`, `…+01:00`) or Copenhagen
/// wall-clock time (`2026-12-01T10:00`).
fn api_time(
    value: Option<&str>,
    field: &'static str,
    errors: &mut ValidationErrors,
) -> Option<Timestamp> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if let Ok(ts) = value.parse::<Timestamp>() {
        return Some(ts);
    }
    errors.check(field, date::parse_local_datetime(value))
}

/// Reads a request into an article with its contact persons, in order.
fn read_request(req: &NewsRequest, today: jiff::civil::Date) -> Result<NewsDraft, ApiError> {
    let mut errors = ValidationErrors::new();
    let publish_at = api_time(req.publish_at.as_deref(), "publish_at", &mut errors);
    let unpublish_at = api_time(req.unpublish_at.as_deref(), "unpublish_at", &mut errors);
    let mut contacts = Vec::new();
    for c in &req.contacts {
        match (c.id, &c.name) {
            (Some(id), None) if c.job_title.is_none() && c.email.is_none() && c.phone.is_none() => {
                contacts.push(ContactChoice::Existing(id));
            }
            (None, Some(name)) => {
                match ContactInput::new(
                    name,
                    c.job_title.as_deref(),
                    c.email.as_deref(),
                    c.phone.as_deref(),
                ) {
                    Ok(input) => contacts.push(ContactChoice::New(input)),
                    Err(e) => {
                        for err in e.errors() {
                            errors.add("contacts", format!("{}: {}", err.field, err.message));
                        }
                    }
                }
            }
            _ => errors.add(
                "contacts",
                "Give each contact either {\"id\"} or {\"name\", …}.",
            ),
        }
    }
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
    };
    Ok(errors.and(NewsDraft::new(form, contacts, today))?)
}

pub async fn create(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    JsonBody(req): JsonBody<NewsRequest>,
) -> Result<Response, ApiError> {
    let draft = read_request(&req, state.today())?;
    let article = state
        .usecases()
        .create_news(state.site().id, &Actor::api(user.id), draft)
        .await?;
    let location = format!("/api/v1/news/{}", article.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(news_json(&state, &article)),
    )
        .into_response())
}

pub async fn update(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<NewsRequest>,
) -> Result<Json<NewsJson>, ApiError> {
    let current = state
        .store()
        .news_by_id(state.site().id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let version = req.version.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "give the version the change is based on",
        )
        .field("version")
    })?;
    if version != current.version {
        return Err(raadhus_usecases::Error::Stale {
            expected: version,
            current: current.version,
        }
        .into());
    }
    let draft = read_request(&req, state.today())?;
    let article = state
        .usecases()
        .update_news(state.site().id, &Actor::api(user.id), id, version, draft)
        .await?;
    Ok(Json(news_json(&state, &article)))
}

/// Moves an article to the bin.
pub async fn delete(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .usecases()
        .bin_news(state.site().id, &Actor::api(user.id), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
struct RevisionJson {
    id: i64,
    version: i64,
    created_at: Timestamp,
    user: Option<String>,
    title: String,
    status: &'static str,
}

pub async fn revisions(
    State(state): State<AppState>,
    TokenUser(_user): TokenUser,
    Path(id): Path<i64>,
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
    Ok(Json(serde_json::json!({ "items": revisions })).into_response())
}

/// `GET /api/v1/search?q=…&type=nyhed|hjemmeside&year=YYYY&page=N`: the same
/// results as `/soeg`, as JSON.
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<crate::pages::search::SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) =
        params.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let parsed = crate::pages::search::parse(&params);
    let results = if parsed.query.text.is_empty() {
        raadhus_search::Results::default()
    } else {
        crate::pages::search::run(&state, &parsed.query).map_err(|e| ApiError::internal(&e))?
    };
    let items: Vec<serde_json::Value> = results
        .hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "type": h.kind.as_str(),
                "title": h.title,
                "url": h.url,
                "date": h.date,
                "excerpt_html": h.excerpt_html,
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "query": parsed.query.text,
        "truncated": parsed.truncated,
        "page": parsed.query.page,
        "per_page": parsed.query.per_page,
        "total": results.total,
        "items": items,
    }))
    .into_response())
}
