//! Where the public pages of a site live: the one place that builds their
//! paths and absolute addresses, for pages, feeds, the sitemap, the API and
//! the search index alike.

use url::Url;

/// The news list.
pub const NEWS: &str = "/nyheder";
/// The directory "Find en af kommunens andre hjemmesider".
pub const DIRECTORY: &str = "/hjemmesider";
pub const ATOM_FEED: &str = "/nyheder/feed.atom";
pub const RSS_FEED: &str = "/nyheder/feed.rss";
pub const SITEMAP: &str = "/sitemap.xml";
/// Where "Fandt du det, du søgte?" is sent.
pub const FEEDBACK: &str = "/tilbagemelding";

/// First path segments that belong to the application itself, never to a
/// page: a top-level page may not take one of these as its slug. Every
/// route's first segment is here (a test of the router checks it).
pub const RESERVED: [&str; 14] = [
    "nyheder",
    "hjemmesider",
    "soeg",
    "admin",
    "api",
    "static",
    "media",
    "medier",
    "was",
    "healthz",
    "sitemap.xml",
    "robots.txt",
    "favicon.ico",
    "tilbagemelding",
];

/// Whether `segment` is the first segment of one of the application's own
/// addresses.
pub fn is_reserved(segment: &str) -> bool {
    RESERVED.contains(&segment)
}

/// The path of an article's page.
pub fn news(slug: &str) -> String {
    format!("{NEWS}/{slug}")
}

/// A site's public addresses, from its base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrls {
    base: Url,
}

impl SiteUrls {
    pub fn new(base: Url) -> Self {
        Self { base }
    }

    /// The base URL, e.g. `https://www.vesterfjord.example/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The absolute address of a path of this site.
    pub fn absolute(&self, path: &str) -> String {
        self.base
            .join(path)
            .map_or_else(|_| path.to_string(), |u| u.to_string())
    }

    /// The absolute address of an article's page.
    pub fn news(&self, slug: &str) -> String {
        self.absolute(&news(slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_the_base_url() {
        let urls = SiteUrls::new(Url::parse("https://www.kommune.example/").unwrap());
        assert_eq!(news("ny-skole"), "/nyheder/ny-skole");
        assert_eq!(
            urls.news("ny-skole"),
            "https://www.kommune.example/nyheder/ny-skole"
        );
        assert_eq!(
            urls.absolute(ATOM_FEED),
            "https://www.kommune.example/nyheder/feed.atom"
        );
    }
}
