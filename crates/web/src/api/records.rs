//! `/api/v1/contacts`, `/api/v1/topics` and `/api/v1/sites` (the directory's
//! websites): one shape for every plain kind of record. A kind plugs in with
//! an [`ApiRecord`] impl saying its path, its JSON and its request; its routes
//! and their part of the OpenAPI document come from the same place.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use raadhus_domain::{
    ContactInput, ContactPerson, Topic, TopicInput, Website, WebsiteInput, contact, directory,
};
use raadhus_usecases::Record;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, PathItemBuilder, PathsBuilder,
};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use super::doc::{self, Access};
use super::json::{Acting, Id, Int, JsonBody, TokenUser};
use super::{ApiError, schema};
use crate::AppState;

/// A kind of record in the API.
pub trait ApiRecord: Record {
    /// Its collection, e.g. "/contacts".
    const PATH: &'static str;
    /// Its tag in the OpenAPI document, e.g. "contacts".
    const TAG: &'static str;
    /// Its name in operation ids, e.g. "Contact" (`getContact`).
    const NAME: &'static str;
    /// What one is called in the document, e.g. "contact person".
    const NOUN: &'static str;
    /// Whether anyone may read it (else only with a token).
    const PUBLIC: bool;
    type Json: Serialize + ToSchema + for<'a> From<&'a Self>;
    type Request: DeserializeOwned + Send + ToSchema;

    fn input(request: &Self::Request) -> Result<Self::Input, ApiError>;
    /// Whether the public sees it (the directory's inactive websites are
    /// not shown).
    fn listed(&self) -> bool {
        true
    }
}

/// The routes of a kind, with their description.
pub fn routes<R: ApiRecord>() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(documented::<R>(
            R::PATH,
            MethodRouter::new().get(list::<R>).post(create::<R>),
            [
                (HttpMethod::Get, list_operation::<R>()),
                (HttpMethod::Post, create_operation::<R>()),
            ],
        ))
        .routes(documented::<R>(
            &format!("{}/{{id}}", R::PATH),
            MethodRouter::new()
                .get(show::<R>)
                .put(update::<R>)
                .delete(delete::<R>),
            [
                (HttpMethod::Get, show_operation::<R>()),
                (HttpMethod::Put, update_operation::<R>()),
                (HttpMethod::Delete, delete_operation::<R>()),
            ],
        ))
}

fn documented<R: ApiRecord>(
    path: &str,
    method_router: MethodRouter<AppState>,
    operations: impl IntoIterator<Item = (HttpMethod, Operation)>,
) -> UtoipaMethodRouter<AppState> {
    let mut item = PathItemBuilder::new();
    for (method, operation) in operations {
        item = item.operation(method, operation);
    }
    let mut schemas: Vec<(String, RefOr<Schema>)> = vec![
        (R::Json::name().into_owned(), R::Json::schema()),
        (R::Request::name().into_owned(), R::Request::schema()),
    ];
    R::Json::schemas(&mut schemas);
    R::Request::schemas(&mut schemas);
    (
        schemas,
        PathsBuilder::new().path(path, item.build()).build(),
        method_router,
    )
}

fn operation<R: ApiRecord>(id: &str, summary: String, description: String) -> OperationBuilder {
    OperationBuilder::new()
        .tag(R::TAG)
        .operation_id(Some(id))
        .summary(Some(summary))
        .description(Some(description))
}

fn read_access<R: ApiRecord>() -> Access {
    if R::PUBLIC {
        Access::Public
    } else {
        Access::Token
    }
}

fn list_operation<R: ApiRecord>() -> Operation {
    let listed = if R::PUBLIC {
        "No token needed; only what the public sees."
    } else {
        "Needs a token."
    };
    let op = operation::<R>(
        &format!("list{}s", R::NAME),
        format!("List {}s", R::NOUN),
        format!("Every {} of this site, in display order. {listed}", R::NOUN),
    )
    .response(
        "200",
        doc::json_response("The list.", doc::items(R::Json::name())),
    );
    doc::access(op, read_access::<R>()).build()
}

fn create_operation<R: ApiRecord>() -> Operation {
    let op = operation::<R>(
        &format!("create{}", R::NAME),
        format!("Create a {}", R::NOUN),
        format!("Creates a {}.", R::NOUN),
    )
    .request_body(Some(doc::json_request(R::Request::name())))
    .response("201", doc::created(R::NOUN, R::Json::name()))
    .response("409", doc::conflict());
    doc::access(op, Access::Token).build()
}

fn show_operation<R: ApiRecord>() -> Operation {
    let op = operation::<R>(
        &format!("get{}", R::NAME),
        format!("Get a {}", R::NOUN),
        format!("One {}.", R::NOUN),
    )
    .response(
        "200",
        doc::json_response(
            &format!("The {}.", R::NOUN),
            doc::reference(R::Json::name()),
        ),
    );
    doc::access(op, read_access::<R>()).build()
}

fn update_operation<R: ApiRecord>() -> Operation {
    let op = operation::<R>(
        &format!("update{}", R::NAME),
        format!("Change a {}", R::NOUN),
        format!(
            "Replaces the {}: a field left out gets its default.",
            R::NOUN
        ),
    )
    .request_body(Some(doc::json_request(R::Request::name())))
    .response(
        "200",
        doc::json_response(
            &format!("The {} as stored.", R::NOUN),
            doc::reference(R::Json::name()),
        ),
    )
    .response("409", doc::conflict());
    doc::access(op, Access::Token).build()
}

fn delete_operation<R: ApiRecord>() -> Operation {
    let op = operation::<R>(
        &format!("delete{}", R::NAME),
        format!("Delete a {}", R::NOUN),
        format!("Deletes the {}.", R::NOUN),
    )
    .response("204", doc::no_content("Deleted."))
    .response("409", doc::conflict());
    doc::access(op, Access::Token).build()
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
    Id(id): Id,
) -> Result<Json<R::Json>, ApiError> {
    let record = R::get(state.store(), state.site().id, id)
        .await?
        .filter(|r| reader.may_see(r))
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(R::Json::from(&record)))
}

async fn create<R: ApiRecord>(
    acting: Acting,
    JsonBody(request): JsonBody<R::Request>,
) -> Result<Response, ApiError> {
    let input = R::input(&request)?;
    let record: R = acting
        .usecases
        .create(acting.site, &acting.actor, &input)
        .await?;
    let location = format!("{}{}/{}", super::PREFIX, R::PATH, record.id());
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(R::Json::from(&record)),
    )
        .into_response())
}

async fn update<R: ApiRecord>(
    acting: Acting,
    Id(id): Id,
    JsonBody(request): JsonBody<R::Request>,
) -> Result<Json<R::Json>, ApiError> {
    let input = R::input(&request)?;
    let record: R = acting
        .usecases
        .update(acting.site, &acting.actor, id, &input)
        .await?;
    Ok(Json(R::Json::from(&record)))
}

async fn delete<R: ApiRecord>(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .delete::<R>(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A contact person.
#[derive(Serialize, ToSchema)]
#[schema(as = Contact)]
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

/// A contact person to create or the whole new state of one. Unknown fields
/// are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    #[schema(schema_with = schema::required_text::<{ contact::MAX_NAME_CHARS }>)]
    name: String,
    #[schema(schema_with = schema::optional_text::<{ contact::MAX_JOB_TITLE_CHARS }>)]
    job_title: Option<String>,
    #[schema(schema_with = schema::email)]
    email: Option<String>,
    #[schema(schema_with = schema::phone)]
    phone: Option<String>,
}

/// A topic (emne) of the directory.
#[derive(Serialize, ToSchema)]
#[schema(as = Topic)]
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

/// A topic to create or the whole new state of one. Unknown fields are
/// refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopicRequest {
    #[schema(schema_with = schema::required_text::<{ directory::MAX_TOPIC_NAME_CHARS }>)]
    name: String,
    #[schema(schema_with = schema::slug)]
    slug: Option<String>,
    /// Lower comes first; 0 when missing.
    #[serde(default)]
    #[schema(required = false, default = 0, value_type = i64)]
    sort_order: Int,
}

/// A website of the directory.
#[derive(Serialize, ToSchema)]
#[schema(as = Site)]
pub struct WebsiteJson {
    id: i64,
    name: String,
    url: String,
    description: Option<String>,
    /// Ids of the topics it is listed under.
    topics: Vec<i64>,
    sort_order: i64,
    active: bool,
    /// Its accessibility statement in the WAS-tool.
    statement_url: Option<String>,
}

impl From<&Website> for WebsiteJson {
    fn from(w: &Website) -> Self {
        Self {
            id: w.id,
            name: w.details.name.clone(),
            url: w.details.url.to_string(),
            description: w.details.description.clone(),
            topics: w.details.topic_ids.clone(),
            sort_order: w.details.sort_order,
            active: w.details.active,
            statement_url: w.details.statement_url.as_ref().map(|u| u.to_string()),
        }
    }
}

/// A website to create or the whole new state of one, with its topics.
/// Unknown fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SiteRequest)]
pub struct WebsiteRequest {
    #[schema(schema_with = schema::required_text::<{ directory::MAX_WEBSITE_NAME_CHARS }>)]
    name: String,
    #[schema(schema_with = schema::web_url)]
    url: String,
    #[schema(schema_with = schema::optional_text::<{ directory::MAX_DESCRIPTION_CHARS }>)]
    description: Option<String>,
    /// Ids of existing topics of this site, each once; at least one.
    #[schema(schema_with = schema::topic_ids)]
    topics: Vec<Int>,
    /// Lower comes first; 0 when missing.
    #[serde(default)]
    #[schema(required = false, default = 0, value_type = i64)]
    sort_order: Int,
    /// Null or missing means true. An inactive website is hidden from the
    /// public.
    active: Option<bool>,
    /// The website's accessibility statement in the WAS-tool.
    #[schema(schema_with = schema::optional_web_url)]
    statement_url: Option<String>,
}

impl ApiRecord for ContactPerson {
    const PATH: &'static str = "/contacts";
    const TAG: &'static str = "contacts";
    const NAME: &'static str = "Contact";
    const NOUN: &'static str = "contact person";
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
    const TAG: &'static str = "topics";
    const NAME: &'static str = "Topic";
    const NOUN: &'static str = "topic";
    const PUBLIC: bool = true;
    type Json = TopicJson;
    type Request = TopicRequest;

    fn input(r: &TopicRequest) -> Result<TopicInput, ApiError> {
        Ok(TopicInput::new(&r.name, r.slug.as_deref(), r.sort_order.0)?)
    }
}

impl ApiRecord for Website {
    const PATH: &'static str = "/sites";
    const TAG: &'static str = "sites";
    const NAME: &'static str = "Site";
    const NOUN: &'static str = "directory website";
    const PUBLIC: bool = true;
    type Json = WebsiteJson;
    type Request = WebsiteRequest;

    fn input(r: &WebsiteRequest) -> Result<WebsiteInput, ApiError> {
        let mut input = WebsiteInput::new(
            &r.name,
            &r.url,
            r.description.as_deref(),
            r.topics.iter().map(|t| t.0).collect(),
            r.sort_order.0,
            r.statement_url.as_deref(),
        )?;
        input.active = r.active.unwrap_or(true);
        Ok(input)
    }

    fn listed(&self) -> bool {
        self.details.active
    }
}
