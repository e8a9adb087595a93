//! Media files in memory: the answers of `/medier/…` most asked for, whole
//! (headers and bytes), served before routing as the render cache serves
//! pages, so that a hot image costs no database lookup, disk read or
//! header work.
//!
//! The addresses name their bytes (hash, focal point, variant version), so
//! an entry never goes stale by itself; it goes when its file is described
//! anew or deleted (`Change::Media`), or with everything on a change of the
//! whole site, so a deleted file stops being served at once on every node.
//! Bounded by bytes: at the limit the whole map is cleared (cheap, and the
//! disk cache refills it), and no single file takes more than a sixteenth.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use raadhus_store::Change;

/// Put on a `/medier/…` answer by its handler: the file it serves, so that
/// the answer can be kept and forgotten when the file changes.
#[derive(Debug, Clone, Copy)]
pub struct MediaAnswer {
    pub media_id: i64,
}

impl axum::response::IntoResponseParts for MediaAnswer {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        mut res: axum::response::ResponseParts,
    ) -> Result<axum::response::ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

/// One answer of `/medier/…`, as sent.
#[derive(Clone)]
pub struct HotFile {
    pub media_id: i64,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl HotFile {
    pub fn response(self) -> Response {
        let mut response = Response::new(Body::from(self.body));
        *response.headers_mut() = self.headers;
        response
    }
}

/// Serves `/medier/…` from memory, or asks the handler and keeps its
/// answer when it is a file small enough to keep.
pub async fn serve(files: &HotFiles, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if let Some(file) = files.get(&path) {
        return file.response();
    }
    // Only a GET's answer is kept: a HEAD's comes without its body.
    let get = request.method() == axum::http::Method::GET;
    let response = next.run(request).await;
    let Some(&MediaAnswer { media_id }) = response.extensions().get::<MediaAnswer>() else {
        return response;
    };
    if !get || response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let size = axum::body::HttpBody::size_hint(&body).exact();
    if size.is_none_or(|size| size > files.max_entry() as u64) {
        return Response::from_parts(parts, body);
    }
    let Ok(body) = axum::body::to_bytes(body, files.max_entry()).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let file = HotFile {
        media_id,
        headers: parts.headers,
        body,
    };
    files.insert(&path, file.clone());
    file.response()
}

#[derive(Default)]
struct Map {
    files: HashMap<String, HotFile>,
    bytes: usize,
}

/// The media answers kept in memory, by path.
pub struct HotFiles {
    max_bytes: usize,
    map: RwLock<Map>,
}

impl HotFiles {
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            map: RwLock::new(Map::default()),
        }
    }

    /// The largest answer kept.
    fn max_entry(&self) -> usize {
        self.max_bytes / 16
    }

    pub fn get(&self, path: &str) -> Option<HotFile> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.files.get(path).cloned()
    }

    /// Keeps `file` as the answer for `path`, if it is small enough.
    pub fn insert(&self, path: &str, file: HotFile) {
        let size = file.body.len() + path.len();
        if size > self.max_entry() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.bytes + size > self.max_bytes {
            map.files.clear();
            map.bytes = 0;
        }
        if let Some(old) = map.files.insert(path.to_string(), file) {
            map.bytes -= old.body.len() + path.len();
        }
        map.bytes += size;
    }

    /// Forgets the files `changes` touched.
    pub fn forget(&self, changes: &[Change]) {
        let everything = changes.contains(&Change::Site);
        let ids: Vec<i64> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Media { id } => Some(*id),
                _ => None,
            })
            .collect();
        if !everything && ids.is_empty() {
            return;
        }
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        let Map { files, bytes } = &mut *map;
        files.retain(|path, file| {
            let keep = !everything && !ids.contains(&file.media_id);
            if !keep {
                *bytes -= file.body.len() + path.len();
            }
            keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(media_id: i64, size: usize) -> HotFile {
        HotFile {
            media_id,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![0; size]),
        }
    }

    #[test]
    fn files_go_when_their_media_changes_and_memory_stays_bounded() {
        let hot = HotFiles::new(16_000);
        hot.insert("/medier/1/a/hel-480.webp", file(1, 500));
        hot.insert("/medier/2/b/hel-480.webp", file(2, 500));
        hot.forget(&[Change::Contact { id: 1 }]);
        assert!(hot.get("/medier/1/a/hel-480.webp").is_some());
        hot.forget(&[Change::Media { id: 1 }]);
        assert!(hot.get("/medier/1/a/hel-480.webp").is_none());
        assert!(hot.get("/medier/2/b/hel-480.webp").is_some());
        hot.forget(&[Change::Site]);
        assert!(hot.get("/medier/2/b/hel-480.webp").is_none());
        // Too large for one entry; then the limit clears the map.
        hot.insert("/big", file(3, 2_000));
        assert!(hot.get("/big").is_none());
        for i in 0..40 {
            hot.insert(&format!("/f{i}"), file(i, 900));
        }
        let map = hot.map.read().unwrap();
        assert!(map.bytes <= 16_000, "{}", map.bytes);
        assert_eq!(
            map.bytes,
            map.files
                .iter()
                .map(|(k, f)| k.len() + f.body.len())
                .sum::<usize>()
        );
    }
}
