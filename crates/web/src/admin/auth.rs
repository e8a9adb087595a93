//! Signing in and out at `/admin/login`.

use std::net::SocketAddr;

use axum::extract::rejection::QueryRejection;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use minijinja::context;
use raadhus_domain::secret::{
    constant_time_eq, random_token, token_digest, verify_nothing, verify_password,
};
use raadhus_domain::throttle::{self, PER_ACCOUNT, PER_ADDRESS};
use raadhus_store::Audit;
use serde::Deserialize;

use super::session::{
    AdminForm, CSRF_MESSAGE, FormFields, LOGIN_COOKIE, SESSION_COOKIE, SESSION_HOURS, SignedIn,
    cookie, set_cookie,
};
use crate::render::Meta;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    ude: Option<String>,
}

/// Only paths inside the admin are followed after sign-in: no open redirect.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with("/admin") && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { "/admin" }
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<LoginQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let query = query.ok().map(|Query(q)| q);
    let next = query
        .as_ref()
        .and_then(|q| q.next.as_deref())
        .unwrap_or("/admin");
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && state
            .store()
            .session(&token_digest(token), state.now())
            .await?
            .is_some()
    {
        return Ok(Redirect::to(safe_next(next)).into_response());
    }
    let notice = query
        .as_ref()
        .and_then(|q| q.ude.as_ref())
        .map(|_| "Du er logget ud.");
    login_page(&state, StatusCode::OK, safe_next(next), "", None, notice)
}

/// Renders the sign-in form with a fresh login token (also set as a cookie).
fn login_page(
    state: &AppState,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
    notice: Option<&str>,
) -> Result<Response, WebError> {
    let login_token = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let ctx = context! { next, email, error, notice, login_token => &login_token };
    let html: Html<String> =
        state.render_page("admin/login.html", Meta::untitled("Log ind"), ctx)?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            set_cookie(state, LOGIN_COOKIE, &login_token, 3600),
        )],
        html,
    )
        .into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let fields = FormFields::parse(&body)?;
    let next = safe_next(fields.get("next")).to_string();
    let email = fields.get("email").trim().to_string();
    // Login CSRF: the form must come from a page this browser loaded.
    let sent = fields.get("_login");
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if sent.is_empty() || !constant_time_eq(sent, expected) {
        return Err(WebError::Forbidden(CSRF_MESSAGE.into()));
    }
    let now = state.now();
    let store = state.store();
    let account = format!("user:{}", email.to_lowercase());
    let address = format!("ip:{}", peer.ip());
    for (subject, rule) in [(&account, PER_ACCOUNT), (&address, PER_ADDRESS)] {
        let (failures, latest) = store
            .login_failures(subject, rule.window_start(now))
            .await?;
        if let Some(until) = rule.locked_until(failures, latest, now) {
            let message = throttle::locked_message(until, now);
            tracing::warn!(%subject, "sign-in locked");
            return login_page(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &next,
                &email,
                Some(&message),
                None,
            );
        }
    }
    let password = fields.get("password").to_string();
    let found = store.user_by_email(&email).await?;
    let verified = tokio::task::spawn_blocking(move || match found {
        Some((user, hash)) => verify_password(&password, &hash).then_some(user),
        None => {
            verify_nothing(&password);
            None
        }
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let Some(user) = verified else {
        store.record_login_failure(&account, now).await?;
        store.record_login_failure(&address, now).await?;
        tracing::info!(%email, ip = %peer.ip(), "sign-in failed");
        let message = "Forkert e-mailadresse eller adgangskode. Prøv igen.";
        return login_page(
            &state,
            StatusCode::UNAUTHORIZED,
            &next,
            &email,
            Some(message),
            None,
        );
    };
    if user.disabled {
        let message = "Din bruger er spærret. Kontakt en administrator.";
        return login_page(
            &state,
            StatusCode::FORBIDDEN,
            &next,
            &email,
            Some(message),
            None,
        );
    }
    store.clear_login_failures(&account).await?;
    // A new session token every time: a token planted before sign-in is worthless.
    let token = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let csrf = random_token().map_err(|e| WebError::Internal(e.to_string()))?;
    let expires = now
        .checked_add(SignedDuration::from_hours(SESSION_HOURS))
        .map_err(|e| WebError::Internal(e.to_string()))?;
    store
        .create_session(user.id, &token_digest(&token), &csrf, now, expires)
        .await?;
    store
        .audit(
            &Audit {
                site: None,
                user_id: Some(user.id),
                action: "sign-in",
                entity: "user",
                entity_id: Some(user.id),
                summary: &format!("signed in from {}", peer.ip()),
            },
            now,
        )
        .await?;
    let mut response = Redirect::to(&next).into_response();
    let headers = response.headers_mut();
    for value in [
        set_cookie(&state, SESSION_COOKIE, &token, SESSION_HOURS * 3600),
        set_cookie(&state, LOGIN_COOKIE, "", 0),
    ] {
        if let Ok(v) = value.parse() {
            headers.append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    end_session(&state, &form.who).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state, SESSION_COOKIE, "", 0),
        )],
        Redirect::to("/admin/login?ude=1"),
    )
        .into_response())
}

async fn end_session(state: &AppState, who: &SignedIn) -> Result<(), WebError> {
    state.store().delete_session(&who.session_digest).await?;
    Ok(())
}
