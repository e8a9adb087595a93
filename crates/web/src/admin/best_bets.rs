//! `/admin/anbefalede-resultater`: best bets ("Anbefalede resultater"),
//! results editors pin for a search phrase. A list by phrase, a form for a
//! new one (`?soegning=` fills in the phrase) and a delete after a question.
//! Saving and deleting are the use cases'.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect as GoTo, Response};
use axum::routing::get;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{BestBetInput, ValidationErrors};
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};

use super::crud::{Field, field};
use super::session::{AdminForm, FormFields, SignedIn};
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/anbefalede-resultater";
const TITLE: &str = "Anbefalede resultater";
const NEW_TITLE: &str = "Nyt anbefalet resultat";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(SECTION, get(list))
        .route(&format!("{SECTION}/ny"), get(new_form).post(create))
        .route(
            &format!("{SECTION}/{{id}}/slet"),
            get(confirm_delete).post(delete),
        )
}

#[derive(Deserialize)]
pub struct ListQuery {
    /// The best bet just made.
    gemt: Option<i64>,
    slettet: Option<String>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    phrase: String,
    title: String,
    target: String,
    /// Where a citizen sees it: the search for its phrase.
    search_url: String,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig adresse.".into()))?;
    let site = state.site().id;
    let bets = state.store().best_bets(site).await?;
    let rows: Vec<Row> = bets
        .iter()
        .map(|b| Row {
            id: b.id,
            phrase: b.phrase.clone(),
            title: b.title.clone(),
            target: b.target.clone(),
            search_url: format!(
                "/soeg?{}",
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("q", &b.phrase)
                    .finish()
            ),
        })
        .collect();
    let notice = match (query.gemt, query.slettet) {
        (Some(id), _) => state.store().best_bet(site, id).await?.map(|b| {
            format!(
                "»{}« anbefales nu øverst, når nogen søger efter »{}«.",
                b.title, b.phrase
            )
        }),
        (None, Some(_)) => Some("Det anbefalede resultat er slettet.".to_string()),
        (None, None) => None,
    };
    let ctx = context! {
        admin_section => SECTION,
        notice,
        rows => Serde(rows),
    };
    let html = state
        .render_admin("admin/best_bets.html", TITLE, &who, ctx)
        .await?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    soegning: Option<String>,
}

/// The form's fields, showing `values`.
fn fields(values: &FormFields) -> Vec<Field> {
    vec![
        field("phrase", "Søgning", "text", values)
            .required()
            .hint("Det, borgerne søger efter, fx affald eller svømmehal. Store og små bogstaver, æ, ø og å og tegnsætning er ligegyldige."),
        field("target", "Resultat", "text", values)
            .required()
            .hint("En sti på dette site, fx /borger/affald-og-genbrug, eller en fuld adresse, der begynder med https://."),
        field("title", "Titel (valgfri)", "text", values).hint(
            "Uden titel vises sidens eller nyhedens titel, eller domænet for en adresse uden for sitet.",
        ),
    ]
}

async fn render_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    values: &FormFields,
    errors: Option<&ValidationErrors>,
) -> Result<Response, WebError> {
    let page = (SECTION, NEW_TITLE);
    super::crud::render_new_form(state, who, status, page, fields(values), errors).await
}

async fn new_form(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<NewQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig adresse.".into()))?;
    let values = FormFields::default().with("phrase", query.soegning.unwrap_or_default());
    render_form(&state, &who, StatusCode::OK, &values, None).await
}

async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    let (site, by) = (state.site().id, Actor::editor(form.who.user.id));
    let values = &form.fields;
    let title = Some(values.get("title")).filter(|t| !t.trim().is_empty());
    let made = match BestBetInput::new(values.get("phrase"), values.get("target"), title) {
        Ok(input) => state.usecases().create_best_bet(site, &by, &input).await,
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let errors = match made {
        Ok(bet) => return Ok(GoTo::to(&format!("{SECTION}?gemt={}", bet.id)).into_response()),
        Err(Error::Invalid(errors) | Error::Conflict(errors)) => errors,
        Err(e) => return Err(e.into()),
    };
    render_form(
        &state,
        &form.who,
        StatusCode::UNPROCESSABLE_ENTITY,
        values,
        Some(&errors),
    )
    .await
}

/// Asks before deleting one.
async fn confirm_delete(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let bet = state
        .store()
        .best_bet(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let heading = format!("Slet det anbefalede resultat for »{}«?", bet.phrase);
    let ctx = context! {
        admin_section => SECTION,
        heading => &heading,
        text => format!(
            "»{}« ({}) vises så ikke længere øverst, når nogen søger efter »{}«.",
            bet.title, bet.target, bet.phrase
        ),
        action => format!("{SECTION}/{id}/slet"),
        button => "Ja, slet det anbefalede resultat",
        back_url => SECTION,
    };
    let html = state
        .render_admin("admin/confirm.html", &heading, &who, ctx)
        .await?;
    Ok(html.into_response())
}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = Actor::editor(form.who.user.id);
    state
        .usecases()
        .delete_best_bet(state.site().id, &by, id)
        .await?;
    Ok(GoTo::to(&format!("{SECTION}?slettet=1")).into_response())
}
