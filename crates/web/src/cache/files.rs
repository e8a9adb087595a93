//! Media files in memory: the answers of `/medier/…` most asked for, whole
//! (headers and bytes), served before routing as the render cache serves
//! pages, so that a hot image costs no database lookup, disk read or
//! header work.
//!
//! The addresses name their bytes (hash, focal point, variant version), so
//! an entry never goes stale by itself; it goes when its file is described
//! anew or deleted (`Change::Media`), or with everything on a change of the
//! whole site, so a deleted file stops being served at once on every node.
//! Bounded by bytes: every site's files together take at most a quarter of
//! the render caches' [`Budget`]. A site whose file would pass that clears
//! its own map (cheap, and the disk cache refills it); if the other sites'
//! files still fill the share, the file is served from disk. No single file
//! takes more than a sixteenth of the share.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use raadhus_store::Change;

use super::Budget;
use super::spool::Spooled;

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
    files: HashMap<String, Kept>,
    bytes: usize,
}

/// A file kept in memory, with its body's copy in the spool if it has one.
struct Kept {
    file: HotFile,
    spooled: Option<Spooled>,
}

impl Kept {
    /// Bytes it holds, kept under `path`.
    fn size(&self, path: &str) -> usize {
        let spooled = self.spooled.as_ref().map_or(0, Spooled::held);
        self.file.body.len() + spooled + path.len()
    }
}

/// The media answers of one site kept in memory, by path.
pub struct HotFiles {
    budget: Budget,
    map: RwLock<Map>,
}

impl HotFiles {
    /// Files within a quarter of `budget`, shared with the other sites'.
    pub fn new(budget: Budget) -> Self {
        Self {
            budget,
            map: RwLock::new(Map::default()),
        }
    }

    /// The most every site's files take together.
    fn max_bytes(&self) -> usize {
        self.budget.max_bytes() / 4
    }

    /// The largest answer kept.
    fn max_entry(&self) -> usize {
        self.max_bytes() / 16
    }

    pub fn get(&self, path: &str) -> Option<HotFile> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.files.get(path).map(|kept| kept.file.clone())
    }

    /// Keeps `file` as the answer for `path`, if it is small enough.
    pub fn insert(&self, path: &str, file: HotFile) {
        let plain = file.body.len() + path.len();
        if plain > self.max_entry() {
            return;
        }
        // A copy in the spool counts too: made only where it fits as well.
        let spooled = self
            .budget
            .spool()
            .and_then(|spool| spool.keep(&file.body, self.max_entry() - plain));
        let kept = Kept { file, spooled };
        let size = kept.size(path);
        let shared = self.budget.file_bytes();
        let over = || shared.load(Ordering::Relaxed) + size > self.max_bytes();
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if over() {
            shared.fetch_sub(map.bytes, Ordering::Relaxed);
            map.files.clear();
            map.bytes = 0;
            if over() {
                return;
            }
        }
        if let Some(old) = map.files.insert(path.to_string(), kept) {
            let old = old.size(path);
            map.bytes -= old;
            shared.fetch_sub(old, Ordering::Relaxed);
        }
        map.bytes += size;
        shared.fetch_add(size, Ordering::Relaxed);
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
        let before = map.bytes;
        let Map { files, bytes } = &mut *map;
        files.retain(|path, kept| {
            let keep = !everything && !ids.contains(&kept.file.media_id);
            if !keep {
                *bytes -= kept.size(path);
            }
            keep
        });
        let forgotten = before - map.bytes;
        self.budget
            .file_bytes()
            .fetch_sub(forgotten, Ordering::Relaxed);
    }
}

/// A site's files that go give their bytes back to the shared share.
impl Drop for HotFiles {
    fn drop(&mut self) {
        let map = self.map.get_mut().unwrap_or_else(|e| e.into_inner());
        self.budget
            .file_bytes()
            .fetch_sub(map.bytes, Ordering::Relaxed);
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
        let hot = HotFiles::new(Budget::new(64_000));
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
        assert!(
            map.bytes <= 16_000 && hot.budget.file_bytes().load(Ordering::Relaxed) == map.bytes,
            "{}",
            map.bytes
        );
        assert_eq!(
            map.bytes,
            map.files
                .iter()
                .map(|(k, f)| k.len() + f.file.body.len())
                .sum::<usize>()
        );
    }

    #[test]
    fn every_sites_files_share_a_quarter_of_the_budget() {
        let budget = Budget::new(64_000);
        let shared = || budget.file_bytes().load(Ordering::Relaxed);
        let main = HotFiles::new(budget.clone());
        let sub = HotFiles::new(budget.clone());
        for i in 0..10 {
            main.insert(&format!("/m{i}"), file(i, 900));
        }
        assert!(main.get("/m9").is_some());
        // The other site's files fill the share: the next is served from
        // disk, not kept past the limit.
        for i in 0..20 {
            sub.insert(&format!("/s{i}"), file(i, 900));
            assert!(shared() <= 16_000, "{}", shared());
        }
        // What a site forgets, and a site that goes, give their bytes back.
        let before = shared();
        main.forget(&[Change::Site]);
        assert!(shared() < before);
        drop(main);
        let left = sub.map.read().unwrap().bytes;
        assert_eq!(shared(), left);
        drop(sub);
        assert_eq!(shared(), 0);
    }
}
