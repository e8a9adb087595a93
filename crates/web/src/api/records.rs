//! `/api/v1/contacts`, `/api/v1/topics` and `/api/v1/sites` (the directory's
//! websites): one shape for every plain kind of record. A kind plugs in with
//! an [`ApiRecord`] impl saying its path, its JSON and its request.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use raadhus_domain::{ContactInput, ContactPerson, Topic, TopicInput, Website, WebsiteInput};
use raadhus_usecases::{Actor, Record};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::ApiError;
use super::json::{JsonBody, TokenUser};
use crate::AppState;

/// A kind of record in the API.
pub trait ApiRecord: Record {
    /// Its collection, e.g. "/contacts".
    const PATH: &'static str;
    /// Whether anyone may read it (else only with a token).
    const PUBLIC: bool;
    type Json: Serialize + for<'a> From<&'a Self>;
    type Request: DeserializeOwned + Send;

    fn input(request: &Self::Request) -> Result<Self::Input, ApiError>;
    /// Whether the public sees it (the directory's inactive websites are
    /// not shown).
    fn listed(&self) -> bool {
        true
    }
}

/// The routes of a kind.
pub fn routes<R: ApiRecord>() -> axum::Router<AppState> {
    axum::Router::new()
        .route(R::PATH, get(list::<R>).post(create::<R>))
        .route(
            &format!("{}/{{id}}", R::PATH),
            get(show::<R>).put(update::<R>).delete(delete::<R>),
        )
}

/// Who may read a kind: anyone, if it is public (and then only what is
/// listed), else only with a token (and then all of it).
struct Reader<R>(std::marker::PhantomData<R>);

impl<R: ApiRecord> FromRequestParts<AppState> for Reader<R> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if !R::PUBLIC {
            TokenUser::from_request_parts(parts, state).await?;
        }
        Ok(Self(std::marker::PhantomData))
    }
}

impl<R: ApiRecord> Reader<R> {
    fn may_see(&self, record: &R) -> bool {
        !R::PUBLIC || record.listed()
    }
}

async fn list<R: ApiRecord>(
    State(state): State<AppState>,
    reader: Reader<R>,
) -> Result<Response, ApiError> {
    let items: Vec<R::Json> = R::list(state.store(), state.site().id)
        .await?
        .iter()
        .filter(|r| reader.may_see(r))
        .map(R::Json::from)
        .collect();
    Ok(Json(serde_json::json!({ "items": items })).into_response())
}

async fn show<R: ApiRecord>(
    State(state): State<AppState>,
    reader: Reader<R>,
    Path(id): Path<i64>,
) -> Result<Json<R::Json>, ApiError> {
    let record = R::get(state.store(), state.site().id, id)
        .await?
        .filter(|r| reader.may_see(r))
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(R::Json::from(&record)))
}

async fn create<R: ApiRecord>(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    JsonBody(request): JsonBody<R::Request>,
) -> Result<Response, ApiError> {
    let input = R::input(&request)?;
    let record: R = state
        .usecases()
        .create(state.site().id, &Actor::api(user.id), &input)
        .await?;
    let location = format!("/api/v1{}/{}", R::PATH, record.id());
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(R::Json::from(&record)),
    )
        .into_response())
}

async fn update<R: ApiRecord>(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
    JsonBody(request): JsonBody<R::Request>,
) -> Result<Json<R::Json>, ApiError> {
    let input = R::input(&request)?;
    let record: R = state
        .usecases()
        .update(state.site().id, &Actor::api(user.id), id, &input)
        .await?;
    Ok(Json(R::Json::from(&record)))
}

async fn delete<R: ApiRecord>(
    State(state): State<AppState>,
    TokenUser(user): TokenUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .usecases()
        .delete::<R>(state.site().id, &Actor::api(user.id), id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

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

impl ApiRecord for ContactPerson {
    const PATH: &'static str = "/contacts";
    const PUBLIC: bool = false;
    type Json = ContactJson;
    type Request = ContactRequest;

    fn input(r: &ContactRequest) -> Result<ContactInput, ApiError> {
        Ok(ContactInput::new(
            &r.name,
            r.job_title.as_deref(),
            r.email.as_deref(),
            r.phone.as_deref(),
        )?)
    }
}

impl ApiRecord for Topic {
    const PATH: &'static str = "/topics";
    const PUBLIC: bool = true;
    type Json = TopicJson;
    type Request = TopicRequest;

    fn input(r: &TopicRequest) -> Result<TopicInput, ApiError> {
        Ok(TopicInput::new(&r.name, r.slug.as_deref(), r.sort_order)?)
    }
}

impl ApiRecord for Website {
    const PATH: &'static str = "/sites";
    const PUBLIC: bool = true;
    type Json = WebsiteJson;
    type Request = WebsiteRequest;

    fn input(r: &WebsiteRequest) -> Result<WebsiteInput, ApiError> {
        let mut input = WebsiteInput::new(
            &r.name,
            &r.url,
            r.description.as_deref(),
            r.topics.clone(),
            r.sort_order,
            r.statement_url.as_deref(),
        )?;
        input.active = r.active.unwrap_or(true);
        Ok(input)
    }

    fn listed(&self) -> bool {
        self.active
    }
}
