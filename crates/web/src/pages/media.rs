//! `/medier/…`: the files of the media library, as every node serves them.
//!
//! - `/medier/{id}/{hash}/{filename}`: the cleaned original (no metadata; a
//!   drawing under a policy of its own).
//! - `/medier/{id}/{hash}-{x}-{y}-v{n}/{crop}-{width}.{webp|jpg}`: a variant.
//!
//! Both addresses name the bytes they serve (the file's hash, the focal
//! point, the variant version), so answers are cached for a year as
//! immutable. An address of a file's earlier focal point leads to the
//! current one; anything else that does not match is `404`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use raadhus_domain::media::{Crop, VariantFormat};

use crate::cache::files::MediaAnswer;
use crate::{AppState, WebError};

/// The Content-Security-Policy of a drawing opened on its own: its inline
/// styles and embedded raster images, nothing else, in a sandbox.
const DRAWING_POLICY: HeaderValue = HeaderValue::from_static(
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
);

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

/// Serves a file of the library from this node's disk or the database (the
/// render cache's middleware keeps hot answers in memory, see
/// [`crate::cache::files`]).
pub async fn serve(
    State(state): State<AppState>,
    Path((id, key, name)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let media = state
        .store()
        .media(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    if key == media.short_hash() && name == media.filename {
        let bytes = state.files().original(state.store(), &media).await?;
        let content_type = HeaderValue::from_str(&media.mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream"));
        // `filename` is made safe when stored (ASCII letters, digits, `-_.`).
        let disposition =
            HeaderValue::from_str(&format!("inline; filename=\"{}\"", media.filename))
                .unwrap_or(HeaderValue::from_static("inline"));
        let mut response = answer(media.id, content_type, Some(disposition), bytes);
        if media.is_vector() {
            // Opened on its own, a drawing is a document: nothing in it may
            // run, load or submit (its check refused all that already).
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, DRAWING_POLICY);
        }
        return Ok(response);
    }
    let Some((crop, width, format)) = variant_name(&name) else {
        return Err(WebError::NotFound);
    };
    let (w, h) = (media.width.unwrap_or(0), media.height.unwrap_or(0));
    if !media.has_variants() || !crop.widths(w, h).contains(&width) {
        return Err(WebError::NotFound);
    }
    if key != media.variant_key() {
        // An earlier focal point (or variant version) of the same bytes: a
        // page cached elsewhere still names it.
        return if key.starts_with(&format!("{}-", media.short_hash())) {
            Ok(Redirect::to(&media.variant_url(crop, width, format)).into_response())
        } else {
            Err(WebError::NotFound)
        };
    }
    let bytes = state
        .files()
        .variant(state.store(), &media, crop, width, format)
        .await?;
    let content_type = HeaderValue::from_static(format.mime());
    Ok(answer(media.id, content_type, None, bytes))
}

/// A file's answer: its type, a year's immutable caching, and for an
/// original its name, shown in the browser (a PDF in its viewer).
fn answer(
    media_id: i64,
    content_type: HeaderValue,
    disposition: Option<HeaderValue>,
    body: Vec<u8>,
) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, IMMUTABLE),
        ],
        MediaAnswer { media_id },
        body,
    )
        .into_response();
    if let Some(disposition) = disposition {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// `{crop}-{width}.{ext}`.
fn variant_name(name: &str) -> Option<(Crop, u32, VariantFormat)> {
    let (stem, extension) = name.rsplit_once('.')?;
    let (crop, width) = stem.split_once('-')?;
    if width.starts_with('0') || !width.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((
        Crop::parse(crop)?,
        width.parse().ok()?,
        VariantFormat::parse_extension(extension)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_are_read_strictly() {
        assert_eq!(
            variant_name("hel-800.webp"),
            Some((Crop::Full, 800, VariantFormat::Webp))
        );
        assert_eq!(
            variant_name("kort-480.jpg"),
            Some((Crop::Card, 480, VariantFormat::Jpeg))
        );
        for bad in [
            "hel-0800.jpg",
            "hel-+800.jpg",
            "hel-800.png",
            "rund-800.jpg",
            "hel.jpg",
            "hel-99999999999.jpg",
        ] {
            assert_eq!(variant_name(bad), None, "{bad}");
        }
    }
}
