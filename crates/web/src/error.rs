//! Errors of request handlers, shown to people as Danish pages.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use raadhus_domain::chain::Chain;
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
    /// Too many requests from one address; the message is Danish.
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// The database failed: `503` with `Retry-After` when it cannot be
    /// reached, `507` when its disk is full, else `500`.
    #[error("the database failed")]
    Store(#[source] StoreError),
    #[error("a template failed")]
    Template(#[from] minijinja::Error),
    /// A use case failed in its machinery.
    #[error("a use case failed")]
    UseCase(#[source] raadhus_usecases::Error),
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
            StoreError::NotFound => Self::NotFound,
            e => Self::Store(e),
        }
    }
}

impl From<raadhus_usecases::Error> for WebError {
    /// The answer to a use-case error a handler does not answer itself.
    fn from(e: raadhus_usecases::Error) -> Self {
        use raadhus_usecases::Error as E;
        match e {
            E::NotFound => Self::NotFound,
            E::Store(e) => Self::from(e),
            E::OwnAccount => Self::Forbidden("Du kan ikke gøre det ved din egen bruger.".into()),
            E::Stale { .. } => Self::Conflict(
                "Det er blevet ændret af en anden, siden du åbnede siden. Genindlæs siden og prøv igen.".into(),
            ),
            E::InUse(names) => Self::Conflict(format!(
                "Det kan ikke slettes, fordi det bruges af: {}.",
                names.join(", ")
            )),
            E::Invalid(errors) => Self::BadRequest(errors.to_string()),
            E::Conflict(errors) => Self::Conflict(errors.to_string()),
            other => Self::UseCase(other),
        }
    }
}

/// The status of a database failure, and whether it is the server's fault.
fn store_status(e: &StoreError) -> StatusCode {
    match e {
        StoreError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        StoreError::DiskFull(_) => StatusCode::INSUFFICIENT_STORAGE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
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
        // The whole chain of causes, for the log of a server-side failure.
        let cause = Chain(&self).to_string();
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
            Self::TooManyRequests(message) => (
                StatusCode::TOO_MANY_REQUESTS,
                ErrorPage {
                    heading: "Prøv igen senere",
                    message,
                },
            ),
            Self::Store(e) => {
                let status = store_status(&e);
                let page = match status {
                    StatusCode::SERVICE_UNAVAILABLE => {
                        tracing::warn!(error = %cause, "request failed: database unavailable");
                        ErrorPage {
                            heading: "Siden er midlertidigt utilgængelig",
                            message: "Siden kan ikke vises lige nu, fordi vi ikke kan få forbindelse til vores database. Prøv igen om lidt.".into(),
                        }
                    }
                    StatusCode::INSUFFICIENT_STORAGE => {
                        tracing::error!(error = %cause, "request failed: disk full");
                        ErrorPage {
                            heading: "Ændringen kunne ikke gemmes",
                            message: "Ændringen er ikke gemt, fordi der ikke er mere plads på serverens disk. Alt det, der var gemt i forvejen, er uændret. Gå tilbage for at se det, du skrev, og kontakt dem, der driver hjemmesiden.".into(),
                        }
                    }
                    _ => {
                        tracing::error!(error = %cause, "request failed");
                        ErrorPage::for_status(status)
                    }
                };
                (status, page)
            }
            Self::Template(_) | Self::UseCase(_) | Self::Internal(_) => {
                tracing::error!(error = %cause, "request failed");
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
    let meta = crate::render::Meta::untitled(page.heading);
    // A 503 says the database is away: its page is laid out without asking
    // it again (each ask would wait for a connection in vain).
    let rendered = if status == StatusCode::SERVICE_UNAVAILABLE {
        let layout = crate::layout::Layout::offline(&state.site().name);
        state
            .render_with_layout(&layout, "error.html", meta, ctx)
            .map_err(crate::WebError::from)
    } else {
        state.render_page("error.html", meta, ctx).await
    };
    let mut page = match rendered {
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
