//! Errors of request handlers, shown to people as Danish pages.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use raadhus_store::StoreError;

use crate::AppState;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// The request itself is wrong; the message is Danish and shown to the visitor.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Not allowed; the message is Danish.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The change clashes with a newer one; the message is Danish.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    /// The database cannot be reached: `503` with `Retry-After`.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A change could not be stored because the disk is full: `507`.
    #[error("disk full: {0}")]
    DiskFull(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// Seconds a client is asked to wait before trying again when the database
/// is unavailable.
const RETRY_AFTER_SECONDS: u32 = 5;

/// Asks the client to try again in a few seconds (`Retry-After`), on a `503`.
pub(crate) fn retry_later(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, RETRY_AFTER_SECONDS.into());
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => Self::Unavailable(e.to_string()),
            StoreError::DiskFull(_) => Self::DiskFull(e.to_string()),
            e => Self::Internal(e.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> Self {
        Self::Internal(format!("template: {e:#}"))
    }
}

/// Marks a response whose body the error-page middleware renders.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    heading: &'static str,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, page) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, ErrorPage::not_found()),
            Self::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                ErrorPage {
                    heading: "Forkert adresse",
                    message,
                },
            ),
            Self::Forbidden(message) => (
                StatusCode::FORBIDDEN,
                ErrorPage {
                    heading: "Ingen adgang",
                    message,
                },
            ),
            Self::Conflict(message) => (
                StatusCode::CONFLICT,
                ErrorPage {
                    heading: "Ændringen kunne ikke gemmes",
                    message,
                },
            ),
            Self::PayloadTooLarge(message) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorPage {
                    heading: "For meget indhold",
                    message,
                },
            ),
            Self::Unavailable(detail) => {
                tracing::warn!(error = %detail, "request failed: database unavailable");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    ErrorPage {
                        heading: "Siden er midlertidigt utilgængelig",
                        message: "Siden kan ikke vises lige nu, fordi vi ikke kan få forbindelse til vores database. Prøv igen om lidt.".into(),
                    },
                )
            }
            Self::DiskFull(detail) => {
                tracing::error!(error = %detail, "request failed: disk full");
                (
                    StatusCode::INSUFFICIENT_STORAGE,
                    ErrorPage {
                        heading: "Ændringen kunne ikke gemmes",
                        message: "Ændringen er ikke gemt, fordi der ikke er mere plads på serverens disk. Alt det, der var gemt i forvejen, er uændret. Gå tilbage for at se det, du skrev, og kontakt dem, der driver hjemmesiden.".into(),
                    },
                )
            }
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage::for_status(StatusCode::INTERNAL_SERVER_ERROR),
                )
            }
        };
        let mut response = status.into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            retry_later(&mut response);
        }
        response.extensions_mut().insert(page);
        response
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

impl ErrorPage {
    /// The page for an error the framework answered by itself (a path or
    /// query that does not parse, a method the route lacks, a body too large
    /// or too slow), which comes with a bare English text at most.
    fn for_status(status: StatusCode) -> Self {
        let (heading, message) = match status {
            StatusCode::NOT_FOUND => return Self::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => (
                "Siden kan ikke bruges sådan",
                "Siden findes, men ikke til den slags forespørgsel. Gå tilbage, og prøv igen.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "For meget indhold",
                "Det, du sendte, er for stort til at blive modtaget.",
            ),
            StatusCode::REQUEST_TIMEOUT => (
                "Det tog for lang tid",
                "Forespørgslen nåede ikke frem i tide. Prøv igen.",
            ),
            s if s.is_server_error() => (
                "Der opstod en fejl",
                "Siden kunne ikke vises på grund af en fejl hos os. Prøv igen om lidt.",
            ),
            _ => (
                "Forkert adresse",
                "Adressen eller det sendte kunne ikke læses. Kontrollér det, og prøv igen.",
            ),
        };
        Self {
            heading,
            message: message.into(),
        }
    }

    fn not_found() -> Self {
        Self {
            heading: "Siden findes ikke",
            message: "Vi kan ikke finde den side, du leder efter. Den kan være flyttet eller slettet, eller adressen kan være skrevet forkert.".into(),
        }
    }
}

/// An error answer without a page or JSON body of ours: the framework's own.
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    (status.is_client_error() || status.is_server_error())
        && response
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_none_or(|c| c.as_bytes().starts_with(b"text/plain"))
}

/// Longest framework error text read to pass on in a JSON error.
const BARE_ERROR_LIMIT: usize = 4096;

/// Renders the Danish page for every response that carries an [`ErrorPage`],
/// and gives the framework's own bare error answers a Danish page, or a JSON
/// error under `/api/`.
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let status = response.status();
    let page = match response.extensions_mut().remove::<ErrorPage>() {
        Some(page) => page,
        None if is_bare_error(&response) && api => {
            let (mut parts, body) = response.into_parts();
            let text = axum::body::to_bytes(body, BARE_ERROR_LIMIT)
                .await
                .ok()
                .and_then(|b| String::from_utf8(b.to_vec()).ok())
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_lowercase());
            let mut json = crate::api::ApiError::new(status, text).into_response();
            // Keep what the framework said besides (`Allow` on a 405).
            parts.headers.remove(axum::http::header::CONTENT_TYPE);
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            json.headers_mut().extend(parts.headers);
            return json;
        }
        None if is_bare_error(&response) => ErrorPage::for_status(status),
        None => return response,
    };
    let retry_after = response.headers_mut().remove(header::RETRY_AFTER);
    let ctx = minijinja::context! { heading => page.heading, message => page.message };
    let mut page = match state.render_page(
        "error.html",
        crate::render::Meta::untitled(page.heading),
        ctx,
    ) {
        Ok(html) => (status, html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            (status, page.heading).into_response()
        }
    };
    if let Some(value) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, value);
    }
    page
}
