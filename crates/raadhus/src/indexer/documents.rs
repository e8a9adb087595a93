//! The search documents of a site's content: what the index holds of an
//! article, a page, a linked document and a directory website.

use std::collections::HashMap;

use raadhus_domain::media::type_label;
use raadhus_domain::page::PageNode;
use raadhus_domain::{NewsArticle, SiteId, SiteUrls, date, markup};
use raadhus_search::{Document, FileInfo, Kind};
use raadhus_store::{PublicDocument, Store, StoreError};

/// Builds the search documents of one site, with absolute URLs.
pub(super) struct Documents<'a> {
    pub site: SiteId,
    pub urls: &'a SiteUrls,
}

impl Documents<'_> {
    /// The site as the index knows it.
    fn site_key(&self) -> u64 {
        u64::try_from(self.site.0).unwrap_or_default()
    }

    pub fn news(&self, a: &NewsArticle) -> Document {
        let c = &a.content;
        Document {
            site: self.site_key(),
            key: news_key(a.id),
            kind: Kind::News,
            title: c.title.clone(),
            summary: c.lead.clone().unwrap_or_default(),
            body: markup::plain_text(&c.body),
            url: self.urls.news(c.slug.as_str()),
            date: Some(date::iso(c.news_date)),
            year: u64::try_from(c.news_date.year()).ok(),
            file: None,
            links: Vec::new(),
        }
    }

    /// A document linked from public articles: found by its text, shown
    /// with its title, type and size and the articles it belongs to.
    pub fn document(&self, d: &PublicDocument) -> Document {
        let titles: Vec<String> = d.used_by.iter().map(|(_, t)| format!("»{t}«")).collect();
        let summary = match titles.as_slice() {
            [] => String::new(),
            [one] => format!("Fra nyheden {one}."),
            many => format!("Fra nyhederne {}.", many.join(", ")),
        };
        Document {
            site: self.site_key(),
            key: document_key(d.media.id),
            kind: Kind::Document,
            title: d.media.details.title.clone(),
            summary,
            body: d.text.clone(),
            url: self.urls.absolute(&d.media.url()),
            date: None,
            year: None,
            file: Some(FileInfo {
                label: type_label(&d.media.mime).to_string(),
                size: d.media.size,
            }),
            links: d.used_by.iter().map(|(id, _)| news_key(*id)).collect(),
        }
    }

    /// A page the public sees, with its Markdown `body`, found at its path.
    fn page(&self, node: &PageNode, body: &str) -> Document {
        Document {
            site: self.site_key(),
            key: page_key(node.id),
            kind: Kind::Page,
            title: node.title.clone(),
            summary: node.lead.clone().unwrap_or_default(),
            body: markup::plain_text(body),
            url: self.urls.absolute(&node.path),
            date: None,
            year: None,
            file: None,
            links: Vec::new(),
        }
    }

    /// The documents of the pages `public` (pages the public sees), with
    /// their bodies read from the store: those of `only`, or all.
    pub async fn pages(
        &self,
        store: &Store,
        public: &[PageNode],
        only: Option<&[i64]>,
    ) -> Result<Vec<Document>, StoreError> {
        let bodies: HashMap<i64, String> = store
            .page_bodies(self.site, only)
            .await?
            .into_iter()
            .collect();
        Ok(public
            .iter()
            .filter_map(|n| Some(self.page(n, bodies.get(&n.id)?)))
            .collect())
    }

    pub async fn websites(&self, store: &Store) -> Result<Vec<Document>, StoreError> {
        Ok(store
            .active_websites(self.site)
            .await?
            .into_iter()
            .map(|w| Document {
                site: self.site_key(),
                key: format!("hjemmeside:{}", w.id),
                kind: Kind::Website,
                title: w.details.name.clone(),
                summary: w.details.description.clone().unwrap_or_default(),
                body: String::new(),
                url: w.details.url.to_string(),
                date: None,
                year: None,
                file: None,
                links: Vec::new(),
            })
            .collect())
    }
}

pub(super) fn news_key(id: i64) -> String {
    format!("nyhed:{id}")
}

pub(super) fn page_key(id: i64) -> String {
    format!("side:{id}")
}

pub(super) const DOCUMENT_KEY: &str = "dokument:";

pub(super) fn document_key(id: i64) -> String {
    format!("{DOCUMENT_KEY}{id}")
}
