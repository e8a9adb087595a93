//! Content pages at their paths (`/borger/affald-og-genbrug/storskrald`, any
//! depth): breadcrumbs through their ancestors, side navigation with their
//! siblings and subpages, and the subpages listed with their leads
//! ("Undersider"). An address a page had answers 301 to where it is now.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::page::{PageNode, WebPage};
use raadhus_domain::{Slug, Visibility};
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

/// Whether `path` can be a page's: `/` and slugs, at least one.
fn is_page_path(path: &str) -> bool {
    path.strip_prefix('/')
        .is_some_and(|rest| rest.split('/').all(|s| Slug::parse(s).is_ok()))
}

pub async fn show(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
) -> Result<Response, WebError> {
    let path = uri.path();
    if !(method == Method::GET || method == Method::HEAD) || !is_page_path(path) {
        return Err(WebError::NotFound);
    }
    let (site, now) = (state.site().id, state.now());
    let Some(page) = state.store().public_page(site, path, now).await? else {
        return super::moved::from_old_path(&state, path).await;
    };
    let store = state.store();
    let lineage = store.page_lineage(site, page.id).await?;
    let public = |nodes: Vec<PageNode>| -> Vec<PageNode> {
        nodes
            .into_iter()
            .filter(|n| n.visibility(now) == Visibility::Public)
            .collect()
    };
    let siblings_all = store.page_children(site, page.parent_id).await?;
    let children_all = store.page_children(site, Some(page.id)).await?;
    let expires = next_change(&page, siblings_all.iter().chain(&children_all), now);
    let (siblings, children) = (public(siblings_all), public(children_all));
    let mut tags: Vec<Tag> = vec![Tag::PageTree];
    tags.extend(
        lineage
            .iter()
            .chain(&siblings)
            .chain(&children)
            .map(|n| Tag::Page(n.id)),
    );
    tags.extend(page.contacts.iter().map(|c| Tag::Contact(c.id)));
    let html = render(&state, &page, &lineage, (&siblings, &children)).await?;
    Ok((Cacheable { tags, expires }, html).into_response())
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

async fn render(
    state: &AppState,
    page: &WebPage,
    lineage: &[PageNode],
    (siblings, children): (&[PageNode], &[PageNode]),
) -> Result<axum::response::Html<String>, WebError> {
    let body_html = state
        .stored_or_rendered(page.body_html.as_deref(), &page.content.body)
        .await?;
    let image = match page.content.image_id {
        Some(id) => state.store().media(state.site().id, id).await?,
        None => None,
    };
    let image = image.as_ref().and_then(LeadImage::new);
    let ancestors = lineage
        .iter()
        .filter(|n| n.id != page.id)
        .map(|n| Crumb::new(&n.title, &n.path));
    let crumbs = Breadcrumbs::new(ancestors, Crumb::new(&page.content.title, &page.path));
    let structured = crate::views::structured_data(vec![crumbs.json_ld(state.urls())]);
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
        structured_data => Value::from_safe_string(structured),
        siblings => Value::from(Serde(links(siblings, page.id))),
        children => Value::from(Serde(links(children, page.id))),
    };
    let meta = Meta {
        current: "",
        title: Some(&page.content.title),
        description: page.content.lead.as_deref(),
        canonical_path: Some(&page.path),
    };
    state.render_page("page.html", meta, ctx).await
}

#[cfg(test)]
mod tests {
    use super::is_page_path;

    #[test]
    fn only_paths_of_slugs_are_looked_for() {
        assert!(is_page_path("/borger"));
        assert!(is_page_path("/a/b/c/d/e/f/g"));
        for bad in ["/", "/borger/", "//borger", "/Borger", "/a%20b", "/a.html"] {
            assert!(!is_page_path(bad), "{bad}");
        }
    }
}
