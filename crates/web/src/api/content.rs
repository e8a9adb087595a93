//! What the news and pages routes share: contact persons given by id or
//! new, status and times as requests give them, the body of a `PUT` that
//! names the version it is based on, and the warnings a save answers with.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use raadhus_domain::links::LinkWarning;
use raadhus_domain::{ContactChoice, ContactInput, ValidationErrors, date};
use serde::{Deserialize, Serialize};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOf, Schema, SchemaFormat, SchemaType,
    Type,
};
use utoipa::openapi::{Content, KnownFormat, RefOr, Required};
use utoipa::{PartialSchema, ToSchema};

use super::doc;
use super::error::ApiError;
use super::json::Int;
use super::records::ContactRequest;

/// A link of a saved body to the site that leads nowhere, or to an old
/// address.
#[derive(Serialize, ToSchema)]
#[schema(as = LinkWarning)]
pub struct LinkWarningJson {
    /// The link as the body has it.
    #[schema(example = "/nyheder/ny-skole")]
    url: String,
    /// What is wrong with it, in Danish, for the editor.
    message: String,
}

/// The warnings of a save, as the API gives them.
pub fn warnings_json(warnings: Vec<LinkWarning>) -> Option<Vec<LinkWarningJson>> {
    Some(
        warnings
            .into_iter()
            .map(|w| LinkWarningJson {
                url: w.url,
                message: w.message,
            })
            .collect(),
    )
}

/// The contact persons of an article or a page, each once.
pub fn contact_refs() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(doc::reference(ContactRef::name()))
        .unique_items(true)
        .description(Some(
            "The contact persons in display order, each once; missing means none.",
        ))
        .into()
}

/// A contact person of an article or a page: an existing one by id, or a
/// new one.
#[derive(Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContactRef {
    pub id: Option<Int>,
    name: Option<String>,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl utoipa::PartialSchema for ContactRef {
    fn schema() -> RefOr<Schema> {
        let existing = ObjectBuilder::new()
            .description(Some("An existing contact person of this site."))
            .property(
                "id",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            )
            .required("id")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        OneOf::builder()
            .item(existing)
            .item(doc::reference(ContactRequest::name()))
            .description(Some(
                "An existing contact person by `id` alone, or a new one (created on this \
                 site with the article or page).",
            ))
            .into()
    }
}

impl ToSchema for ContactRef {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((ContactRequest::name().into(), ContactRequest::schema()));
    }
}

/// `status` of a request: draft, scheduled or published (null: draft).
pub fn status() -> utoipa::openapi::schema::Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
        .enum_values(Some([
            serde_json::json!("draft"),
            serde_json::json!("scheduled"),
            serde_json::json!("published"),
            serde_json::Value::Null,
        ]))
        .build()
}

/// A time as RFC 3339 (`2026-12-01T09:00:00Z`, `…+01:00`) or Copenhagen
/// wall-clock time (`2026-12-01T10:00`).
pub fn api_time(
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

/// The version a change (`PUT`) is based on: required, and still the
/// newest (`current`), or the change is refused as stale (409).
pub fn change_version(given: Option<Int>, current: i64) -> Result<i64, ApiError> {
    let Int(version) = given.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "give the version the change is based on",
        )
        .field("version")
    })?;
    if version != current {
        return Err(raadhus_usecases::Error::Stale {
            expected: version,
            current,
        }
        .into());
    }
    Ok(version)
}

/// The answer to a `POST` that made something: 201 with its address in the
/// API and `body`, the thing as stored.
pub fn created(location: String, body: impl Serialize) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response()
}

/// Reads the contact persons of a request, in order: existing ones by id,
/// new ones validated. Problems are recorded on `errors` (field `contacts`).
pub fn read_contacts(given: &[ContactRef], errors: &mut ValidationErrors) -> Vec<ContactChoice> {
    let mut contacts = Vec::new();
    // Existing ones chosen twice are the content's own rule; new ones given
    // twice are the same person twice too.
    let new = |c: &&ContactRef| c.id.is_none();
    if (1..given.len()).any(|i| new(&&given[i]) && given[..i].contains(&given[i])) {
        errors.add("contacts", "Den samme kontaktperson er valgt flere gange.");
    }
    for c in given {
        match (c.id, &c.name) {
            (Some(Int(id)), None)
                if c.job_title.is_none() && c.email.is_none() && c.phone.is_none() =>
            {
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
    contacts
}

/// Adds the body of `PUT {path}` to the document: `name`, the request's
/// schema with `version` required (`POST` ignores it), described as `what`.
pub fn describe_change(
    doc: &mut utoipa::openapi::OpenApi,
    request: RefOr<Schema>,
    (name, path): (&str, &str),
    what: &str,
) {
    let RefOr::T(Schema::Object(mut change)) = request else {
        return;
    };
    change.required.push("version".into());
    change.properties.insert(
        "version".into(),
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some(
                "The version the change is based on: the newest, else 409.",
            ))
            .into(),
    );
    change.description = Some(what.into());
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    schemas.insert(name.into(), change.into());
    let body = RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content("application/json", Content::new(Some(doc::reference(name))))
        .build();
    if let Some(put) = doc
        .paths
        .paths
        .get_mut(path)
        .and_then(|item| item.put.as_mut())
    {
        put.request_body = Some(body.into());
    }
}
