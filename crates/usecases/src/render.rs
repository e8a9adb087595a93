//! Rendering article bodies off the async workers.
//!
//! Rendering a body is linear in its length, but a long body still takes
//! milliseconds of CPU (up to about 50 on a slow core, see
//! `bench/RESULTS.md`): done on tokio's async workers, a few of them at once
//! would stall every other request, `/healthz` too. So each render runs on
//! the blocking pool, and only as many at once as there are cores; others
//! wait for a turn without holding a worker.

use std::sync::Arc;

use raadhus_domain::markup::BodyHtml;
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
    /// `markdown` rendered to safe HTML (`markup::render`).
    pub async fn render(&self, markdown: String) -> Result<BodyHtml> {
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|e| Error::Internal(format!("rendering is closed: {e}")))?;
        tokio::task::spawn_blocking(move || BodyHtml::render(&markdown))
            .await
            .map_err(|e| Error::Internal(format!("rendering a body failed: {e}")))
    }
}
