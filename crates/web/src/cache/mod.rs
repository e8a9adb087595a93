//! The render cache: public pages, feeds and the sitemap are rendered once and
//! then served from memory, with their compressed forms made on first demand,
//! until something they show changes.
//!
//! A handler makes its response cacheable by adding [`Cacheable`]: the
//! [`Tag`]s of what the page shows and, when a scheduled publish or unpublish
//! time will change it, when it expires. A [`Change`] from the store's journal
//! drops exactly the entries tagged with what it touched
//! ([`RenderCache::invalidate`]): this node's own writes before the store
//! returns to the handler, other nodes' writes when the journal follower
//! sees them.
//!
//! A page being rendered while a change lands is not stored: every
//! invalidation starts a new generation, and an entry rendered in an older one
//! is served once but not kept. Memory is bounded: the caches of all the
//! sites a node serves share one limit ([`Budget`]), and past it the entries
//! used longest ago go first, whichever site's they are.
//!
//! A missing page is rendered once however many ask for it at the same time
//! ([`RenderCache::render_or_wait`]): after a change, a busy front page is not
//! rendered by every waiting connection at once.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::{IntoResponseParts, ResponseParts};
use crossbeam_utils::sync::{ShardedLock, ShardedLockReadGuard, ShardedLockWriteGuard};
use jiff::Timestamp;
use raadhus_store::Change;

use crate::striped::Striped;

/// Something a cached response shows; a change to it drops the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// One article (its page, or an entry of a list or feed).
    News(i64),
    /// A content page shown on the page: its own, or one of its menus,
    /// breadcrumbs, side navigation, lists or the front page's shortcuts.
    Page(i64),
    /// Which pages are where in the tree and which the public sees: side
    /// navigation and lists of subpages.
    PageTree,
    /// A contact person named on the page.
    Contact(i64),
    /// Which articles are listed and in what order: lists, feeds, the front
    /// page.
    Listing,
    /// Anything about any listed article: search results, the sitemap.
    AnyNews,
    /// Topics and websites.
    Directory,
    /// Results of the search index: anything listed or in the directory.
    Search,
}

impl Tag {
    /// Whether `change` changes what a response tagged with this shows.
    /// (A change of the whole site drops everything; see `invalidate`.)
    fn touched_by(self, change: &Change) -> bool {
        match (self, *change) {
            (_, Change::Site) => true,
            (Self::News(tag), Change::News { id, .. }) => tag == id,
            (Self::Page(tag), Change::Page { id, .. }) => tag == id,
            (Self::PageTree, Change::Page { listed, moved, .. }) => listed && moved,
            (Self::Search, Change::Page { listed, .. }) => listed,
            (Self::AnyNews, Change::News { listed, .. }) => listed,
            (Self::Listing, Change::News { listed, moved, .. }) => listed && moved,
            (Self::Contact(tag), Change::Contact { id }) => tag == id,
            (Self::Directory | Self::Search, Change::Directory) => true,
            (Self::Search, Change::BestBets) => true,
            (Self::Search, Change::News { listed, .. }) => listed,
            _ => false,
        }
    }
}

/// Added to a response by a handler whose page may be cached.
#[derive(Debug, Clone, Default)]
pub struct Cacheable {
    pub tags: Vec<Tag>,
    /// When the page changes by itself (a scheduled time passes).
    pub expires: Option<Timestamp>,
}

impl IntoResponseParts for Cacheable {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

impl crate::AppState {
    /// [`Cacheable`] with `tags`, until the site's next scheduled publish or
    /// unpublish time.
    pub(crate) async fn until_next_scheduled(
        &self,
        tags: Vec<Tag>,
    ) -> Result<Cacheable, crate::WebError> {
        let now = self.now();
        let cache = self.cache();
        let expires = match cache.next_scheduled(now) {
            Some(known) => known,
            None => {
                let generation = cache.generation();
                let at = self
                    .store()
                    .next_scheduled_change(self.site().id, now)
                    .await?;
                cache.schedule_known(generation, now, at);
                at
            }
        };
        Ok(Cacheable { tags, expires })
    }
}

/// What the cache has done since start, for `/healthz`.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Stats {
    pub entries: usize,
    pub bytes: usize,
    pub max_bytes: usize,
    pub hits: u64,
    pub misses: u64,
    pub evictions: u64,
    pub invalidations: u64,
    /// The last entry of the change journal this node has applied.
    pub journal: i64,
}

/// The render cache of one node. Cheap to clone; clones share the entries.
#[derive(Clone)]
pub struct RenderCache {
    shared: Arc<Shared>,
}

struct Shared {
    /// The limit this cache shares with the other sites' caches.
    budget: Budget,
    /// Media files, beside the pages (a quarter of the limit).
    files: files::HotFiles,
    /// Read by every hit on every server thread: each thread takes a read
    /// lock of its own (crossbeam's `ShardedLock`, for the reason
    /// [`crate::striped`] gives); a change locks them all.
    entries: ShardedLock<Entries>,
    /// This cache's share of the budget's bytes.
    bytes: AtomicUsize,
    hits: Striped,
    misses: AtomicU64,
    evictions: AtomicU64,
    invalidations: AtomicU64,
    journal: AtomicI64,
    /// The page every page's footer links (the privacy page; 0 for none):
    /// a change of it touches every entry.
    footer_page: AtomicI64,
    /// What the main menu shows (see [`menu`]).
    menu: Mutex<menu::MenuFacts>,
    /// The site's next scheduled change, as last asked (see [`schedule`]).
    schedule: Mutex<Option<schedule::NextChange>>,
    /// Keys being rendered now, with how to tell those waiting for them.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
}

/// How long a request waits for another's render of the same page before
/// it renders the page itself.
const RENDER_WAIT: Duration = Duration::from_secs(5);

/// Whether a request renders a missing page or waited for another's render.
pub enum Flight {
    /// This request renders; others wait until this is dropped.
    Render(Rendering),
    /// Another request rendered the page, or it gave up waiting, or there is
    /// no cache: look in the cache again, and render if it is still missing.
    Waited,
}

/// The right to render one key; dropping it wakes those waiting.
pub struct Rendering {
    cache: RenderCache,
    key: String,
}

impl Drop for Rendering {
    fn drop(&mut self) {
        let notify = self.cache.rendering().remove(&self.key);
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Arc<Entry>>,
    generation: u64,
    /// The latest invalidations, newest last: generation each began and
    /// what it dropped.
    recent: VecDeque<Invalidation>,
}

/// How many invalidations are remembered to judge renders that overlapped
/// them; a render older than all of them is not kept.
const RECENT: usize = 64;

struct Invalidation {
    generation: u64,
    changes: Vec<Change>,
    only_search: bool,
}

impl Invalidation {
    /// Whether this drops an entry tagged `tags`.
    fn touches(&self, tags: &[Tag]) -> bool {
        self.changes.iter().any(|c| {
            if self.only_search {
                tags.contains(&Tag::Search) && Tag::Search.touched_by(c)
            } else {
                *c == Change::Site || tags.iter().any(|t| t.touched_by(c))
            }
        })
    }
}

/// The generation a render started in (see [`RenderCache::insert`]).
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

impl RenderCache {
    /// A cache holding at most about `max_bytes` by itself; 0 turns caching
    /// off.
    pub fn new(max_bytes: usize) -> Self {
        Self::within(&Budget::new(max_bytes))
    }

    /// The same, spooling its large bodies in a file made in `spool_dir`
    /// (the data directory) where its file system can.
    pub fn spooling_in(max_bytes: usize, spool_dir: &Path) -> Self {
        Self::within(&Budget::spooling(max_bytes, Some(spool_dir)))
    }

    /// A cache holding, with the others made within `budget`, at most
    /// about its limit.
    pub fn within(budget: &Budget) -> Self {
        let shared = Arc::new(Shared {
            budget: budget.clone(),
            files: files::HotFiles::new(budget.clone()),
            entries: ShardedLock::new(Entries::default()),
            bytes: AtomicUsize::new(0),
            hits: Striped::new(),
            misses: AtomicU64::new(0),
            evictions: AtomicU64::new(0),
            invalidations: AtomicU64::new(0),
            journal: AtomicI64::new(0),
            footer_page: AtomicI64::new(0),
            menu: Mutex::default(),
            schedule: Mutex::default(),
            rendering: Mutex::new(HashMap::new()),
        });
        budget.register(&shared);
        Self { shared }
    }

    /// The most it holds with the caches it shares its budget with.
    pub fn max_bytes(&self) -> usize {
        self.shared.budget.max_bytes()
    }

    /// The limit it shares: give it to the caches of other sites.
    pub fn budget(&self) -> &Budget {
        &self.shared.budget
    }

    /// The media files kept in memory.
    pub fn files(&self) -> &files::HotFiles {
        &self.shared.files
    }

    /// For a page missing from the cache: the right to render it, or, when
    /// another request is rendering it already, a wait (bounded) until that
    /// render is done. A request that waited looks in the cache again and, if
    /// the page is still missing (not cacheable, or changed meanwhile),
    /// renders it itself.
    pub async fn render_or_wait(&self, key: &str) -> Flight {
        if self.max_bytes() == 0 {
            // No cache: nothing to share, everyone renders.
            return Flight::Waited;
        }
        let notify = {
            let mut rendering = self.rendering();
            match rendering.get(key) {
                Some(notify) => notify.clone(),
                None => {
                    rendering.insert(key.to_string(), Arc::new(tokio::sync::Notify::new()));
                    return Flight::Render(Rendering {
                        cache: self.clone(),
                        key: key.to_string(),
                    });
                }
            }
        };
        // Listen first, then look: a render that ends after this look wakes
        // the listener; one that ended before it has left the key.
        let notified = notify.notified();
        let still_rendering = self
            .rendering()
            .get(key)
            .is_some_and(|n| Arc::ptr_eq(n, &notify));
        if still_rendering {
            let _ = tokio::time::timeout(RENDER_WAIT, notified).await;
        }
        Flight::Waited
    }

    fn read(&self) -> ShardedLockReadGuard<'_, Entries> {
        self.shared.entries()
    }

    fn rendering(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<tokio::sync::Notify>>> {
        self.shared
            .rendering
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> ShardedLockWriteGuard<'_, Entries> {
        self.shared
            .entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The entry for `key`, if it is there and still fresh at `now`.
    pub fn get(&self, key: &str, now: Timestamp) -> Option<Arc<Entry>> {
        let found = self.hit(key, now);
        if found.is_none() {
            self.shared.misses.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Like [`RenderCache::get`], counting only a hit: for a look before
    /// routing, after which the request's handling looks again.
    pub fn hit(&self, key: &str, now: Timestamp) -> Option<Arc<Entry>> {
        if self.max_bytes() == 0 {
            return None;
        }
        let entry = self
            .read()
            .map
            .get(key)
            .filter(|entry| entry.fresh_at(now))
            .cloned()?;
        // Used since the clock's last tick (a page stored): written only
        // the first time, so hits write nothing the other threads read.
        let now = self.shared.budget.now();
        if entry.last_used.load(Ordering::Relaxed) != now {
            entry.last_used.store(now, Ordering::Relaxed);
        }
        self.shared.hits.add(1);
        Some(entry)
    }

    /// Where the cache is now: take it before rendering.
    pub fn generation(&self) -> Generation {
        Generation(self.read().generation)
    }

    /// Keeps `entry` under `key` if it is cacheable and nothing invalidated
    /// since `rendered_in` touched what it shows (it may have been rendered
    /// from data older than the change). Responses bigger than an eighth of
    /// the limit are not kept.
    pub fn insert(&self, key: &str, entry: &Arc<Entry>, rendered_in: Generation) {
        let most = self.max_bytes() / 8;
        let plain = entry.size(key);
        if entry.cacheable.is_none() || plain > most {
            return;
        }
        // A copy in the spool counts too: made only where it fits as well.
        if let Some(spool) = self.shared.budget.spool() {
            entry.spool_in(spool, most - plain);
        }
        let size = entry.size(key);
        let mut entries = self.write();
        if entries.generation != rendered_in.0 {
            let tags = entry.cacheable.as_ref().map_or(&[][..], |c| &c.tags);
            let remembered = entries
                .recent
                .front()
                .is_some_and(|oldest| oldest.generation <= rendered_in.0);
            let overlapped = entries
                .recent
                .iter()
                .filter(|i| i.generation >= rendered_in.0)
                .any(|i| i.touches(tags));
            if !remembered || overlapped {
                return;
            }
        }
        entry
            .last_used
            .store(self.shared.budget.tick(), Ordering::Relaxed);
        if let Some(old) = entries.map.insert(key.to_string(), entry.clone()) {
            self.shared.took_back(old.size(key));
        }
        self.shared.took(size);
        drop(entries);
        self.shared.budget.keep_within();
    }

    /// Counts bytes the entry under `key` took on after it was stored (a
    /// compressed form), and keeps the cache within its limit. An entry no
    /// longer stored counts for nothing: its bytes left with it.
    pub fn grew(&self, key: &str, entry: &Arc<Entry>, bytes: usize) {
        {
            let entries = self.write();
            if !entries.map.get(key).is_some_and(|e| Arc::ptr_eq(e, entry)) {
                return;
            }
            self.shared.took(bytes);
        }
        self.shared.budget.keep_within();
    }

    /// Drops every entry showing something `changes` touched.
    pub fn invalidate(&self, changes: &[Change]) {
        self.drop_touched(changes, false);
    }

    /// Drops the search results `changes` touched: after the search index
    /// took them in, results rendered before are out of date again.
    pub fn invalidate_search(&self, changes: &[Change]) {
        self.drop_touched(changes, true);
    }

    /// Drops the entries (only search results, if `only_search`) that
    /// `changes` touched; a change of the whole site touches every entry.
    fn drop_touched(&self, changes: &[Change], only_search: bool) {
        if changes.is_empty() {
            return;
        }
        let footer = self.shared.footer_page.load(Ordering::Relaxed);
        let everywhere = !only_search
            && changes
                .iter()
                .any(|c| matches!(c, Change::Page { id, .. } if *id == footer));
        let site = [Change::Site];
        let changes = if everywhere { &site[..] } else { changes };
        if !only_search {
            self.shared.files.forget(changes);
        }
        let mut entries = self.write();
        let invalidation = Invalidation {
            generation: entries.generation,
            changes: changes.to_vec(),
            only_search,
        };
        entries.generation += 1;
        let mut dropped = 0;
        entries.map.retain(|key, entry| {
            let tags = entry.cacheable.as_ref().map_or(&[][..], |c| &c.tags);
            let touched = invalidation.touches(tags);
            if touched {
                dropped += entry.size(key);
            }
            !touched
        });
        if entries.recent.len() == RECENT {
            entries.recent.pop_front();
        }
        entries.recent.push_back(invalidation);
        self.shared.took_back(dropped);
        self.shared.invalidations.fetch_add(1, Ordering::Relaxed);
    }

    /// Notes the page every page's footer links now (read with the
    /// settings for each page rendered), so that its change drops them all.
    pub fn footer_shows(&self, page: Option<i64>) {
        self.shared
            .footer_page
            .store(page.unwrap_or(0), Ordering::Relaxed);
    }

    /// Drops everything.
    pub fn clear(&self) {
        self.invalidate(&[Change::Site]);
    }

    /// Notes that changes up to `seq` of the journal have been applied.
    pub fn followed_through(&self, seq: i64) {
        self.shared.journal.store(seq, Ordering::Relaxed);
    }

    pub fn stats(&self) -> Stats {
        let entries = self.read().map.len();
        Stats {
            entries,
            bytes: self.shared.bytes.load(Ordering::Relaxed),
            max_bytes: self.max_bytes(),
            hits: self.shared.hits.get(),
            misses: self.shared.misses.load(Ordering::Relaxed),
            evictions: self.shared.evictions.load(Ordering::Relaxed),
            invalidations: self.shared.invalidations.load(Ordering::Relaxed),
            journal: self.shared.journal.load(Ordering::Relaxed),
        }
    }
}

/// A site's cache that goes (a subsite deleted or served anew) gives its
/// bytes back to the budget.
impl Drop for Shared {
    fn drop(&mut self) {
        self.budget.sub(*self.bytes.get_mut());
    }
}

impl Shared {
    /// Counts `bytes` more held by this cache, here and in the budget.
    fn took(&self, bytes: usize) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.budget.add(bytes);
    }

    /// Counts `bytes` this cache no longer holds.
    fn took_back(&self, bytes: usize) {
        self.bytes.fetch_sub(bytes, Ordering::Relaxed);
        self.budget.sub(bytes);
    }

    fn entries(&self) -> ShardedLockReadGuard<'_, Entries> {
        self.entries.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Each entry's key with when it was last used (for [`Budget`]).
    fn ages(&self) -> Vec<(u64, String)> {
        self.entries()
            .map
            .iter()
            .map(|(key, e)| (e.last_used.load(Ordering::Relaxed), key.clone()))
            .collect()
    }

    /// The bytes the entry under `key` takes now (0 if it is gone).
    fn size_of(&self, key: &str) -> usize {
        self.entries().map.get(key).map_or(0, |e| e.size(key))
    }

    /// Drops the entries under `keys` to make room (for [`Budget`]).
    fn evict(&self, keys: &[String]) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            if let Some(old) = entries.map.remove(key) {
                self.took_back(old.size(key));
                self.evictions.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

mod budget;
mod entry;
pub mod files;
mod menu;
mod schedule;
pub mod spool;

pub use budget::Budget;
pub use entry::{Encoding, Entry};

#[cfg(test)]
mod tests;
