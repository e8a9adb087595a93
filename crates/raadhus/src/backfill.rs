//! Renders the stored bodies whose HTML is missing or stale, in the
//! background after start: articles from before stored HTML, after a new
//! renderer (`markup::RENDER_VERSION`), or saved by a node of an older
//! Raadhus during a rolling upgrade. Until one is done, its page renders the
//! body on demand (off the async workers), so nothing waits for this.
//!
//! One pass over the articles by id, a batch at a time: each body rendered
//! on the blocking pool, each batch stored in one short write transaction,
//! only where the article is still at the version that was rendered. Safe on
//! a database of any size and with several nodes starting at once: storing
//! is idempotent, and no node needs another's pass to serve correctly.

use raadhus_domain::chain::Chain;
use raadhus_store::Store;
use raadhus_usecases::{Error, Renderer};

/// Articles read, rendered and stored at a time.
const BATCH: u32 = 50;

/// Runs one pass and logs what it did.
pub async fn run(store: Store, renderer: Renderer) {
    match pass(&store, &renderer).await {
        Ok(0) => {}
        Ok(stored) => tracing::info!(articles = stored, "rendered stored article bodies"),
        Err(e) => tracing::warn!(
            error = %Chain(&e),
            "rendering stored article bodies stopped; their pages render them when asked"
        ),
    }
}

/// Renders and stores every body whose HTML is missing or stale; returns
/// how many were stored.
pub async fn pass(store: &Store, renderer: &Renderer) -> Result<usize, Error> {
    let (mut after, mut stored) = (0, 0);
    loop {
        let batch = store.unrendered_news(after, BATCH).await?;
        let Some(last) = batch.last() else {
            return Ok(stored);
        };
        after = last.id;
        let mut rendered = Vec::with_capacity(batch.len());
        for article in batch {
            let html = renderer.render(store, article.site, article.body).await?;
            rendered.push((article.id, article.version, html));
        }
        let mut tx = store.write().await?;
        for (id, version, html) in &rendered {
            if tx.store_body_html(*id, *version, html).await? {
                stored += 1;
            }
        }
        tx.commit().await?;
    }
}
