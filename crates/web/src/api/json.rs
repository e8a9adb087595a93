//! Request plumbing: the JSON body extractor with clear errors, and the
//! bearer-token user.

use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use raadhus_domain::secret::token_digest;
use raadhus_domain::{SiteId, User};
use raadhus_usecases::{Actor, UseCases};
use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};

use super::ApiError;
use crate::AppState;

/// A JSON request body: `Content-Type: application/json`, at most the
/// configured size, well-formed, and with no unknown fields.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the request body must be JSON (Content-Type: application/json)",
            ));
        }
        let limit = state.inner.max_body_bytes;
        let bytes = axum::body::to_bytes(request.into_body(), limit)
            .await
            .map_err(|_| {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("the request body is larger than {limit} bytes"),
                )
            })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let status = if inner.is_data() {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::BAD_REQUEST
            };
            let error = ApiError::new(status, format!("invalid JSON: {inner}"));
            if path == "." {
                error
            } else {
                error.field(path)
            }
        })?;
        deserializer
            .end()
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")))?;
        Ok(Self(value))
    }
}

/// An integer in a request body. JSON Schema counts `3.0` as the integer 3,
/// so this reads it as one too (serde alone refuses it for an `i64`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Int(pub i64);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Int;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(v))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                i64::try_from(v)
                    .map(Int)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
                // Only where every integer is exact (2^53): a larger float
                // may be a JSON integer beyond i64 that rounded into range.
                const LIMIT: f64 = 9_007_199_254_740_992.0;
                if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
                    Ok(Int(v as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(v), &self))
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The `{id}` of a path: an integer, else a `400` in JSON.
pub struct Id(pub i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<i64>::from_request_parts(parts, state)
            .await
            .map_err(|_| {
                ApiError::new(StatusCode::BAD_REQUEST, "the id must be an integer").field("id")
            })?;
        Ok(Self(id))
    }
}

/// The user a valid `Authorization: Bearer` token acts as.
pub struct TokenUser(pub User);

/// The token user, if the request has a token (an invalid one is refused).
pub struct MaybeTokenUser(pub Option<User>);

async fn token_user(parts: &Parts, state: &AppState) -> Result<Option<User>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("use Authorization: Bearer <token>"))?;
    let user = state
        .store()
        .api_token_user(&token_digest(token), state.now())
        .await?
        .ok_or_else(|| {
            ApiError::unauthorized("the token is unknown, revoked, or its user is disabled")
        })?;
    let user = state.working_here(user).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "the token's user may not work on this site",
        )
    })?;
    Ok(Some(user))
}

impl FromRequestParts<AppState> for TokenUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        token_user(parts, state)
            .await?
            .map(TokenUser)
            .ok_or_else(|| ApiError::unauthorized("this call needs Authorization: Bearer <token>"))
    }
}

impl FromRequestParts<AppState> for MaybeTokenUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(token_user(parts, state).await?))
    }
}

/// A change asked for with a token: the use cases, this site, and the
/// token's user acting through the API.
pub struct Acting {
    pub usecases: UseCases,
    pub site: SiteId,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for Acting {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let TokenUser(user) = TokenUser::from_request_parts(parts, state).await?;
        Ok(Self {
            usecases: state.usecases().clone(),
            site: state.site().id,
            actor: Actor::api(user.id),
        })
    }
}
