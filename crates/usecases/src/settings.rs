//! The municipality's identity and its front page: saved by an
//! administrator (the adapters check the role), each in one transaction
//! with its audit line; every node drops every cached page at once
//! (`Change::Site`).

use raadhus_domain::audit;
use raadhus_domain::{FrontPage, MediaKind, SiteId, SiteSettings};
use raadhus_store::WriteTx;

use crate::{Actor, Error, Result, UseCases};

impl UseCases {
    /// Saves the site's settings. The logo must be an image of the site's
    /// library and the privacy page a page of the site ([`Error::Invalid`]
    /// on `logo_id` / `privacy_page_id` otherwise). Saving the same settings
    /// writes nothing.
    pub async fn save_site_settings(
        &self,
        site: SiteId,
        by: &Actor,
        settings: SiteSettings,
    ) -> Result<SiteSettings> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        if let Some(logo) = settings.logo_id {
            let found = tx.media_many(site, &[logo]).await?;
            if !found.iter().any(|m| m.kind == MediaKind::Image) {
                return Err(Error::field(
                    "logo_id",
                    "Logoet skal være et billede fra mediebiblioteket. Vælg et af billederne på listen.",
                ));
            }
        }
        if let Some(page) = settings.privacy_page_id
            && !page_exists(&mut tx, site, page).await?
        {
            return Err(Error::field(
                "privacy_page_id",
                "Siden findes ikke. Vælg en af siderne på listen.",
            ));
        }
        if tx.save_site_settings(site, &settings, now).await? {
            let summary = by.summary(audit::SETTINGS_SAVED);
            tx.audit(
                &by.audit(Some(site), "update", "site", site.0, &summary),
                now,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(settings)
    }

    /// Saves how the front page is composed: the lead story must be an
    /// article of the site that is not in the bin (the front page shows it
    /// while it is published), and every shortcut a page of the site.
    pub async fn save_front_page(
        &self,
        site: SiteId,
        by: &Actor,
        front: FrontPage,
    ) -> Result<FrontPage> {
        let now = self.now();
        let mut tx = self.store.write().await?;
        if let Some(id) = front.lead_news_id
            && tx.news_by_id(site, id).await?.is_none()
        {
            return Err(Error::field(
                "lead_news_id",
                "Nyheden findes ikke (længere). Vælg en af nyhederne på listen.",
            ));
        }
        for &page in &front.shortcuts {
            if !page_exists(&mut tx, site, page).await? {
                return Err(Error::field(
                    "shortcuts",
                    "En af de valgte sider findes ikke (længere). Vælg siderne på listen.",
                ));
            }
        }
        if tx.save_front_page(site, &front, now).await? {
            let summary = by.summary(audit::FRONT_PAGE_SAVED);
            tx.audit(
                &by.audit(Some(site), "update", "site", site.0, &summary),
                now,
            )
            .await?;
            tx.commit().await?;
        }
        Ok(front)
    }
}

/// Whether page `id` is a page of the site, not in the bin.
async fn page_exists(tx: &mut WriteTx, site: SiteId, id: i64) -> Result<bool> {
    Ok(tx.page_by_id(site, id).await?.is_some())
}
