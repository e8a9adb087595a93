//! The built-in demo content: a fictional municipality, loaded into an empty
//! database by `raadhus serve` unless `--no-demo` is given.

use jiff::civil::Date;
use raadhus_domain::bundle::{Bundle, BundleContact, BundleNews, BundleWebsite};
use raadhus_domain::{ContactInput, NewsContent, NewsForm, Slug, TopicInput, WebUrl};
use serde::Deserialize;

pub mod files;
pub mod identity;
pub mod pages;

const DEMO_TOML: &str = include_str!("../demo/demo.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    site: SiteSection,
    contacts: Vec<Contact>,
    topics: Vec<Topic>,
    websites: Vec<Website>,
    news: Vec<News>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteSection {
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Contact {
    key: String,
    name: String,
    job_title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Topic {
    slug: String,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Website {
    name: String,
    url: String,
    description: Option<String>,
    topics: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct News {
    title: String,
    lead: Option<String>,
    news_date: String,
    status: String,
    #[serde(default)]
    contacts: Vec<String>,
    body: String,
}

/// The demo site's name and content, validated by the same rules as an
/// editor's input on `today`.
pub fn content(today: Date) -> Result<(String, Bundle), String> {
    let file: File = toml::from_str(DEMO_TOML).map_err(|e| format!("demo content: {e}"))?;
    let mut bundle = Bundle::default();
    for c in file.contacts {
        let contact = ContactInput::new(
            &c.name,
            c.job_title.as_deref(),
            c.email.as_deref(),
            c.phone.as_deref(),
        )
        .map_err(|e| format!("demo contact {:?}: {e}", c.key))?;
        bundle.contacts.push(BundleContact {
            key: c.key,
            contact,
        });
    }
    for (order, t) in (1_i64..).zip(file.topics) {
        let topic = TopicInput::new(&t.name, Some(&t.slug), order)
            .map_err(|e| format!("demo topic {:?}: {e}", t.slug))?;
        bundle.topics.push(topic);
    }
    for w in file.websites {
        let place = |e: String| format!("demo website {:?}: {e}", w.name);
        bundle.websites.push(BundleWebsite {
            url: WebUrl::parse(&w.url).map_err(|e| place(e.to_string()))?,
            topics: w
                .topics
                .iter()
                .map(|t| Slug::parse(t).map_err(|e| place(e.to_string())))
                .collect::<Result<_, _>>()?,
            name: w.name.clone(),
            description: w.description.clone(),
        });
    }
    for n in file.news {
        let form = NewsForm {
            title: &n.title,
            lead: n.lead.as_deref(),
            body: &n.body,
            news_date: &n.news_date,
            status: &n.status,
            ..NewsForm::default()
        };
        let news =
            NewsContent::new(form, today).map_err(|e| format!("demo news {:?}: {e}", n.title))?;
        bundle.news.push(BundleNews {
            news,
            contacts: n.contacts,
        });
    }
    bundle
        .check_references()
        .map_err(|e| format!("demo content: {e}"))?;
    Ok((file.site.name, bundle))
}

#[cfg(test)]
mod tests {
    use raadhus_domain::NewsStatus;

    #[test]
    fn demo_content_is_valid_and_large_enough() {
        let (name, bundle) = super::content(jiff::civil::date(2026, 12, 1)).unwrap();
        assert_eq!(name, "Vesterfjord Kommune");
        let published = bundle
            .news
            .iter()
            .filter(|n| n.news.status == NewsStatus::Published)
            .count();
        assert!(published >= 12, "{published} published articles");
        assert!(bundle.topics.len() >= 4);
        assert!(bundle.websites.len() >= 15);
        assert!(
            bundle
                .news
                .iter()
                .any(|n| n.news.status == NewsStatus::Draft)
        );
    }
}
