//! Rendering article bodies off the async workers.
//!
//! Rendering a body is linear in its length, but a long body still takes
//! milliseconds of CPU (up to about 50 on a slow core, see
//! `bench/RESULTS.md`): done on tokio's async workers, a few of them at once
//! would stall every other request, `/healthz` too. So each render runs on
//! the blocking pool, and only as many at once as there are cores; others
//! wait for a turn without holding a worker.

use std::sync::Arc;

use raadhus_domain::SiteId;
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::media::refs_in;
use raadhus_store::Store;
use tokio::sync::Semaphore;

use crate::{Error, Result};

/// Renders bodies on the blocking pool, a bounded number at once. Cheap to
/// clone; clones share the bound.
#[derive(Clone, Debug)]
pub struct Renderer {
    turns: Arc<Semaphore>,
}

impl Default for Renderer {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            turns: Arc::new(Semaphore::new(cores)),
        }
    }
}

impl Renderer {
    /// Runs `work` (CPU-bound: judging an upload, rendering) on the blocking
    /// pool when a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|e| Error::Internal(format!("the blocking pool is closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::Internal(format!("blocking work failed: {e}")))
    }

    /// `markdown`, a body of `site`, rendered to safe HTML
    /// (`markup::render_with`), with the files of the site's media library
    /// it refers to.
    pub async fn render(&self, store: &Store, site: SiteId, markdown: String) -> Result<BodyHtml> {
        let refs = refs_in(&markdown);
        let media = if refs.is_empty() {
            Vec::new()
        } else {
            store.media_many(site, &refs).await?
        };
        self.run(move || BodyHtml::render_with(&markdown, &media))
            .await
    }
}
