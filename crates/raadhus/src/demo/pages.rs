//! The demo's pages (`demo/pages.toml`): a tree under Borger, Erhverv,
//! Politik and Om kommunen, created through the same use case as an
//! editor's pages, so they are audited, journalled and indexed like them.

use std::collections::HashMap;

use raadhus_domain::news::ContactChoice;
use raadhus_domain::{PageDraft, PageForm, Placement, SiteId};
use raadhus_usecases::{Actor, UseCases};
use serde::Deserialize;

const PAGES_TOML: &str = include_str!("../../demo/pages.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    pages: Vec<DemoPage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPage {
    /// The page's address without the leading slash; its parent's is the
    /// part before the last `/`.
    path: String,
    title: String,
    lead: Option<String>,
    /// Keys of its contact persons (`demo.toml`), in order.
    #[serde(default)]
    contacts: Vec<String>,
    /// Markdown; a `::: kontakt KEY` line names a contact person by key.
    body: String,
}

/// A demo page ready to be created under the page at `parent` (an index
/// into the same list; none: the top level).
pub struct Planned {
    pub path: String,
    pub parent: Option<usize>,
    pub draft: PageDraft,
}

/// The demo's pages in tree order (every parent before its children),
/// validated by the editors' rules, their contact persons' keys replaced by
/// the ids `contact_ids` gives.
pub fn planned(contact_ids: &HashMap<String, i64>) -> Result<Vec<Planned>, String> {
    let file: File = toml::from_str(PAGES_TOML).map_err(|e| format!("demo pages: {e}"))?;
    let contact = |page: &str, key: &str| {
        contact_ids
            .get(key)
            .copied()
            .ok_or_else(|| format!("demo page {page:?} names unknown contact {key:?}"))
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut planned = Vec::with_capacity(file.pages.len());
    for p in file.pages {
        let (parent, slug) = match p.path.rsplit_once('/') {
            Some((parent, slug)) => {
                let parent = index.get(parent).copied().ok_or_else(|| {
                    format!("demo page {:?} comes before its parent page", p.path)
                })?;
                (Some(parent), slug)
            }
            None => (None, p.path.as_str()),
        };
        let body = p
            .body
            .lines()
            .map(|line| match line.strip_prefix("::: kontakt ") {
                Some(key) => contact(&p.path, key.trim()).map(|id| format!("::: kontakt {id}")),
                None => Ok(line.to_string()),
            })
            .collect::<Result<Vec<_>, _>>()?
            .join("\n");
        let contacts = p
            .contacts
            .iter()
            .map(|key| contact(&p.path, key).map(ContactChoice::Existing))
            .collect::<Result<Vec<_>, _>>()?;
        let form = PageForm {
            title: &p.title,
            slug: Some(slug),
            lead: p.lead.as_deref(),
            body: &body,
            status: "published",
            top_level: parent.is_none(),
            ..PageForm::default()
        };
        let draft =
            PageDraft::new(form, contacts).map_err(|e| format!("demo page {:?}: {e}", p.path))?;
        if index.insert(p.path.clone(), planned.len()).is_some() {
            return Err(format!("demo page {:?} is there twice", p.path));
        }
        planned.push(Planned {
            path: format!("/{}", p.path),
            parent,
            draft,
        });
    }
    Ok(planned)
}

/// Creates the demo's pages on `site`, published, with the contact persons
/// `contact_ids` names by key. Gives each page's id by its address
/// (`/borger/affald-og-genbrug`).
pub async fn add(
    usecases: &UseCases,
    site: SiteId,
    contact_ids: &HashMap<String, i64>,
) -> Result<HashMap<String, i64>, String> {
    let by = Actor::cli();
    let mut ids: Vec<i64> = Vec::new();
    let mut by_path = HashMap::new();
    for page in planned(contact_ids)? {
        let placement = Placement {
            parent_id: page.parent.map(|i| ids[i]),
            position: None,
        };
        let created = usecases
            .create_page(site, &by, placement, page.draft)
            .await
            .map_err(|e| format!("demo page {:?}: {e}", page.path))?;
        if created.path != page.path {
            return Err(format!(
                "demo page {:?} was created at {:?}",
                page.path, created.path
            ));
        }
        ids.push(created.id);
        by_path.insert(page.path, created.id);
    }
    Ok(by_path)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    #[test]
    fn the_demo_pages_are_valid_and_make_a_deep_enough_tree() {
        let (_, bundle) = super::super::content(jiff::civil::date(2026, 12, 1)).unwrap();
        let contact_ids: HashMap<String, i64> = (1..)
            .zip(&bundle.contacts)
            .map(|(id, c)| (c.key.clone(), id))
            .collect();
        let pages = super::planned(&contact_ids).unwrap();
        assert!(pages.len() >= 30, "{} pages", pages.len());
        let top: Vec<&str> = pages
            .iter()
            .filter(|p| p.parent.is_none())
            .map(|p| p.draft.content.title.as_str())
            .collect();
        assert_eq!(top, ["Borger", "Erhverv", "Politik", "Om kommunen"]);
        let deepest = pages.iter().map(|p| p.path.matches('/').count()).max();
        assert_eq!(deepest, Some(4));
        for wanted in [
            "/borger/affald-og-genbrug/storskrald",
            "/erhverv/byggeri/byggetilladelse",
            "/politik/byraadet/dagsordener-og-referater",
            "/om-kommunen/kontakt",
            "/om-kommunen/privatlivspolitik",
        ] {
            assert!(pages.iter().any(|p| p.path == wanted), "{wanted}");
        }
        // Pages name their contact persons (listed under the text, or
        // placed in it where a page has no list), never one person twice.
        let in_text = |p: &super::Planned| p.draft.content.body.contains("::: kontakt ");
        let with_contact = pages
            .iter()
            .filter(|p| in_text(p) || !p.draft.contacts.is_empty())
            .count();
        assert!(with_contact >= 5, "{with_contact} pages show a contact");
        assert!(
            pages.iter().any(in_text),
            "no page places a contact in its text"
        );
        for p in &pages {
            let placed = raadhus_domain::markup::contact_refs(&p.draft.content.body);
            assert!(
                !placed
                    .iter()
                    .any(|id| p.draft.content.contact_ids.contains(id)),
                "{} shows a contact person both in its text and in its list",
                p.path
            );
        }
    }
}
