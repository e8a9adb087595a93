//! `/admin/brugere`: users and API tokens, for administrators.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::secret::{hash_password, random_token, token_digest};
use raadhus_domain::{UserInput, ValidationErrors, date};
use raadhus_store::StoreError;
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
    let users: Vec<UserRow> = state
        .store()
        .users()
        .await?
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
    let tokens: Vec<TokenRow> = state
        .store()
        .api_tokens()
        .await?
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

pub async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Response, WebError> {
    page(&state, &who, StatusCode::OK, Extra::default()).await
}

pub async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    form.who.require_admin()?;
    let f = &form.fields;
    let values = [
        f.get("email").to_string(),
        f.get("name").to_string(),
        f.get("role").to_string(),
    ];
    let mut errors = match UserInput::new(f.get("email"), f.get("name"), f.get("role")) {
        Ok(input) => {
            let password = f.get("password").to_string();
            let hashed = tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| WebError::Internal(e.to_string()))?;
            let mut errors = ValidationErrors::new();
            match hashed {
                Ok(hash) => match state.store().create_user(&input, &hash, state.now()).await {
                    Ok(user) => {
                        state
                            .record(
                                form.who.user.id,
                                "create",
                                "user",
                                user.id,
                                &user.email.to_string(),
                            )
                            .await?;
                        return Ok(Redirect::to(SECTION).into_response());
                    }
                    Err(StoreError::Conflict(_)) => errors.add(
                        "email",
                        "Der findes allerede en bruger med denne e-mailadresse.",
                    ),
                    Err(e) => return Err(e.into()),
                },
                Err(e) => errors.add("password", e.to_string()),
            }
            errors
        }
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add("email", "Brugeren kunne ikke oprettes.");
    }
    let extra = Extra {
        errors,
        values,
        ..Extra::default()
    };
    page(&state, &form.who, StatusCode::UNPROCESSABLE_ENTITY, extra).await
}

pub async fn disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    form.who.require_admin()?;
    if id == form.who.user.id {
        return Err(WebError::Forbidden(
            "Du kan ikke spærre din egen bruger.".into(),
        ));
    }
    let users = state.store().users().await?;
    let user = users
        .iter()
        .find(|u| u.id == id)
        .ok_or(WebError::NotFound)?;
    state.store().disable_user(id, state.now()).await?;
    state
        .record(
            form.who.user.id,
            "disable",
            "user",
            id,
            &user.email.to_string(),
        )
        .await?;
    Ok(Redirect::to(SECTION).into_response())
}

pub async fn create_token(
    State(state): State<AppState>,
    form: AdminForm,
) -> Result<Response, WebError> {
    form.who.require_admin()?;
    let name = form.fields.get("token_name").trim().to_string();
    let users = state.store().users().await?;
    let owner = form
        .fields
        .get("token_user")
        .parse::<i64>()
        .ok()
        .and_then(|id| users.iter().find(|u| u.id == id && !u.disabled));
    let mut errors = ValidationErrors::new();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add(
            "token_name",
            "Skriv, hvad nøglen skal bruges til (højst 100 tegn).",
        );
    }
    let Some(owner) = owner.filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add(
                "token_user",
                "Vælg en aktiv bruger, som nøglen skal handle som.",
            );
        }
        return page(
            &state,
            &form.who,
            StatusCode::UNPROCESSABLE_ENTITY,
            Extra {
                errors,
                ..Extra::default()
            },
        )
        .await;
    };
    let token = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let id = state
        .store()
        .create_api_token(owner.id, &name, &token_digest(&token), state.now())
        .await?;
    state
        .record(
            form.who.user.id,
            "create",
            "token",
            id,
            &format!("{name} for {}", owner.email),
        )
        .await?;
    let extra = Extra {
        new_token: Some(token),
        notice: Some("Nøglen er oprettet. Kopiér den nu: den vises ikke igen."),
        ..Extra::default()
    };
    page(&state, &form.who, StatusCode::OK, extra).await
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    form.who.require_admin()?;
    if !state.store().revoke_api_token(id, state.now()).await? {
        return Err(WebError::NotFound);
    }
    state
        .record(form.who.user.id, "revoke", "token", id, "API token revoked")
        .await?;
    Ok(Redirect::to(SECTION).into_response())
}
