//! `/admin/sider`: the editors' tree of content pages, moving pages in it
//! (with forms, or by drag and drop in `page_tree.js` posting the same
//! form), the page editor (`form.rs`), versions and the bin (`history.rs`).

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::page::{PageNode, Placement};
use raadhus_domain::{Visibility, date};
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};

mod form;
mod history;

use super::notice::Notice;
use super::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/sider";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(SECTION, get(tree))
        .route("/admin/sider/ny", get(form::new_form).post(form::create))
        .route("/admin/sider/{id}", get(form::edit_form).post(form::update))
        .route("/admin/sider/{id}/flyt", get(move_form).post(move_page))
        .route("/admin/sider/{id}/slet", post(history::bin))
        .route("/admin/sider/{id}/versioner", get(history::revisions))
        .route(
            "/admin/sider/{id}/versioner/{from}/sammenlign/{to}",
            get(history::compare),
        )
        .route(
            "/admin/sider/{id}/versioner/{revision}/gendan",
            post(history::restore_revision),
        )
        .route(
            "/admin/papirkurv/sider/{id}/gendan",
            post(history::restore_from_bin),
        )
}

/// A page in the admin's tree, with its subpages.
#[derive(Serialize)]
struct Node {
    id: i64,
    title: String,
    path: String,
    status: &'static str,
    status_label: &'static str,
    /// "Udgives …" for a scheduled page, "Afpubliceres …" for a public one
    /// that will be taken down.
    when: Option<String>,
    /// Where the public sees it (only when it and its ancestors are public).
    public_url: Option<String>,
    first: bool,
    last: bool,
    /// 1 at the top.
    depth: usize,
    children: Vec<Node>,
}

/// When a page of status `v` changes status next, as the lists say it.
fn when(
    v: Visibility,
    publish_at: Option<Timestamp>,
    unpublish_at: Option<Timestamp>,
) -> Option<String> {
    match v {
        Visibility::Scheduled => publish_at.map(|t| format!("Udgives {}", date::admin_datetime(t))),
        Visibility::Public => {
            unpublish_at.map(|t| format!("Afpubliceres {}", date::admin_datetime(t)))
        }
        _ => None,
    }
}

/// Builds the nested tree from `nodes` in tree order (each page followed by
/// its subpages).
fn nest(nodes: &[PageNode], now: Timestamp) -> Vec<Node> {
    use std::collections::{HashMap, HashSet};
    let public: HashSet<i64> = raadhus_domain::page::public_only(nodes.to_vec(), now)
        .iter()
        .map(|n| n.id)
        .collect();
    // Each page's subpages, in order, found once (not by reading all pages
    // again for each page: a tree of 10,000 pages would take 100 million).
    let mut below: HashMap<Option<i64>, Vec<&PageNode>> = HashMap::new();
    for n in nodes {
        below.entry(n.parent_id).or_default().push(n);
    }
    fn build(
        below: &HashMap<Option<i64>, Vec<&PageNode>>,
        parent: Option<i64>,
        public: &HashSet<i64>,
        now: Timestamp,
    ) -> Vec<Node> {
        let siblings = below.get(&parent).map_or(&[][..], Vec::as_slice);
        let count = siblings.len();
        siblings
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let v = n.visibility(now);
                Node {
                    id: n.id,
                    title: n.title.clone(),
                    path: n.path.clone(),
                    status: v.as_str(),
                    status_label: v.label(),
                    when: when(v, n.publish_at, n.unpublish_at),
                    public_url: public.contains(&n.id).then(|| n.path.clone()),
                    first: i == 0,
                    last: i + 1 == count,
                    depth: n.depth(),
                    children: build(below, Some(n.id), public, now),
                }
            })
            .collect()
    }
    build(&below, None, &public, now)
}

#[derive(Deserialize)]
pub struct TreeQuery {
    /// A page just moved: its title and new place are told.
    flyttet: Option<i64>,
    /// A page just moved to the bin.
    slettet: Option<i64>,
}

pub async fn tree(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<TreeQuery>, QueryRejection>,
) -> Result<Html<String>, WebError> {
    let query = query.ok().map(|Query(q)| q);
    let site = state.site().id;
    let nodes = state.store().page_tree(site).await?;
    let notice = match query {
        Some(TreeQuery {
            flyttet: Some(id), ..
        }) => nodes.iter().find(|n| n.id == id).map(|n| {
            Notice::text(format!(
                "»{}« er flyttet. Den har nu adressen {}.",
                n.title, n.path
            ))
        }),
        Some(TreeQuery {
            slettet: Some(id), ..
        }) => history::binned_notice(&state, id).await?,
        _ => None,
    };
    let count = nodes.len();
    let ctx = context! {
        admin_section => SECTION,
        notice => Serde(notice),
        tree => Serde(nest(&nodes, state.now())),
        count,
    };
    state
        .render_admin("admin/pages_tree.html", "Sider", &who, ctx)
        .await
}

/// The pages a page may be moved under: all but itself and its subpages,
/// as (id, label indented by depth) in tree order. `moving` none: any page.
pub(super) fn parent_choices(nodes: &[PageNode], moving: Option<i64>) -> Vec<(i64, String)> {
    let mut excluded: std::collections::HashSet<i64> = moving.into_iter().collect();
    nodes
        .iter()
        .filter(|n| {
            let out =
                excluded.contains(&n.id) || n.parent_id.is_some_and(|p| excluded.contains(&p));
            if out {
                excluded.insert(n.id);
            }
            !out
        })
        .map(|n| {
            let indent = "– ".repeat(n.depth().saturating_sub(1));
            (n.id, format!("{indent}{} ({})", n.title, n.path))
        })
        .collect()
}

pub async fn move_form(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    render_move_form(&state, &who, id, StatusCode::OK, None).await
}

async fn render_move_form(
    state: &AppState,
    who: &SignedIn,
    id: i64,
    status: StatusCode,
    error: Option<(&'static str, String)>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let page = state
        .store()
        .page_by_id(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let nodes = state.store().page_tree(site).await?;
    let ctx = context! {
        admin_section => SECTION,
        page => context! {
            id,
            title => page.content.title.clone(),
            path => page.path.clone(),
            parent_id => page.parent_id,
            position => page.position + 1,
        },
        parents => Serde(parent_choices(&nodes, Some(id))),
        errors => Serde(error.iter().map(|(f, m)| (*f, m.clone())).collect::<std::collections::HashMap<_, _>>()),
        error_list => Serde(error.iter().map(|(f, m)| context! { field => *f, message => m.clone() }).collect::<Vec<_>>()),
    };
    let title = format!("Flyt: {}", page.content.title);
    let html = state
        .render_admin("admin/page_move.html", &title, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

/// Reads the parent and the position (1 is first; blank: last) of a form.
pub(super) fn read_placement(
    fields: &super::session::FormFields,
) -> Result<Placement, (&'static str, String)> {
    let parent_id = match fields.get("parent_id").trim() {
        "" => None,
        raw => Some(raw.parse::<i64>().map_err(|_| {
            (
                "parent_id",
                "Vælg den overordnede side på listen.".to_string(),
            )
        })?),
    };
    let position = match fields.get("placering").trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n - 1),
            _ => {
                return Err((
                    "placering",
                    "Skriv placeringen som et tal fra 1 og op, eller lad feltet stå tomt for at lægge siden sidst."
                        .to_string(),
                ));
            }
        },
    };
    Ok(Placement {
        parent_id,
        position,
    })
}

/// Moves a page: one place up or down among its siblings (`retning` = `op`
/// or `ned`), or under the parent and at the position the form names.
pub async fn move_page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let AdminForm { who, fields } = form;
    let site = state.site().id;
    let page = state
        .store()
        .page_by_id(site, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let placement = match fields.get("retning") {
        "op" => Placement {
            parent_id: page.parent_id,
            position: Some((page.position - 1).max(0)),
        },
        "ned" => Placement {
            parent_id: page.parent_id,
            position: Some(page.position + 1),
        },
        _ => match read_placement(&fields) {
            Ok(placement) => placement,
            Err(error) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return render_move_form(&state, &who, id, status, Some(error)).await;
            }
        },
    };
    let by = Actor::editor(who.user.id);
    match state.usecases().move_page(site, &by, id, placement).await {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?flyttet={id}#side-{id}")).into_response()),
        Err(Error::Invalid(errors)) => {
            let error = errors
                .errors()
                .first()
                .map(|e| (e.field, e.message.clone()));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_move_form(&state, &who, id, status, error).await
        }
        // The tree stands in the way (the store says why, in Danish).
        Err(Error::UnknownReference(message)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_move_form(&state, &who, id, status, Some(("parent_id", message))).await
        }
        Err(Error::SlugTaken(slug)) => {
            let message = format!(
                "Der ligger allerede en side med adressen »{slug}« under den valgte side. Vælg en anden side, eller giv siden en anden adresse først."
            );
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_move_form(&state, &who, id, status, Some(("parent_id", message))).await
        }
        Err(e) => Err(e.into()),
    }
}
