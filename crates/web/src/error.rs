//! Errors of request handlers, shown to people as Danish pages.

use axum::extract::{Request, State};
use axum::http::StatusCode;
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
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
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
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorPage {
                    heading: "Siden findes ikke",
                    message: "Vi kan ikke finde den side, du leder efter. Den kan være flyttet eller slettet, eller adressen kan være skrevet forkert.".into(),
                },
            ),
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
            Self::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorPage {
                        heading: "Der opstod en fejl",
                        message: "Siden kunne ikke vises på grund af en fejl hos os. Prøv igen om lidt.".into(),
                    },
                )
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(page);
        response
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// Renders the Danish page for every response that carries an [`ErrorPage`].
pub async fn render_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let Some(page) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    let status = response.status();
    let ctx = minijinja::context! { heading => page.heading, message => page.message };
    match state.render_page(
        "error.html",
        crate::render::Meta::untitled(page.heading),
        ctx,
    ) {
        Ok(html) => (status, html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            (status, page.heading).into_response()
        }
    }
}
