//! HTTP caching of public pages and feeds: a weak `ETag` of the body and a
//! `Last-Modified` of the site's content, with `If-None-Match` and
//! `If-Modified-Since` answered by `304 Not Modified`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::AppState;

/// Largest body the cache validators are computed for.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Paths with their own caching rules (or none).
fn is_public(path: &str) -> bool {
    !["/admin", "/api/", "/healthz", "/static/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// `Last-Modified` form: `Tue, 15 Nov 1994 08:12:31 GMT`.
fn http_date(ts: Timestamp) -> String {
    ts.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn parse_http_date(value: &str) -> Option<Timestamp> {
    jiff::fmt::rfc2822::parse(value.trim())
        .ok()
        .map(|z| z.timestamp())
}

/// Whether `If-None-Match` names this (weak) entity tag.
fn none_match(headers: &HeaderMap, etag: &str) -> Option<bool> {
    let value = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    Some(
        value
            .split(',')
            .any(|t| t.trim() == "*" || bare(t) == bare(etag)),
    )
}

pub async fn conditional(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let public =
        (method == Method::GET || method == Method::HEAD) && is_public(request.uri().path());
    let headers = request.headers().clone();
    let response = next.run(request).await;
    if !public || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("W/\"{hex}\"");
    let last_modified = match state
        .store()
        .content_changed_at(state.site().id, state.now())
        .await
    {
        Ok(changed) => Some(changed.unwrap_or(Timestamp::UNIX_EPOCH).min(state.now())),
        Err(e) => {
            tracing::warn!(error = %e, "no Last-Modified: content time unavailable");
            None
        }
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if let Some(Ok(v)) = last_modified.map(|t| HeaderValue::from_str(&http_date(t))) {
        parts.headers.insert(header::LAST_MODIFIED, v);
    }
    let not_modified = match none_match(&headers, &etag) {
        Some(matches) => matches,
        None => match (headers.get(header::IF_MODIFIED_SINCE), last_modified) {
            (Some(since), Some(modified)) => since
                .to_str()
                .ok()
                .and_then(parse_http_date)
                .is_some_and(|since| modified.as_second() <= since.as_second()),
            _ => false,
        },
    };
    if not_modified {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::CONTENT_TYPE);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_round_trip() {
        let ts: Timestamp = "1994-11-15T08:12:31Z".parse().unwrap();
        assert_eq!(http_date(ts), "Tue, 15 Nov 1994 08:12:31 GMT");
        assert_eq!(parse_http_date("Tue, 15 Nov 1994 08:12:31 GMT"), Some(ts));
        assert_eq!(parse_http_date("i går"), None);
    }

    #[test]
    fn entity_tags_compare_weakly() {
        let mut h = HeaderMap::new();
        assert_eq!(none_match(&h, "W/\"abc\""), None);
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"abc\""),
        );
        assert_eq!(none_match(&h, "W/\"abc\""), Some(true));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abc\""));
        assert_eq!(none_match(&h, "W/\"abc\""), Some(true));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"abd\""));
        assert_eq!(none_match(&h, "W/\"abc\""), Some(false));
    }
}
