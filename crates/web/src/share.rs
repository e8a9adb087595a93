//! Share links under an article: plain links that load nothing from other
//! hosts until the reader follows one (no buttons, scripts or counters of
//! the social networks).

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ShareLinks {
    /// The page's own address: "Kopiér link" (share.js copies it).
    pub url: String,
    /// A new e-mail with the title as subject and the address as text.
    pub email: String,
    pub facebook: String,
    pub linkedin: String,
}

impl ShareLinks {
    /// Links sharing the page `url` (absolute) titled `title`.
    pub fn new(title: &str, url: &str) -> Self {
        let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
        Self {
            url: url.to_string(),
            email: format!("mailto:?subject={}&body={}", enc(title), enc(url)),
            facebook: format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(url)),
            linkedin: format!(
                "https://www.linkedin.com/sharing/share-offsite/?url={}",
                enc(url)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_addresses_are_encoded_into_the_links() {
        let links = ShareLinks::new(
            "Åbent hus & kaffe?",
            "https://www.kommune.example/nyheder/aabent-hus",
        );
        assert_eq!(
            links.email,
            "mailto:?subject=%C3%85bent%20hus%20%26%20kaffe%3F&body=https%3A%2F%2Fwww%2Ekommune%2Eexample%2Fnyheder%2Faabent%2Dhus"
        );
        assert_eq!(
            links.facebook,
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fwww%2Ekommune%2Eexample%2Fnyheder%2Faabent%2Dhus"
        );
        assert!(links.linkedin.starts_with(
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fwww%2E"
        ));
        assert_eq!(links.url, "https://www.kommune.example/nyheder/aabent-hus");
    }
}
