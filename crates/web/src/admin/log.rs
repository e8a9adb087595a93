//! `/admin/log`: the audit log in Danish, for administrators: who did what
//! and when, each object linked where it still exists.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::audit::{FROM_CLI, Told, tell};
use raadhus_domain::{AuditEntry, ContactPerson, Topic, Website, date};
use serde::Serialize;

use super::crud::Editable;
use super::session::SignedIn;
use crate::{AppState, WebError};

const SECTION: &str = "/admin/log";
/// How many of the newest lines the page shows.
const LINES: u32 = 500;

#[derive(Serialize)]
struct LogLine {
    when: String,
    /// `2026-12-01T21:10:00Z`, for `<time datetime>`.
    at: String,
    who: String,
    told: Told,
    link: Option<String>,
}

/// Where the admin shows the object a line names, if it still exists.
fn link(e: &AuditEntry) -> Option<String> {
    let id = e.entity_id.filter(|_| e.exists)?;
    let base = match e.entity.as_str() {
        "news" => super::news::SECTION,
        "media" => super::media::SECTION,
        "page" => super::pages::SECTION,
        "contact" => ContactPerson::KIND.base,
        "topic" => Topic::KIND.base,
        "website" => Website::KIND.base,
        "user" => return Some(format!("{}#bruger-{id}", super::users::SECTION)),
        _ => return None,
    };
    Some(format!("{base}/{id}"))
}

/// Who did it: the user, or the operators at the command line, or the
/// system itself (the scheduler).
fn who(e: &AuditEntry) -> String {
    match &e.user_name {
        Some(name) => name.clone(),
        None if e.summary.ends_with(FROM_CLI) => "Driften".into(),
        None => "Systemet".into(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
) -> Result<Html<String>, WebError> {
    signed_in.require_admin()?;
    // The main site's administrators see everything; a subsite's, its own.
    let store = state.store();
    let entries = match state.is_main_site() {
        true => store.audit_log(LINES).await?,
        false => store.site_audit_log(state.site_id(), LINES).await?,
    };
    let lines: Vec<LogLine> = entries
        .iter()
        .map(|e| LogLine {
            when: date::admin_datetime(e.at),
            at: e.at.to_string(),
            who: who(e),
            told: tell(&e.action, &e.entity, &e.summary),
            link: link(e),
        })
        .collect();
    let ctx = context! { admin_section => SECTION, lines => Serde(lines), limit => LINES };
    state
        .render_admin("admin/log.html", "Log", &signed_in, ctx)
        .await
}
