//! Writing a whole [`Bundle`] of content in one transaction.

use std::collections::HashMap;

use jiff::Timestamp;
use raadhus_domain::bundle::Bundle;
use raadhus_domain::markup::BodyHtml;
use raadhus_domain::{NewsContent, SiteId, WebsiteInput};

use crate::{Change, Result, Store, StoreError};

impl Store {
    /// Stores every item of `bundle` on `site`, all or nothing. Topics and
    /// websites keep the bundle's order. Gives the ids of the new contact
    /// persons by their keys.
    pub async fn import_bundle(
        &self,
        site: SiteId,
        bundle: &Bundle,
        now: Timestamp,
    ) -> Result<HashMap<String, i64>> {
        bundle
            .check_references()
            .map_err(StoreError::UnknownReference)?;
        let mut tx = self.write().await?;
        let mut contact_ids = HashMap::new();
        for c in &bundle.contacts {
            let stored = tx.create_contact(site, &c.contact, now).await?;
            contact_ids.insert(c.key.clone(), stored.id);
        }
        let mut topic_ids = HashMap::new();
        for topic in &bundle.topics {
            let stored = tx.create_topic(site, topic, now).await?;
            topic_ids.insert(stored.slug.clone(), stored.id);
        }
        for (order, w) in (1_i64..).zip(&bundle.websites) {
            let input = WebsiteInput {
                name: w.name.clone(),
                url: w.url.clone(),
                description: w.description.clone(),
                topic_ids: w
                    .topics
                    .iter()
                    .filter_map(|t| topic_ids.get(t).copied())
                    .collect(),
                sort_order: order,
                active: true,
                statement_url: None,
            };
            tx.create_website(site, &input, now).await?;
        }
        let news: Vec<(NewsContent, BodyHtml)> = bundle
            .news
            .iter()
            .map(|n| {
                let mut content = n.news.clone();
                content.contact_ids = n
                    .contacts
                    .iter()
                    .filter_map(|k| contact_ids.get(k).copied())
                    .collect();
                // The demo's few short articles: rendered here, at start.
                let html = BodyHtml::render(&content.body);
                (content, html)
            })
            .collect();
        let news: Vec<(&NewsContent, &BodyHtml)> = news.iter().map(|(c, h)| (c, h)).collect();
        tx.create_many_news(site, &news, None, now).await?;
        tx.changed(site, Change::Site);
        tx.commit().await?;
        self.analyze_after_bulk_write().await?;
        Ok(contact_ids)
    }
}
