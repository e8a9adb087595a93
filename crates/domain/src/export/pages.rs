//! Content pages, the old addresses that lead to pages and articles, and
//! the site's identity in an export file, and their checks: a tree without
//! loops whose live pages have addresses of their own, every reference on
//! the same site.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::check::{Unique, check_contact_refs, editors_rules, references};
use super::media::check_media_refs;
use super::{ExportSite, ImportError, error};
use crate::media::MediaKind;
use crate::page::{PageContent, child_path};
use crate::settings::{FrontPage, SettingsForm, SiteSettings};

/// A page with its place in the tree, its content, its place in the bin
/// and every revision. Its address is not in the file: it follows from its
/// ancestors' slugs and its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportPage {
    pub id: i64,
    /// The page it is under (none: the top level), on the same site.
    pub parent_id: Option<i64>,
    /// Its place among its siblings, 0 first.
    pub position: i64,
    pub content: PageContent,
    /// Set when the page is in the bin.
    pub deleted_at: Option<Timestamp>,
    pub version: i64,
    pub created_by: Option<i64>,
    pub updated_by: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Every saved version, oldest first.
    pub revisions: Vec<ExportPageRevision>,
}

/// One saved version of a page (kept as history: its contact persons and
/// files need not exist any more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportPageRevision {
    pub id: i64,
    pub version: i64,
    pub user_id: Option<i64>,
    pub created_at: Timestamp,
    pub content: PageContent,
}

/// An address a page or an article had while published; it answers 301 to
/// where that page or article is now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportOldPath {
    /// `/borger/gammel-side`
    pub path: String,
    pub page_id: Option<i64>,
    pub news_id: Option<i64>,
    pub created_at: Timestamp,
}

/// The site's identity and its front page's composition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSettings {
    /// Its `name` is the site's.
    pub identity: SiteSettings,
    pub front_page: FrontPage,
    pub updated_at: Timestamp,
}

/// Longest old address, in bytes.
const MAX_PATH_BYTES: usize = 2000;

/// What the checks of a site's pages hand on: the ids of its pages.
pub(super) struct SitePages {
    pub(super) ids: HashSet<i64>,
}

/// Ids of pages and their revisions across all sites, and the users.
pub(super) struct PageIds<'a> {
    pub(super) pages: Unique,
    pub(super) revisions: Unique,
    pub(super) users: &'a HashSet<i64>,
}

impl PageIds<'_> {
    fn user(&self, place: String, id: Option<i64>) -> Result<(), ImportError> {
        match id {
            Some(id) if !self.users.contains(&id) => {
                Err(error(place, format!("user {id} is not in the file")))
            }
            _ => Ok(()),
        }
    }
}

/// Checks the pages of site `site` (at `at`): the editors' rules on every
/// version, references to the site's contact persons, files and users, a
/// tree without loops, and that no two live pages share an address or a
/// place among their siblings.
pub(super) fn check_site_pages(
    at: &str,
    site: &ExportSite,
    contacts: &HashSet<i64>,
    media: &HashMap<i64, MediaKind>,
    ids: &mut PageIds<'_>,
) -> Result<SitePages, ImportError> {
    let places: HashMap<i64, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();
    for (i, p) in site.pages.iter().enumerate() {
        let at = format!("{at}.pages[{i}]");
        ids.pages.add(&at, p.id)?;
        if let Some(parent) = p.parent_id {
            let Some(&place) = places.get(&parent) else {
                return Err(error(
                    format!("{at}.parent_id"),
                    format!("page {parent} is not on this site in the file"),
                ));
            };
            if p.deleted_at.is_none() && site.pages[place].deleted_at.is_some() {
                return Err(error(
                    format!("{at}.parent_id"),
                    format!("page {parent} is in the bin, and this page is not"),
                ));
            }
        }
        let content_at = format!("{at}.content");
        let content = &p.content;
        check_contact_refs(&content_at, &content.contact_ids, &content.body, contacts)?;
        check_media_refs(&content_at, content.image_id, &content.body, media)?;
        editors_rules(
            &content_at,
            content.clone().validated(p.parent_id.is_none()),
        )?;
        ids.user(format!("{at}.created_by"), p.created_by)?;
        ids.user(format!("{at}.updated_by"), p.updated_by)?;
        let mut versions = HashSet::new();
        for (r, rev) in p.revisions.iter().enumerate() {
            let at = format!("{at}.revisions[{r}]");
            ids.revisions.add(&at, rev.id)?;
            if !versions.insert(rev.version) {
                return Err(error(
                    format!("{at}.version"),
                    format!("version {} appears twice", rev.version),
                ));
            }
            ids.user(format!("{at}.user_id"), rev.user_id)?;
            editors_rules(
                &format!("{at}.content"),
                rev.content.clone().validated(false),
            )?;
        }
    }
    let paths = page_paths(&site.pages).map_err(|i| {
        error(
            format!("{at}.pages[{i}].parent_id"),
            "the pages' parents form a loop",
        )
    })?;
    let mut live_paths = HashSet::new();
    let mut live_places = HashSet::new();
    for (i, p) in site.pages.iter().enumerate() {
        if p.deleted_at.is_some() {
            continue;
        }
        if !live_paths.insert(paths[i].as_str()) {
            return Err(error(
                format!("{at}.pages[{i}].content.slug"),
                format!("{} is the address of another page", paths[i]),
            ));
        }
        if !live_places.insert((p.parent_id, p.position)) {
            return Err(error(
                format!("{at}.pages[{i}].position"),
                format!(
                    "position {} is another page's under the same parent",
                    p.position
                ),
            ));
        }
    }
    Ok(SitePages {
        ids: places.into_keys().collect(),
    })
}

/// The address of every page, in the order given: the slugs from the top
/// down. The place of a page in a loop of parents if there is one. Every
/// parent must be among `pages`.
pub fn page_paths(pages: &[ExportPage]) -> Result<Vec<String>, usize> {
    let places: HashMap<i64, usize> = pages.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut paths: Vec<Option<String>> = vec![None; pages.len()];
    for start in 0..pages.len() {
        // Up to the first page whose address is known (or the top), then
        // down again; more steps than pages is a loop.
        let mut chain = vec![start];
        while let Some(parent) = pages[*chain.last().unwrap_or(&start)].parent_id {
            let Some(&place) = places.get(&parent) else {
                break;
            };
            if paths[place].is_some() {
                chain.push(place);
                break;
            }
            if chain.contains(&place) || chain.len() > pages.len() {
                return Err(start);
            }
            chain.push(place);
        }
        let mut above: Option<String> = None;
        for &place in chain.iter().rev() {
            let path = match &paths[place] {
                Some(path) => path.clone(),
                None => child_path(above.as_deref(), &pages[place].content.slug),
            };
            paths[place] = Some(path.clone());
            above = Some(path);
        }
    }
    Ok(paths.into_iter().map(Option::unwrap_or_default).collect())
}

/// Checks the old addresses of a site: each a path of its own that names
/// one page or one article of the site.
pub(super) fn check_old_paths(
    at: &str,
    site: &ExportSite,
    pages: &SitePages,
    news: &HashSet<i64>,
) -> Result<(), ImportError> {
    let mut seen = HashSet::new();
    for (i, old) in site.old_paths.iter().enumerate() {
        let at = format!("{at}.old_paths[{i}]");
        let path = &old.path;
        let well_formed = path.starts_with('/')
            && path.len() <= MAX_PATH_BYTES
            && !path.contains("//")
            && !path
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
        if !well_formed {
            return Err(error(
                format!("{at}.path"),
                "not a path of this site (it starts with /, without spaces, query or fragment)",
            ));
        }
        if !seen.insert(path.as_str()) {
            return Err(error(format!("{at}.path"), format!("{path} appears twice")));
        }
        match (old.page_id, old.news_id) {
            (Some(id), None) if !pages.ids.contains(&id) => {
                return Err(error(
                    format!("{at}.page_id"),
                    format!("page {id} is not on this site in the file"),
                ));
            }
            (None, Some(id)) if !news.contains(&id) => {
                return Err(error(
                    format!("{at}.news_id"),
                    format!("article {id} is not on this site in the file"),
                ));
            }
            (Some(_), None) | (None, Some(_)) => {}
            _ => {
                return Err(error(
                    at,
                    "names either a page (page_id) or an article (news_id)",
                ));
            }
        }
    }
    Ok(())
}

/// The rules an administrator's save of `identity` meets on `today`.
fn identity_rules(
    identity: &SiteSettings,
    today: jiff::civil::Date,
) -> Result<SiteSettings, crate::validation::ValidationErrors> {
    let links: Vec<(String, String)> = identity
        .social_links
        .iter()
        .map(|l| (l.label.clone(), l.url.clone()))
        .collect();
    let phone = identity.phone.as_ref().map(|p| p.e164());
    let statement = identity.statement.as_ref();
    let reviewed = statement.and_then(|s| s.reviewed).map(crate::date::iso);
    SiteSettings::new(SettingsForm {
        name: &identity.name,
        logo_id: identity.logo_id,
        brand_color: identity.brand_color.as_ref().map(|c| c.as_str()),
        address: identity.address.as_deref(),
        phone,
        email: identity.email.as_ref().map(|e| e.as_str()),
        cvr: identity.cvr.as_ref().map(|c| c.as_str()),
        ean: identity.ean.as_ref().map(|e| e.as_str()),
        opening_hours: identity.opening_hours.as_deref(),
        privacy_page_id: identity.privacy_page_id,
        social_links: &links,
        menu_news: identity.menu_news,
        menu_directory: identity.menu_directory,
        statement_url: statement.map(|s| s.url.as_str()),
        statement_reviewed: reviewed.as_deref(),
        today,
    })
}

/// Checks a site's identity and front page: the administrators' rules (on
/// `today`, the day the file was written), the site's own name, and
/// references to its files, pages and articles.
pub(super) fn check_settings(
    at: &str,
    today: jiff::civil::Date,
    site: &ExportSite,
    media: &HashMap<i64, MediaKind>,
    pages: &SitePages,
    news: &HashSet<i64>,
) -> Result<(), ImportError> {
    let Some(settings) = &site.settings else {
        return Ok(());
    };
    let at = format!("{at}.settings");
    let identity = &settings.identity;
    let id_at = format!("{at}.identity");
    editors_rules(&id_at, identity_rules(identity, today))?;
    if identity.name != site.name {
        return Err(error(
            format!("{id_at}.name"),
            "is not the site's name (the name beside its id)",
        ));
    }
    if let Some(id) = identity.logo_id
        && media.get(&id) != Some(&MediaKind::Image)
    {
        return Err(error(
            format!("{id_at}.logo_id"),
            format!("media {id} is not an image on this site in the file"),
        ));
    }
    if let Some(id) = identity.privacy_page_id
        && !pages.ids.contains(&id)
    {
        return Err(error(
            format!("{id_at}.privacy_page_id"),
            format!("page {id} is not on this site in the file"),
        ));
    }
    let front = &settings.front_page;
    let front_at = format!("{at}.front_page");
    editors_rules(
        &front_at,
        FrontPage::new(front.lead_news_id, &front.shortcuts),
    )?;
    if let Some(id) = front.lead_news_id
        && !news.contains(&id)
    {
        return Err(error(
            format!("{front_at}.lead_news_id"),
            format!("article {id} is not on this site in the file"),
        ));
    }
    references(&front_at, "shortcuts", &front.shortcuts, &pages.ids, "page")?;
    Ok(())
}

/// Gives pages and settings the normal form an editor's save gives them
/// (on `today`, the day the file was written).
pub(super) fn normalize(site: &mut ExportSite, today: jiff::civil::Date) {
    for p in &mut site.pages {
        if let Ok(content) = p.content.clone().validated(p.parent_id.is_none()) {
            p.content = content;
        }
        for r in &mut p.revisions {
            if let Ok(content) = r.content.clone().validated(false) {
                r.content = content;
            }
        }
    }
    if let Some(settings) = &mut site.settings
        && let Ok(identity) = identity_rules(&settings.identity, today)
    {
        settings.identity = identity;
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{minimal, read};
    use serde_json::{Value, json};

    fn page(id: i64, parent: Option<i64>, position: i64, slug: &str) -> Value {
        let content = json!({"slug": slug, "title": format!("Side {slug}"), "lead": null,
            "body": "Tekst", "status": "published", "publish_at": "2026-02-01T08:00:00Z",
            "unpublish_at": null, "contact_ids": [4]});
        json!({"id": id, "parent_id": parent, "position": position, "content": content,
            "deleted_at": null, "version": 1, "created_by": 1, "updated_by": null,
            "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z",
            "revisions": [{"id": id * 10, "version": 1, "user_id": 1,
                           "created_at": "2026-02-01T08:00:00Z", "content": content}]})
    }

    /// The minimal file with a small tree, an old address and settings.
    fn with_pages() -> Value {
        let mut value = minimal();
        let site = &mut value["sites"][0];
        site["pages"] = json!([
            page(1, None, 0, "borger"),
            page(2, Some(1), 0, "affald"),
            page(3, Some(2), 0, "storskrald"),
            page(4, None, 1, "politik"),
        ]);
        site["old_paths"] = json!([{"path": "/borger/skrald", "page_id": 2, "news_id": null,
            "created_at": "2026-03-01T08:00:00Z"}]);
        site["settings"] = json!({
            "identity": {"name": "Kommunen", "logo_id": null, "brand_color": "#1a4d7a",
                "address": "Torvet 1\n8500 Byen", "phone": "+4589591000", "email": null,
                "cvr": null, "ean": null, "opening_hours": null, "privacy_page_id": 4,
                "social_links": [], "menu_news": false, "menu_directory": true,
                "statement": {"url": "https://www.was.digst.dk/kommunen", "reviewed": "2026-11-27"}},
            "front_page": {"lead_news_id": 7, "shortcuts": [3, 1]},
            "updated_at": "2026-03-01T08:00:00Z"});
        value
    }

    #[test]
    fn pages_old_addresses_and_settings_read_and_write_back_the_same() {
        let export = read(&with_pages()).unwrap();
        assert_eq!(serde_json::to_value(&export).unwrap(), with_pages());
        assert_eq!(export.counts().pages, 4);
        let paths = super::page_paths(&export.sites[0].pages).unwrap();
        assert_eq!(
            paths,
            [
                "/borger",
                "/borger/affald",
                "/borger/affald/storskrald",
                "/politik"
            ]
        );
    }

    #[test]
    fn a_bad_tree_or_reference_is_named_by_its_place() {
        type Change = fn(&mut Value);
        let cases: [(&str, Change); 15] = [
            ("sites[0].pages[0].parent_id", |v| {
                v["sites"][0]["pages"][0]["parent_id"] = 3.into();
            }),
            ("sites[0].pages[1].parent_id", |v| {
                v["sites"][0]["pages"][1]["parent_id"] = 99.into();
            }),
            ("sites[0].pages[3].content.slug", |v| {
                v["sites"][0]["pages"][3]["content"]["slug"] = "borger".into();
            }),
            ("sites[0].pages[3].position", |v| {
                v["sites"][0]["pages"][3]["position"] = 0.into();
            }),
            ("sites[0].pages[3].content.slug", |v| {
                v["sites"][0]["pages"][3]["content"]["slug"] = "nyheder".into();
            }),
            ("sites[0].pages[2].content.contact_ids[0]", |v| {
                v["sites"][0]["pages"][2]["content"]["contact_ids"] = json!([5]);
            }),
            ("sites[0].pages[2].revisions[0].user_id", |v| {
                v["sites"][0]["pages"][2]["revisions"][0]["user_id"] = 9.into();
            }),
            ("sites[0].pages[1].id", |v| {
                v["sites"][0]["pages"][1]["id"] = 1.into();
            }),
            ("sites[0].old_paths[0].path", |v| {
                v["sites"][0]["old_paths"][0]["path"] = "borger skrald".into();
            }),
            ("sites[0].old_paths[0]", |v| {
                v["sites"][0]["old_paths"][0]["news_id"] = 7.into();
            }),
            ("sites[0].settings.identity.brand_color", |v| {
                v["sites"][0]["settings"]["identity"]["brand_color"] = "#ffff00".into();
            }),
            ("sites[0].settings.identity.statement_url", |v| {
                v["sites"][0]["settings"]["identity"]["statement"]["url"] = "was.example".into();
            }),
            // Reviewed after the file was written (2026-11-27).
            ("sites[0].settings.identity.statement_reviewed", |v| {
                v["sites"][0]["settings"]["identity"]["statement"]["reviewed"] =
                    "2026-11-28".into();
            }),
            ("sites[0].settings.identity.privacy_page_id", |v| {
                v["sites"][0]["settings"]["identity"]["privacy_page_id"] = 8.into();
            }),
            ("sites[0].settings.front_page.shortcuts[1]", |v| {
                v["sites"][0]["settings"]["front_page"]["shortcuts"] = json!([3, 3]);
            }),
        ];
        for (place, change) in cases {
            let mut value = with_pages();
            change(&mut value);
            let err = read(&value).unwrap_err();
            assert_eq!(err.place, place, "{err}");
        }
    }

    #[test]
    fn a_page_in_the_bin_keeps_no_address_from_a_live_one() {
        let mut value = with_pages();
        let pages = &mut value["sites"][0]["pages"];
        pages[3]["content"]["slug"] = "borger".into();
        pages[3]["deleted_at"] = "2026-04-01T08:00:00Z".into();
        assert!(read(&value).is_ok());
        // But a live page is not under one in the bin.
        let mut value = with_pages();
        value["sites"][0]["pages"][0]["deleted_at"] = "2026-04-01T08:00:00Z".into();
        let err = read(&value).unwrap_err();
        assert_eq!(err.place, "sites[0].pages[1].parent_id", "{err}");
    }
}
