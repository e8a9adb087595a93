//! `/api/v1/media`: the media library. Every call needs a token: the
//! library holds files of drafts too (the files themselves are public at
//! their `url`).
//!
//! Upload is `multipart/form-data` (field `file` and the text fields), read
//! as it streams: a file over the upload limit is refused with `413` as
//! soon as it passes the limit, before it is all received.

use axum::Json;
use axum::extract::multipart::{Field, Multipart, MultipartRejection};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use raadhus_domain::media::{self as rules, MediaKind};
use raadhus_domain::paging::page_count;
use raadhus_domain::{Media, SiteId};
use raadhus_store::{MediaFilter, Owner, Store};
use raadhus_usecases::{MediaFields, Upload};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::ErrorBody;
use super::json::{Acting, Id, Int, JsonBody};
use super::{ApiError, schema};
use crate::AppState;

const PER_PAGE: u32 = 50;

/// The routes of `/media`. Uploads are bounded by the upload limit (read
/// as they stream), not by the JSON body limit.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload, list))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .routes(routes!(show, update, delete))
}

/// Longest text field of an upload, in bytes (the longest allowed text,
/// the caption, in the widest UTF-8).
const MAX_FIELD_BYTES: usize = 4 * rules::MAX_CAPTION_CHARS;

/// A file of the media library.
#[derive(Serialize, ToSchema)]
#[schema(as = Media)]
pub struct MediaJson {
    id: i64,
    /// `image` or `document`.
    #[schema(value_type = String, example = "image")]
    kind: &'static str,
    /// Where the file is served (images: without metadata).
    url: String,
    title: String,
    /// The file's name as served.
    filename: String,
    /// Its type, judged from its bytes.
    mime: String,
    /// Its size in bytes.
    size: u64,
    /// Images only: size in pixels.
    width: Option<u32>,
    height: Option<u32>,
    /// Images only: the text alternative; null for a decorative image.
    alt: Option<String>,
    decorative: bool,
    caption: Option<String>,
    credit: Option<String>,
    /// Focal point in per-mille of the width and height.
    focal_x: u16,
    focal_y: u16,
    /// Documents only: the accessibility check made at upload.
    accessibility: Option<AccessibilityJson>,
    /// The version a change must be based on (`PUT`).
    version: i64,
    #[schema(value_type = String, format = DateTime)]
    created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    updated_at: Timestamp,
    /// The articles, then the pages, that use the file (as their image or in
    /// their text); only in the answer about one file.
    #[serde(skip_serializing_if = "Option::is_none")]
    used_by: Option<Vec<UseJson>>,
}

/// What a document's accessibility check found.
#[derive(Serialize, ToSchema)]
#[schema(as = DocumentAccessibility)]
struct AccessibilityJson {
    /// A structure tree, and `/MarkInfo /Marked true`.
    tagged: bool,
    /// The document states its language (`/Lang`).
    language: bool,
    /// The document has a title of its own.
    title: bool,
    /// It has a text layer (a scanned page has none).
    has_text: bool,
    /// All four checks pass.
    passes: bool,
    /// What fails, in Danish.
    problems: Vec<&'static str>,
}

/// An article or page using a file: either `news_id` or `page_id`.
#[derive(Serialize, ToSchema)]
#[schema(as = MediaUse)]
struct UseJson {
    /// The article's id (`/api/v1/news/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    news_id: Option<i64>,
    /// The page's id (`/api/v1/pages/{id}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    page_id: Option<i64>,
    title: String,
    /// It is the article's lead image, or the page's image.
    lead_image: bool,
    /// The article or page is in the bin.
    binned: bool,
}

fn media_json(m: &Media, used_by: Option<Vec<UseJson>>) -> MediaJson {
    let d = &m.details;
    MediaJson {
        id: m.id,
        kind: m.kind.as_str(),
        url: m.url(),
        title: d.title.clone(),
        filename: m.filename.clone(),
        mime: m.mime.clone(),
        size: m.size,
        width: m.width,
        height: m.height,
        alt: d.alt.clone(),
        decorative: d.decorative,
        caption: d.caption.clone(),
        credit: d.credit.clone(),
        focal_x: d.focal.x,
        focal_y: d.focal.y,
        accessibility: m.accessibility.map(|a| AccessibilityJson {
            tagged: a.tagged,
            language: a.language,
            title: a.title,
            has_text: a.has_text,
            passes: a.passes(),
            problems: a.problems(),
        }),
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
        used_by,
    }
}

async fn with_uses(store: &Store, site: SiteId, m: &Media) -> Result<MediaJson, ApiError> {
    let uses = store
        .media_uses(site, m.id)
        .await?
        .into_iter()
        .map(|u| UseJson {
            news_id: match u.of {
                Owner::News(id) => Some(id),
                Owner::Page(_) => None,
            },
            page_id: match u.of {
                Owner::Page(id) => Some(id),
                Owner::News(_) => None,
            },
            title: u.title,
            lead_image: u.lead,
            binned: u.binned,
        })
        .collect();
    Ok(media_json(m, Some(uses)))
}

/// An upload: the file and what is said about it.
#[derive(ToSchema)]
#[allow(dead_code)] // Describes the multipart form; read field by field.
pub struct MediaUpload {
    /// The file: JPEG, PNG, WebP, GIF, SVG or PDF, judged from its bytes (the
    /// name is not trusted). At most the server's upload limit (413 above).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Images: required unless `decorative` is `true`: what the image shows,
    /// 3 to 400 characters, not the file's name.
    #[schema(schema_with = schema::form_text::<{ rules::MAX_ALT_CHARS }>)]
    alt: Option<String>,
    /// `true`: the image adds nothing a reader needs (shown with empty alt).
    #[schema(value_type = bool, required = false)]
    decorative: Option<String>,
    #[schema(schema_with = schema::form_text::<{ rules::MAX_CAPTION_CHARS }>)]
    caption: Option<String>,
    /// Who took the photo ("Foto: …").
    #[schema(schema_with = schema::form_text::<{ rules::MAX_CREDIT_CHARS }>)]
    credit: Option<String>,
    /// Blank: the file's name.
    #[schema(schema_with = schema::form_text::<{ rules::MAX_MEDIA_TITLE_CHARS }>)]
    title: Option<String>,
    /// Focal point, 0–1000 per mille of the width (missing: 500).
    #[schema(value_type = i64, required = false, minimum = 0, maximum = 1000)]
    focal_x: Option<String>,
    /// Focal point, 0–1000 per mille of the height (missing: 500).
    #[schema(value_type = i64, required = false, minimum = 0, maximum = 1000)]
    focal_y: Option<String>,
}

/// Upload a file
///
/// Adds an image or a document to the library. An image's metadata (EXIF
/// with GPS position, camera and serial numbers) is removed, its
/// orientation applied; an image whose header claims more pixels than the
/// server's limit is refused before decoding. A PDF is checked for
/// accessibility (see `accessibility`).
#[utoipa::path(
    post, path = "/media", tag = "media", operation_id = "uploadMedia",
    request_body(content = MediaUpload, content_type = "multipart/form-data"),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The file, as stored.", body = MediaJson,
            headers(("Location" = String, description = "Its address in the API."))),
        (status = 413, description = "The file is larger than the upload limit.", body = ErrorBody),
        (status = 415, description = "The body is not multipart/form-data.", body = ErrorBody),
        (status = 422, description = "The file is not an accepted type, is damaged or too large in pixels (`field: file`), or the alt text is missing or not acceptable (`field: alt`).", body = ErrorBody),
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    acting: Acting,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart.map_err(|e| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("send the file as multipart/form-data: {}", e.body_text()),
        )
    })?;
    let limit = state.inner.max_upload_bytes;
    let (mut file, mut fields) = (None, MediaFields::default());
    while let Some(field) = multipart.next_field().await.map_err(bad_multipart)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" if file.is_none() => {
                let filename = field.file_name().unwrap_or_default().to_string();
                file = Some((filename, read_limited(field, limit, "file").await?));
            }
            "alt" | "decorative" | "caption" | "credit" | "title" | "focal_x" | "focal_y" => {
                let bytes = read_limited(field, MAX_FIELD_BYTES, &name).await?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not UTF-8 text").field(&name)
                })?;
                set_field(&mut fields, &name, text)?;
            }
            "file" => {
                return Err(
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "send one file").field("file"),
                );
            }
            other => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("unknown field {other:?}"),
                )
                .field(other));
            }
        }
    }
    let (filename, bytes) = file.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "send the file in the field `file`",
        )
        .field("file")
    })?;
    let media = acting
        .usecases
        .upload_media(
            acting.site,
            &acting.actor,
            Upload {
                filename,
                bytes,
                fields,
            },
            state.inner.upload_limits,
        )
        .await?;
    let location = format!("{}/media/{}", super::PREFIX, media.id);
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(media_json(&media, None)),
    )
        .into_response())
}

fn bad_multipart(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "the request is larger than the upload limit".to_string()
    } else {
        format!("the multipart body cannot be read: {}", e.body_text())
    };
    ApiError::new(status, message)
}

/// A field's bytes, refused with `413` once past `limit` (a text field
/// past its limit: `422`).
async fn read_limited(mut field: Field<'_>, limit: usize, name: &str) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(bad_multipart)? {
        if bytes.len() + chunk.len() > limit {
            return Err(if name == "file" {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the file is larger than the upload limit of {limit} bytes"),
                )
                .field("file")
            } else {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "the text is too long").field(name)
            });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn set_field(fields: &mut MediaFields, name: &str, text: String) -> Result<(), ApiError> {
    let slot = match name {
        "alt" => &mut fields.alt,
        "caption" => &mut fields.caption,
        "credit" => &mut fields.credit,
        "title" => &mut fields.title,
        "focal_x" => &mut fields.focal_x,
        "focal_y" => &mut fields.focal_y,
        _ => {
            fields.decorative = match text.trim() {
                "true" => true,
                "false" | "" => false,
                _ => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "decorative is true or false",
                    )
                    .field("decorative"));
                }
            };
            return Ok(());
        }
    };
    if slot.is_some() {
        return Err(
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "the field is sent twice").field(name),
        );
    }
    *slot = Some(text);
    Ok(())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    #[param(schema_with = schema::page_number)]
    page: Option<String>,
    /// `image` or `document`; missing or blank: both.
    #[param(schema_with = kind_param)]
    kind: Option<String>,
    /// Words of the title, file name or alt text.
    #[param(value_type = Option<String>)]
    q: Option<String>,
}

fn kind_param() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["image", "document", ""]))
        .build()
}

/// A page of the library, newest first.
#[derive(Serialize, ToSchema)]
#[schema(as = MediaList)]
pub struct MediaList {
    page: u32,
    pages: u32,
    per_page: u32,
    total: u64,
    items: Vec<MediaJson>,
}

/// List the library
#[utoipa::path(
    get, path = "/media", tag = "media", operation_id = "listMedia",
    params(ListQuery),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "One page of files, newest first.", body = MediaList),
        (status = 400, description = "A query parameter is not valid.", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    acting: Acting,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<MediaList>, ApiError> {
    let Query(query) = query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text()))?;
    let number = raadhus_domain::paging::parse_page_number(query.page.as_deref())
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()).field("page"))?;
    let kind = match query.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(MediaKind::parse(k).ok_or_else(|| {
            ApiError::new(StatusCode::BAD_REQUEST, "kind is image or document").field("kind")
        })?),
    };
    let q: Option<String> = query
        .q
        .map(|q| q.chars().take(raadhus_search::MAX_QUERY_CHARS).collect());
    let (items, total) = state
        .store()
        .media_list(
            acting.site,
            &MediaFilter {
                kind,
                query: q.as_deref(),
                limit: PER_PAGE,
                offset: (number - 1).saturating_mul(PER_PAGE),
            },
        )
        .await?;
    let total = u64::try_from(total).unwrap_or(0);
    Ok(Json(MediaList {
        page: number,
        pages: page_count(total, PER_PAGE),
        per_page: PER_PAGE,
        total,
        items: items.iter().map(|m| media_json(m, None)).collect(),
    }))
}

/// Get a file's details
#[utoipa::path(
    get, path = "/media/{id}", tag = "media", operation_id = "getMedia",
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The file, with the articles using it.", body = MediaJson)),
)]
pub async fn show(
    State(state): State<AppState>,
    acting: Acting,
    Id(id): Id,
) -> Result<Json<MediaJson>, ApiError> {
    let media = state
        .store()
        .media(acting.site, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(with_uses(state.store(), acting.site, &media).await?))
}

/// What is said about a file: the whole new state, based on `version`.
/// Unknown fields are refused.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MediaChange)]
pub struct MediaChange {
    /// Blank or missing: the file's name.
    #[schema(schema_with = schema::optional_text::<{ rules::MAX_MEDIA_TITLE_CHARS }>)]
    title: Option<String>,
    /// Images: required unless `decorative`: what the image shows, 3 to 400
    /// characters, not the file's name.
    #[schema(schema_with = schema::optional_text::<{ rules::MAX_ALT_CHARS }>)]
    alt: Option<String>,
    #[serde(default)]
    decorative: bool,
    #[schema(schema_with = schema::optional_text::<{ rules::MAX_CAPTION_CHARS }>)]
    caption: Option<String>,
    #[schema(schema_with = schema::optional_text::<{ rules::MAX_CREDIT_CHARS }>)]
    credit: Option<String>,
    /// 0–1000; missing: 500.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1000)]
    focal_x: Option<Int>,
    /// 0–1000; missing: 500.
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 1000)]
    focal_y: Option<Int>,
    /// The version the change is based on: the file's newest, else 409.
    #[schema(value_type = i64)]
    version: Int,
}

/// Describe a file anew
///
/// Every page that shows the file follows at once (its alt text, caption
/// and credit; crops follow a new focal point).
#[utoipa::path(
    put, path = "/media/{id}", tag = "media", operation_id = "updateMedia",
    request_body = MediaChange,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The file as stored.", body = MediaJson),
        (status = 409, description = "`version` is not the newest: fetch the file again.", body = ErrorBody),
        (status = 422, description = "A field is not acceptable, e.g. a missing alt text (`field: alt`).", body = ErrorBody),
    ),
)]
pub async fn update(
    State(state): State<AppState>,
    acting: Acting,
    Id(id): Id,
    JsonBody(req): JsonBody<MediaChange>,
) -> Result<Json<MediaJson>, ApiError> {
    let number = |v: Option<Int>| v.map(|Int(n)| n.to_string());
    let fields = MediaFields {
        title: req.title,
        alt: req.alt,
        decorative: req.decorative,
        caption: req.caption,
        credit: req.credit,
        focal_x: number(req.focal_x),
        focal_y: number(req.focal_y),
    };
    let Int(version) = req.version;
    let media = acting
        .usecases
        .update_media(acting.site, &acting.actor, id, Some(version), fields)
        .await?;
    Ok(Json(with_uses(state.store(), acting.site, &media).await?))
}

/// Delete a file
///
/// Refused while an article uses it (also one in the bin): the answer names
/// them.
#[utoipa::path(
    delete, path = "/media/{id}", tag = "media", operation_id = "deleteMedia",
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "Articles use the file; the message names them.", body = ErrorBody),
    ),
)]
pub async fn delete(acting: Acting, Id(id): Id) -> Result<StatusCode, ApiError> {
    acting
        .usecases
        .delete_media(acting.site, &acting.actor, id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
