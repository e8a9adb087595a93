//! `/api/v1/contacts`, `/api/v1/topics` and `/api/v1/sites` (the directory's websites).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use raadhus_domain::{ContactInput, ContactPerson, Topic, TopicInput, Website, WebsiteInput};
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::json::{JsonBody, TokenUser};
use crate::AppState;

fn created<T: Serialize>(path: String, body: T) -> Response {
    (StatusCode::CREATED, [(header::LOCATION, path)], Json(body)).into_response()
}

fn items<T: Serialize>(items: Vec<T>) -> Response {
    Json(serde_json::json!({ "items": items })).into_response()
}

async fn audit(
    state: &AppState,
    user_id: i64,
    action: &str,
    entity: &str,
    id: i64,
    name: &str,
) -> Result<(), ApiError> {
    state
        .record(user_id, action, entity, id, &format!("{name} via the API"))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "audit failed");
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
        })
}

// Contact persons -------------------------------------------------------------

#[derive(Serialize)]
pub struct ContactJson {
    id: i64,
    name: String,
    job_title: Option<String>,
    email: Option<String>,
    /// E.164, e.g. "+4527852451".
    phone: Option<String>,
}

impl From<&ContactPerson> for ContactJson {
    fn from(c: &ContactPerson) -> Self {
        Self {
            id: c.id,
            name: c.name.clone(),
            job_title: c.job_title.clone(),
            email: c.email.as_ref().map(|e| e.to_string()),
            phone: c.phone.as_ref().map(|p| p.e164().to_string()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    name: String,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl ContactRequest {
    fn input(&self) -> Result<ContactInput, ApiError> {
        Ok(ContactInput::new(
            &self.name,
            self.job_title.as_deref(),
            self.email.as_deref(),
            self.phone.as_deref(),
        )?)
    }
}

pub async fn contacts(
    State(state): State<AppState>,
    _user: TokenUser,
) -> Result<Response, ApiError> {
    let list = state.store().contacts(state.site().id).await?;
    Ok(items(list.iter().map(ContactJson::from).collect()))
}

pub async fn contact(
    State(state): State<AppState>,
    _user: TokenUser,
    Path(id): Path<i64>,
) -> Result<Json<ContactJson>, ApiError> {
    let c = state
        .store()
        .contact(state.site().id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(ContactJson::from(&c)))
}

pub async fn create_contact(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    JsonBody(req): JsonBody<ContactRequest>,
) -> Result<Response, ApiError> {
    let c = state
        .store()
        .create_contact(state.site().id, &req.input()?, state.now())
        .await?;
    audit(&state, user.id, "create", "contact", c.id, &c.name).await?;
    Ok(created(
        format!("/api/v1/contacts/{}", c.id),
        ContactJson::from(&c),
    ))
}

pub async fn update_contact(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ContactRequest>,
) -> Result<Json<ContactJson>, ApiError> {
    let site = state.site().id;
    state
        .store()
        .update_contact(site, id, &req.input()?, state.now())
        .await?;
    let c = state
        .store()
        .contact(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    audit(&state, user.id, "update", "contact", id, &c.name).await?;
    Ok(Json(ContactJson::from(&c)))
}

pub async fn delete_contact(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let site = state.site().id;
    let c = state
        .store()
        .contact(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state
        .store()
        .delete_contact(site, id)
        .await
        .map_err(|e| match e {
            raadhus_store::StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "the contact person is named on articles; remove them from the articles first",
            ),
            e => e.into(),
        })?;
    audit(&state, user.id, "delete", "contact", id, &c.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Topics ----------------------------------------------------------------------

#[derive(Serialize)]
pub struct TopicJson {
    id: i64,
    slug: String,
    name: String,
    sort_order: i64,
}

impl From<&Topic> for TopicJson {
    fn from(t: &Topic) -> Self {
        Self {
            id: t.id,
            slug: t.slug.to_string(),
            name: t.name.clone(),
            sort_order: t.sort_order,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicRequest {
    name: String,
    slug: Option<String>,
    #[serde(default)]
    sort_order: i64,
}

pub async fn topics(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = state.store().topics(state.site().id).await?;
    Ok(items(list.iter().map(TopicJson::from).collect()))
}

pub async fn topic(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<TopicJson>, ApiError> {
    let t = state
        .store()
        .topic(state.site().id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(TopicJson::from(&t)))
}

pub async fn create_topic(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    JsonBody(req): JsonBody<TopicRequest>,
) -> Result<Response, ApiError> {
    let input = TopicInput::new(&req.name, req.slug.as_deref(), req.sort_order)?;
    let t = state
        .store()
        .create_topic(state.site().id, &input, state.now())
        .await?;
    audit(&state, user.id, "create", "topic", t.id, &t.name).await?;
    Ok(created(
        format!("/api/v1/topics/{}", t.id),
        TopicJson::from(&t),
    ))
}

pub async fn update_topic(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<TopicRequest>,
) -> Result<Json<TopicJson>, ApiError> {
    let site = state.site().id;
    let input = TopicInput::new(&req.name, req.slug.as_deref(), req.sort_order)?;
    state
        .store()
        .update_topic(site, id, &input, state.now())
        .await?;
    let t = state
        .store()
        .topic(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    audit(&state, user.id, "update", "topic", id, &t.name).await?;
    Ok(Json(TopicJson::from(&t)))
}

pub async fn delete_topic(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let site = state.site().id;
    let t = state
        .store()
        .topic(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state
        .store()
        .delete_topic(site, id)
        .await
        .map_err(|e| match e {
            raadhus_store::StoreError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "websites are listed under the topic; move them first",
            ),
            e => e.into(),
        })?;
    audit(&state, user.id, "delete", "topic", id, &t.name).await?;
    Ok(StatusCode::NO_CONTENT)
}

// Websites of the directory ----------------------------------------------------

#[derive(Serialize)]
pub struct WebsiteJson {
    id: i64,
    name: String,
    url: String,
    description: Option<String>,
    topics: Vec<i64>,
    sort_order: i64,
    active: bool,
    statement_url: Option<String>,
}

impl From<&Website> for WebsiteJson {
    fn from(w: &Website) -> Self {
        Self {
            id: w.id,
            name: w.name.clone(),
            url: w.url.to_string(),
            description: w.description.clone(),
            topics: w.topic_ids.clone(),
            sort_order: w.sort_order,
            active: w.active,
            statement_url: w.statement_url.as_ref().map(|u| u.to_string()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebsiteRequest {
    name: String,
    url: String,
    description: Option<String>,
    topics: Vec<i64>,
    #[serde(default)]
    sort_order: i64,
    active: Option<bool>,
    /// The website's accessibility statement in the WAS-tool.
    statement_url: Option<String>,
}

impl WebsiteRequest {
    fn input(&self) -> Result<WebsiteInput, ApiError> {
        let mut input = WebsiteInput::new(
            &self.name,
            &self.url,
            self.description.as_deref(),
            self.topics.clone(),
            self.sort_order,
            self.statement_url.as_deref(),
        )?;
        input.active = self.active.unwrap_or(true);
        Ok(input)
    }
}

/// The active websites for everyone.
pub async fn websites(State(state): State<AppState>) -> Result<Response, ApiError> {
    let list = state.store().active_websites(state.site().id).await?;
    Ok(items(list.iter().map(WebsiteJson::from).collect()))
}

pub async fn website(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<WebsiteJson>, ApiError> {
    let w = state
        .store()
        .active_website(state.site().id, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(WebsiteJson::from(&w)))
}

pub async fn create_website(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    JsonBody(req): JsonBody<WebsiteRequest>,
) -> Result<Response, ApiError> {
    let w = state
        .store()
        .create_website(state.site().id, &req.input()?, state.now())
        .await?;
    audit(&state, user.id, "create", "website", w.id, &w.name).await?;
    Ok(created(
        format!("/api/v1/sites/{}", w.id),
        WebsiteJson::from(&w),
    ))
}

pub async fn update_website(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<WebsiteRequest>,
) -> Result<Json<WebsiteJson>, ApiError> {
    let site = state.site().id;
    state
        .store()
        .update_website(site, id, &req.input()?, state.now())
        .await?;
    let w = state
        .store()
        .website(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    audit(&state, user.id, "update", "website", id, &w.name).await?;
    Ok(Json(WebsiteJson::from(&w)))
}

pub async fn delete_website(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let site = state.site().id;
    let w = state
        .store()
        .website(site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state.store().delete_website(site, id).await?;
    audit(&state, user.id, "delete", "website", id, &w.name).await?;
    Ok(StatusCode::NO_CONTENT)
}
