//! The upload form, and reading it: a `multipart/form-data` form whose CSRF
//! token is checked before a byte of the file is kept, and whose file is
//! counted while it streams in (over the limit: `413` at once).

use std::collections::HashMap;

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::media::format_size;
use raadhus_domain::{MediaDetails, ValidationErrors};
use raadhus_usecases::{Actor, Error, MediaFields, Upload};

use super::{FORM_FIELDS_BYTES, SECTION, edit_url, max_upload_bytes, media_limits};
use crate::admin::session::{CSRF_MESSAGE, FormFields, SignedIn};
use crate::{AppState, WebError};

/// What was typed in the upload or edit form, for the use cases.
pub(super) fn media_fields(form: &FormFields) -> MediaFields {
    let text = |name| Some(form.get(name).to_string());
    MediaFields {
        title: text("title"),
        alt: text("alt"),
        decorative: !form.get("decorative").is_empty(),
        caption: text("caption"),
        credit: text("credit"),
        focal_x: text("focal_x"),
        focal_y: text("focal_y"),
    }
}

/// The form's values to show again: the details' fields and the version.
pub(super) fn values(form: &FormFields) -> HashMap<&'static str, String> {
    MediaDetails::FIELDS
        .iter()
        .chain(&["version"])
        .map(|f| (*f, form.get(f).to_string()))
        .collect()
}

/// The errors by field, for the template.
pub(super) fn error_map(errors: Option<&ValidationErrors>) -> HashMap<&'static str, String> {
    errors
        .map(|e| {
            e.errors()
                .iter()
                .map(|e| (e.field, e.message.clone()))
                .collect()
        })
        .unwrap_or_default()
}

const NOT_SAVED: &str = "Filen er ikke gemt. Ret fejlene herunder, og upload igen.";
const CHOOSE_AGAIN: &str = "Vælg filen igen: af sikkerhedsgrunde kan browseren ikke huske den \
    fil, du valgte. Det, du skrev i felterne, står der stadig.";
const UNREADABLE: &str = "Formularen kunne ikke læses. Gå tilbage, genindlæs siden, og prøv igen.";

async fn render(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    form: &FormFields,
    errors: Option<&ValidationErrors>,
) -> Result<Response, WebError> {
    let ctx = context! {
        admin_section => SECTION,
        values => Serde(values(form)),
        errors => Serde(error_map(errors)),
        error_list => Serde(errors.map(ValidationErrors::errors)),
        message => errors.map(|_| NOT_SAVED),
        choose_again => errors.map(|_| CHOOSE_AGAIN),
        max_size => limit_text(max_upload_bytes(state)),
        notice => None::<&str>,
        for_image => true,
    };
    let html = state
        .render_admin("admin/media_upload.html", "Upload fil", who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub async fn form(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    let defaults = FormFields::default()
        .with("focal_x", "500")
        .with("focal_y", "500");
    render(&state, &who, StatusCode::OK, &defaults, None).await
}

pub async fn submit(
    State(state): State<AppState>,
    who: SignedIn,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let max = max_upload_bytes(&state);
    // A body that says it is too large is refused before it is read.
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max.saturating_add(FORM_FIELDS_BYTES)) {
        return Err(too_large(max));
    }
    let mut multipart = multipart.map_err(|_| WebError::BadRequest(UNREADABLE.into()))?;
    let (fields, file) = read(&mut multipart, &who, max).await?;
    let Some((filename, bytes)) = file else {
        let errors = ValidationErrors::one("file", "Vælg en fil at uploade.");
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&state, &who, status, &fields, Some(&errors)).await;
    };
    let upload = Upload {
        filename,
        bytes,
        fields: media_fields(&fields),
    };
    let by = Actor::editor(who.user.id);
    let site = state.site().id;
    match state
        .usecases()
        .upload_media(site, &by, upload, media_limits(&state))
        .await
    {
        Ok(media) => {
            Ok(Redirect::to(&format!("{}?uploadet=1", edit_url(media.id))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&state, &who, status, &fields, Some(&errors)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A file: the name the browser gave it and its bytes.
type File = (String, Vec<u8>);

/// Reads the form's fields and its file. The CSRF token must come before
/// the file (a browser sends the fields in the form's order, and the token
/// is the form's first field), so that nothing of a forged upload is kept.
async fn read(
    multipart: &mut Multipart,
    who: &SignedIn,
    max: u64,
) -> Result<(FormFields, Option<File>), WebError> {
    let mut fields = FormFields::default();
    let mut file = None;
    let mut text_bytes = 0u64;
    let mut checked = false;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| unreadable(&e, max))?
    {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            if !checked {
                return Err(WebError::Forbidden(CSRF_MESSAGE.into()));
            }
            let filename = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(&e, max))? {
                if (bytes.len() + chunk.len()) as u64 > max {
                    return Err(too_large(max));
                }
                bytes.extend_from_slice(&chunk);
            }
            // A file input left empty is sent as a part without name or bytes.
            if !filename.is_empty() || !bytes.is_empty() {
                file = Some((filename, bytes));
            }
            continue;
        }
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(&e, max))? {
            text_bytes += chunk.len() as u64;
            if text_bytes > FORM_FIELDS_BYTES {
                return Err(WebError::PayloadTooLarge(
                    "Formularen er for stor til at blive gemt.".into(),
                ));
            }
            value.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(value).map_err(|_| {
            WebError::BadRequest(
                "Formularen indeholdt tegn, der ikke kunne læses (ikke UTF-8). Kontrollér teksten, og prøv igen."
                    .into(),
            )
        })?;
        if name == "_csrf" {
            who.check_csrf(Some(&value))?;
            checked = true;
        }
        fields = fields.with(&name, value);
    }
    if !checked {
        return Err(WebError::Forbidden(CSRF_MESSAGE.into()));
    }
    Ok((fields, file))
}

fn unreadable(e: &MultipartError, max: u64) -> WebError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max)
    } else {
        WebError::BadRequest(UNREADABLE.into())
    }
}

/// `413`, saying how large a file may be.
fn too_large(max: u64) -> WebError {
    WebError::PayloadTooLarge(format!(
        "Filen er for stor. Den største fil, der kan uploades, er {}. Gør filen mindre – gem \
         fx billedet i en mindre størrelse eller dokumentet som en mindre PDF – og prøv igen. \
         Intet er gemt.",
        limit_text(max)
    ))
}

/// The upload limit as editors read it: a whole number of MiB as "20 MB"
/// (the operators set it in MiB), anything else as [`format_size`] does.
fn limit_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        format_size(bytes)
    }
}
