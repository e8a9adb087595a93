//! Static assets, embedded in the binary and served under content-hashed names
//! so browsers may cache them forever.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

/// (logical name, content, content type)
const FILES: &[(&str, &[u8], &str)] = &[
    (
        "style.css",
        include_bytes!("../static/style.css"),
        "text/css; charset=utf-8",
    ),
    (
        "directory.js",
        include_bytes!("../static/directory.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "share.js",
        include_bytes!("../static/share.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "editor.js",
        include_bytes!("../static/editor.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "pickers.js",
        include_bytes!("../static/pickers.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "foldeud.js",
        include_bytes!("../static/foldeud.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "media.js",
        include_bytes!("../static/media.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "page_tree.js",
        include_bytes!("../static/page_tree.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "favicon.svg",
        include_bytes!("../static/favicon.svg"),
        "image/svg+xml",
    ),
];

struct Asset {
    body: &'static [u8],
    content_type: &'static str,
}

pub struct Assets {
    /// logical name → public URL path (`/static/style.0123456789.css`)
    urls: HashMap<&'static str, String>,
    /// hashed file name → asset
    files: HashMap<String, Asset>,
}

impl Assets {
    pub fn new() -> Self {
        let mut urls = HashMap::new();
        let mut files = HashMap::new();
        for &(name, body, content_type) in FILES {
            let digest = Sha256::digest(body);
            let hash: String = digest[..5].iter().map(|b| format!("{b:02x}")).collect();
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            urls.insert(name, format!("/static/{hashed}"));
            files.insert(hashed, Asset { body, content_type });
        }
        Self { urls, files }
    }

    /// Logical name → public URL path, for templates.
    pub fn urls(&self) -> &HashMap<&'static str, String> {
        &self.urls
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let asset = state
        .inner
        .assets
        .files
        .get(&file)
        .ok_or(WebError::NotFound)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
        ],
        asset.body,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_static_file_is_served_under_a_hashed_name() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
        let assets = Assets::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let url = assets.urls().get(name.as_str());
            assert!(url.is_some(), "{name} is not in FILES");
            assert_ne!(
                url.map(String::as_str),
                Some(format!("/static/{name}").as_str())
            );
        }
    }
}
