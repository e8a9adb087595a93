//! The directory of the municipality's other websites, grouped by topic (emne).

use std::fmt;

use crate::slug::Slug;
use crate::validation::{ValidationErrors, optional_text, required_text};

/// An absolute `http` or `https` URL with a host: the only kind of address the
/// directory links or redirects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl(url::Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Skriv en fuld adresse, der begynder med https:// eller http://, fx https://skole.kommune.dk/."
)]
pub struct WebUrlError;

impl WebUrl {
    pub fn parse(value: &str) -> Result<Self, WebUrlError> {
        let url = url::Url::parse(value.trim()).map_err(|_| WebUrlError)?;
        let scheme_ok = matches!(url.scheme(), "http" | "https");
        let host_ok = url.host_str().is_some_and(|h| !h.is_empty());
        if scheme_ok && host_ok && url.username().is_empty() && url.password().is_none() {
            Ok(Self(url))
        } else {
            Err(WebUrlError)
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host, for showing where a link leads.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

/// A topic (emne) of the directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub slug: Slug,
    pub name: String,
    pub sort_order: i64,
}

/// Longest name of a topic, in characters.
pub const MAX_TOPIC_NAME_CHARS: usize = 100;
/// Longest name of a website, in characters.
pub const MAX_WEBSITE_NAME_CHARS: usize = 150;
/// Longest description of a website, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 300;

/// A topic as an editor or an import gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicInput {
    pub slug: Slug,
    pub name: String,
    pub sort_order: i64,
}

impl TopicInput {
    /// Validates a topic; without a slug, one is made from the name.
    pub fn new(name: &str, slug: Option<&str>, sort_order: i64) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check(
            "name",
            required_text(name, MAX_TOPIC_NAME_CHARS, "et navn på emnet"),
        );
        let slug = Slug::typed_or_from_title(slug, name.as_deref(), "emne", &mut errors);
        match (name, slug) {
            (Some(name), Some(slug)) if errors.is_empty() => Ok(Self {
                slug,
                name,
                sort_order,
            }),
            _ => Err(errors),
        }
    }
}

/// A website in the directory: its id and what an editor gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Website {
    pub id: i64,
    pub details: WebsiteInput,
}

/// A website as an editor or an import gives it; topics are given by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebsiteInput {
    pub name: String,
    pub url: WebUrl,
    pub description: Option<String>,
    /// Ids of the topics it is listed under (stored ones in topic order).
    pub topic_ids: Vec<i64>,
    pub sort_order: i64,
    pub active: bool,
    /// Its accessibility statement in the WAS-tool, if registered.
    pub statement_url: Option<WebUrl>,
}

impl WebsiteInput {
    pub fn new(
        name: &str,
        url: &str,
        description: Option<&str>,
        topic_ids: Vec<i64>,
        sort_order: i64,
        statement_url: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check(
            "name",
            required_text(name, MAX_WEBSITE_NAME_CHARS, "hjemmesidens navn"),
        );
        let url = errors.check("url", WebUrl::parse(url));
        let description = errors.check(
            "description",
            optional_text(description, MAX_DESCRIPTION_CHARS),
        );
        let statement_url = match statement_url.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => errors.check("statement_url", WebUrl::parse(s)).map(Some),
            None => Some(None),
        };
        if topic_ids.is_empty() {
            errors.add("topics", "Vælg mindst ét emne.");
        } else if topic_ids
            .iter()
            .enumerate()
            .any(|(i, id)| topic_ids[..i].contains(id))
        {
            errors.add("topics", "Vælg hvert emne én gang.");
        }
        match (name, url, description, statement_url) {
            (Some(name), Some(url), Some(description), Some(statement_url))
                if errors.is_empty() =>
            {
                Ok(Self {
                    name,
                    url,
                    description,
                    topic_ids,
                    sort_order,
                    active: true,
                    statement_url,
                })
            }
            _ => Err(errors),
        }
    }
}

text_serde!(WebUrl, WebUrl::parse, WebUrl::as_str);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_web_urls() {
        assert_eq!(
            WebUrl::parse(" https://skole.kommune.dk ")
                .unwrap()
                .as_str(),
            "https://skole.kommune.dk/"
        );
        assert!(WebUrl::parse("http://bibliotek.kommune.dk/aabningstider?x=1").is_ok());
        for bad in [
            "",
            "skole.kommune.dk",
            "/hjemmesider",
            "//evil.example",
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://x.dk/",
            "mailto:a@b.dk",
            "https://user:pw@evil.example/",
            "https://",
        ] {
            assert_eq!(WebUrl::parse(bad), Err(WebUrlError), "{bad}");
        }
    }

    #[test]
    fn website_input_reports_every_field() {
        let errors = WebsiteInput::new(" ", "nope", None, vec![], 0, None).unwrap_err();
        let fields: Vec<_> = errors.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "url", "topics"]);
        let ok = WebsiteInput::new(
            "Egelund Skole",
            "https://egelund.example/",
            Some(" "),
            vec![1],
            3,
            Some(" "),
        )
        .unwrap();
        assert_eq!(ok.description, None);
        assert_eq!(ok.statement_url, None);
        assert!(ok.active);
        let twice = WebsiteInput::new("Skole", "https://s.example/", None, vec![1, 2, 1], 3, None);
        assert!(twice.unwrap_err().for_field("topics").is_some());
        let bad = WebsiteInput::new(
            "Skole",
            "https://s.example/",
            None,
            vec![1],
            3,
            Some("javascript:x"),
        );
        assert!(bad.unwrap_err().for_field("statement_url").is_some());
    }

    #[test]
    fn topic_slug_from_name_when_missing() {
        let t = TopicInput::new("Ældre og sundhed", None, 1).unwrap();
        assert_eq!(t.slug.as_str(), "aeldre-og-sundhed");
        assert!(TopicInput::new("Skoler", Some("Skoler!"), 1).is_err());
        // A name without a letter or digit gets a slug all the same.
        assert_eq!(
            TopicInput::new("???", None, 1).unwrap().slug.as_str(),
            "emne"
        );
        // A blank slug longer than a slug may be is refused, not trimmed away.
        assert!(TopicInput::new("Skoler", Some(&" ".repeat(81)), 1).is_err());
    }
}

/// The websites listed under `topic_id`, in their own order.
pub fn websites_in_topic(websites: &[Website], topic_id: i64) -> Vec<&Website> {
    websites
        .iter()
        .filter(|w| w.details.topic_ids.contains(&topic_id))
        .collect()
}

/// The whole directory grouped by topic, topics and websites in display order.
/// A website under several topics appears in each of them.
pub fn group_by_topic<'a>(
    topics: &'a [Topic],
    websites: &'a [Website],
) -> Vec<(&'a Topic, Vec<&'a Website>)> {
    topics
        .iter()
        .map(|t| (t, websites_in_topic(websites, t.id)))
        .collect()
}

#[cfg(test)]
mod grouping_tests {
    use super::*;

    fn site(id: i64, topics: &[i64]) -> Website {
        Website {
            id,
            details: WebsiteInput {
                name: format!("Side {id}"),
                url: WebUrl::parse("https://x.example/").unwrap(),
                description: None,
                topic_ids: topics.to_vec(),
                sort_order: id,
                active: true,
                statement_url: None,
            },
        }
    }

    #[test]
    fn websites_appear_under_each_of_their_topics() {
        let topics = [
            Topic {
                id: 1,
                slug: Slug::parse("a").unwrap(),
                name: "A".into(),
                sort_order: 1,
            },
            Topic {
                id: 2,
                slug: Slug::parse("b").unwrap(),
                name: "B".into(),
                sort_order: 2,
            },
            Topic {
                id: 3,
                slug: Slug::parse("c").unwrap(),
                name: "C".into(),
                sort_order: 3,
            },
        ];
        let websites = [site(10, &[1]), site(11, &[1, 2]), site(12, &[2])];
        let groups: Vec<(i64, Vec<i64>)> = group_by_topic(&topics, &websites)
            .into_iter()
            .map(|(t, ws)| (t.id, ws.iter().map(|w| w.id).collect()))
            .collect();
        assert_eq!(groups, [(1, vec![10, 11]), (2, vec![11, 12]), (3, vec![])]);
    }
}
