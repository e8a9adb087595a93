//! Content pages at their paths (`/borger/affald-og-genbrug/storskrald`, any
//! depth): breadcrumbs through their ancestors, side navigation with their
//! siblings and subpages, and the subpages listed with their leads
//! ("Undersider"). An address a page had answers 301 to where it is now;
//! any other address a redirect an editor made, or not found.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::{Html, IntoResponse, Response};
use jiff::Timestamp;
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::Visibility;
use raadhus_domain::page::{PageNode, WebPage, is_page_path};
use serde::Serialize;

use crate::breadcrumbs::{Breadcrumbs, Crumb};
use crate::cache::{Cacheable, Tag};
use crate::figures::LeadImage;
use crate::render::Meta;
use crate::views::Contact;
use crate::{AppState, WebError};

/// A page as a link in navigation or a list.
#[derive(Serialize)]
struct Link {
    title: String,
    path: String,
    lead: Option<String>,
    current: bool,
}

fn links(nodes: &[PageNode], current: i64) -> Vec<Link> {
    nodes
        .iter()
        .map(|n| Link {
            title: n.title.clone(),
            path: n.path.clone(),
            lead: n.lead.clone(),
            current: n.id == current,
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
) -> Result<Response, WebError> {
    let path = uri.path();
    if !(method == Method::GET || method == Method::HEAD) {
        return Err(WebError::NotFound);
    }
    if !is_page_path(path) {
        return super::moved::elsewhere(&state, &uri).await;
    }
    let (site, now) = (state.site().id, state.now());
    let Some(page) = state.store().public_page(site, path, now).await? else {
        return super::moved::elsewhere(&state, &uri).await;
    };
    let store = state.store();
    let lineage = store.page_lineage(site, page.id).await?;
    let siblings = store.page_children(site, page.parent_id).await?;
    let children = store.page_children(site, Some(page.id)).await?;
    let expires = next_change(&page, siblings.iter().chain(&children), now);
    let place = Place {
        lineage,
        siblings: public(siblings, now, None),
        children: public(children, now, None),
    };
    let mut tags: Vec<Tag> = vec![Tag::PageTree];
    tags.extend(
        place
            .lineage
            .iter()
            .chain(&place.siblings)
            .chain(&place.children)
            .map(|n| Tag::Page(n.id)),
    );
    tags.extend(page.contacts.iter().map(|c| Tag::Contact(c.id)));
    let html = render(&state, &page, &place, false).await?;
    Ok((Cacheable { tags, expires }, html).into_response())
}

/// An editor's preview of `page` as the public would see it, not saved (a
/// new page has id 0): under `ancestors` (the top-level one first), among
/// its public siblings at its position, with its public subpages. Marked as
/// a preview, with no canonical address and no structured data.
pub(crate) async fn render_preview(
    state: &AppState,
    page: &WebPage,
    ancestors: Vec<PageNode>,
) -> Result<Html<String>, WebError> {
    let (site, now) = (state.site().id, state.now());
    let store = state.store();
    let node = page.node();
    let mut siblings = store.page_children(site, page.parent_id).await?;
    siblings.retain(|n| n.id != page.id);
    let at = usize::try_from(page.position).map_or(0, |p| p.min(siblings.len()));
    siblings.insert(at, node.clone());
    let children = match page.id {
        0 => Vec::new(),
        id => store.page_children(site, Some(id)).await?,
    };
    let mut lineage = ancestors;
    lineage.push(node);
    let place = Place {
        lineage,
        siblings: public(siblings, now, Some(page.id)),
        children: public(children, now, None),
    };
    render(state, page, &place, true).await
}

/// Where a page is shown: its ancestors and itself (the top-level one
/// first), and the siblings (itself among them) and subpages the public sees.
struct Place {
    lineage: Vec<PageNode>,
    siblings: Vec<PageNode>,
    children: Vec<PageNode>,
}

/// The pages of `nodes` the public sees at `now`, and page `also` if named.
fn public(nodes: Vec<PageNode>, now: Timestamp, also: Option<i64>) -> Vec<PageNode> {
    nodes
        .into_iter()
        .filter(|n| n.visibility(now) == Visibility::Public || Some(n.id) == also)
        .collect()
}

/// The first moment after `now` when what the page shows changes by itself:
/// its own unpublish time, or a sibling's or subpage's publish or unpublish
/// time.
fn next_change<'a>(
    page: &WebPage,
    nodes: impl Iterator<Item = &'a PageNode>,
    now: Timestamp,
) -> Option<Timestamp> {
    nodes
        .flat_map(|n| [n.publish_at, n.unpublish_at])
        .chain([page.content.unpublish_at])
        .flatten()
        .filter(|&t| t > now)
        .min()
}

/// The page at its `place`; a `preview` is marked as one and has no
/// canonical address and no structured data.
async fn render(
    state: &AppState,
    page: &WebPage,
    place: &Place,
    preview: bool,
) -> Result<Html<String>, WebError> {
    let body_html = state
        .stored_or_rendered(page.body_html.as_deref(), &page.content.body)
        .await?;
    let image = match page.content.image_id {
        Some(id) => state.store().media(state.site().id, id).await?,
        None => None,
    };
    let image = image.as_ref().and_then(LeadImage::new);
    let ancestors = place
        .lineage
        .iter()
        .filter(|n| n.id != page.id)
        .map(|n| Crumb::new(&n.title, &n.path));
    let crumbs = Breadcrumbs::new(ancestors, Crumb::new(&page.content.title, &page.path));
    let structured =
        (!preview).then(|| crate::views::structured_data(vec![crumbs.json_ld(state.urls())]));
    let contacts: Vec<Contact> = page.contacts.iter().map(Contact::from).collect();
    let ctx = context! {
        page => context! {
            title => page.content.title.clone(),
            lead => page.content.lead.clone(),
            contacts => Value::from(Serde(&contacts)),
        },
        image => image.as_ref().map(LeadImage::value),
        body_html => Value::from_safe_string(body_html),
        breadcrumbs => crumbs.value(),
        structured_data => structured.map(Value::from_safe_string),
        siblings => Value::from(Serde(links(&place.siblings, page.id))),
        children => Value::from(Serde(links(&place.children, page.id))),
        preview => preview.then_some("siden"),
        feedback_path => (!preview).then(|| page.path.clone()),
    };
    let section = place.lineage.first().map_or("", |n| n.path.as_str());
    let description = state
        .description(page.content.lead.as_deref(), &page.content.body)
        .await?;
    let meta = Meta {
        current: section,
        title: Some(&page.content.title),
        description: description.as_deref(),
        canonical_path: (!preview).then_some(page.path.as_str()),
    };
    state.render_page("page.html", meta, ctx).await
}
