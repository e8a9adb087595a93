//! One rendered response in the render cache, with its compressed forms
//! made on first demand.

use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;

use axum::body::Bytes;
use axum::http::HeaderMap;
use jiff::Timestamp;

use super::spool::{Spool, Spooled};
use super::{Cacheable, Tag};
use crate::counting::Counted;
use crate::routes::Route;

/// A rendered response, ready to be served again.
pub struct Entry {
    /// Every header of the uncompressed response, validators included.
    pub headers: HeaderMap,
    pub body: Bytes,
    pub etag: String,
    pub last_modified: Option<Timestamp>,
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    pub(super) cacheable: Option<Cacheable>,
    /// What serving it counts as.
    pub counted: Counted,
    /// The route it was rendered by.
    pub route: Route,
    pub(super) last_used: AtomicU64,
    /// The body kept in the spool, once the cache has stored the entry.
    spooled: OnceLock<Option<Spooled>>,
}

/// Bodies shorter than this are not compressed.
const MIN_COMPRESS: usize = 512;

/// The content encodings the cache keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Self::Brotli => "br",
            Self::Gzip => "gzip",
        }
    }
}

impl Entry {
    pub fn new(
        headers: HeaderMap,
        body: Bytes,
        etag: String,
        last_modified: Option<Timestamp>,
        cacheable: Option<Cacheable>,
        counted: Counted,
        route: Route,
    ) -> Self {
        Self {
            headers,
            body,
            etag,
            last_modified,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            cacheable,
            counted,
            route,
            last_used: AtomicU64::new(0),
            spooled: OnceLock::new(),
        }
    }

    /// The body in `encoding`, compressed on first demand; `None` when that
    /// would not make it smaller. `grew` learns the bytes newly held.
    pub fn encoded(&self, encoding: Encoding, grew: impl FnOnce(usize)) -> Option<&Bytes> {
        let cell = match encoding {
            Encoding::Brotli => &self.brotli,
            Encoding::Gzip => &self.gzip,
        };
        let mut made = false;
        let value = cell.get_or_init(|| {
            made = true;
            if self.body.len() < MIN_COMPRESS {
                return None;
            }
            let compressed = match encoding {
                Encoding::Brotli => brotli(&self.body),
                Encoding::Gzip => gzip(&self.body),
            }?;
            (compressed.len() < self.body.len()).then(|| Bytes::from(compressed))
        });
        if made && let Some(bytes) = value {
            grew(bytes.len());
        }
        value.as_ref()
    }

    /// Keeps the body in `spool` too (if it is large enough to gain and
    /// its copy takes at most `room` bytes), for as long as the entry
    /// lives; call it before the entry's size is first counted.
    pub(super) fn spool_in(&self, spool: &Spool, room: usize) {
        self.spooled.get_or_init(|| spool.keep(&self.body, room));
    }

    /// Bytes this entry holds (an estimate of its headers included).
    pub(super) fn size(&self, key: &str) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        let compressed: usize = [&self.gzip, &self.brotli]
            .iter()
            .filter_map(|cell| cell.get().and_then(Option::as_ref))
            .map(Bytes::len)
            .sum();
        let tags = self.cacheable.as_ref().map_or(0, |c| c.tags.len()) * size_of::<Tag>();
        let counted = self.counted.search_miss.as_ref().map_or(0, String::len);
        let spooled = self
            .spooled
            .get()
            .and_then(Option::as_ref)
            .map_or(0, Spooled::held);
        key.len() + headers + self.body.len() + spooled + compressed + tags + counted + 256
    }

    pub(super) fn fresh_at(&self, now: Timestamp) -> bool {
        self.cacheable
            .as_ref()
            .and_then(|c| c.expires)
            .is_none_or(|expires| now < expires)
    }
}

fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 3),
        flate2::Compression::new(6),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

fn brotli(body: &[u8]) -> Option<Vec<u8>> {
    let mut encoder =
        brotli::CompressorWriter::new(Vec::with_capacity(body.len() / 3), 4096, 5, 22);
    encoder.write_all(body).ok()?;
    encoder.flush().ok()?;
    Some(encoder.into_inner())
}
