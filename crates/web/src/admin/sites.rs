//! `/admin/websteder`: the subsites (institutions' websites on this
//! installation), for administrators of the main site: listed with their
//! addresses, and a new one made from a form.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{SubsiteInput, ValidationErrors};
use raadhus_usecases::{Actor, Error};
use serde::Serialize;

use super::notice::Done;
use super::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/websteder";

/// The form's fields, in order.
const FIELDS: [&str; 4] = ["name", "host", "topic", "base_url"];

#[derive(Serialize)]
struct SiteRow {
    name: String,
    host: String,
    url: String,
    topic: Option<String>,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    errors: ValidationErrors,
    values: [String; 4],
    notice: Option<&str>,
) -> Result<Response, WebError> {
    who.require_main_admin(state)?;
    let store = state.store();
    let topics = store.topics(state.site().id).await?;
    let sites: Vec<SiteRow> = store
        .subsites()
        .await?
        .into_iter()
        .map(|s| SiteRow {
            name: s.site.name,
            host: s.host.to_string(),
            url: s.base_url.to_string(),
            topic: s
                .topic_id
                .and_then(|id| topics.iter().find(|t| t.id == id))
                .map(|t| t.name.clone()),
        })
        .collect();
    let errors: std::collections::HashMap<&str, &str> = errors
        .errors()
        .iter()
        .map(|e| (e.field, e.message.as_str()))
        .collect();
    let [name, host, topic, base_url] = values;
    let ctx = context! {
        admin_section => SECTION,
        sites => Serde(sites),
        topics => topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        errors => Serde(errors),
        name, host, topic, base_url,
        notice,
    };
    let html: Html<String> = state
        .render_admin("admin/sites.html", "Websteder", who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    done: Result<Query<Done>, QueryRejection>,
) -> Result<Response, WebError> {
    let notice = Done::what(done)
        .filter(|d| d == "oprettet")
        .map(|_| "Webstedet er oprettet med siderne »Om os« og »Kontakt«. Det svarer på sin adresse med det samme.");
    page(
        &state,
        &who,
        StatusCode::OK,
        ValidationErrors::new(),
        Default::default(),
        notice,
    )
    .await
}

pub async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    form.who.require_main_admin(&state)?;
    let f = &form.fields;
    let values = FIELDS.map(|name| f.get(name).to_string());
    let [name, host, topic, base_url] = &values;
    let made = match SubsiteInput::parse(name, host, Some(base_url), Some(topic)) {
        Ok(input) => {
            state
                .usecases()
                .add_subsite(state.site().id, &Actor::editor(form.who.user.id), input)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    match made {
        Ok(_) => Ok(Redirect::to(&format!("{SECTION}?udfoert=oprettet")).into_response()),
        Err(Error::Invalid(errors)) => {
            page(
                &state,
                &form.who,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                values,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
