//! Where the public site counts (see [`raadhus_domain::counting`]), all in
//! the render cache's serve path ([`crate::caching`]), so that pages served
//! from the cache count as those rendered:
//!
//! - a view: a `GET` of a public HTML page answered `200` or `304` (the
//!   browser had it and asked again), from a browser, not an obvious robot;
//!   a `HEAD` is no view;
//! - an address not found: a `GET` or `HEAD` of a public path answered
//!   `404`, from anyone (a robot's 404 is an old link somewhere too);
//! - a search without results: a `GET` of a citizens' search (`/soeg`)
//!   without filters that found nothing, marked by the page with
//!   [`SearchMiss`] and kept with it in the cache. The API's search is used
//!   by programs, not typed by citizens: it is not counted.
//!
//! Each is one increment in memory ([`Counter`]); no IP address, cookie or
//! User-Agent is kept.

use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponseParts, ResponseParts};
use raadhus_domain::counting::is_robot;
use raadhus_usecases::Counter;

use crate::AppState;

/// Added to a search page's response when its search (normalised, and not
/// personal data) found nothing.
#[derive(Debug, Clone)]
pub struct SearchMiss(pub String);

impl IntoResponseParts for SearchMiss {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        res.extensions_mut().insert(self);
        Ok(res)
    }
}

/// What a cached response counts as, each time it is served.
#[derive(Debug, Clone, Default)]
pub struct Counted {
    /// An HTML page: serving it is a view.
    pub page: bool,
    /// A search that found nothing.
    pub search_miss: Option<String>,
}

/// What a request may count as, read before it is answered.
pub struct Visit<'a> {
    counter: &'a Counter,
    get: bool,
    person: bool,
}

impl<'a> Visit<'a> {
    pub fn of(state: &'a AppState, request: &Request) -> Self {
        let counter = &state.here.counter;
        let get = request.method() == Method::GET;
        // Only a view needs the User-Agent: only then is it looked at.
        let person = get
            && counter.is_on()
            && !is_robot(
                request
                    .headers()
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok()),
            );
        Self {
            counter,
            get,
            person,
        }
    }

    /// `path` was answered from a rendered response that counts as `counted`
    /// (`200`, or `304` when the client had it).
    pub fn served(&self, path: &str, counted: &Counted) {
        if counted.page && self.person {
            self.counter.viewed(path);
        }
        if let Some(query) = counted.search_miss.as_deref().filter(|_| self.get) {
            self.counter.found_nothing(query);
        }
    }

    /// `path` was answered with `status` by the application.
    pub fn answered(&self, path: &str, status: StatusCode) {
        if status == StatusCode::NOT_FOUND {
            self.counter.not_found(path);
        }
    }
}
