//! What the background link checker found, joined with where the content
//! links to each address now (see [`raadhus_domain::link_check`]).

use std::collections::BTreeMap;

use raadhus_domain::link_check::{Health, LinkCheck, LinkUse, uses};
use raadhus_domain::{SiteId, SiteUrls};

use crate::{Result, UseCases};

/// An address found broken, and every place that still links to it.
#[derive(Debug, Clone)]
pub struct BrokenLink {
    pub check: LinkCheck,
    pub used_in: Vec<LinkUse>,
}

impl UseCases {
    /// Every address of another site the site's content links to now (its
    /// articles' and pages' bodies, its directory's websites), with where
    /// each is used. The bodies are read off the async workers.
    pub async fn external_links(
        &self,
        site: SiteId,
        urls: &SiteUrls,
    ) -> Result<BTreeMap<String, Vec<LinkUse>>> {
        let sources = self.store.link_sources(site).await?;
        let base = urls.base().clone();
        self.renderer.run(move || uses(&sources, &base)).await
    }

    /// The addresses the last check found broken that the content still
    /// links to, by address.
    pub async fn broken_links(&self, site: SiteId, urls: &SiteUrls) -> Result<Vec<BrokenLink>> {
        let checks = self.store.link_checks(site).await?;
        let mut used = self.external_links(site, urls).await?;
        Ok(checks
            .into_iter()
            .filter(|c| c.health == Health::Broken)
            .filter_map(|check| {
                let used_in = used.remove(&check.url)?;
                Some(BrokenLink { check, used_in })
            })
            .collect())
    }
}
