//! The OpenAPI document of `/api/v1`, made from the code: each route adds its
//! operation where it is registered (`#[utoipa::path]` on the news handlers,
//! [`ApiRecord`](super::records::ApiRecord) for the plain kinds), the types
//! their schemas (`ToSchema`), and [`complete`] adds to every operation the
//! answers the shared plumbing gives (the body extractor, the token, the path
//! id, the database).

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::{RequestBody, RequestBodyBuilder};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Ref, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, KnownFormat, OpenApi, RefOr, Required};
use utoipa::{Modify, OpenApi as _};

use super::error::{ErrorBody, FieldErrorBody};

const BEARER: &str = "bearerAuth";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Raadhus content API",
        version = "1",
        description = "The JSON content API of a Raadhus site: news, pages, contact persons, and \
the directory's topics and websites.

Public reads need no token: `GET /api/v1/news` and `GET /api/v1/news/{id}` (published articles \
only), `GET /api/v1/pages` and `GET /api/v1/pages/{id}` (published pages only), topics, sites (active websites only), search and this document. All writes, and \
everything about contact persons, redirects and revisions, need `Authorization: Bearer <token>`. Tokens are \
created with `raadhus token create --user EMAIL --name NAME` (or by an administrator in the \
admin) and act as that user; revoking the token or disabling the user stops it at once. With a \
token, news lists and reads also include drafts, scheduled and expired articles. A malformed or \
unknown token is refused (401) even on calls that are public without one.

Request bodies must be `Content-Type: application/json`, within the configured size limit \
(default 1 MiB), and may contain no unknown fields. PUT replaces the whole item. Every error is \
JSON `{\"error\": \"…\", \"field\": \"…\"}` (the Error schema); validation messages are in \
Danish. Every answer carries `Cache-Control: no-store`.

This document is generated from the server's code."
    ),
    servers((url = "/")),
    tags(
        (name = "news", description = "News articles."),
        (name = "pages", description = "Content pages in a tree; a page's address is the path of its and its ancestors' slugs."),
        (name = "contacts", description = "Contact persons named on articles."),
        (name = "topics", description = "Topics (emner) of the website directory."),
        (name = "sites", description = "Websites of the directory."),
        (name = "identity", description = "`/site`: the municipality's identity: name, logo, brand colour and the facts the footer shows."),
        (name = "redirects", description = "Redirects from addresses of this site (an old site's, say) to a page here or an https URL: `301` or `302`, the request's query passed on. Token only."),
        (name = "search", description = "Search over published pages, news, documents and websites."),
        (name = "best-bets", description = "Best bets (\"Anbefalede resultater\"): a result editors pin for a search phrase, shown first and marked as recommended. Token only."),
        (name = "reports", description = "What visitors did and said, for editors: every report needs a token."),
        (name = "meta", description = "About the API itself."),
    ),
    components(schemas(ErrorBody, FieldErrorBody)),
    modifiers(&Bearer),
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, doc: &mut OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API token from `raadhus token create --user EMAIL --name NAME`; acts as that user.",
            ))
            .build();
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme(BEARER, SecurityScheme::Http(scheme));
    }
}

/// Who may call an operation.
#[derive(Clone, Copy)]
pub enum Access {
    /// Anyone; a token is not looked at.
    Public,
    /// Only with a token.
    Token,
}

pub fn access(op: OperationBuilder, access: Access) -> OperationBuilder {
    let bearer = SecurityRequirement::new(BEARER, Vec::<String>::new());
    match access {
        Access::Public => op,
        Access::Token => op.security(bearer),
    }
}

pub fn reference(name: impl Into<String>) -> RefOr<Schema> {
    Ref::from_schema_name(name).into()
}

/// `{"items": [...]}` of the schema `name`.
pub fn items(name: impl Into<String>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .property("items", ArrayBuilder::new().items(reference(name)))
        .required("items")
        .into()
}

fn json(schema: RefOr<Schema>) -> Content {
    Content::new(Some(schema))
}

pub fn json_response(description: &str, schema: RefOr<Schema>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json(schema))
        .build()
}

pub fn created(noun: &str, name: impl Into<String>) -> Response {
    ResponseBuilder::new()
        .description(format!("The new {noun}, as stored."))
        .header(
            "Location",
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .description(Some("Its address in the API."))
                .build(),
        )
        .content("application/json", json(reference(name)))
        .build()
}

pub fn no_content(description: &str) -> Response {
    ResponseBuilder::new().description(description).build()
}

pub fn error(description: &str) -> Response {
    json_response(description, reference("Error"))
}

pub fn conflict() -> Response {
    error(
        "The change conflicts with what is stored: a slug or name taken by another item, a \
         referenced item that does not exist, an item still in use (the answer names by what), \
         or an article changed since the version given.",
    )
}

pub fn json_request(name: impl Into<String>) -> RequestBody {
    RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content("application/json", json(reference(name)))
        .build()
}

/// Puts every path under `prefix`, and adds to every operation the answers
/// the shared plumbing gives, where the operation does not describe them
/// itself.
pub fn complete(doc: &mut OpenApi, prefix: &str) {
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("{prefix}{path}"), item))
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_id = path.contains("{id}");
        for (writes, op) in [
            (false, &mut item.get),
            (true, &mut item.post),
            (true, &mut item.put),
            (true, &mut item.delete),
        ] {
            if let Some(op) = op {
                if has_id {
                    id_parameter(op);
                }
                standard_answers(op, has_id, writes);
            }
        }
    }
}

/// The `{id}` of a path, where the operation does not describe it.
fn id_parameter(op: &mut Operation) {
    let parameters = op.parameters.get_or_insert_with(Vec::new);
    let described = parameters
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.name == "id"));
    if !described {
        parameters.push(RefOr::T(
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some("The item's id."))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
                ))
                .build(),
        ));
    }
}

fn standard_answers(op: &mut Operation, has_id: bool, writes: bool) {
    let has_body = op.request_body.is_some();
    let secured = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().any(|r| *r != SecurityRequirement::default()));
    let mut answers: Vec<(&str, Response)> = Vec::new();
    match (has_body, has_id) {
        (true, _) => answers.push((
            "400",
            error(
                "Malformed JSON (a syntax error, an empty or cut-off body, trailing characters), \
                 or an `id` in the path that is not an integer.",
            ),
        )),
        (false, true) => answers.push(("400", error("The `id` in the path is not an integer."))),
        (false, false) => {}
    }
    if secured {
        answers.push((
            "401",
            error(
                "No token where one is needed, an `Authorization` header that is not \
                 `Bearer <token>`, or a token that is unknown or revoked, or whose user is \
                 disabled.",
            ),
        ));
    }
    if has_id {
        answers.push(("404", error("No such item on this site.")));
    }
    if has_body {
        answers.push((
            "413",
            error("The request body is larger than the configured limit (`max_body_bytes`)."),
        ));
        answers.push((
            "415",
            error("The `Content-Type` of the request is not `application/json`."),
        ));
        answers.push((
            "422",
            error(
                "The body does not fit the schema, or a value fails validation: `field` names \
                 the first wrong field, `errors` lists every one when there are several.",
            ),
        ));
    }
    answers.push((
        "500",
        error("An internal error (`{\"error\": \"internal error\"}`)."),
    ));
    answers.push((
        "503",
        ResponseBuilder::from(error(
            "The database cannot be reached; nothing was changed. Try again after `Retry-After` \
             seconds.",
        ))
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
                .build(),
        )
        .build(),
    ));
    if writes {
        answers.push((
            "507",
            error("The server's disk is full: the change was not saved, and nothing stored was changed."),
        ));
    }
    for (status, answer) in answers {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| answer.into());
    }
}

/// The document's start: its information, tags, shared schemas and the
/// token scheme.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}
