//! `/admin/doede-links`: the links to other sites that the background link
//! checker found broken, each with where it is used (linked to the edit
//! screens), and the health of the directory's websites.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::date;
use raadhus_domain::link_check::{LinkCheck, LinkUse, SourceKind};
use serde::Serialize;

use super::session::SignedIn;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/doede-links";

/// The admin's edit screen of what uses a link.
pub(crate) fn edit_url(kind: SourceKind, id: i64) -> String {
    let section = match kind {
        SourceKind::News => super::news::SECTION,
        SourceKind::Page => super::pages::SECTION,
        SourceKind::Website => super::records::WEBSITES,
    };
    format!("{section}/{id}")
}

/// What editors see of a link's health, by address: "Virker", "Fejl: 404",
/// …; an address missing from it was never checked.
pub(super) async fn health(state: &AppState) -> Result<HashMap<String, String>, WebError> {
    Ok(state
        .store()
        .link_checks(state.site().id)
        .await?
        .iter()
        .map(|c| (c.url.clone(), c.label()))
        .collect())
}

#[derive(Serialize)]
struct Use {
    what: &'static str,
    title: String,
    edit_url: String,
}

#[derive(Serialize)]
struct Row {
    url: String,
    label: String,
    when: String,
    at: String,
    used_in: Vec<Use>,
}

fn row(state: &AppState, check: &LinkCheck, used_in: &[LinkUse]) -> Row {
    Row {
        url: check.url.clone(),
        label: check.label(),
        when: date::short_datetime(check.checked_at, state.now()),
        at: check.checked_at.to_string(),
        used_in: used_in
            .iter()
            .map(|u| Use {
                what: match u.kind {
                    SourceKind::News => "Nyhed",
                    SourceKind::Page => "Side",
                    SourceKind::Website => "Hjemmeside",
                },
                title: u.title.clone(),
                edit_url: edit_url(u.kind, u.id),
            })
            .collect(),
    }
}

/// `/admin/doede-links`.
pub async fn report(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, WebError> {
    let site = state.site().id;
    let broken = state.usecases().broken_links(site, state.urls()).await?;
    let rows: Vec<Row> = broken
        .iter()
        .map(|b| row(&state, &b.check, &b.used_in))
        .collect();
    let last = state.store().last_link_run(site).await?;
    let ctx = context! {
        admin_section => SECTION,
        rows => Serde(rows),
        last_run => last.map(|at| date::short_datetime(at, state.now())),
    };
    state
        .render_admin("admin/dead_links.html", "Døde links", &who, ctx)
        .await
}
