//! `/admin/medier/utilgaengelige`: the documents in use that fail the
//! accessibility check, which checks they fail and where they are used,
//! written so that it can go into the accessibility statement's
//! "ikke-tilgængeligt indhold".

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::media::type_label;
use serde::Serialize;

use super::{SECTION, edit_url};
use crate::admin::session::SignedIn;
use crate::{AppState, WebError};

#[derive(Serialize)]
struct Row {
    title: String,
    type_label: &'static str,
    url: String,
    edit_url: String,
    problems: Vec<&'static str>,
    uses: Vec<(String, String)>,
}

/// How many documents in use fail a check (for the dashboard).
pub(in crate::admin) async fn count(state: &AppState) -> Result<usize, WebError> {
    Ok(state
        .store()
        .inaccessible_documents(state.site().id)
        .await?
        .len())
}

pub async fn page(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    let rows: Vec<Row> = state
        .store()
        .inaccessible_documents(state.site().id)
        .await?
        .into_iter()
        .map(|(m, uses)| Row {
            title: m.details.title.clone(),
            type_label: type_label(&m.mime),
            url: m.url(),
            edit_url: edit_url(m.id),
            problems: m.accessibility.map(|c| c.problems()).unwrap_or_default(),
            uses: uses
                .into_iter()
                .map(|u| (u.title, super::user_editor(u.of).0))
                .collect(),
        })
        .collect();
    let ctx = context! { admin_section => SECTION, rows => Serde(rows) };
    state
        .render_admin(
            "admin/media_inaccessible.html",
            "Utilgængelige dokumenter",
            &who,
            ctx,
        )
        .await
}
