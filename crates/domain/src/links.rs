//! Links in bodies that lead to this site's own articles, pages and files:
//! found when a body is saved and resolved to what they name, so that the
//! editor hears of one that leads nowhere (the store tells what is there).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};
use url::Url;

use crate::markup::blocks::{Piece, pieces};
use crate::media::ref_id;
use crate::urls;

/// How many distinct links to the site one save looks up: a body with more
/// (a long list of links) is checked for its first ones only, so that a
/// save never holds the write lock for long.
pub const MAX_CHECKED: usize = 200;

/// What a link to this site names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An article, by slug (`/nyheder/SLUG`).
    News(String),
    /// A content page, by path (`/borger/affald`).
    Page(String),
    /// A file of the media library (`media:ID` or `/medier/ID/…`).
    Media(i64),
}

/// A link of a body to this site: as written, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    pub url: String,
    pub target: Target,
}

/// Whether what a link names is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// It is there (and not in the bin).
    Yes,
    /// The address is an old one of an article or page that moved: the
    /// visitor is sent on.
    Moved,
    /// Nothing is there.
    No,
}

/// A link the editor should look at, with a Danish message saying why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LinkWarning {
    pub url: String,
    pub message: String,
}

/// The link destinations of `markdown` (links and images), each once, in
/// order of first appearance. Linear in the body's length.
pub fn destinations(markdown: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for piece in pieces(markdown) {
        let Piece::Text(text) = piece else { continue };
        for event in Parser::new_ext(text, Options::empty()) {
            let dest = match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }) if link_type != LinkType::Email => dest_url,
                Event::Start(Tag::Image { dest_url, .. }) => dest_url,
                _ => continue,
            };
            let dest = dest.trim();
            if !dest.is_empty() && seen.insert(dest.to_string()) {
                found.push(dest.to_string());
            }
        }
    }
    found
}

/// The links among `destinations` (a body's, see [`destinations`]) to
/// this site (whose public address is `base`), read as a browser reads them
/// on the page at path `at`, at most [`MAX_CHECKED`].
pub fn site_links(destinations: Vec<String>, base: &Url, at: &str) -> Vec<SiteLink> {
    let Ok(page) = base.join(at.trim_start_matches('/')) else {
        return Vec::new();
    };
    destinations
        .into_iter()
        .filter_map(|url| {
            let target = resolve(&url, base, &page)?;
            Some(SiteLink { url, target })
        })
        .take(MAX_CHECKED)
        .collect()
}

/// What `dest`, a link on the page at address `page`, names on the site at
/// `base`; `None` for a link elsewhere, to a part of the page, or to one of
/// the application's own addresses (the news list, the search…).
fn resolve(dest: &str, base: &Url, page: &Url) -> Option<Target> {
    if let Some(id) = ref_id(dest) {
        return Some(Target::Media(id));
    }
    if dest.starts_with('#') {
        return None;
    }
    let url = page.join(dest).ok()?;
    if url.origin() != base.origin() {
        return None;
    }
    let path = url.path().strip_prefix(base.path().trim_end_matches('/'))?;
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [] => None,
        ["nyheder", slug] if !is_feed(slug) => Some(Target::News((*slug).to_string())),
        ["medier", id, ..] => id.parse().ok().map(Target::Media),
        [first, ..] if urls::is_reserved(first) => None,
        _ => Some(Target::Page(format!("/{}", segments.join("/")))),
    }
}

fn is_feed(segment: &str) -> bool {
    urls::ATOM_FEED.ends_with(&format!("/{segment}"))
        || urls::RSS_FEED.ends_with(&format!("/{segment}"))
}

/// What the editor is told about `link`, if anything.
pub fn warning(link: &SiteLink, found: Found) -> Option<LinkWarning> {
    let what = match link.target {
        Target::News(_) => "nyhed",
        Target::Page(_) => "side",
        Target::Media(_) => "fil i mediebiblioteket",
    };
    let message = match found {
        Found::Yes => return None,
        Found::Moved => format!(
            "Linket peger på en gammel adresse. Besøgende sendes videre, \
             men ret linket til den nye adresse ({what})."
        ),
        Found::No => format!(
            "Linket virker ikke: der findes ingen {what} på den adresse \
             (eller den ligger i papirkurven)."
        ),
    };
    Some(LinkWarning {
        url: link.url.clone(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://www.kommune.example/").unwrap()
    }

    fn targets(markdown: &str, at: &str) -> Vec<Target> {
        site_links(destinations(markdown), &base(), at)
            .into_iter()
            .map(|l| l.target)
            .collect()
    }

    #[test]
    fn links_to_the_site_name_articles_pages_and_files() {
        let body = "Se [nyheden](/nyheder/ny-skole), [siden](/borger/affald/) og \
                    [planen](media:12) ![kort](media:13) [pdf](/medier/14/abc/plan.pdf). \
                    [Helt](https://www.kommune.example/kultur?x=1#top) og \
                    <https://www.kommune.example/nyheder/vej>.";
        assert_eq!(
            targets(body, "/"),
            vec![
                Target::News("ny-skole".into()),
                Target::Page("/borger/affald".into()),
                Target::Media(12),
                Target::Media(13),
                Target::Media(14),
                Target::Page("/kultur".into()),
                Target::News("vej".into()),
            ]
        );
    }

    #[test]
    fn other_links_are_not_the_sites() {
        let body = "[a](https://andet.example/nyheder/x) [b](mailto:a@b.dk) [c](tel:+4512345678) \
                    [d](#afsnit) [e](/nyheder) [f](/nyheder/feed.atom) [g](/soeg?q=x) [h](/) \
                    [i](http://www.kommune.example:8080/side) [j](/admin/nyheder/1) <a@b.dk>";
        assert_eq!(targets(body, "/"), Vec::<Target>::new());
    }

    #[test]
    fn relative_links_are_read_from_the_page_they_are_on() {
        assert_eq!(
            targets("[x](andet-emne) [y](../kultur)", "/borger/affald"),
            vec![
                Target::Page("/borger/andet-emne".into()),
                Target::Page("/kultur".into()),
            ]
        );
        assert_eq!(
            targets("[x](anden-nyhed)", "/nyheder/en-nyhed"),
            vec![Target::News("anden-nyhed".into())]
        );
    }

    #[test]
    fn a_site_below_a_path_keeps_its_prefix() {
        let base = Url::parse("https://kommune.example/site/").unwrap();
        let links = site_links(
            destinations("[a](/site/nyheder/x) [b](/andet/y)"),
            &base,
            "/",
        );
        assert_eq!(
            links.into_iter().map(|l| l.target).collect::<Vec<_>>(),
            vec![Target::News("x".into())]
        );
    }

    #[test]
    fn links_in_blocks_count_and_each_comes_once() {
        let body = "::: faktaboks Fakta\n[a](/nyheder/x)\n:::\n\n[b](/nyheder/x)";
        assert_eq!(targets(body, "/"), vec![Target::News("x".into())]);
    }

    #[test]
    fn warnings_say_what_is_wrong() {
        let link = SiteLink {
            url: "/nyheder/x".into(),
            target: Target::News("x".into()),
        };
        assert_eq!(warning(&link, Found::Yes), None);
        assert!(
            warning(&link, Found::No)
                .unwrap()
                .message
                .contains("ingen nyhed")
        );
        assert!(
            warning(&link, Found::Moved)
                .unwrap()
                .message
                .contains("gammel adresse")
        );
    }

    #[test]
    fn the_number_checked_is_bounded() {
        let body: String = (0..MAX_CHECKED + 10)
            .map(|i| format!("[l](/side-{i}) "))
            .collect();
        assert_eq!(targets(&body, "/").len(), MAX_CHECKED);
    }
}
