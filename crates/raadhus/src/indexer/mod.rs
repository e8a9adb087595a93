//! Keeps this node's search index and render cache in step with the database
//! by following its change journal (see `raadhus_store::Change`), whichever
//! node made the change.
//!
//! The index remembers how far it followed (database and journal position),
//! so a restart carries on where it stopped instead of rebuilding; a new or
//! damaged index, one built from another database or by a version that
//! indexed less ([`CONTENTS`]), or one further behind than the journal
//! reaches, is rebuilt. Changes made by this process are applied
//! at once (the store tells the [`Waker`]); on PostgreSQL other nodes'
//! changes arrive through `LISTEN`, with a look every [`SAFETY_POLL`] in case
//! an announcement was lost; on SQLite the journal is looked at every
//! [`POLL`].

mod documents;
mod progress;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use documents::{DOCUMENT_KEY, Documents, document_key, news_key, page_key};
use jiff::Timestamp;
use raadhus_domain::page::{PageNode, branches, public_only};
use raadhus_domain::{SiteId, SiteUrls, Visibility};
use raadhus_search::{Document, Kind, SearchIndex};
use raadhus_store::{Change, Recorded, Store, StoreError};
use tokio::sync::Notify;

use crate::tenants::Tenants;

pub use progress::{Lag, Progress};

/// How many journal entries are applied in one index commit.
const BATCH: u32 = 1_000;

/// How often SQLite's journal is looked at for changes by other processes.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// How often PostgreSQL is looked at without an announcement.
pub const SAFETY_POLL: std::time::Duration = std::time::Duration::from_secs(5);

/// Why following failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] raadhus_search::SearchError),
}

/// What the index holds, raised when it comes to hold something new (2:
/// content pages; 3: every site's, each document with its site): an index
/// an older version built is rebuilt on start rather than followed on.
const CONTENTS: u32 = 3;

/// `CONTENTS/DATABASE:SEQ`, what the index remembers.
fn position(database: &str, seq: i64) -> String {
    format!("{CONTENTS}/{database}:{seq}")
}

/// The database and journal position of an index holding what this
/// version indexes; `None` for any other.
fn parse_position(text: &str) -> Option<(&str, i64)> {
    let (contents, rest) = text.split_once('/')?;
    if contents.parse() != Ok(CONTENTS) {
        return None;
    }
    let (database, seq) = rest.rsplit_once(':')?;
    Some((database, seq.parse().ok()?))
}

/// Rebuilds the whole index from the database, every site's; returns the
/// number of documents. Changes committed meanwhile are applied again by
/// the follower. The clock is read after the journal position, so an
/// article committed before that position and public from its save is
/// public at that time. The documents go to the index as they are read,
/// [`ARTICLES`] articles at a time: memory stays bounded however many there
/// are, and searches see the old index until the new one is committed.
pub async fn rebuild(
    index: &SearchIndex,
    store: &Store,
    sites: &[(SiteId, SiteUrls)],
    clock: &raadhus_usecases::Clock,
) -> Result<(usize, i64), IndexError> {
    let database = store.journal_state().await?.database_id;
    let seq = store.latest_change().await?;
    let now = clock.now();
    let mut rebuild = index.rebuild()?;
    for (site, urls) in sites {
        site_documents(store, *site, urls, now, |docs| Ok(rebuild.add(&docs)?)).await?;
    }
    let count = rebuild.commit(&position(&database, seq))?;
    Ok((count, seq))
}

/// Articles read from the database at once while indexing a site.
const ARTICLES: usize = 500;

/// Everything of `site` the public sees at `now`, as search documents,
/// given to `add` a batch at a time.
async fn site_documents(
    store: &Store,
    site: SiteId,
    urls: &SiteUrls,
    now: Timestamp,
    mut add: impl FnMut(Vec<Document>) -> Result<(), IndexError>,
) -> Result<(), IndexError> {
    let documents = Documents { site, urls };
    for ids in store.public_news_ids(site, now).await?.chunks(ARTICLES) {
        let articles = store.news_by_ids(site, ids).await?;
        add(articles.iter().map(|a| documents.news(a)).collect())?;
    }
    let pages = store.public_pages(site, now).await?;
    add(documents.pages(store, &pages, None).await?)?;
    add(documents.websites(store).await?)?;
    add(store
        .public_documents(site, now, None)
        .await?
        .iter()
        .map(|d| documents.document(d))
        .collect())
}

/// What this process committed itself: its render cache already dropped
/// what those changes touched, so the follower only brings the search index
/// (and the search results shown from it) up to date.
#[derive(Clone, Default)]
pub struct OwnChanges {
    seqs: Arc<Mutex<BTreeSet<i64>>>,
    wake: Arc<Notify>,
}

impl OwnChanges {
    /// Notes changes about to be committed as this process's own: the
    /// follower may read them before the commit returns, and must not take
    /// them for another node's (whose changes it drops from the cache).
    pub fn expect(&self, changes: &[Recorded]) {
        self.lock().extend(changes.iter().map(|r| r.seq));
    }

    /// Forgets changes whose commit failed: their numbers may come again.
    pub fn withdraw(&self, changes: &[Recorded]) {
        let mut seqs = self.lock();
        for r in changes {
            seqs.remove(&r.seq);
        }
    }

    /// Wakes the follower after a commit.
    pub fn committed(&self) {
        self.wake.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<i64>> {
        self.seqs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `seq` was this process's, forgetting it and everything older.
    fn take(&self, seq: i64) -> bool {
        let mut seqs = self.lock();
        let ours = seqs.remove(&seq);
        seqs.retain(|&s| s > seq);
        ours
    }
}

/// Follows the journal into the search index and the sites' render caches.
pub struct Follower {
    index: Arc<SearchIndex>,
    tenants: Tenants,
    database: String,
    /// The last journal entry applied.
    seen: i64,
    own: OwnChanges,
    /// `seen`, for those who report on it.
    progress: Progress,
}

/// One site's part of a batch of journal entries.
#[derive(Default)]
struct SiteBatch {
    /// Every change of the site.
    all: Vec<Change>,
    /// Those another process made (this one's dropped their cached pages
    /// when they were committed).
    from_elsewhere: Vec<Change>,
}

impl Follower {
    /// Opens the follower where the index stopped, rebuilding the index if it
    /// cannot carry on from there, and applies what happened since.
    pub async fn start(
        index: Arc<SearchIndex>,
        tenants: Tenants,
        store: &Store,
        clock: &raadhus_usecases::Clock,
    ) -> Result<Self, IndexError> {
        tenants.refresh(store).await?;
        let state = store.journal_state().await?;
        let latest = store.latest_change().await?;
        let remembered = index.position()?;
        let resumable = remembered
            .as_deref()
            .and_then(parse_position)
            .filter(|&(database, seq)| {
                database == state.database_id && seq >= state.pruned_through && seq <= latest
            })
            .map(|(_, seq)| seq);
        let seen = match resumable {
            Some(seq) => seq,
            None => {
                let (count, seq) = rebuild(&index, store, &sites_of(&tenants), clock).await?;
                tracing::info!(documents = count, "search index built");
                seq
            }
        };
        let mut follower = Self {
            index,
            tenants,
            database: state.database_id,
            seen,
            own: OwnChanges::default(),
            progress: Progress::caught_up_at(seen),
        };
        for tenant in follower.tenants.all() {
            tenant.cache.followed_through(seen);
        }
        follower.follow(store, clock).await?;
        Ok(follower)
    }

    /// How far the follower has got, as it goes.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// Where this process's own commits are noted.
    pub fn own_changes(&self) -> OwnChanges {
        self.own.clone()
    }

    /// Applies every journal entry not yet applied. Visibility is judged
    /// at a time read after the batch: everything in it was committed by then.
    pub async fn follow(
        &mut self,
        store: &Store,
        clock: &raadhus_usecases::Clock,
    ) -> Result<(), IndexError> {
        loop {
            let batch = store.changes_since(self.seen, BATCH).await?;
            let now = clock.now();
            let Some(last) = batch.last().map(|r| r.seq) else {
                self.progress.caught_up(self.seen);
                return Ok(());
            };
            let pruned = store.journal_state().await?.pruned_through;
            if pruned > self.seen {
                tracing::warn!(
                    seen = self.seen,
                    pruned,
                    "the change journal was pruned past this node's index; rebuilding"
                );
                self.tenants.refresh(store).await?;
                let sites = sites_of(&self.tenants);
                let (_, seq) = rebuild(&self.index, store, &sites, clock).await?;
                for tenant in self.tenants.all() {
                    tenant.cache.clear();
                    tenant.cache.followed_through(seq);
                }
                self.seen = seq;
                self.progress.applied(seq);
                continue;
            }
            self.apply(store, &batch, last, now).await?;
            self.seen = last;
            self.progress.applied(last);
        }
    }

    /// The files of `site` whose place in the index `changes` may change:
    /// those changed, and those that changed articles link now or linked
    /// before (as the index remembers).
    async fn documents_to_check(
        &self,
        store: &Store,
        site: SiteId,
        changes: &[Change],
    ) -> Result<Vec<i64>, IndexError> {
        let mut files = BTreeSet::new();
        for change in changes {
            match *change {
                Change::Media { id } => {
                    files.insert(id);
                }
                Change::News { id, .. } => {
                    files.extend(store.media_of_news(site, id).await?);
                    files.extend(
                        self.index
                            .keys_linking(&news_key(id))?
                            .iter()
                            .filter_map(|k| k.strip_prefix(DOCUMENT_KEY)?.parse::<i64>().ok()),
                    );
                }
                _ => {}
            }
        }
        Ok(files.into_iter().collect())
    }

    /// The pages whose place in the index `changes` may change, and the
    /// documents of those the public sees at `now`: each page changed where
    /// the public may see it and, when its path or visibility may have
    /// changed, every page below it (their paths and visibility follow it).
    async fn pages_to_check(
        store: &Store,
        documents: &Documents<'_>,
        changes: &[Change],
        now: Timestamp,
    ) -> Result<(BTreeSet<i64>, Vec<Document>), IndexError> {
        let mut changed = BTreeSet::new();
        let mut moved = BTreeSet::new();
        for change in changes {
            if let Change::Page {
                id,
                listed: true,
                moved: branch,
            } = *change
            {
                changed.insert(id);
                if branch {
                    moved.insert(id);
                }
            }
        }
        if changed.is_empty() {
            return Ok((changed, Vec::new()));
        }
        let tree = store.page_tree(documents.site).await?;
        changed.extend(branches(&tree, &moved));
        let public: Vec<PageNode> = public_only(tree, now)
            .into_iter()
            .filter(|n| changed.contains(&n.id))
            .collect();
        let ids: Vec<i64> = public.iter().map(|n| n.id).collect();
        let add = documents.pages(store, &public, Some(&ids)).await?;
        Ok((changed, add))
    }

    async fn apply(
        &self,
        store: &Store,
        batch: &[Recorded],
        last: i64,
        now: Timestamp,
    ) -> Result<(), IndexError> {
        let mut sites: BTreeMap<SiteId, SiteBatch> = BTreeMap::new();
        for r in batch {
            let own = self.own.take(r.seq);
            let site = sites.entry(r.site).or_default();
            site.all.push(r.change);
            if !own {
                site.from_elsewhere.push(r.change);
            }
        }
        // A site made (or changed) anywhere is served from now on.
        if sites
            .iter()
            .any(|(id, s)| self.tenants.get(*id).is_none() || s.all.contains(&Change::Site))
        {
            self.tenants.refresh(store).await?;
        }
        let (mut remove, mut remove_kinds, mut add) = (Vec::new(), Vec::new(), Vec::new());
        for (&site, changes) in &sites {
            let Some(tenant) = self.tenants.get(site) else {
                continue;
            };
            let ours = &changes.all;
            let site_key = u64::try_from(site.0).unwrap_or_default();
            if ours.contains(&Change::Site) {
                // The site's settings: everything of it anew.
                remove_kinds.push((site_key, None));
                site_documents(store, site, &tenant.urls, now, |docs| {
                    add.extend(docs);
                    Ok(())
                })
                .await?;
                continue;
            }
            let documents = Documents {
                site,
                urls: &tenant.urls,
            };
            let news: BTreeSet<i64> = ours
                .iter()
                .filter_map(|c| match *c {
                    Change::News {
                        id, listed: true, ..
                    } => Some(id),
                    _ => None,
                })
                .collect();
            for &id in &news {
                if let Some(article) = store.news_by_id(site, id).await?
                    && article.visibility(now) == Visibility::Public
                {
                    add.push(documents.news(&article));
                }
            }
            if ours.contains(&Change::Directory) {
                remove_kinds.push((site_key, Some(Kind::Website)));
                add.extend(documents.websites(store).await?);
            }
            let (pages, page_documents) =
                Self::pages_to_check(store, &documents, ours, now).await?;
            add.extend(page_documents);
            let files = self.documents_to_check(store, site, ours).await?;
            add.extend(
                store
                    .public_documents(site, now, Some(&files))
                    .await?
                    .iter()
                    .map(|d| documents.document(d)),
            );
            remove.extend(news.iter().map(|&id| news_key(id)));
            remove.extend(pages.iter().map(|&id| page_key(id)));
            remove.extend(files.iter().map(|&id| document_key(id)));
        }
        self.index.update(
            &remove,
            &remove_kinds,
            &add,
            &position(&self.database, last),
        )?;
        // After the index: a page rendered from now on finds the new
        // documents. This process's own changes were dropped from the cache
        // when they were committed; only search results follow the index.
        for tenant in self.tenants.all() {
            if let Some(changes) = sites.get(&tenant.site) {
                tenant.cache.invalidate(&changes.from_elsewhere);
                tenant.cache.invalidate_search(&changes.all);
            }
            tenant.cache.followed_through(last);
        }
        tracing::debug!(
            through = last,
            changes = batch.len(),
            "followed the journal"
        );
        Ok(())
    }
}

/// Every site the tenants serve, with its addresses.
fn sites_of(tenants: &Tenants) -> Vec<(SiteId, SiteUrls)> {
    tenants
        .all()
        .iter()
        .map(|t| (t.site, t.urls.clone()))
        .collect()
}

/// Follows the database until the task is dropped.
pub async fn run(store: Store, clock: raadhus_usecases::Clock, mut follower: Follower) {
    let own = follower.own_changes();
    let mut changes = listen(&store).await;
    loop {
        let poll = if changes.is_some() { SAFETY_POLL } else { POLL };
        tokio::select! {
            () = own.wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
            lost = next_announcement(changes.as_mut()) => {
                if lost {
                    // Reconnecting: notifications may have been missed.
                    tokio::time::sleep(POLL).await;
                }
            }
        }
        if changes.is_none() && store.backend() == raadhus_store::Backend::Postgres {
            // Listening failed at start (database away?): try again.
            changes = listen(&store).await;
        }
        if let Err(e) = follower.follow(&store, &clock).await {
            tracing::warn!(error = %e, "cannot follow the change journal; trying again");
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Waits for another node's announcement; `true` when the connection was
/// lost. Without a listener it waits forever (the poll wakes the loop).
async fn next_announcement(changes: Option<&mut raadhus_store::Changes>) -> bool {
    match changes {
        Some(listener) => listener.next().await.is_none(),
        None => std::future::pending().await,
    }
}

/// Starts listening for other nodes' changes; `None` on SQLite or when the
/// database cannot be reached (the caller polls meanwhile).
async fn listen(store: &Store) -> Option<raadhus_store::Changes> {
    store.listen().await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cannot listen for changes; polling until it works");
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip() {
        assert_eq!(parse_position(&position("ab12", 42)), Some(("ab12", 42)));
        assert_eq!(parse_position("ab12"), None);
        assert_eq!(
            parse_position(&position("ab12", 42).replace(":42", ":x")),
            None
        );
        // Remembered by a version that indexed no pages, or one site: rebuilt.
        assert_eq!(parse_position("ab12:42"), None);
        assert_eq!(parse_position("1/ab12:42"), None);
        assert_eq!(parse_position("2/ab12:42"), None);
    }
}
