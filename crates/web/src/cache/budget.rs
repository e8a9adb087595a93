//! One memory limit for the render caches of every site a node serves.
//!
//! Each site keeps its own cache (its own entries, invalidations and
//! figures), but their bytes count against one budget: a node serving a
//! hundred subsites holds at most `cache_max_bytes` of pages, not a hundred
//! times that. Past the limit, the entries used longest ago go first,
//! whichever site they belong to (one clock orders every site's uses).

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

use super::Shared;
use super::spool::Spool;

/// The memory limit the caches made from it share. Cheap to clone.
#[derive(Clone)]
pub struct Budget {
    inner: Arc<Inner>,
}

struct Inner {
    max_bytes: usize,
    /// The pages of every cache.
    bytes: AtomicUsize,
    /// The media files every cache keeps in memory (within a quarter).
    file_bytes: AtomicUsize,
    /// Orders the uses of every cache's entries.
    clock: AtomicU64,
    /// The caches counting against this; held while evicting, so that one
    /// eviction runs at a time.
    caches: Mutex<Vec<Weak<Shared>>>,
    /// Where the caches keep large bodies for the server to send without
    /// copying them; none when caching is off.
    spool: Option<Spool>,
}

impl Budget {
    /// A limit of about `max_bytes` in all; 0 turns caching off. Large
    /// bodies are spooled in memory.
    pub fn new(max_bytes: usize) -> Self {
        Self::spooling(max_bytes, None)
    }

    /// The same, spooling large bodies in a file made in `spool_dir`
    /// where its file system can (see [`Spool::new`]).
    pub fn spooling(max_bytes: usize, spool_dir: Option<&Path>) -> Self {
        Self {
            inner: Arc::new(Inner {
                max_bytes,
                bytes: AtomicUsize::new(0),
                file_bytes: AtomicUsize::new(0),
                clock: AtomicU64::new(0),
                caches: Mutex::new(Vec::new()),
                spool: if max_bytes > 0 {
                    Spool::new(spool_dir)
                } else {
                    None
                },
            }),
        }
    }

    pub fn max_bytes(&self) -> usize {
        self.inner.max_bytes
    }

    /// Where large bodies are kept for sending without a copy.
    pub fn spool(&self) -> Option<&Spool> {
        self.inner.spool.as_ref()
    }

    /// The pages every cache holds now, in bytes.
    pub fn bytes(&self) -> usize {
        self.inner.bytes.load(Ordering::Relaxed)
    }

    /// The next tick of the shared clock: a page is stored.
    pub(super) fn tick(&self) -> u64 {
        self.inner.clock.fetch_add(1, Ordering::Relaxed)
    }

    /// The clock as it is: what a page used now was last used at. Pages
    /// used between two pages stored are alike to the eviction, which
    /// takes the pages used longest ago first.
    pub(super) fn now(&self) -> u64 {
        self.inner.clock.load(Ordering::Relaxed)
    }

    pub(super) fn add(&self, bytes: usize) {
        self.inner.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    pub(super) fn sub(&self, bytes: usize) {
        self.inner.bytes.fetch_sub(bytes, Ordering::Relaxed);
    }

    /// The media files' share: their bytes, counted together.
    pub(super) fn file_bytes(&self) -> &AtomicUsize {
        &self.inner.file_bytes
    }

    pub(super) fn register(&self, cache: &Arc<Shared>) {
        self.caches().push(Arc::downgrade(cache));
    }

    fn caches(&self) -> std::sync::MutexGuard<'_, Vec<Weak<Shared>>> {
        self.inner.caches.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// When the caches hold more than the limit: drops the entries used
    /// longest ago, of any cache, until they hold at most 90 % of it. Call
    /// it holding no cache's lock.
    pub(super) fn keep_within(&self) {
        if self.bytes() <= self.inner.max_bytes {
            return;
        }
        let mut caches = self.caches();
        // Another eviction may have made room while this one waited.
        if self.bytes() <= self.inner.max_bytes {
            return;
        }
        caches.retain(|cache| cache.strong_count() > 0);
        let live: Vec<Arc<Shared>> = caches.iter().filter_map(Weak::upgrade).collect();
        let mut by_age: Vec<(u64, usize, String)> = Vec::new();
        for (index, cache) in live.iter().enumerate() {
            by_age.extend(cache.ages().into_iter().map(|(t, key)| (t, index, key)));
        }
        by_age.sort_unstable();
        let target = self.inner.max_bytes / 10 * 9;
        let mut doomed: Vec<Vec<String>> = vec![Vec::new(); live.len()];
        let mut freed = 0;
        for (_, index, key) in by_age {
            if self.bytes().saturating_sub(freed) <= target {
                break;
            }
            freed += live[index].size_of(&key);
            doomed[index].push(key);
        }
        for (cache, keys) in live.iter().zip(doomed) {
            if !keys.is_empty() {
                cache.evict(&keys);
            }
        }
    }
}
