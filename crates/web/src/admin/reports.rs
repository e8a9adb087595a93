//! "Rapporter": what the public site counted (see
//! [`raadhus_domain::counting`]) and what visitors answered, for editors.
//! `/admin/rapporter` lists the reports; each has a page of its own, with
//! the same sub-navigation ("Tilbagemeldinger" lives at its old address).

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::counting::{DEFAULT_REPORT_ROWS, readable_path, report_since};
use raadhus_domain::date;
use raadhus_store::{Owner, Viewed};
use serde::Serialize;

use super::session::SignedIn;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/rapporter";
const NOT_FOUND: &str = "/admin/rapporter/ikke-fundet";
const SEARCHES: &str = "/admin/rapporter/soegninger";
const VIEWS: &str = "/admin/rapporter/visninger";

/// The reports: address, title and what it tells.
const REPORTS: [(&str, &str, &str); 4] = [
    (
        NOT_FOUND,
        "Sider der ikke findes",
        "Adresser på sitet, hvor besøgende ikke fandt noget. Send dem videre med en omdirigering.",
    ),
    (
        SEARCHES,
        "Søgninger uden resultater",
        "Det, besøgende søgte efter uden at finde noget.",
    ),
    (
        VIEWS,
        "Visninger de sidste 30 dage",
        "De sider og nyheder, der bliver set mest.",
    ),
    (
        super::feedback::SECTION,
        "Tilbagemeldinger",
        "Svar på »Fandt du det, du søgte?« under sider og nyheder.",
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SECTION, get(overview))
        .route(NOT_FOUND, get(not_found))
        .route(SEARCHES, get(searches))
        .route(VIEWS, get(views))
}

/// What every report page shows around its table: the section, the
/// reports' sub-navigation with `current` marked, and whether to say that
/// this server does not count.
pub(super) fn frame(state: &AppState, current: &str) -> Value {
    context! {
        admin_section => SECTION,
        reports => Serde(REPORTS),
        report_current => current,
        counting_off => !state.here.counter.is_on() && current != super::feedback::SECTION,
    }
}

/// Renders a report page: `template` with `ctx`, in the report frame.
async fn render(
    state: &AppState,
    who: &SignedIn,
    current: &str,
    template: &str,
    ctx: Value,
) -> Result<Html<String>, WebError> {
    let title = REPORTS
        .iter()
        .find(|r| r.0 == current)
        .map_or("Rapporter", |r| r.1);
    let ctx = context! {
        ..context! { shown => DEFAULT_REPORT_ROWS },
        ..frame(state, current),
        ..ctx
    };
    state.render_admin(template, title, who, ctx).await
}

/// `/admin/rapporter`: the reports.
async fn overview(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    render(&state, &who, SECTION, "admin/reports.html", context! {}).await
}

#[derive(Serialize)]
pub(super) struct Missed {
    /// As people read it.
    text: String,
    /// For an address: the form for a redirect from it; for a search: the
    /// search.
    link: String,
    count: i64,
    when: String,
    at: String,
    redirect: Option<String>,
}

/// `text` as a query string's value.
fn encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn missed(state: &AppState, rows: Vec<raadhus_store::Missed>, paths: bool) -> Vec<Missed> {
    let now = state.now();
    rows.into_iter()
        .map(|r| Missed {
            text: if paths {
                readable_path(&r.key)
            } else {
                r.key.clone()
            },
            when: date::short_datetime(r.last_seen, now),
            at: r.last_seen.to_string(),
            count: r.hits,
            redirect: r.redirect.as_deref().map(readable_path),
            link: if paths {
                format!("{}/ny?fra={}", super::redirects::SECTION, encoded(&r.key))
            } else {
                format!("/soeg?q={}", encoded(&r.key))
            },
        })
        .collect()
}

/// The `limit` addresses most often not found.
pub(super) async fn most_not_found(state: &AppState, limit: u32) -> Result<Vec<Missed>, WebError> {
    let rows = state
        .store()
        .not_found_report(state.site().id, limit)
        .await?;
    Ok(missed(state, rows, true))
}

/// `/admin/rapporter/ikke-fundet`: addresses not found, the most asked for
/// first, each with "Opret omdirigering".
async fn not_found(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    let rows = most_not_found(&state, DEFAULT_REPORT_ROWS).await?;
    let ctx = context! { rows => Serde(rows) };
    render(&state, &who, NOT_FOUND, "admin/report_not_found.html", ctx).await
}

/// `/admin/rapporter/soegninger`: searches without results, the most
/// frequent first.
async fn searches(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    let rows = state
        .store()
        .search_report(state.site().id, DEFAULT_REPORT_ROWS)
        .await?;
    let rows = missed(&state, rows, false);
    let ctx = context! { rows => Serde(rows) };
    render(&state, &who, SEARCHES, "admin/report_searches.html", ctx).await
}

#[derive(Serialize)]
pub(super) struct ViewRow {
    title: Option<String>,
    edit_url: Option<String>,
    path: String,
    text: String,
    views: i64,
}

impl From<Viewed> for ViewRow {
    fn from(v: Viewed) -> Self {
        let (title, edit_url) = match v.content {
            Some((Owner::Page(id), title)) => {
                (Some(title), Some(format!("{}/{id}", super::pages::SECTION)))
            }
            Some((Owner::News(id), title)) => {
                (Some(title), Some(format!("{}/{id}", super::news::SECTION)))
            }
            None => (None, None),
        };
        Self {
            title,
            edit_url,
            text: readable_path(&v.path),
            path: v.path,
            views: v.views,
        }
    }
}

/// The `limit` most viewed paths of the last 30 days.
pub(super) async fn most_viewed(state: &AppState, limit: u32) -> Result<Vec<ViewRow>, WebError> {
    let since = report_since(state.today());
    Ok(state
        .store()
        .views_report(state.site().id, since, limit)
        .await?
        .into_iter()
        .map(ViewRow::from)
        .collect())
}

/// `/admin/rapporter/visninger`: the most viewed pages of the last 30 days.
async fn views(State(state): State<AppState>, who: SignedIn) -> Result<Html<String>, WebError> {
    let rows = most_viewed(&state, DEFAULT_REPORT_ROWS).await?;
    let ctx = context! { rows => Serde(rows) };
    render(&state, &who, VIEWS, "admin/report_views.html", ctx).await
}

/// The views of the last 30 days of the public page at `path`, for its
/// editor.
pub(super) async fn views_of(state: &AppState, path: &str) -> Result<i64, WebError> {
    let since = report_since(state.today());
    Ok(state.store().views_of(state.site().id, path, since).await?)
}
