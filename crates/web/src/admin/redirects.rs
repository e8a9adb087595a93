//! `/admin/omdirigeringer`: the redirects editors make from addresses of the
//! site (an old site's, say) to pages here or https addresses. A list
//! (paged, searchable), a form for a new one (`?fra=/sti` fills in the
//! address, as the report of missing pages links to it) and a delete after
//! a question. Saving and deleting are the use cases'.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect as GoTo, Response};
use axum::routing::get;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::paging::{page_count, parse_page_number};
use raadhus_domain::{RedirectInput, ValidationErrors};
use raadhus_store::Page;
use raadhus_usecases::{Actor, Error};
use serde::{Deserialize, Serialize};

use super::crud::{Field, field};
use super::session::{AdminForm, FormFields, SignedIn};
use crate::views::Pages;
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/omdirigeringer";
const TITLE: &str = "Omdirigeringer";
const NEW_TITLE: &str = "Ny omdirigering";
const PER_PAGE: u32 = 50;

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
    q: Option<String>,
    side: Option<String>,
    /// The redirect just made.
    gemt: Option<i64>,
    slettet: Option<String>,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    from: String,
    to: String,
    status: u16,
}

async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let Query(query) = query.map_err(|_| WebError::BadRequest("Ugyldig søgning.".into()))?;
    let number = parse_page_number(query.side.as_deref())
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let search = query.q.unwrap_or_default();
    raadhus_domain::validation::optional_text(Some(&search), 200).map_err(WebError::BadRequest)?;
    let site = state.site().id;
    let page = Page {
        number,
        size: PER_PAGE,
    };
    let (items, total) = state.store().redirects(site, &search, page).await?;
    let rows: Vec<Row> = items
        .iter()
        .map(|r| Row {
            id: r.id,
            from: r.from.clone(),
            to: r.to.clone(),
            status: r.status(),
        })
        .collect();
    let (notice, warnings) = match (query.gemt, query.slettet) {
        (Some(id), _) => match state.store().redirect(site, id).await? {
            Some(r) => (
                Some(format!("Omdirigeringen {} er gemt.", r.name())),
                state.usecases().redirect_warnings(site, &r.from).await?,
            ),
            None => (None, Vec::new()),
        },
        (None, Some(_)) => (Some("Omdirigeringen er slettet.".to_string()), Vec::new()),
        (None, None) => (None, Vec::new()),
    };
    let count = page_count(total, PER_PAGE);
    let url = |n: u32| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("q", &search);
        if n > 1 {
            q.append_pair("side", &n.to_string());
        }
        format!("{SECTION}?{}", q.finish())
    };
    let ctx = context! {
        admin_section => SECTION,
        notice,
        warnings,
        rows => Serde(rows),
        total,
        q => &search,
        pages => Serde(Pages::new(number.min(count), count, url)),
    };
    let html = state
        .render_admin("admin/redirects.html", TITLE, &who, ctx)
        .await?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct NewQuery {
    fra: Option<String>,
}

/// The form's fields, showing `values`.
fn fields(values: &FormFields) -> Vec<Field> {
    vec![
        field("from", "Fra adresse", "text", values)
            .required()
            .hint("En sti på dette site, fx /gammel-side eller /Om-kommunen/Kontakt.aspx."),
        field("to", "Til adresse", "text", values)
            .required()
            .hint("En sti på dette site, fx /borger/affald, eller en fuld adresse, der begynder med https://."),
        field("permanent", "Permanent (301)", "checkbox", values).hint(
            "Fjern fluebenet for en midlertidig omdirigering (302), som søgemaskiner ikke husker.",
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
    let values = FormFields::default()
        .with("from", query.fra.unwrap_or_default())
        .with("permanent", "1");
    render_form(&state, &who, StatusCode::OK, &values, None).await
}

async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    let (site, by) = (state.site().id, Actor::editor(form.who.user.id));
    let values = &form.fields;
    let permanent = !values.get("permanent").is_empty();
    let made = match RedirectInput::new(values.get("from"), values.get("to"), permanent) {
        Ok(input) => state.usecases().create_redirect(site, &by, &input).await,
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let errors = match made {
        Ok(made) => {
            return Ok(GoTo::to(&format!("{SECTION}?gemt={}", made.redirect.id)).into_response());
        }
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
    let redirect = state
        .store()
        .redirect(state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let heading = format!("Slet omdirigeringen fra {}?", redirect.from);
    let ctx = context! {
        admin_section => SECTION,
        heading => &heading,
        text => format!(
            "Adressen {} fører så ikke længere til {}: den svarer »Siden findes ikke«, med mindre en side får adressen.",
            redirect.from, redirect.to
        ),
        action => format!("{SECTION}/{id}/slet"),
        button => "Ja, slet omdirigeringen",
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
        .delete_redirect(state.site().id, &by, id)
        .await?;
    Ok(GoTo::to(&format!("{SECTION}?slettet=1")).into_response())
}
