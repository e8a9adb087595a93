//! `/admin/ny-adgangskode/{token}`: where a user follows the one-time link
//! an administrator made and chooses a new password. Nobody is signed in
//! here: the link's secret token is what authorises the form (it is sent
//! back with it), so no other site can submit it.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use raadhus_usecases::Error;

use super::session::FormFields;
use crate::render::Meta;
use crate::{AppState, WebError};

const BASE: &str = "/admin/ny-adgangskode";

/// The path of the reset page for `token`.
pub fn path(token: &str) -> String {
    format!("{BASE}/{token}")
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route(
        &format!("{BASE}/{{token}}"),
        axum::routing::get(form).post(submit),
    )
}

const EXPIRED: &str = "Linket virker ikke længere: det er brugt, udløbet eller erstattet af et nyere link. Bed en administrator om et nyt.";

async fn page(
    state: &AppState,
    status: StatusCode,
    ctx: minijinja::Value,
) -> Result<Response, WebError> {
    let html: Html<String> = state
        .render_page(
            "admin/password_reset.html",
            Meta::untitled("Ny adgangskode"),
            ctx,
        )
        .await?;
    // The address holds the secret: no page it leads to learns it.
    let no_referrer = [(header::REFERRER_POLICY, "no-referrer")];
    Ok((status, no_referrer, html).into_response())
}

async fn form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let digest = raadhus_domain::secret::token_digest(&token);
    match state
        .store()
        .password_reset_user(&digest, state.now())
        .await?
    {
        Some(user) => page(
            &state,
            StatusCode::OK,
            context! { action => path(&token), name => user.name, email => user.email.as_str() },
        )
        .await,
        None => page(&state, StatusCode::GONE, context! { gone => EXPIRED }).await,
    }
}

async fn submit(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let fields = FormFields::parse(&body)?;
    let (password, again) = (fields.get("password"), fields.get("password_again"));
    let error = if password != again {
        Some("De to adgangskoder er ikke ens. Skriv den samme i begge felter.".to_string())
    } else {
        match state.usecases().reset_password(&token, password).await {
            Ok(_) => return page(&state, StatusCode::OK, context! { done => true }).await,
            Err(Error::NotFound) => {
                return page(&state, StatusCode::GONE, context! { gone => EXPIRED }).await;
            }
            Err(Error::Invalid(errors)) => errors.for_field("password").map(str::to_string),
            Err(e) => return Err(e.into()),
        }
    };
    let digest = raadhus_domain::secret::token_digest(&token);
    let user = state
        .store()
        .password_reset_user(&digest, state.now())
        .await?;
    let Some(user) = user else {
        return page(&state, StatusCode::GONE, context! { gone => EXPIRED }).await;
    };
    let ctx =
        context! { action => path(&token), name => user.name, email => user.email.as_str(), error };
    page(&state, StatusCode::UNPROCESSABLE_ENTITY, ctx).await
}
