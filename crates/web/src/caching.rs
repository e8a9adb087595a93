//! HTTP caching of public pages and feeds: the render cache in front of them
//! ([`crate::cache`]), a weak `ETag` of the body and a `Last-Modified` of the
//! site's content, `If-None-Match` and `If-Modified-Since` answered by
//! `304 Not Modified`, and `br`/`gzip` bodies for clients that take them.
//! What is served is counted here too ([`crate::counting`]).

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::cache::{Cacheable, Encoding, Entry, Flight};
use crate::counting::{Counted, SearchMiss, Visit};
use crate::routes::{self, Route};

/// Largest body the cache validators are computed for.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Says whether a response came from the render cache.
const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// Paths with their own caching rules (or none).
fn is_public(path: &str) -> bool {
    !["/admin", "/api/", "/healthz", "/static/", "/medier/"]
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
fn none_match(value: &HeaderValue, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    value.to_str().is_ok_and(|value| {
        value
            .split(',')
            .any(|t| t.trim() == "*" || bare(t) == bare(etag))
    })
}

/// What a request asks of a response it may get from the cache.
struct Wants {
    head: bool,
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<HeaderValue>,
    encoding: Option<Encoding>,
}

impl Wants {
    fn of(request: &Request) -> Self {
        let headers = request.headers();
        Self {
            head: request.method() == Method::HEAD,
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers.get(header::IF_MODIFIED_SINCE).cloned(),
            encoding: preferred_encoding(headers),
        }
    }

    fn not_modified(&self, entry: &Entry) -> bool {
        if let Some(value) = &self.if_none_match {
            return none_match(value, &entry.etag);
        }
        match (&self.if_modified_since, entry.last_modified) {
            (Some(since), Some(modified)) => since
                .to_str()
                .ok()
                .and_then(parse_http_date)
                .is_some_and(|since| modified.as_second() <= since.as_second()),
            _ => false,
        }
    }
}

/// `br` if the client takes it, else `gzip`, else none (`q=0` refuses).
fn preferred_encoding(headers: &HeaderMap) -> Option<Encoding> {
    let accepted: Vec<&str> = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';');
            let name = parts.next()?.trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (!refused).then_some(name)
        })
        .collect();
    let takes = |name: &str| accepted.iter().any(|a| a.eq_ignore_ascii_case(name));
    if takes("br") {
        Some(Encoding::Brotli)
    } else if takes("gzip") {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

/// The render cache's key of a public URL: its path and the query
/// parameters pages read, decoded as the pages decode them, in their order.
fn cache_key(uri: &axum::http::Uri) -> Cow<'_, str> {
    let Some(query) = uri.query() else {
        return Cow::Borrowed(uri.path());
    };
    let mut kept = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if crate::pages::QUERY_PARAMETERS.contains(&name.as_ref()) {
            kept.append_pair(&name, &value);
        }
    }
    let kept = kept.finish();
    if kept.is_empty() {
        Cow::Borrowed(uri.path())
    } else {
        Cow::Owned(format!("{}?{kept}", uri.path()))
    }
}

/// The answer to `request` from the render cache (or the media files kept
/// in memory), if it is there, and its route: served before routing and
/// every middleware (the entry holds every header those set). `None` sends
/// the request on to the site's router, where [`serve`] looks again.
pub fn hit(state: &AppState, request: &Request) -> Option<(Response, Route)> {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let path = request.uri().path();
    if path.starts_with("/medier/") {
        let file = state.cache().files().get(path)?;
        return Some((file.response(), Route::Named(routes::MEDIA_FILE)));
    }
    if !is_public(path) {
        return None;
    }
    let key = cache_key(request.uri());
    let entry = state.cache().hit(&key, state.now())?;
    Visit::of(state, request).served(path, &entry.counted);
    let response = respond(state, &key, &entry, &Wants::of(request), "hit");
    Some((response, entry.route.clone()))
}

/// Serves public pages from the render cache, rendering and storing them
/// when missing; everything else passes through.
pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let method = request.method();
    if (method == Method::GET || method == Method::HEAD)
        && request.uri().path().starts_with("/medier/")
    {
        return crate::cache::files::serve(state.cache().files(), request, next).await;
    }
    if (method != Method::GET && method != Method::HEAD) || !is_public(request.uri().path()) {
        return next.run(request).await;
    }
    let key = cache_key(request.uri());
    let wants = Wants::of(&request);
    let visit = Visit::of(&state, &request);
    let cache = state.cache();
    if let Some(entry) = cache.get(&key, state.now()) {
        visit.served(request.uri().path(), &entry.counted);
        return routed(respond(&state, &key, &entry, &wants, "hit"), &entry);
    }
    // Rendered once for all who ask at the same time.
    let _rendering = match cache.render_or_wait(&key).await {
        Flight::Render(rendering) => Some(rendering),
        Flight::Waited => match cache.get(&key, state.now()) {
            Some(entry) => {
                visit.served(request.uri().path(), &entry.counted);
                return routed(respond(&state, &key, &entry, &wants, "hit"), &entry);
            }
            None => None,
        },
    };
    let key = key.into_owned();
    let path = request.uri().path().to_string();
    let generation = cache.generation();
    let response = next.run(plain(request)).await;
    if response.status() != StatusCode::OK {
        visit.answered(&path, response.status());
        return response;
    }
    let Some(entry) = entry_of(&state, response).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Arc::new(entry);
    cache.insert(&key, &entry, generation);
    visit.served(&path, &entry.counted);
    routed(respond(&state, &key, &entry, &wants, "miss"), &entry)
}

/// `response` from `entry`, naming the route the entry was rendered by.
fn routed(mut response: Response, entry: &Entry) -> Response {
    response.extensions_mut().insert(entry.route.clone());
    response
}

/// The request as the cache renders it: a `GET` without validators or
/// encodings, so the full uncompressed page comes back.
fn plain(request: Request) -> Request {
    let (mut parts, body) = request.into_parts();
    parts.method = Method::GET;
    for name in [
        header::IF_NONE_MATCH,
        header::IF_MODIFIED_SINCE,
        header::ACCEPT_ENCODING,
    ] {
        parts.headers.remove(name);
    }
    Request::from_parts(parts, body)
}

/// Reads a rendered response into an entry with its validators.
async fn entry_of(state: &AppState, response: Response) -> Option<Entry> {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.ok()?;
    let digest = Sha256::digest(&bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("W/\"{hex}\"");
    let now = state.now();
    let last_modified = match state.store().content_changed_at(state.site().id, now).await {
        Ok(changed) => Some(changed.unwrap_or(Timestamp::UNIX_EPOCH).min(now)),
        Err(e) => {
            tracing::warn!(error = %e, "no Last-Modified: content time unavailable");
            None
        }
    };
    let headers = &mut parts.headers;
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if let Some(Ok(v)) = last_modified.map(|t| HeaderValue::from_str(&http_date(t))) {
        headers.insert(header::LAST_MODIFIED, v);
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.remove(header::CONTENT_LENGTH);
    // What a hit answers with: a hit's copy of the headers then grows by
    // no header (see `respond`).
    headers.insert(X_CACHE, HeaderValue::from_static("hit"));
    let route = Route::of_parts(&parts.extensions);
    let counted = Counted {
        page: is_html(&parts.headers),
        search_miss: parts.extensions.remove::<SearchMiss>().map(|m| m.0),
    };
    // A response that sets a cookie is someone's own: never shared.
    let cacheable = parts
        .extensions
        .remove::<Cacheable>()
        .filter(|_| !parts.headers.contains_key(header::SET_COOKIE))
        .map(|mut cacheable| {
            if is_html(&parts.headers) {
                state.cache().with_menu(&mut cacheable);
            }
            cacheable
        });
    Some(Entry::new(
        parts.headers,
        bytes,
        etag,
        last_modified,
        cacheable,
        counted,
        route,
    ))
}

/// Whether a response is an HTML page (with the layout, so the main menu).
fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Answers from an entry: `304` if the client has it, else its body in the
/// best encoding the client takes.
fn respond(
    state: &AppState,
    key: &str,
    entry: &Arc<Entry>,
    wants: &Wants,
    cache: &'static str,
) -> Response {
    let mut headers = entry.headers.clone();
    if cache != "hit" {
        headers.insert(X_CACHE, HeaderValue::from_static(cache));
    }
    if wants.not_modified(entry) {
        headers.remove(header::CONTENT_TYPE);
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        *response.headers_mut() = headers;
        return response;
    }
    let encoded = wants.encoding.and_then(|encoding| {
        entry
            .encoded(encoding, |n| state.cache().grew(key, entry, n))
            .map(|body| (encoding, body))
    });
    let body = match encoded {
        Some((encoding, body)) => {
            headers.insert(
                header::CONTENT_ENCODING,
                HeaderValue::from_static(encoding.name()),
            );
            body.clone()
        }
        None => entry.body.clone(),
    };
    // A body's length is written by the server from the body itself, with
    // no header value made for it; a HEAD's answer has no body to tell it.
    let body = if wants.head {
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = Response::new(body);
    *response.headers_mut() = headers;
    response
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
        let tag = "W/\"abc\"";
        assert!(none_match(
            &HeaderValue::from_static("\"x\", W/\"abc\""),
            tag
        ));
        assert!(none_match(&HeaderValue::from_static("\"abc\""), tag));
        assert!(none_match(&HeaderValue::from_static("*"), tag));
        assert!(!none_match(&HeaderValue::from_static("\"abd\""), tag));
    }

    #[test]
    fn keys_keep_only_what_pages_read() {
        let key = |uri: &'static str| cache_key(&axum::http::Uri::from_static(uri)).into_owned();
        assert_eq!(key("/"), "/");
        assert_eq!(key("/?fbclid=abc&utm_source=x"), "/");
        assert_eq!(key("/nyheder?utm=1&side=2"), "/nyheder?side=2");
        // Decoded as the page decodes it: an encoded name is still the name.
        assert_eq!(key("/nyheder?%73ide=2"), "/nyheder?side=2");
        assert_eq!(
            key("/soeg?q=%C3%A6ble+t%C3%A6rte&type=nyhed"),
            "/soeg?q=%C3%A6ble+t%C3%A6rte&type=nyhed"
        );
        assert_ne!(key("/soeg?q=a&aar=2020"), key("/soeg?q=a"));
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        let with = |value: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            preferred_encoding(&h)
        };
        assert_eq!(preferred_encoding(&HeaderMap::new()), None);
        assert_eq!(with("gzip, deflate, br"), Some(Encoding::Brotli));
        assert_eq!(with("gzip"), Some(Encoding::Gzip));
        assert_eq!(with("br;q=0, GZIP;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(with("identity"), None);
    }
}
