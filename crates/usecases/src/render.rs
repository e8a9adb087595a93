//! Rendering article and page bodies off the async workers, and again
//! when something they show changes.
//!
//! Rendering a body is linear in its length, but a long body still takes
//! milliseconds of CPU (up to about 50 on a slow core, see
//! `bench/RESULTS.md`): done on tokio's async workers, a few of them at once
//! would stall every other request, `/healthz` too. So each render runs on
//! the blocking pool, and only as many at once as there are cores; others
//! wait for a turn without holding a worker.

use std::sync::Arc;

use raadhus_domain::SiteId;
use raadhus_domain::markup::{BodyHtml, Shown, contact_refs};
use raadhus_domain::media::refs_in;
use raadhus_store::{BodyUse, Owner, Store, WriteTx};
use tokio::sync::Semaphore;

use crate::{Error, Result, UseCases};

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
    /// and the contact persons it refers to (one that is gone is left out).
    pub async fn render(&self, store: &Store, site: SiteId, markdown: String) -> Result<BodyHtml> {
        let (media, contacts) = (refs_in(&markdown), contact_refs(&markdown));
        let shown = Shown {
            media: maybe(&media, || store.media_many(site, &media)).await?,
            contacts: maybe(&contacts, || store.contacts_many(site, &contacts)).await?,
        };
        self.render_shown(markdown, shown).await
    }

    /// [`Renderer::render`] for a body an editor saves: a contact person it
    /// places in the text that the site does not have is refused, with a
    /// message for the editor.
    pub async fn render_new(
        &self,
        store: &Store,
        site: SiteId,
        markdown: String,
    ) -> Result<BodyHtml> {
        let named = contact_refs(&markdown);
        let found = maybe(&named, || store.contacts_many(site, &named)).await?;
        if let Some(missing) = named.iter().find(|id| !found.iter().any(|c| c.id == **id)) {
            return Err(Error::field(
                "body",
                format!(
                    "Kontaktperson nummer {missing} findes ikke (::: kontakt {missing}). \
                     Skriv nummeret på en af kontaktpersonerne; det står ved hver person \
                     under Kontaktpersoner."
                ),
            ));
        }
        self.render(store, site, markdown).await
    }

    /// [`Renderer::render`], reading what the body shows inside `tx`
    /// (which holds a change to it as saved).
    pub async fn render_in(
        &self,
        tx: &mut WriteTx,
        site: SiteId,
        markdown: String,
    ) -> Result<BodyHtml> {
        let (media, contacts) = (refs_in(&markdown), contact_refs(&markdown));
        let shown = Shown {
            media: tx.media_many(site, &media).await?,
            contacts: tx.contacts_many(site, &contacts).await?,
        };
        self.render_shown(markdown, shown).await
    }

    async fn render_shown(&self, markdown: String, shown: Shown) -> Result<BodyHtml> {
        self.run(move || BodyHtml::render_with(&markdown, &shown))
            .await
    }
}

impl UseCases {
    /// Renders again (with what they show as saved in `tx`) the bodies of
    /// `uses` that show the changed contact person or file in their text,
    /// binned ones too (so that they are right when restored), and tells
    /// every node that those not in the bin look different (their text or
    /// their image).
    pub(crate) async fn rerender_bodies(
        &self,
        tx: &mut WriteTx,
        site: SiteId,
        uses: Vec<BodyUse>,
    ) -> Result<()> {
        for used in uses {
            if used.in_text {
                let html = self.renderer.render_in(tx, site, used.body.clone()).await?;
                match used.of {
                    Owner::News(id) => tx.store_body_html(id, used.version, &html).await?,
                    Owner::Page(id) => {
                        tx.store_page_body_html(site, id, used.version, &html)
                            .await?
                    }
                };
            }
            if !used.binned {
                tx.shown_anew(site, &used);
            }
        }
        Ok(())
    }
}

/// What `read` finds for `ids`; nothing, without asking, for no ids.
async fn maybe<T, F>(ids: &[i64], read: impl FnOnce() -> F) -> Result<Vec<T>>
where
    F: Future<Output = raadhus_store::Result<Vec<T>>>,
{
    if ids.is_empty() {
        Ok(Vec::new())
    } else {
        Ok(read().await?)
    }
}
