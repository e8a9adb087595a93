//! Keeps this node's search index in step with the database: rebuilt on
//! start, by `raadhus reindex`, and within a second of any change the public
//! can see (saves, deletes, and publish or unpublish times passing), whichever
//! node made it. On PostgreSQL every node hears of changes at once through
//! `LISTEN` (scheduled publishing included: the scheduler's audit entry is
//! announced too), and looks now and then in case an announcement was lost
//! while reconnecting. On SQLite the node looks every second.

use std::sync::Arc;

use jiff::Timestamp;
use raadhus_domain::{SiteId, date, markup};
use raadhus_search::{Document, Kind, SearchIndex};
use raadhus_store::Store;

/// Everything the public can find at `now`, as search documents.
pub async fn documents(
    store: &Store,
    site: SiteId,
    base: &url::Url,
    now: Timestamp,
) -> Result<Vec<Document>, raadhus_store::StoreError> {
    let absolute = |path: &str| {
        base.join(path)
            .map_or_else(|_| path.to_string(), |u| u.to_string())
    };
    let mut docs = Vec::new();
    for a in store.public_articles(site, now, u32::MAX).await? {
        docs.push(Document {
            kind: Kind::News,
            title: a.title.clone(),
            summary: a.lead.clone().unwrap_or_default(),
            body: markup::plain_text(&a.body),
            url: absolute(&format!("/nyheder/{}", a.slug)),
            date: Some(date::iso(a.news_date)),
            year: u64::try_from(a.news_date.year()).ok(),
        });
    }
    for w in store.active_websites(site).await? {
        docs.push(Document {
            kind: Kind::Website,
            title: w.name.clone(),
            summary: w.description.clone().unwrap_or_default(),
            body: String::new(),
            url: w.url.to_string(),
            date: None,
            year: None,
        });
    }
    Ok(docs)
}

/// Rebuilds the whole index from the database.
pub async fn rebuild(
    index: &SearchIndex,
    store: &Store,
    site: SiteId,
    base: &url::Url,
    now: Timestamp,
) -> Result<usize, String> {
    let docs = documents(store, site, base, now)
        .await
        .map_err(|e| e.to_string())?;
    index.replace_all(&docs).map_err(|e| e.to_string())?;
    Ok(docs.len())
}

/// Follows the database: rebuilds when what the public sees has changed.
pub struct Follower {
    index: Arc<SearchIndex>,
    site: SiteId,
    base: url::Url,
    seen: Option<String>,
    /// When the last rebuild ran.
    last_rebuild: Option<Timestamp>,
}

impl Follower {
    pub fn new(index: Arc<SearchIndex>, site: SiteId, base: url::Url) -> Self {
        Self {
            index,
            site,
            base,
            seen: None,
            last_rebuild: None,
        }
    }

    /// Rebuilds if anything changed since the last look. Changes are known to
    /// the second, so a rebuild in the same second as the latest change is
    /// followed by one more.
    pub async fn follow(&mut self, store: &Store, now: Timestamp) {
        let (fingerprint, changed) = match (
            store.content_fingerprint(self.site, now).await,
            store.content_changed_at(self.site, now).await,
        ) {
            (Ok(f), Ok(c)) => (f, c),
            (Err(e), _) | (_, Err(e)) => {
                tracing::warn!(error = %e, "search index: cannot read changes");
                return;
            }
        };
        let same_second = match self.last_rebuild {
            Some(at) => changed.is_some_and(|c| at.as_second() <= c.as_second()),
            None => true,
        };
        if self.seen.as_deref() == Some(fingerprint.as_str()) && !same_second {
            return;
        }
        match rebuild(&self.index, store, self.site, &self.base, now).await {
            Ok(n) => {
                tracing::debug!(documents = n, "search index rebuilt");
                self.seen = Some(fingerprint);
                self.last_rebuild = Some(now);
            }
            Err(e) => tracing::warn!(error = %e, "search index: rebuild failed"),
        }
    }
}

/// Follows the database until the task is dropped: on PostgreSQL at once when
/// any node announces a change, and every [`SAFETY_POLL`] in case an
/// announcement was lost; on SQLite every [`POLL`].
pub async fn run(store: Store, clock: raadhus_web::Clock, mut follower: Follower) {
    let mut changes = listen(&store).await;
    loop {
        match changes.as_mut() {
            Some(listener) => {
                tokio::select! {
                    change = listener.next() => {
                        if let Some(table) = change {
                            tracing::debug!(%table, "change announced");
                        } else {
                            // Reconnecting: notifications may have been missed.
                            tokio::time::sleep(POLL).await;
                        }
                    }
                    () = tokio::time::sleep(SAFETY_POLL) => {}
                }
            }
            None => {
                tokio::time::sleep(POLL).await;
                if store.backend() == raadhus_store::Backend::Postgres {
                    // Listening failed at start (database away?): try again.
                    changes = listen(&store).await;
                }
            }
        }
        follower.follow(&store, clock.now()).await;
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

/// How often SQLite is looked at for changes.
pub const POLL: std::time::Duration = std::time::Duration::from_secs(1);

/// How often PostgreSQL is looked at without an announcement.
pub const SAFETY_POLL: std::time::Duration = std::time::Duration::from_secs(5);
