//! `/admin/brugere`: users and API tokens, for administrators.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::{Role, SiteId, User, UserInput, ValidationErrors, date};
use raadhus_usecases::{Actor, Error};
use serde::Serialize;

use super::notice::Done;
use super::session::{AdminForm, SignedIn};
use crate::{AppState, WebError};

pub(super) const SECTION: &str = "/admin/brugere";

#[derive(Serialize)]
struct UserRow {
    id: i64,
    name: String,
    email: String,
    /// Their role on the main site; none for those who work on subsites only.
    role: Option<&'static str>,
    role_value: &'static str,
    /// Their roles on subsites: "skolen.kommune.dk (Redaktør)".
    subsites: Vec<String>,
    disabled: bool,
    is_me: bool,
}

/// A subsite to choose in a form.
#[derive(Serialize)]
pub(super) struct SiteChoice {
    pub id: i64,
    pub host: String,
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
    values: [String; 4],
    new_token: Option<String>,
    notice: Option<String>,
    /// A password reset link just made: for whom, the link, until when.
    reset_link: Option<(String, String, String)>,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    extra: Extra,
) -> Result<Response, WebError> {
    who.require_main_admin(state)?;
    let store = state.store();
    let (users, tokens) = (store.users().await?, store.api_tokens().await?);
    let (mut access, subsites) = (store.all_access().await?, store.subsites().await?);
    let host = |site: SiteId| {
        subsites
            .iter()
            .find(|s| s.site.id == site)
            .map_or_else(String::new, |s| s.host.to_string())
    };
    let users: Vec<UserRow> = users
        .into_iter()
        .map(|u| {
            let access = access.remove(&u.id).unwrap_or_default();
            UserRow {
                id: u.id,
                is_me: u.id == who.user.id,
                name: u.name,
                email: u.email.to_string(),
                role: access.main.map(Role::label),
                role_value: u.role.as_str(),
                subsites: access
                    .subsites
                    .iter()
                    .map(|(site, role)| format!("{} ({})", host(*site), role.label()))
                    .collect(),
                disabled: u.disabled,
            }
        })
        .collect();
    let sites: Vec<SiteChoice> = subsites
        .iter()
        .map(|s| SiteChoice {
            id: s.site.id.0,
            host: s.host.to_string(),
        })
        .collect();
    let tokens: Vec<TokenRow> = tokens
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            user: t.user_email,
            created: date::admin_datetime(t.created_at),
            last_used: t
                .last_used_at
                .map_or_else(|| "Aldrig".into(), date::admin_datetime),
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
        sites => Serde(sites),
        tokens => Serde(tokens),
        errors => Serde(errors),
        email => &extra.values[0],
        name => &extra.values[1],
        role => &extra.values[2],
        site => &extra.values[3],
        new_token => extra.new_token,
        notice => extra.notice,
        reset_link => extra.reset_link.map(|(name, url, expires)| context! { name, url, expires }),
    };
    let html: Html<String> = state
        .render_admin("admin/users.html", "Brugere og API-nøgler", who, ctx)
        .await?;
    Ok((status, html).into_response())
}

/// The administrator of the main site who sent `form`; nobody else may.
pub(super) fn administrator(state: &AppState, form: &AdminForm) -> Result<Actor, WebError> {
    form.who.require_main_admin(state)?;
    Ok(Actor::editor(form.who.user.id))
}

/// What the page says after an action (`?udfoert=`).
fn done_notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "oprettet" => "Brugeren er oprettet.",
        "spaerret" => {
            "Brugeren er spærret og logget ud overalt. Brugerens API-nøgler er tilbagekaldt."
        }
        "aktiveret" => "Spærringen er ophævet: brugeren kan logge ind igen.",
        "rolle" => "Rollen er gemt.",
        "adgang" => "Adgangen til webstederne er gemt.",
        "tilbagekaldt" => "Nøglen er tilbagekaldt.",
        _ => return None,
    })
}

pub async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    done: Result<Query<Done>, QueryRejection>,
) -> Result<Response, WebError> {
    let notice = Done::what(done)
        .and_then(|d| done_notice(&d))
        .map(str::to_string);
    let extra = Extra {
        notice,
        ..Extra::default()
    };
    page(&state, &who, StatusCode::OK, extra).await
}

/// Back to the list, saying what was done.
pub(super) fn done(what: &str) -> Response {
    Redirect::to(&format!("{SECTION}?udfoert={what}")).into_response()
}

/// The user `id`, for an administrator's page about them.
pub(super) async fn target(state: &AppState, who: &SignedIn, id: i64) -> Result<User, WebError> {
    who.require_main_admin(state)?;
    state.store().user(id).await?.ok_or(WebError::NotFound)
}

/// Asks before blocking a user (the button on the list leads here).
pub async fn confirm_disable(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let user = target(&state, &who, id).await?;
    let ctx = context! {
        admin_section => SECTION,
        heading => format!("Spær {}?", user.name),
        text => format!(
            "{} ({}) bliver logget ud med det samme og kan ikke logge ind, før en administrator ophæver spærringen. Brugerens API-nøgler bliver tilbagekaldt.",
            user.name, user.email
        ),
        action => format!("{SECTION}/{id}/spaer"),
        button => format!("Ja, spær {}", user.name),
        back_url => SECTION,
    };
    state
        .render_admin(
            "admin/confirm.html",
            &format!("Spær {}", user.name),
            &who,
            ctx,
        )
        .await
}

pub async fn create(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    let by = administrator(&state, &form)?;
    let f = &form.fields;
    let values = [
        f.get("email").to_string(),
        f.get("name").to_string(),
        f.get("role").to_string(),
        f.get("site").to_string(),
    ];
    // The main site, or one subsite to begin with (more on the user's page).
    let subsites: Vec<SiteId> = match f.get("site") {
        "" => Vec::new(),
        id => match id.parse() {
            Ok(id) => vec![SiteId(id)],
            Err(_) => {
                let error = ValidationErrors::one("site", "Vælg et websted på listen.");
                return refused(&state, &form.who, error, values).await;
            }
        },
    };
    let created = match UserInput::new(f.get("email"), f.get("name"), f.get("role")) {
        Ok(input) => {
            state
                .usecases()
                .create_user(&by, &input, f.get("password"), &subsites)
                .await
        }
        Err(errors) => Err(Error::Invalid(errors)),
    };
    let errors = match created {
        Ok(_) => return Ok(done("oprettet")),
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
    values: [String; 4],
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
    let by = administrator(&state, &form)?;
    match state.usecases().disable_user(&by, id).await {
        Ok(_) => Ok(done("spaerret")),
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
    let by = administrator(&state, &form)?;
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
                notice: Some("Nøglen er oprettet. Kopiér den nu: den vises ikke igen.".into()),
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
    let by = administrator(&state, &form)?;
    state.usecases().revoke_token(&by, id).await?;
    Ok(done("tilbagekaldt"))
}

pub async fn enable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&state, &form)?;
    state.usecases().enable_user(&by, id).await?;
    Ok(done("aktiveret"))
}

pub async fn set_role(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&state, &form)?;
    let role =
        Role::parse(form.fields.get("role")).map_err(|e| WebError::BadRequest(e.to_string()))?;
    match state.usecases().set_role(&by, id, role).await {
        Ok(_) => Ok(done("rolle")),
        Err(Error::OwnAccount) => Err(WebError::Forbidden(
            "Du kan ikke ændre din egen rolle. Bed en anden administrator om det.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Makes a one-time link for the user to choose a new password, and shows
/// it to the administrator to pass on.
pub async fn reset_link(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    form: AdminForm,
) -> Result<Response, WebError> {
    let by = administrator(&state, &form)?;
    let user = target(&state, &form.who, id).await?;
    let (token, expires) = match state.usecases().create_reset_link(&by, id).await {
        Ok(made) => made,
        Err(Error::Disabled) => {
            return Err(WebError::Conflict(
                "Brugeren er spærret. Ophæv spærringen, før du laver et link til ny adgangskode."
                    .into(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let url = state.urls().absolute(&super::password_reset::path(&token));
    let extra = Extra {
        notice: Some(format!(
            "Linket til ny adgangskode for {} er lavet. Giv det til brugeren på en sikker måde: det vises ikke igen, virker én gang og udløber {}.",
            user.name,
            date::admin_datetime(expires)
        )),
        reset_link: Some((user.name, url, date::admin_datetime(expires))),
        ..Extra::default()
    };
    page(&state, &form.who, StatusCode::OK, extra).await
}
