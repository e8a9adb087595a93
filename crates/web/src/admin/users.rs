//! `/admin/brugere`: users and API tokens, for administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{UserInput, ValidationErrors, date};
use raadhus_usecases::{Actor, Error};
use serde::Serialize;

use super::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

const SECTION: &str = "/admin/brugere";

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    role: &'static str,
    disabled: bool,
    is_me: bool,
}

#[derive(Serialize)]
struct TokenRow {
    id: i64,
    name: String,
    user: String,
    created: String,
    last_used: String,
    revoked: bool,
}

/// What the page shows besides the lists.
#[derive(Default)]
struct Extra {
    errors: ValidationErrors,
    values: [String; 3],
    new_token: Option<String>,
    notice: Option<&'static str>,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, WebError> {
    who.require_admin()?;
    let store = state.store();
    let (users, tokens) = (store.users().await?, store.api_tokens().await?);
    let users: Vec<UserRow> = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            is_me: u.id == who.user.id,
            name: u.name,
            email: u.email.to_string(),
            role: u.role.label(),
            disabled: u.disabled,
        })
        .collect();
    let tokens: Vec<TokenRow> = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            user: t.user_email,
            created: date::long_datetime(t.created_at),
            last_used: t
                .last_used_at
                .map_or_else(|| "Aldrig".into(), date::long_datetime),
            revoked: t.revoked,
        })
        .collect();
    let errors: std::collections::HashMap<&str, &str> = extra
        .errors
        .errors()
        .iter()
        .map(|e| (e.field, e.message.as_str()))
        .collect();
    let ctx = context! {
        admin_section => SECTION,
        users => Serde(users),
        tokens => Serde(tokens),
        errors => Serde(errors),
        email => &extra.values[0],
        name => &extra.values[1],
        role => &extra.values[2],
        new_token => extra.new_token,
        notice => extra.notice,
    };
    let html: Html<String> =
        state.render_admin("admin/users.html", "Brugere og API-nøgler", who, ctx)?;
    Ok((status, html).into_response())
}

/// The administrator who sent `form`; other users may not.
fn administrator(form: &AdminForm) -> Result<Actor, WebError> {
    form.who.require_admin()?;
    Ok(Actor::editor(form.who.user.id))
}

pub async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    page(&state, &who, StatusCode::OK, Extra::default()).await
}

pub async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    let by = administrator(&form)?;
    let f = &form.fields;
    let values = [
        f.get("email").to_string(),
        f.get("name").to_string(),
        f.get("role").to_string(),
    ];
    let created = match UserInput::new(f.get("email"), f.get("name"), f.get("role")) {
        Ok(input) => {
            state
                .usecases()
                .create_user(&by, &input, f.get("password"))
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let errors = match created {
        Ok(_) => return Ok(Redirect::to(SECTION).into_response()),
        Err(Error::Invalid(errors)) => errors,
        Err(Error::EmailTaken(_)) => ValidationErrors::one(
            "email",
            "Der findes allerede en bruger med denne e-mailadresse.",
        ),
        Err(e) => return Err(e.into()),
    };
    refused(&state, &form.who, errors, values).await
}

/// The page again, with what was refused and why.
async fn refused(
    state: &AppState,
    who: &SignedIn,
    errors: ValidationErrors,
    values: [String; 3],
) -> Result<Response, WebError> {
    let extra = Extra {
        errors,
        values,
        ..Extra::default()
    };
    page(state, who, StatusCode::UNPROCESSABLE_ENTITY, extra).await
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&form)?;
    match state.usecases().disable_user(&by, id).await {
        Ok(_) => Ok(Redirect::to(SECTION).into_response()),
        Err(Error::OwnAccount) => Err(WebError::Forbidden(
            "Du kan ikke spærre din egen bruger.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn create_token(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&form)?;
    let owner = form.fields.get("token_user").trim().parse::<i64>().ok();
    let name = form.fields.get("token_name");
    let created = match owner {
        Some(owner) => state.usecases().create_token(&by, owner, name).await,
        None => Err(Error::NotFound),
    };
    let errors = match created {
        Ok((_, token)) => {
            let extra = Extra {
                new_token: Some(token),
                notice: Some("Nøglen er oprettet. Kopiér den nu: den vises ikke igen."),
                ..Extra::default()
            };
            return page(&state, &form.who, StatusCode::OK, extra).await;
        }
        Err(Error::Invalid(errors)) => errors,
        Err(Error::NotFound | Error::Disabled) => ValidationErrors::one(
            "token_user",
            "Vælg en aktiv bruger, som nøglen skal handle som.",
        ),
        Err(e) => return Err(e.into()),
    };
    refused(&state, &form.who, errors, Default::default()).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&form)?;
    state.usecases().revoke_token(&by, id).await?;
    Ok(Redirect::to(SECTION).into_response())
}
