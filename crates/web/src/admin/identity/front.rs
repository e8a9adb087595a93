//! `/admin/forside`: how the front page is composed: the lead story (a
//! published article shown first and large) and up to 8 shortcuts
//! ("Genveje") to pages. The latest news and the directory follow by
//! themselves.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::settings::MAX_SHORTCUTS;
use raadhus_domain::{FrontPage, ValidationErrors, Visibility};
use raadhus_store::{NewsFilter, Page};
use raadhus_usecases::{Actor, Error};
use serde::Deserialize;

use super::{Choice, Field, chosen_id, place_errors};
use crate::admin::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

pub(in crate::admin) const SECTION: &str = "/admin/forside";

/// How many published articles the lead story's list offers.
const LEAD_CHOICES: u32 = 100;

#[derive(Deserialize)]
pub struct Done {
    gemt: Option<String>,
}

pub async fn front_form(
    State(state): State<AppState>,
    who: SignedIn,
    done: Result<Query<Done>, QueryRejection>,
) -> Result<Response, WebError> {
    who.require_admin()?;
    let front = state.store().front_page(state.site().id).await?;
    let notice = done
        .ok()
        .and_then(|Query(d)| d.gemt)
        .map(|_| "Forsiden er gemt.");
    let lead = front
        .lead_news_id
        .map(|id| id.to_string())
        .unwrap_or_default();
    let shortcuts = front.shortcuts.iter().map(i64::to_string).collect();
    page(
        &state,
        &who,
        StatusCode::OK,
        lead,
        shortcuts,
        &ValidationErrors::new(),
        notice,
    )
    .await
}

pub async fn save_front(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    form.who.require_admin()?;
    let lead = form.fields.get("lead_news_id").to_string();
    let shortcuts: Vec<String> = form
        .fields
        .all("shortcut")
        .into_iter()
        .map(str::to_string)
        .collect();
    let mut errors = ValidationErrors::new();
    let lead_id = chosen_id(&mut errors, "lead_news_id", &lead);
    let ids: Vec<i64> = shortcuts
        .iter()
        .filter_map(|s| chosen_id(&mut errors, "shortcuts", s))
        .collect();
    let by = Actor::editor(form.who.user.id);
    let result = match errors.and(FrontPage::new(lead_id, &ids)) {
        Ok(front) => {
            state
                .usecases()
                .save_front_page(state.site().id, &by, front)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?gemt=1")).into_response()),
        Err(Error::Invalid(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&state, &form.who, status, lead, shortcuts, &errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    lead: String,
    mut shortcuts: Vec<String>,
    errors: &ValidationErrors,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let filter = NewsFilter {
        visibility: Some(Visibility::Public),
        ..NewsFilter::default()
    };
    let (rows, _) = state
        .store()
        .news_rows(
            site,
            &filter,
            state.now(),
            Page {
                number: 1,
                size: LEAD_CHOICES,
            },
        )
        .await?;
    let articles = rows
        .iter()
        .map(|r| Choice {
            value: r.summary.id.to_string(),
            label: format!(
                "{} ({})",
                r.summary.title,
                raadhus_domain::date::numeric(r.summary.news_date)
            ),
        })
        .collect();
    let mut fields = vec![
        Field::new("lead_news_id", "Forsidehistorie", "select", &lead)
            .hint("En udgivet nyhed, der vises øverst på forsiden med billede og manchet. Ingen: forsiden begynder med genvejene.")
            .options("Ingen forsidehistorie", articles),
    ];
    shortcuts.resize(MAX_SHORTCUTS.max(shortcuts.len()), String::new());
    let pages = super::page_choices(state).await?;
    fields.extend(shortcuts.iter().enumerate().map(|(i, value)| {
        Field {
            id: format!("shortcut-{}", i + 1),
            ..Field::new("shortcut", &format!("Genvej {}", i + 1), "select", value)
        }
        .options("Ingen", pages.clone())
    }));
    place_errors(&mut fields, errors, &[("shortcuts", "shortcut-1")]);
    let ctx = context! {
        admin_section => SECTION,
        heading => "Forside",
        action => SECTION,
        notice => notice,
        message => (!errors.is_empty()).then_some("Forsiden er ikke gemt. Ret fejlene herunder, og gem igen."),
        fields => Serde(fields),
    };
    let html: Html<String> = state
        .render_admin("admin/front_page.html", "Forside", who, ctx)
        .await?;
    Ok((status, html).into_response())
}
