//! Content pages: creating and saving them (with the same guarantees as
//! news: revisions, 409 on a stale save, the bin, the audit log), moving
//! them in the tree, and restoring old versions. Each save stores the body
//! rendered to HTML.

use raadhus_domain::audit;
use raadhus_domain::page::{PageDraft, Placement, WebPage};
use raadhus_domain::{PageContent, SiteId, SiteUrls};

use crate::links::{self, Saved};
use crate::news::{commit_with_audit, create_contacts};
use crate::{Actor, Error, Result, UseCases};

/// Which save of a page: a new page where its placement says, or a new
/// version of page `id` based on `version`.
#[derive(Debug, Clone, Copy)]
pub enum PageAt {
    New(Placement),
    Version { id: i64, version: i64 },
}

/// The audit line's summary of a saved page.
fn saved(by: &Actor, page: &WebPage) -> String {
    by.summary(audit::saved(&page.content.title, page.version))
}

impl UseCases {
    /// Creates a page where `placement` says, with the new contact persons
    /// it names.
    pub async fn create_page(
        &self,
        site: SiteId,
        by: &Actor,
        placement: Placement,
        draft: PageDraft,
    ) -> Result<WebPage> {
        let at = PageAt::New(placement);
        Ok(self.save_page(site, by, at, draft, None).await?.item)
    }

    /// Saves a new version of page `id`'s content (a draft without a typed
    /// slug keeps the page's), if `version` is still its newest
    /// ([`Error::Stale`] otherwise, and nothing is written, not even the new
    /// contact persons). A save that changes nothing writes nothing: the
    /// page comes back at `version`.
    pub async fn update_page(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        version: i64,
        draft: PageDraft,
    ) -> Result<WebPage> {
        let at = PageAt::Version { id, version };
        Ok(self.save_page(site, by, at, draft, None).await?.item)
    }

    /// Creates a page or saves a new version of one, as
    /// [`UseCases::create_page`] and [`UseCases::update_page`] do; with
    /// `links`, the site's addresses, the links of its body to the site
    /// that lead nowhere come back with it.
    pub async fn save_page(
        &self,
        site: SiteId,
        by: &Actor,
        at: PageAt,
        draft: PageDraft,
        links: Option<&SiteUrls>,
    ) -> Result<Saved<WebPage>> {
        let check = self.links_of(links, &draft.content.body).await?;
        let (html, mut tx, now) = self.render_and_begin(site, &draft.content.body).await?;
        let PageDraft {
            mut content,
            contacts,
            slug_typed,
        } = draft;
        // A slug changes only when an editor changes it on purpose: a new
        // title alone keeps the address.
        if let PageAt::Version { id, .. } = at
            && !slug_typed
            && let Some(current) = tx.page_by_id(site, id).await?
        {
            content.slug = current.content.slug;
        }
        content.contact_ids =
            create_contacts(&mut tx, site, by, contacts, audit::with_page, now).await?;
        let (page, action, unchanged) = match at {
            PageAt::New(placement) => {
                let page = tx
                    .create_page(
                        site, placement, &content, slug_typed, &html, by.user_id, now,
                    )
                    .await?;
                (page, "create", false)
            }
            PageAt::Version { id, version } => {
                let page = tx
                    .update_page(site, id, version, &content, &html, by.user_id, now)
                    .await?;
                let unchanged = page.version == version;
                (page, "update", unchanged)
            }
        };
        let warnings = links::warnings(&mut tx, site, check, &page.path).await?;
        if !unchanged {
            let summary = saved(by, &page);
            commit_with_audit(tx, by, site, ("page", action, page.id), &summary, now).await?;
        }
        Ok(Saved {
            item: page,
            warnings,
        })
    }

    /// Saves an old version of page `id` as its newest, if `version` is
    /// still the newest (restoring what the page already is writes
    /// nothing). Its slug comes back too, under its present parent.
    pub async fn restore_page_revision(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        revision_id: i64,
        version: i64,
    ) -> Result<WebPage> {
        let revision = self
            .store
            .page_revision(site, id, revision_id)
            .await?
            .ok_or(Error::NotFound)?;
        let content: PageContent = revision.content;
        let (html, mut tx, now) = self.render_and_begin(site, &content.body).await?;
        let page = tx
            .update_page(site, id, version, &content, &html, by.user_id, now)
            .await?;
        if page.version == version {
            return Ok(page);
        }
        let summary = by.summary(audit::restored(
            &page.content.title,
            revision.version,
            page.version,
        ));
        commit_with_audit(tx, by, site, ("page", "restore", id), &summary, now).await?;
        Ok(page)
    }

    /// Moves page `id`, with its subpages, where `placement` says. Its old
    /// addresses (and its subpages') lead to the new ones.
    pub async fn move_page(
        &self,
        site: SiteId,
        by: &Actor,
        id: i64,
        placement: Placement,
    ) -> Result<WebPage> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let before = tx.page_by_id(site, id).await?.ok_or(Error::NotFound)?;
        let page = tx.move_page(site, id, placement, by.user_id, now).await?;
        if (page.parent_id, page.position) == (before.parent_id, before.position) {
            return Ok(page);
        }
        let summary = by.summary(audit::moved(&page.content.title, &page.path));
        commit_with_audit(tx, by, site, ("page", "move", id), &summary, now).await?;
        Ok(page)
    }

    /// Moves a page to the bin (one with subpages is [`Error::InUse`]).
    pub async fn bin_page(&self, site: SiteId, by: &Actor, id: i64) -> Result<WebPage> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let page = tx.bin_page(site, id, now).await?;
        let summary = by.summary(audit::binned(&page.content.title));
        commit_with_audit(tx, by, site, ("page", "delete", id), &summary, now).await?;
        Ok(page)
    }

    /// Takes a page out of the bin, last among its siblings.
    pub async fn restore_page(&self, site: SiteId, by: &Actor, id: i64) -> Result<WebPage> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        let page = tx.restore_page(site, id).await?;
        let summary = by.summary(audit::unbinned(&page.content.title));
        commit_with_audit(tx, by, site, ("page", "restore", id), &summary, now).await?;
        Ok(page)
    }
}
