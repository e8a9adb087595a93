//! What visitors answered to "Fandt du det, du søgte?": beside each page
//! and article in its editor, and ranked in `/admin/tilbagemeldinger` (one
//! of the reports, see [`super::reports`]). Only
//! signed-in editors see the comments; they are shown as text, never as
//! HTML.

use axum::extract::State;
use axum::response::Html;
use minijinja::value::Serde;
use minijinja::{Value, context};
use raadhus_domain::date;
use raadhus_domain::feedback::{COMMENT_DAYS, FeedbackOn, no_share_label};
use raadhus_store::FeedbackTally;
use serde::Serialize;

use super::session::SignedIn;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/tilbagemeldinger";

#[derive(Serialize)]
struct Comment {
    body: String,
    when: String,
    at: String,
}

fn comments(state: &AppState, tally: &FeedbackTally) -> Vec<Comment> {
    let now = state.now();
    tally
        .comments
        .iter()
        .map(|c| Comment {
            body: c.body.clone(),
            when: date::short_datetime(c.created_at, now),
            at: c.created_at.to_string(),
        })
        .collect()
}

/// The feedback on the page or article `on`, for its editor.
pub(super) async fn beside(state: &AppState, on: FeedbackOn) -> Result<Value, WebError> {
    let tally = state.store().feedback_on(state.site().id, on).await?;
    Ok(context! {
        yes => tally.yes,
        no => tally.no,
        comments => Serde(comments(state, &tally)),
        days => COMMENT_DAYS,
    })
}

#[derive(Serialize)]
struct Row {
    title: String,
    path: String,
    edit_url: String,
    yes: i64,
    no: i64,
    share: String,
    comments: Vec<Comment>,
}

/// `/admin/tilbagemeldinger`: every page and article with feedback, the
/// largest share of "Nej" first.
pub async fn report(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, WebError> {
    let rows: Vec<Row> = state
        .store()
        .feedback_report(state.site().id)
        .await?
        .into_iter()
        .map(|r| Row {
            edit_url: match r.on {
                FeedbackOn::Page(id) => format!("{}/{id}", super::pages::SECTION),
                FeedbackOn::News(id) => format!("{}/{id}", super::news::SECTION),
            },
            share: no_share_label(r.tally.yes, r.tally.no),
            comments: comments(&state, &r.tally),
            title: r.title,
            path: r.path,
            yes: r.tally.yes,
            no: r.tally.no,
        })
        .collect();
    let ctx = context! {
        rows => Serde(rows),
        days => COMMENT_DAYS,
        ..super::reports::frame(&state, SECTION)
    };
    state
        .render_admin("admin/feedback_report.html", "Tilbagemeldinger", &who, ctx)
        .await
}
