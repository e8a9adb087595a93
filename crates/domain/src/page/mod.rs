//! Content pages in a tree ("Borger › Affald og genbrug › Storskrald"). A
//! page's address is the path of its and its ancestors' slugs; its content
//! is edited, scheduled and kept in revisions like an article's, with the
//! same status and times ([`NewsStatus`], [`Visibility`]).

use jiff::Timestamp;

use crate::contact::ContactPerson;
use crate::news::{ContactChoice, NewsStatus, Visibility, check_publishing, distinct_contacts};
use crate::news::{MAX_LEAD_CHARS, MAX_TITLE_CHARS, normal_body, publish_time};
use crate::slug::Slug;
use crate::urls;
use crate::validation::{ValidationErrors, optional_text, required_text};

/// The content of a page: what an editor writes, what the API and an import
/// file give, what every revision keeps and what the store holds. Where the
/// page sits in the tree is not content (see [`Placement`]). Built only
/// through [`PageContent::new`] (or checked with [`PageContent::validated`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageContent {
    /// The page's own segment of its path; unique among its siblings.
    pub slug: Slug,
    pub title: String,
    /// The "manchet", also shown where the page is listed.
    pub lead: Option<String>,
    /// CommonMark source.
    pub body: String,
    pub status: NewsStatus,
    /// When the page becomes public; `None` for a published page means
    /// "now", fixed by the store when it is saved.
    pub publish_at: Option<Timestamp>,
    pub unpublish_at: Option<Timestamp>,
    /// Contact persons in the order they are shown.
    pub contact_ids: Vec<i64>,
    /// The page's image, a file of the media library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<i64>,
}

/// The raw fields of a page before validation, as a form or a request
/// gives them.
#[derive(Debug, Clone, Default)]
pub struct PageForm<'a> {
    pub title: &'a str,
    pub slug: Option<&'a str>,
    pub lead: Option<&'a str>,
    pub body: &'a str,
    /// "draft", "scheduled" or "published".
    pub status: &'a str,
    pub publish_at: Option<Timestamp>,
    pub unpublish_at: Option<Timestamp>,
    pub contact_ids: Vec<i64>,
    pub image_id: Option<i64>,
    /// The page is (or goes) at the top of the tree, where a typed slug may
    /// not be one of the application's own first segments.
    pub top_level: bool,
}

impl PageContent {
    /// The names of its fields, as forms and files call them.
    pub const FIELDS: [&'static str; 9] = [
        "slug",
        "title",
        "lead",
        "body",
        "status",
        "publish_at",
        "unpublish_at",
        "contact_ids",
        "image_id",
    ];

    /// Validates a page, naming every field that is wrong. Without a slug,
    /// one is made from the title (the store keeps it clear of its siblings'
    /// and of the reserved segments); a draft keeps no publish time.
    pub fn new(form: PageForm<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = errors.check(
            "title",
            required_text(form.title, MAX_TITLE_CHARS, "en overskrift"),
        );
        let slug = Slug::typed_or_from_title(form.slug, title.as_deref(), "side", &mut errors);
        let typed = form.slug.is_some_and(|s| !s.trim().is_empty());
        if let Some(slug) = &slug
            && typed
            && form.top_level
            && let Err(message) = check_top_level(slug)
        {
            errors.add("slug", message);
        }
        let lead = errors.check("lead", optional_text(form.lead, MAX_LEAD_CHARS));
        let body = errors.check("body", normal_body(form.body));
        let publish_at = publish_time(form.status, form.publish_at);
        let status = check_publishing(
            form.status,
            publish_at,
            form.unpublish_at,
            "Vælg, hvornår siden skal udgives.",
            &mut errors,
        );
        let contact_ids = distinct_contacts(form.contact_ids, &mut errors);
        match (title, slug, lead, body, status) {
            (Some(title), Some(slug), Some(lead), Some(body), Some(status))
                if errors.is_empty() =>
            {
                Ok(Self {
                    slug,
                    title,
                    lead,
                    body,
                    status,
                    publish_at,
                    unpublish_at: form.unpublish_at,
                    contact_ids,
                    image_id: form.image_id,
                })
            }
            _ => Err(errors),
        }
    }

    /// Applies the editors' rules to content that arrived already typed (an
    /// import file, a restored revision): the same checks and normal form
    /// as [`PageContent::new`].
    pub fn validated(self, top_level: bool) -> Result<Self, ValidationErrors> {
        Self::new(PageForm {
            title: &self.title,
            slug: Some(self.slug.as_str()),
            lead: self.lead.as_deref(),
            body: &self.body,
            status: self.status.as_str(),
            publish_at: self.publish_at,
            unpublish_at: self.unpublish_at,
            contact_ids: self.contact_ids.clone(),
            image_id: self.image_id,
            top_level,
        })
    }

    pub fn visibility(&self, now: Timestamp) -> Visibility {
        Visibility::of(self.status, self.publish_at, self.unpublish_at, now)
    }
}

/// Why `slug` cannot be a top-level page's: it is one of the application's
/// own first segments ([`urls::RESERVED`]).
pub fn check_top_level(slug: &Slug) -> Result<(), String> {
    if urls::is_reserved(slug.as_str()) {
        Err(format!(
            "Adressen /{slug} bruges af hjemmesiden selv. Vælg en anden adresse til siden, eller læg den under en anden side."
        ))
    } else {
        Ok(())
    }
}

/// Whether `path` can be a page's: `/` and slugs, at least one.
pub fn is_page_path(path: &str) -> bool {
    path.strip_prefix('/')
        .is_some_and(|rest| rest.split('/').all(|s| Slug::parse(s).is_ok()))
}

/// The path of a page whose parent has path `parent` (none: top level).
pub fn child_path(parent: Option<&str>, slug: &Slug) -> String {
    format!("{}/{slug}", parent.unwrap_or(""))
}

/// Where a page goes in the tree: under `parent_id` (none: the top level),
/// at `position` among its siblings (0 is first; none or past the end: last).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Placement {
    pub parent_id: Option<i64>,
    pub position: Option<i64>,
}

/// A page as an editor or the API saves it: its content and its contact
/// persons in the order shown, some of which may be new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageDraft {
    /// `contact_ids` holds the existing contact persons of `contacts`, in order.
    pub content: PageContent,
    pub contacts: Vec<ContactChoice>,
    /// The slug was given, not made from the title: a new page gets it
    /// exactly, or is refused when a sibling has it.
    pub slug_typed: bool,
}

impl PageDraft {
    /// Validates the page with the existing contact persons of `contacts`
    /// (the form's own `contact_ids` are replaced).
    pub fn new(form: PageForm<'_>, contacts: Vec<ContactChoice>) -> Result<Self, ValidationErrors> {
        let contact_ids = ContactChoice::existing(&contacts);
        let slug_typed = form.slug.is_some_and(|s| !s.trim().is_empty());
        let content = PageContent::new(PageForm {
            contact_ids,
            ..form
        })?;
        Ok(Self {
            content,
            contacts,
            slug_typed,
        })
    }

    /// Content to save again as it is (a restored revision, an import),
    /// contact persons unchanged.
    pub fn unchanged(content: PageContent) -> Self {
        let contacts = ContactChoice::all_existing(&content.contact_ids);
        Self {
            content,
            contacts,
            slug_typed: true,
        }
    }
}

/// A stored page: where it is, its content, its contact persons (those of
/// `content.contact_ids`, in that order) and its bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebPage {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// Its place among its siblings, from 0.
    pub position: i64,
    /// Its address on the site: `/borger/affald-og-genbrug`.
    pub path: String,
    pub content: PageContent,
    pub contacts: Vec<ContactPerson>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Grows by one with every save of its content; a save must name the
    /// version it started from. Moving a page does not change it.
    pub version: i64,
    /// The body as HTML, rendered when this version was saved; `None` when
    /// there is none of this version by this renderer: then render it.
    pub body_html: Option<String>,
}

impl WebPage {
    pub fn visibility(&self, now: Timestamp) -> Visibility {
        self.content.visibility(now)
    }

    /// The page as the tree lists it.
    pub fn node(&self) -> PageNode {
        let c = &self.content;
        PageNode {
            id: self.id,
            parent_id: self.parent_id,
            position: self.position,
            path: self.path.clone(),
            title: c.title.clone(),
            lead: c.lead.clone(),
            status: c.status,
            publish_at: c.publish_at,
            unpublish_at: c.unpublish_at,
            image_id: c.image_id,
            updated_at: self.updated_at,
            version: self.version,
        }
    }
}

/// A page as the tree lists it: enough to show it in menus, the admin's
/// tree, side navigation and lists of subpages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNode {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub position: i64,
    pub path: String,
    pub title: String,
    pub lead: Option<String>,
    pub status: NewsStatus,
    pub publish_at: Option<Timestamp>,
    pub unpublish_at: Option<Timestamp>,
    pub image_id: Option<i64>,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl PageNode {
    pub fn visibility(&self, now: Timestamp) -> Visibility {
        Visibility::of(self.status, self.publish_at, self.unpublish_at, now)
    }

    /// How deep it is: 1 for a top-level page.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

/// Orders `nodes` as the tree reads from the top: each page followed by its
/// subpages, siblings by position. Pages whose parent is not among `nodes`
/// are left out (their branch is not shown).
pub fn tree_order(nodes: Vec<PageNode>) -> Vec<PageNode> {
    let mut children: std::collections::HashMap<Option<i64>, Vec<PageNode>> =
        std::collections::HashMap::new();
    for node in nodes {
        children.entry(node.parent_id).or_default().push(node);
    }
    for siblings in children.values_mut() {
        siblings.sort_by_key(|n| (n.position, n.id));
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<PageNode> = children.remove(&None).unwrap_or_default();
    stack.reverse();
    while let Some(node) = stack.pop() {
        if let Some(mut below) = children.remove(&Some(node.id)) {
            below.reverse();
            stack.extend(below);
        }
        ordered.push(node);
    }
    ordered
}

/// The pages the public sees at `now` among `nodes` (in tree order, as
/// [`tree_order`] gives them): those public themselves whose ancestors are
/// all public too.
pub fn public_only(nodes: Vec<PageNode>, now: Timestamp) -> Vec<PageNode> {
    let mut shown = std::collections::HashSet::new();
    nodes
        .into_iter()
        .filter(|n| {
            let visible = n.visibility(now) == Visibility::Public
                && n.parent_id.is_none_or(|p| shown.contains(&p));
            if visible {
                shown.insert(n.id);
            }
            visible
        })
        .collect()
}

/// The ids of the pages of `nodes` (in tree order, as [`tree_order`] gives
/// them) in the branches of `roots`: each root among them and every page
/// below it.
pub fn branches(
    nodes: &[PageNode],
    roots: &std::collections::BTreeSet<i64>,
) -> std::collections::BTreeSet<i64> {
    let mut found = std::collections::BTreeSet::new();
    for n in nodes {
        if roots.contains(&n.id) || n.parent_id.is_some_and(|p| found.contains(&p)) {
            found.insert(n.id);
        }
    }
    found
}

#[cfg(test)]
mod tests;
