//! The links of a body being saved to the site's own articles, pages and
//! files: those that lead nowhere come back with the save as warnings.

use raadhus_domain::links::{LinkWarning, destinations, site_links};
use raadhus_domain::{SiteId, SiteUrls};
use raadhus_store::WriteTx;

use crate::{Result, UseCases};

/// Something saved, with what the editor should look at in it.
#[derive(Debug)]
pub struct Saved<T> {
    pub item: T,
    /// Links of its body to the site that lead nowhere or to an old address.
    pub warnings: Vec<LinkWarning>,
}

/// The link destinations of a body being saved, read before its
/// transaction (parsing takes time, and holds no lock), when its links are
/// to be checked against the site at these addresses.
pub(crate) struct Check<'a> {
    urls: &'a SiteUrls,
    destinations: Vec<String>,
}

impl UseCases {
    /// What a save of `body` checks its links with, if `urls` is given.
    pub(crate) async fn links_of<'a>(
        &self,
        urls: Option<&'a SiteUrls>,
        body: &str,
    ) -> Result<Option<Check<'a>>> {
        let Some(urls) = urls else { return Ok(None) };
        let body = body.to_string();
        let destinations = self.renderer.run(move || destinations(&body)).await?;
        Ok(Some(Check { urls, destinations }))
    }
}

/// The warnings about the links of `check` on the page at path `at`, as
/// `tx` (holding the save) sees the site; none when nothing is checked.
pub(crate) async fn warnings(
    tx: &mut WriteTx,
    site: SiteId,
    check: Option<Check<'_>>,
    at: &str,
) -> Result<Vec<LinkWarning>> {
    let Some(Check { urls, destinations }) = check else {
        return Ok(Vec::new());
    };
    let links = site_links(destinations, urls.base(), at);
    Ok(tx.link_warnings(site, &links).await?)
}
