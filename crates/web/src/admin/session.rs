//! Who is signed in: the session cookie, the `SignedIn` extractor and CSRF-checked
//! admin forms.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use raadhus_domain::User;
use raadhus_domain::secret::{constant_time_eq, token_digest};

use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "raadhus_session";
/// Ties the sign-in form to the browser that loaded it (login CSRF).
pub const LOGIN_COOKIE: &str = "raadhus_login";

/// The name an admin cookie has on this site: with the `__Host-` prefix when
/// the site is served over https, so that no other host (a sibling
/// subdomain, an institution's site) can set it.
fn cookie_name(state: &AppState, name: &str) -> String {
    if state.urls().base().scheme() == "https" {
        format!("__Host-{name}")
    } else {
        name.to_string()
    }
}

/// The value of admin cookie `name` in the request.
pub fn cookie<'a>(state: &AppState, headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let name = cookie_name(state, name);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name.as_str())
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value for an admin cookie: HttpOnly, SameSite=Strict, Secure
/// when the site is served over https. `max_age` 0 deletes the cookie.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_seconds: i64) -> String {
    let secure = if state.urls().base().scheme() == "https" {
        "; Secure"
    } else {
        ""
    };
    let name = cookie_name(state, name);
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}")
}

/// A signed-in editor or administrator.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub csrf_token: String,
    /// Digest of the session token, to end this session.
    pub session_digest: String,
}

impl SignedIn {
    pub fn check_csrf(&self, given: Option<&str>) -> Result<(), WebError> {
        match given {
            Some(token) if constant_time_eq(token, &self.csrf_token) => Ok(()),
            _ => Err(WebError::Forbidden(CSRF_MESSAGE.into())),
        }
    }

    /// An administrator of the main site, there: the installation's users
    /// and sites are managed on the main site only.
    pub fn require_main_admin(&self, state: &AppState) -> Result<(), WebError> {
        self.require_admin()?;
        if state.is_main_site() {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "Brugere og websteder administreres på kommunens hovedwebsted.".into(),
            ))
        }
    }

    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.user.role.may_manage_users() {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "Kun administratorer har adgang til denne side.".into(),
            ))
        }
    }
}

/// Said to a signed-in user on a site they have no role on.
pub const NO_ACCESS: &str = "Du har ikke adgang til at redigere dette websted.";

pub const CSRF_MESSAGE: &str = "Formularen kunne ikke godkendes, fordi den er for gammel eller kom fra en anden side. Gå tilbage, genindlæs siden og prøv igen. Det, du har skrevet, er ikke gemt.";

/// Not signed in: go to the sign-in page, and come back afterwards.
pub struct SignInRequired {
    next: String,
}

impl IntoResponse for SignInRequired {
    fn into_response(self) -> Response {
        let next: String = url::form_urlencoded::byte_serialize(self.next.as_bytes()).collect();
        Redirect::to(&format!("/admin/login?next={next}")).into_response()
    }
}

impl SignedIn {
    /// The editor whose session cookie the request carries, if that session
    /// is still open.
    async fn of(parts: &Parts, state: &AppState) -> Result<Option<Self>, WebError> {
        let Some(token) = cookie(state, &parts.headers, SESSION_COOKIE) else {
            return Ok(None);
        };
        let digest = token_digest(token);
        let Some(session) = state.store().session(&digest, state.now()).await? else {
            return Ok(None);
        };
        let user = state
            .working_here(session.user)
            .await?
            .ok_or_else(|| WebError::Forbidden(NO_ACCESS.into()))?;
        Ok(Some(Self {
            user,
            csrf_token: session.csrf_token,
            session_digest: digest,
        }))
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let next = if parts.method == axum::http::Method::GET {
            parts
                .uri
                .path_and_query()
                .map_or("/admin", |p| p.as_str())
                .to_string()
        } else {
            "/admin".to_string()
        };
        match Self::of(parts, state).await {
            Ok(Some(who)) => Ok(who),
            Ok(None) => Err(SignInRequired { next }.into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A submitted admin form: the fields in order (names may repeat), read after
/// the sender's CSRF token is checked against the session.
pub struct AdminForm {
    pub who: SignedIn,
    pub fields: FormFields,
}

/// Shown when a form arrives in another encoding than UTF-8.
const NOT_UTF8: &str = "Formularen indeholdt tegn, der ikke kunne læses (ikke UTF-8). Kontrollér teksten, og prøv igen.";

#[derive(Debug, Default, Clone)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// Reads an `application/x-www-form-urlencoded` body. Refuses one that
    /// is not UTF-8 once decoded, rather than storing replacement characters.
    pub fn parse(body: &[u8]) -> Result<Self, WebError> {
        fn decode(part: &[u8]) -> Result<String, WebError> {
            let spaced: Vec<u8> = part
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            percent_encoding::percent_decode(&spaced)
                .decode_utf8()
                .map(std::borrow::Cow::into_owned)
                .map_err(|_| WebError::BadRequest(NOT_UTF8.into()))
        }
        body.split(|&b| b == b'&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = match pair.iter().position(|&b| b == b'=') {
                    Some(i) => (&pair[..i], &pair[i + 1..]),
                    None => (pair, &[][..]),
                };
                Ok((decode(name)?, decode(value)?))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    /// These fields and `name` = `value`.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.push((name.to_string(), value.into()));
        self
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every field, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Why an admin form was not taken.
pub enum FormRejection {
    /// No open session: the form's fields, which a handler may keep for the
    /// editor to sign in again (nothing in them is trusted: the CSRF token
    /// they carry belonged to a session that is gone).
    SignedOut(FormFields),
    /// Too large, unreadable, or the CSRF token does not match.
    Refused(Response),
}

impl IntoResponse for FormRejection {
    fn into_response(self) -> Response {
        match self {
            Self::SignedOut(_) => SignInRequired {
                next: "/admin".into(),
            }
            .into_response(),
            Self::Refused(response) => response,
        }
    }
}

impl FromRequest<AppState> for AdminForm {
    type Rejection = FormRejection;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let refused = |e: WebError| FormRejection::Refused(e.into_response());
        let (parts, body) = request.into_parts();
        let who = SignedIn::of(&parts, state).await.map_err(refused)?;
        let bytes = axum::body::to_bytes(body, state.inner.max_body_bytes)
            .await
            .map_err(|_| {
                refused(WebError::PayloadTooLarge(
                    "Formularen er for stor til at blive gemt.".into(),
                ))
            })?;
        let fields = FormFields::parse(&bytes).map_err(refused)?;
        let Some(who) = who else {
            return Err(FormRejection::SignedOut(fields));
        };
        who.check_csrf(Some(fields.get("_csrf"))).map_err(refused)?;
        Ok(Self { who, fields })
    }
}
