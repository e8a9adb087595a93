//! API errors as JSON.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use raadhus_domain::ValidationErrors;
use raadhus_domain::chain::Chain;
use raadhus_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<String>,
    /// Every field error, when there are several.
    errors: Option<ValidationErrors>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            field: None,
            errors: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not found")
    }

    pub fn unauthorized(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        let first = errors.errors().first().cloned();
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: first
                .as_ref()
                .map_or_else(|| "invalid".into(), |e| e.message.clone()),
            field: first.map(|e| e.field.to_string()),
            errors: Some(errors),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::SlugTaken(slug) => {
                Self::new(StatusCode::CONFLICT, format!("the slug {slug:?} is taken")).field("slug")
            }
            StoreError::UnknownReference(what) => Self::new(StatusCode::CONFLICT, what),
            StoreError::Conflict(what) => Self::new(StatusCode::CONFLICT, what),
            StoreError::Invalid(errors) => errors.into(),
            e @ StoreError::Unavailable(_) => {
                tracing::warn!(error = %Chain(&e), "API request failed: database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the database is unavailable; try again shortly",
                )
            }
            e @ StoreError::DiskFull(_) => {
                tracing::error!(error = %Chain(&e), "API request failed: disk full");
                Self::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "the server's disk is full: the change was not saved, and nothing stored was changed",
                )
            }
            other => Self::internal(&other),
        }
    }
}

impl From<raadhus_usecases::Error> for ApiError {
    fn from(e: raadhus_usecases::Error) -> Self {
        use raadhus_usecases::Error as E;
        match e {
            E::Invalid(errors) => errors.into(),
            E::Conflict(errors) => Self {
                status: StatusCode::CONFLICT,
                ..errors.into()
            },
            E::NotFound => Self::not_found(),
            E::Stale { expected, current } => Self::new(
                StatusCode::CONFLICT,
                format!(
                    "it is at version {current}, not {expected}; fetch it again and reapply the change"
                ),
            )
            .field("version"),
            E::SlugTaken(slug) => {
                Self::new(StatusCode::CONFLICT, format!("the slug {slug:?} is taken")).field("slug")
            }
            E::UnknownReference(what) => Self::new(StatusCode::CONFLICT, what),
            E::InUse(names) => Self::new(
                StatusCode::CONFLICT,
                format!("in use by: {}; change those first", names.join(", ")),
            ),
            E::Store(e) => e.into(),
            other => Self::internal(&other),
        }
    }
}

impl ApiError {
    /// A `500`, with the whole cause in the log and none of it in the answer.
    pub fn internal(e: &(dyn std::error::Error + 'static)) -> Self {
        tracing::error!(error = %Chain(e), "API request failed");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

/// Every error answer of the API.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// What is wrong. Validation messages are in Danish (for editors); other
    /// messages in English.
    error: String,
    /// The field that is wrong, when one is: a field name (`title`,
    /// `version`, `slug`, `page`, …) or, for JSON that does not fit the
    /// schema, its path (e.g. `contacts[0].id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
    /// Every field error, present only when validation found more than one.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<FieldErrorBody>>,
}

/// One field error.
#[derive(Serialize, ToSchema)]
#[schema(as = FieldError)]
pub struct FieldErrorBody {
    field: String,
    /// In Danish.
    message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
            field: self.field,
            errors: self.errors.filter(|e| e.errors().len() > 1).map(|e| {
                e.errors()
                    .iter()
                    .map(|e| FieldErrorBody {
                        field: e.field.to_string(),
                        message: e.message.clone(),
                    })
                    .collect()
            }),
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            crate::error::retry_later(&mut response);
        }
        response
    }
}
