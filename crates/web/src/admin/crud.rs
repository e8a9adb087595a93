//! One admin for every plain kind of record (contact persons, topics,
//! directory websites): a list, a form for a new one and for each existing
//! one, and a delete, all built from the same two templates. A kind plugs in
//! with an [`Editable`] impl (in `records.rs`) saying what its pages show and
//! how its form is read; saving and deleting are the use cases'.

use std::future::Future;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::ValidationErrors;
use raadhus_usecases::{Actor, Error, Record};
use serde::{Deserialize, Serialize};

use super::session::{AdminForm, FormFields, SignedIn};
use crate::{AppState, WebError};

/// One field of a form.
#[derive(Serialize)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    label: &'static str,
    /// An `<input type>`, or "textarea", "checkbox", "checkboxes".
    kind: &'static str,
    value: String,
    pub(crate) error: Option<String>,
    hint: Option<&'static str>,
    required: bool,
    pub(crate) options: Vec<Choice>,
}

/// One box of a "checkboxes" field.
#[derive(Serialize)]
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
}

/// A field named `name` showing `values`' value of that name.
pub(crate) fn field(
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    values: &FormFields,
) -> Field {
    Field {
        name,
        label,
        kind,
        value: values.get(name).to_string(),
        error: None,
        hint: None,
        required: false,
        options: Vec::new(),
    }
}

impl Field {
    pub(crate) fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub(crate) fn required(mut self) -> Self {
        self.required = true;
        self
    }
}

/// What the pages of a kind are called.
pub(crate) struct Kind {
    /// e.g. "/admin/kontaktpersoner"
    pub(crate) base: &'static str,
    pub(crate) plural: &'static str,
    pub(crate) intro: &'static str,
    pub(crate) columns: &'static [&'static str],
    pub(crate) new_label: &'static str,
    /// Heading of the form for a new one, and of one that failed to save.
    pub(crate) new_heading: &'static str,
    pub(crate) edit_heading: &'static str,
    pub(crate) delete_label: &'static str,
    /// What the page that asks before deleting one says.
    pub(crate) delete_warning: &'static str,
}

/// A kind of record the admin edits.
pub(crate) trait Editable: Record {
    const KIND: Kind;
    /// What the list and the form need besides the records (the topics of
    /// the websites' form, say).
    type Context: Send + Sync;

    fn context(state: &AppState) -> impl Future<Output = Result<Self::Context, WebError>> + Send;
    /// The list's cells for one record.
    fn cells(&self, cx: &Self::Context) -> Vec<String>;
    /// The form, showing `values`.
    fn fields(values: &FormFields, cx: &Self::Context) -> Vec<Field>;
    /// A new one's form.
    fn defaults() -> FormFields {
        FormFields::default()
    }
    /// An existing one's form values.
    fn values(&self) -> FormFields;
    /// Reads the submitted form.
    fn read(form: &FormFields) -> Result<Self::Input, ValidationErrors>;
    /// Why deleting it was refused: `used_by` still refer to it.
    fn in_use(&self, used_by: &[String]) -> String;
    /// A refusal of the use case that belongs on a field of the form.
    fn refusal(_e: &Error) -> Option<(&'static str, String)> {
        None
    }
}

const INVALID: &str = "Ikke gemt. Ret fejlene herunder og gem igen.";

/// The routes of a kind under its base path.
/// The form for a new item of a section with a plain list (redirects,
/// best bets): `fields` showing `errors`, posted to `{section}/ny`.
pub(crate) async fn render_new_form(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    (section, heading): (&str, &str),
    mut fields: Vec<Field>,
    errors: Option<&ValidationErrors>,
) -> Result<Response, WebError> {
    if let Some(errors) = errors {
        for f in &mut fields {
            f.error = errors.for_field(f.name).map(str::to_string);
        }
    }
    let ctx = context! {
        admin_section => section,
        heading => heading,
        action => format!("{section}/ny"),
        back_url => section,
        fields => Serde(fields),
        message => errors.map(|_| "Ikke gemt. Ret fejlene herunder og gem igen."),
        notice => None::<&str>,
        delete_action => None::<&str>,
    };
    let html = state
        .render_admin("admin/entity_form.html", heading, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

pub(crate) fn routes<R: Editable>() -> Router<AppState> {
    let base = R::KIND.base;
    Router::new()
        .route(base, get(list::<R>))
        .route(&format!("{base}/ny"), get(new_form::<R>).post(create::<R>))
        .route(
            &format!("{base}/{{id}}"),
            get(edit_form::<R>).post(update::<R>),
        )
        .route(
            &format!("{base}/{{id}}/slet"),
            get(confirm_delete::<R>).post(delete::<R>),
        )
}

#[derive(Deserialize)]
pub struct Notice {
    gemt: Option<String>,
    slettet: Option<String>,
}

impl Notice {
    fn text(&self) -> Option<&'static str> {
        match (&self.gemt, &self.slettet) {
            (Some(_), _) => Some("Ændringerne er gemt."),
            (_, Some(_)) => Some("Slettet."),
            _ => None,
        }
    }
}

#[derive(Serialize)]
struct ListRow {
    cells: Vec<String>,
    edit_url: String,
}

async fn list<R: Editable>(
    State(state): State<AppState>,
    who: SignedIn,
    notice: Query<Notice>,
) -> Result<Response, WebError> {
    render_list::<R>(&state, &who, StatusCode::OK, notice.text(), None).await
}

async fn render_list<R: Editable>(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    notice: Option<&str>,
    message: Option<String>,
) -> Result<Response, WebError> {
    let kind = &R::KIND;
    let cx = R::context(state).await?;
    let rows: Vec<ListRow> = R::list(state.store(), state.site().id)
        .await?
        .iter()
        .map(|r| ListRow {
            cells: r.cells(&cx),
            edit_url: format!("{}/{}", kind.base, r.id()),
        })
        .collect();
    let ctx = context! {
        admin_section => kind.base,
        heading => kind.plural,
        intro => kind.intro,
        new_url => format!("{}/ny", kind.base),
        new_label => kind.new_label,
        columns => Serde(kind.columns),
        rows => Serde(rows),
        empty_text => "Der er ingen endnu.",
        notice,
        message,
    };
    let html = state
        .render_admin("admin/entity_list.html", kind.plural, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

/// A form page: for a new one (`id` None) or an existing one.
async fn render_form<R: Editable>(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    id: Option<i64>,
    heading: &str,
    values: &FormFields,
    errors: Option<&ValidationErrors>,
) -> Result<Response, WebError> {
    let kind = &R::KIND;
    let cx = R::context(state).await?;
    let mut fields = R::fields(values, &cx);
    if let Some(errors) = errors {
        for f in &mut fields {
            f.error = errors.for_field(f.name).map(str::to_string);
        }
    }
    let action = id.map_or_else(
        || format!("{}/ny", kind.base),
        |id| format!("{}/{id}", kind.base),
    );
    let ctx = context! {
        admin_section => kind.base,
        heading,
        action,
        back_url => kind.base,
        fields => Serde(fields),
        message => errors.map(|_| INVALID),
        notice => None::<&str>,
        delete_action => id.map(|id| format!("{}/{id}/slet", kind.base)),
        delete_label => kind.delete_label,
    };
    let html = state
        .render_admin("admin/entity_form.html", heading, who, ctx)
        .await?;
    Ok((status, html).into_response())
}

async fn new_form<R: Editable>(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Response, WebError> {
    let heading = R::KIND.new_heading;
    render_form::<R>(
        &state,
        &who,
        StatusCode::OK,
        None,
        heading,
        &R::defaults(),
        None,
    )
    .await
}

async fn edit_form<R: Editable>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let record = R::get(state.store(), state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let values = record.values();
    render_form::<R>(
        &state,
        &who,
        StatusCode::OK,
        Some(id),
        record.name(),
        &values,
        None,
    )
    .await
}

async fn create<R: Editable>(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save::<R>(state, form, None).await
}

async fn update<R: Editable>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    save::<R>(state, form, Some(id)).await
}

async fn save<R: Editable>(
    state: AppState,
    form: AdminForm,
    id: Option<i64>,
) -> Result<Response, WebError> {
    let (site, by) = (state.site().id, Actor::editor(form.who.user.id));
    if let Some(id) = id {
        R::get(state.store(), site, id)
            .await?
            .ok_or(WebError::NotFound)?;
    }
    let saved = match R::read(&form.fields) {
        Ok(input) => match id {
            Some(id) => state.usecases().update::<R>(site, &by, id, &input).await,
            None => state.usecases().create::<R>(site, &by, &input).await,
        },
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let errors = match saved {
        Ok(_) => {
            return Ok(Redirect::to(&format!("{}?gemt=1", R::KIND.base)).into_response());
        }
        Err(Error::Invalid(errors)) => errors,
        Err(e) => match R::refusal(&e) {
            Some((field, message)) => ValidationErrors::one(field, message),
            None => return Err(e.into()),
        },
    };
    let heading = if id.is_some() {
        R::KIND.edit_heading
    } else {
        R::KIND.new_heading
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_form::<R>(
        &state,
        &form.who,
        status,
        id,
        heading,
        &form.fields,
        Some(&errors),
    )
    .await
}

/// Asks before deleting one (the form's delete button leads here).
async fn confirm_delete<R: Editable>(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let kind = &R::KIND;
    let record = R::get(state.store(), state.site().id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let heading = format!("{} »{}«?", kind.delete_label, record.name());
    let ctx = context! {
        admin_section => kind.base,
        heading => &heading,
        text => kind.delete_warning,
        action => format!("{}/{id}/slet", kind.base),
        button => format!("Ja, {}", kind.delete_label.to_lowercase()),
        back_url => format!("{}/{id}", kind.base),
    };
    let html = state
        .render_admin("admin/confirm.html", &heading, &who, ctx)
        .await?;
    Ok(html.into_response())
}

async fn delete<R: Editable>(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let site = state.site().id;
    let by = Actor::editor(form.who.user.id);
    match state.usecases().delete::<R>(site, &by, id).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?slettet=1", R::KIND.base)).into_response()),
        Err(Error::InUse(used_by)) => {
            let record = R::get(state.store(), site, id)
                .await?
                .ok_or(WebError::NotFound)?;
            let message = record.in_use(&used_by);
            render_list::<R>(&state, &form.who, StatusCode::CONFLICT, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Reads an optional whole number (a sort order): blank is 0.
pub(crate) fn sort_order(form: &FormFields, errors: &mut ValidationErrors) -> i64 {
    match form.get("sort_order").trim() {
        "" => 0,
        raw => raw.parse().unwrap_or_else(|_| {
            errors.add("sort_order", "Skriv rækkefølgen som et helt tal, fx 10.");
            0
        }),
    }
}
