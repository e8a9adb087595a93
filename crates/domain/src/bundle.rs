//! A whole site's content in one value, with references by key instead of by
//! database id. Demo content and (later) imports arrive in this shape, and the
//! store writes a bundle in one transaction.

use crate::contact::ContactInput;
use crate::directory::{TopicInput, WebUrl};
use crate::news::NewsContent;
use crate::slug::Slug;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleContact {
    /// The key news items use to refer to this person.
    pub key: String,
    pub contact: ContactInput,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleWebsite {
    pub name: String,
    pub url: WebUrl,
    pub description: Option<String>,
    /// Slugs of the topics it is listed under.
    pub topics: Vec<Slug>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleNews {
    /// The article; its `contact_ids` are ignored in favour of `contacts`.
    pub news: NewsContent,
    /// Keys of its contact persons, in order.
    pub contacts: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundle {
    pub contacts: Vec<BundleContact>,
    /// Topics in display order.
    pub topics: Vec<TopicInput>,
    /// Websites in display order.
    pub websites: Vec<BundleWebsite>,
    pub news: Vec<BundleNews>,
}

impl Bundle {
    /// Checks that every reference resolves and that keys are unique. The message
    /// names the place that is wrong.
    pub fn check_references(&self) -> Result<(), String> {
        let mut keys = std::collections::HashSet::new();
        for c in &self.contacts {
            if !keys.insert(c.key.as_str()) {
                return Err(format!("contact key {:?} is used twice", c.key));
            }
        }
        let mut slugs = std::collections::HashSet::new();
        for t in &self.topics {
            if !slugs.insert(&t.slug) {
                return Err(format!("topic slug {:?} is used twice", t.slug.as_str()));
            }
        }
        for w in &self.websites {
            if w.topics.is_empty() {
                return Err(format!("website {:?} has no topic", w.name));
            }
            if let Some(t) = w.topics.iter().find(|t| !slugs.contains(t)) {
                return Err(format!(
                    "website {:?} names unknown topic {:?}",
                    w.name,
                    t.as_str()
                ));
            }
        }
        for n in &self.news {
            if let Some(k) = n.contacts.iter().find(|k| !keys.contains(k.as_str())) {
                return Err(format!(
                    "news {:?} names unknown contact {k:?}",
                    n.news.title
                ));
            }
        }
        Ok(())
    }
}
