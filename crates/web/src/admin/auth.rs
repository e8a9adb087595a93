//! Signing in and out at `/admin/login`.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Serde;
use raadhus_domain::secret::{constant_time_eq, signed_token, token_digest, verify_signed_token};
use raadhus_domain::throttle;
use raadhus_usecases::{Error, SESSION_HOURS};
use serde::Deserialize;

use super::session::{
    AdminForm, CSRF_MESSAGE, FormFields, LOGIN_COOKIE, NO_ACCESS, SESSION_COOKIE, SignedIn, cookie,
    set_cookie,
};
use crate::client::ClientAddress;
use crate::render::Meta;
use crate::{AppState, WebError};

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    ude: Option<String>,
}

/// Only a plain path inside the admin is followed after sign-in: no other
/// site (no open redirect), and nothing but printable ASCII (no line break
/// that would end a header).
fn safe_next(next: &str) -> &str {
    let plain = next.bytes().all(|b| b.is_ascii_graphic()) && !next.contains(['\\', '@']);
    let admin = next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?");
    if plain && admin && !next.contains("//") {
        next
    } else {
        "/admin"
    }
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
    if let Some(token) = cookie(&state, &headers, SESSION_COOKIE)
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
    let page = LoginPage {
        next: safe_next(next),
        notice,
        ..LoginPage::default()
    };
    login_page(&state, &headers, StatusCode::OK, &page).await
}

/// The prefix of a kept field's name in the sign-in form.
const KEPT: &str = "kept.";
pub const KEPT_MESSAGE: &str = "Du blev logget ud – din tekst er bevaret.";

/// A form sent after its session had ended: the sign-in form, which carries
/// what was sent (but its CSRF token and the button pressed) in hidden fields
/// and, once signed in, back to the page that sent it through `next`.
/// Nothing in them is acted on without the editor: see [`submit`].
pub(super) async fn sign_in_again(
    state: &AppState,
    headers: &HeaderMap,
    next: &str,
    sent: &FormFields,
) -> Result<Response, WebError> {
    let kept: Vec<(String, &str)> = sent
        .pairs()
        .filter(|(name, _)| !matches!(*name, "_csrf" | "action"))
        .map(|(name, value)| (format!("{KEPT}{name}"), value))
        .collect();
    let notice = format!("{KEPT_MESSAGE} Log ind igen for at fortsætte, hvor du slap.");
    let page = LoginPage {
        next: safe_next(next),
        notice: Some(&notice),
        kept,
        ..LoginPage::default()
    };
    login_page(state, headers, StatusCode::UNAUTHORIZED, &page).await
}

/// What the sign-in form shows.
#[derive(Default)]
struct LoginPage<'a> {
    next: &'a str,
    email: &'a str,
    error: Option<&'a str>,
    notice: Option<&'a str>,
    /// Fields of a form sent after its session ended, with [`KEPT`] before their names.
    kept: Vec<(String, &'a str)>,
}

/// Renders the sign-in form with the browser's login token (also set as a
/// cookie, for another hour).
async fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    page: &LoginPage<'_>,
) -> Result<Response, WebError> {
    let login_token = login_token(state, headers)?;
    let ctx = context! {
        next => page.next,
        email => page.email,
        error => page.error,
        notice => page.notice,
        kept => Serde(&page.kept),
        login_token => &login_token,
    };
    // The form needs nothing from the database: it is shown while the
    // database is away too (signing in then answers 503).
    let layout = state.layout_or_offline().await;
    let html: Html<String> =
        state.render_with_layout(&layout, "admin/login.html", Meta::untitled("Log ind"), ctx)?;
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

/// The login token the browser already holds, if this site signed it;
/// otherwise a new one. Every sign-in form open in the browser then carries
/// the token of its cookie: loading the form again (in another tab, or a
/// script's request sent to it after the session ended) does not make an
/// open form's token stale. Whoever can read the cookie could submit the
/// form anyway, so keeping it gives nothing away.
fn login_token(state: &AppState, headers: &HeaderMap) -> Result<String, WebError> {
    match cookie(state, headers, LOGIN_COOKIE) {
        Some(token) if verify_signed_token(state.signing_key(), token) => Ok(token.to_string()),
        _ => signed_token(state.signing_key()).map_err(|e| WebError::Internal(e.to_string())),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, WebError> {
    let fields = FormFields::parse(&body)?;
    let next = safe_next(fields.get("next")).to_string();
    let email = fields.get("email").trim().to_string();
    // Login CSRF: the form must come from a page this browser loaded from
    // this site, its token signed with the site's key.
    let sent = fields.get("_login");
    let expected = cookie(&state, &headers, LOGIN_COOKIE).unwrap_or_default();
    let genuine = verify_signed_token(state.signing_key(), sent);
    if !genuine || !constant_time_eq(sent, expected) {
        return Err(WebError::Forbidden(CSRF_MESSAGE.into()));
    }
    let kept: Vec<(String, &str)> = fields
        .pairs()
        .filter(|(name, _)| name.starts_with(KEPT))
        .map(|(name, value)| (name.to_string(), value))
        .collect();
    let signed_in = state
        .usecases()
        .sign_in(&email, fields.get("password"), &client.to_string())
        .await;
    let session = match signed_in {
        Ok(session) if state.working_here(session.user.clone()).await?.is_none() => {
            // Right password, wrong site: no session is left open here.
            end(&state, &token_digest(&session.token)).await?;
            let page = LoginPage {
                next: &next,
                email: &email,
                error: Some(NO_ACCESS),
                notice: None,
                kept,
            };
            return login_page(&state, &headers, StatusCode::FORBIDDEN, &page).await;
        }
        Ok(session) => session,
        Err(e) => {
            let (status, message) = match e {
                Error::Locked(until) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    throttle::locked_message(until, state.now()),
                ),
                Error::WrongCredentials => (
                    StatusCode::UNAUTHORIZED,
                    "Forkert e-mailadresse eller adgangskode. Prøv igen.".to_string(),
                ),
                Error::Disabled => (
                    StatusCode::FORBIDDEN,
                    "Din bruger er spærret. Kontakt en administrator.".to_string(),
                ),
                e => return Err(e.into()),
            };
            let page = LoginPage {
                next: &next,
                email: &email,
                error: Some(&message),
                notice: None,
                kept,
            };
            return login_page(&state, &headers, status, &page).await;
        }
    };
    // A form kept from an ended session is shown again, filled in, with this
    // session's CSRF token: the editor saves it. It is never saved from
    // here, as its own token cannot be checked any more (its session is
    // gone), and a form posted from another site looks just the same.
    let kept: Option<FormFields> = (!kept.is_empty()).then(|| {
        kept.iter()
            .fold(FormFields::default(), |all, (name, value)| {
                all.with(&name[KEPT.len()..], *value)
            })
    });
    let mut response = match kept {
        Some(sent) => {
            let who = SignedIn {
                user: session.user.clone(),
                csrf_token: session.csrf_token.clone(),
                session_digest: token_digest(&session.token),
            };
            super::news::offer_back(&state, &who, &next, &sent).await?
        }
        None => None,
    }
    .unwrap_or_else(|| Redirect::to(&next).into_response());
    let headers = response.headers_mut();
    for value in [
        set_cookie(&state, SESSION_COOKIE, &session.token, SESSION_HOURS * 3600),
        set_cookie(&state, LOGIN_COOKIE, "", 0),
    ] {
        if let Ok(v) = value.parse() {
            headers.append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, form: AdminForm) -> Result<Response, WebError> {
    end(&state, &form.who.session_digest).await?;
    Ok((
        [(
            header::SET_COOKIE,
            set_cookie(&state, SESSION_COOKIE, "", 0),
        )],
        Redirect::to("/admin/login?ude=1"),
    )
        .into_response())
}

/// Ends the session whose token has `digest`.
async fn end(state: &AppState, digest: &str) -> Result<(), WebError> {
    Ok(state.usecases().sign_out(digest).await?)
}
