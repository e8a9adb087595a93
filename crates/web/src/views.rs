//! View models: domain values turned into what templates show, in Danish form.

use raadhus_domain::directory::group_by_topic;
use raadhus_domain::{ContactPerson, NewsArticle, NewsSummary, Topic, Website, date, urls};
use serde::Serialize;

#[derive(Serialize)]
pub struct NewsItem {
    pub title: String,
    pub url: String,
    pub date_iso: String,
    pub date_long: String,
    pub lead: Option<String>,
}

impl From<&NewsSummary> for NewsItem {
    fn from(n: &NewsSummary) -> Self {
        Self {
            title: n.title.clone(),
            url: urls::news(n.slug.as_str()),
            date_iso: date::iso(n.news_date),
            date_long: date::long(n.news_date),
            lead: n.lead.clone(),
        }
    }
}

#[derive(Serialize)]
pub struct Article {
    pub title: String,
    pub published_iso: Option<String>,
    pub modified_iso: String,
    pub lead: Option<String>,
    pub date_iso: String,
    pub date_numeric: String,
    pub contacts: Vec<Contact>,
}

impl From<&NewsArticle> for Article {
    fn from(a: &NewsArticle) -> Self {
        let c = &a.content;
        Self {
            title: c.title.clone(),
            published_iso: c.publish_at.map(|t| t.to_string()),
            modified_iso: a.updated_at.to_string(),
            lead: c.lead.clone(),
            date_iso: date::iso(c.news_date),
            date_numeric: date::numeric(c.news_date),
            contacts: a.contacts.iter().map(Contact::from).collect(),
        }
    }
}

#[derive(Serialize)]
pub struct Contact {
    pub name: String,
    pub job_title: Option<String>,
    pub email: Option<String>,
    pub mailto: Option<String>,
    pub phone: Option<String>,
    pub tel: Option<String>,
}

impl From<&ContactPerson> for Contact {
    fn from(c: &ContactPerson) -> Self {
        Self {
            name: c.name.clone(),
            job_title: c.job_title.clone(),
            email: c.email.as_ref().map(|e| e.as_str().to_string()),
            mailto: c.email.as_ref().map(|e| e.mailto()),
            phone: c.phone.as_ref().map(|p| p.display()),
            tel: c.phone.as_ref().map(|p| p.tel_uri()),
        }
    }
}

/// The directory form: topics, the websites to choose from, and every website
/// with its topics as JSON for the script that narrows the list in the browser.
#[derive(Serialize)]
pub struct DirectoryForm {
    pub topics: Vec<TopicOption>,
    pub choices: Vec<WebsiteOption>,
    pub selected_topic: String,
    pub websites_json: String,
}

#[derive(Serialize)]
pub struct TopicOption {
    pub slug: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct WebsiteOption {
    pub id: i64,
    pub name: String,
}

#[derive(Serialize)]
struct WebsiteData<'a> {
    id: i64,
    name: &'a str,
    topics: Vec<&'a str>,
}

impl DirectoryForm {
    /// `choices` are the websites the select offers: all of them, or those of
    /// the selected topic.
    pub fn new(
        topics: &[Topic],
        websites: &[Website],
        choices: &[&Website],
        selected: Option<&Topic>,
    ) -> Self {
        let data: Vec<WebsiteData<'_>> = websites
            .iter()
            .map(|w| WebsiteData {
                id: w.id,
                name: &w.details.name,
                topics: topics
                    .iter()
                    .filter(|t| w.details.topic_ids.contains(&t.id))
                    .map(|t| t.slug.as_str())
                    .collect(),
            })
            .collect();
        Self {
            topics: topics
                .iter()
                .map(|t| TopicOption {
                    slug: t.slug.to_string(),
                    name: t.name.clone(),
                })
                .collect(),
            choices: choices
                .iter()
                .map(|w| WebsiteOption {
                    id: w.id,
                    name: w.details.name.clone(),
                })
                .collect(),
            selected_topic: selected.map(|t| t.slug.to_string()).unwrap_or_default(),
            websites_json: serde_json::to_string(&data).unwrap_or_else(|_| "[]".into()),
        }
    }
}

#[derive(Serialize)]
pub struct DirectoryGroup {
    pub slug: String,
    pub name: String,
    pub websites: Vec<DirectoryLink>,
}

#[derive(Serialize)]
pub struct DirectoryLink {
    pub name: String,
    pub url: String,
    /// Where the link leads, shown beside it.
    pub domain: String,
    pub description: Option<String>,
}

pub fn directory_groups(topics: &[Topic], websites: &[Website]) -> Vec<DirectoryGroup> {
    group_by_topic(topics, websites)
        .into_iter()
        .map(|(topic, sites)| DirectoryGroup {
            slug: topic.slug.to_string(),
            name: topic.name.clone(),
            websites: sites
                .into_iter()
                .map(|w| DirectoryLink {
                    name: w.details.name.clone(),
                    url: w.details.url.to_string(),
                    domain: w.details.url.host().to_string(),
                    description: w.details.description.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Links of a paged list.
#[derive(Serialize)]
pub struct Pages {
    pub current: u32,
    pub total: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: u32,
    pub url: String,
    pub current: bool,
}

impl Pages {
    /// `url(n)` gives the address of page `n`.
    pub fn new(current: u32, total: u32, url: impl Fn(u32) -> String) -> Self {
        Self {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            links: raadhus_domain::paging::page_window(current, total)
                .into_iter()
                .map(|n| PageLink {
                    number: n,
                    url: url(n),
                    current: n == current,
                })
                .collect(),
        }
    }
}

/// JSON for a page's `<script type="application/ld+json">` block, from
/// schema.org items without `@context`: one item as it is, several (an
/// article and its breadcrumbs) in one `@graph`. `<` is escaped so no text
/// can close the script element.
pub fn structured_data(mut items: Vec<serde_json::Value>) -> String {
    let mut ld = if items.len() == 1 {
        items.remove(0)
    } else {
        serde_json::json!({ "@graph": items })
    };
    ld["@context"] = "https://schema.org".into();
    ld.to_string().replace('<', "\\u003c")
}

/// schema.org `NewsArticle` for an article page, with its lead image.
pub fn news_article_ld(
    a: &NewsArticle,
    url: &str,
    site_name: &str,
    site_url: &str,
    image: Option<&crate::figures::SocialImage>,
) -> serde_json::Value {
    let mut ld = serde_json::json!({
        "@type": "NewsArticle",
        "headline": a.content.title,
        "description": a.content.lead,
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "da",
        "datePublished": a.content.publish_at.map(|t| t.to_string()),
        "dateModified": a.updated_at.to_string(),
        "publisher": { "@type": "GovernmentOrganization", "name": site_name, "url": site_url },
        "author": { "@type": "GovernmentOrganization", "name": site_name, "url": site_url },
    });
    if let Some(image) = image {
        ld["image"] = image.json_ld();
    }
    ld
}

/// schema.org `GovernmentOrganization` for the front page.
pub fn organization_ld(site_name: &str, site_url: &str) -> String {
    structured_data(vec![serde_json::json!({
        "@type": "GovernmentOrganization",
        "name": site_name,
        "url": site_url,
        "areaServed": { "@type": "AdministrativeArea", "name": site_name },
    })])
}
