//! Which site a request is for, by the host it names: each site has a
//! router of its own (its own state, cache and addresses), and this one in
//! front picks it.
//!
//! The host is the `Host` header's (or the request target's), or, from a
//! peer listed in `trusted_proxies`, the first `X-Forwarded-Host`. A
//! subsite answers on its host; the main site on its base URL's host, on
//! the loopback names (`localhost`, `127.0.0.1`, `[::1]`, any port) unless
//! a subsite claims one, and for a request naming no host (HTTP/1.0). Any
//! other host gets a plain 404: never another site's content (the health
//! check answers on any host: load balancers ask a node by its address).

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use raadhus_domain::Host;
use raadhus_domain::site::is_loopback_name;
use tower::ServiceExt;
use tracing::Instrument;

use crate::routes::{self, Route};
use crate::{AppState, RequestMetrics};

/// The sites, by host. Cheap to clone; every clone sees the same sites.
#[derive(Clone)]
pub struct Hosts {
    /// Read for every request, replaced when the subsites change: loading
    /// it writes nothing another thread reads (a lock would, on every
    /// request, from every server thread).
    table: Arc<ArcSwap<Table>>,
    trusted_proxies: Arc<[IpNet]>,
    /// Every site's requests, counted together.
    requests: RequestMetrics,
    /// The application's runtime (the one that made these hosts): every
    /// request the render cache cannot answer is handled there.
    app: tokio::runtime::Handle,
}

struct Table {
    main: Served,
    /// The main site's own host (its base URL's).
    main_host: Option<String>,
    subsites: HashMap<String, Served>,
}

/// One site as the hosts serve it: its router, and its state for the
/// answers that need no routing (a page in its render cache).
#[derive(Clone)]
pub struct Served {
    router: Router,
    state: AppState,
}

impl Served {
    pub fn new(state: AppState) -> Self {
        Self {
            router: crate::router(state.clone()),
            state,
        }
    }

    /// Answers `request`, which the render cache could not, and names the
    /// route that did: through the site's router on the application's
    /// runtime `app` (in a span naming the request, for what its handlers
    /// log). A server thread thus only ever sends cached answers (see
    /// [`Hosts::serve`]): a slow render never holds up the other
    /// connections of its thread, and the database's connections are never
    /// driven by a server thread that is busy.
    async fn route(
        self,
        mut request: Request,
        peer: Option<SocketAddr>,
        app: &tokio::runtime::Handle,
    ) -> (Response, Route) {
        // Only the router asks who the peer is (a cache hit does not: no
        // extension made for it).
        if let Some(peer) = peer {
            request.extensions_mut().insert(ConnectInfo(peer));
        }
        let span = tracing::info_span!(
            "request",
            method = %request.method(),
            path = request.uri().path()
        );
        let handled = app.spawn(self.router.oneshot(request).instrument(span));
        let response = match handled.await {
            Ok(Ok(response)) => response,
            Ok(Err(never)) => match never {},
            Err(error) => {
                tracing::error!(%error, "a request's handling panicked or was cancelled");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        };
        let route = Route::of_parts(response.extensions());
        (response, route)
    }
}

/// A request refused for its body's size (`413`) ends its connection: the
/// rest of that body is never read, so the connection cannot carry another
/// request, and the client must not be left to find that out by sending one.
fn close_after_refused_body(response: &mut Response) {
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// What every answer gets once made: its count in the request metrics and
/// its line in the request log.
struct Finish {
    started: Instant,
    line: Option<crate::access_log::Line>,
}

impl Finish {
    fn of(self, requests: &RequestMetrics, mut response: Response, route: Route) -> Response {
        close_after_refused_body(&mut response);
        requests.observe(
            route.as_str(),
            response.status().as_u16(),
            self.started.elapsed(),
        );
        match self.line {
            Some(line) => line.written_after(response, self.started),
            None => response,
        }
    }
}

/// An answer being made: ready at once, or to come from the router. A
/// connection keeps the future of the request it is answering in memory of
/// its own, which with many open connections has left the CPU's caches by
/// the connection's next request: the routed answer's future, some 1.7 KB,
/// is boxed, so that a cached one copies only its response there
/// (bench/RESULTS.md, "Cache misses a request as connections grow").
pub enum Answering {
    /// Made already: from the render cache, or for a host no site has.
    Now(std::future::Ready<Response>),
    /// Being made by the router on the application's runtime.
    Later(Pin<Box<dyn Future<Output = Response> + Send>>),
}

impl Future for Answering {
    type Output = Response;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        match self.get_mut() {
            Answering::Now(ready) => Pin::new(ready).poll(cx),
            Answering::Later(later) => later.as_mut().poll(cx),
        }
    }
}

/// The health check's path.
const HEALTH: &str = "/healthz";

/// Answer to a host no site has.
const UNKNOWN: &str = "Der er intet websted på denne adresse.\n";

impl Hosts {
    /// The main site, answering on the host of `base_url`. Call it on the
    /// application's runtime: requests are handled there.
    pub fn new(main: Served, base_url: &url::Url, trusted_proxies: &[IpNet]) -> Self {
        let main_host = base_url
            .host_str()
            .and_then(Host::of_header)
            .map(Cow::into_owned);
        let requests = main.state.request_metrics().clone();
        Self {
            requests,
            table: Arc::new(ArcSwap::from_pointee(Table {
                main,
                main_host,
                subsites: HashMap::new(),
            })),
            trusted_proxies: trusted_proxies.into(),
            app: tokio::runtime::Handle::current(),
        }
    }

    /// From now on, the subsites are `sites` (by host), and only they.
    pub fn set_subsites(&self, sites: HashMap<String, Served>) {
        self.table.rcu(|table| Table {
            main: table.main.clone(),
            main_host: table.main_host.clone(),
            subsites: sites.clone(),
        });
    }

    /// Where the sites' render caches keep large bodies, for the server to
    /// send them without copying (every site's cache shares the main
    /// site's budget); `None` when caching is off.
    pub fn spool(&self) -> Option<crate::Spool> {
        let table = self.table.load();
        table.main.state.cache().budget().spool().cloned()
    }

    /// Every site's requests as one router (for driving the application
    /// in-process; the server calls [`Hosts::serve`] itself).
    pub fn router(&self) -> Router {
        let hosts = self.clone();
        Router::new().fallback(move |request: Request| async move {
            let peer = request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| *peer);
            hosts.serve(request, peer).await
        })
    }

    /// Answers `request`, which came from `peer`, for the site its host
    /// names, and writes its line in the request log once the answer is
    /// sent. A page in the render cache (or a host no site has) is
    /// answered at once; anything else is routed on the application's
    /// runtime, in a future of its own ([`Answering`]).
    pub fn serve(&self, request: Request, peer: Option<SocketAddr>) -> Answering {
        let started = Instant::now();
        let line = crate::access_log::Line::of(&request);
        // A cached answer is made with the sites as loaded, cloning none;
        // only a request for the router takes its site along.
        let found = {
            let table = self.table.load();
            match site_of(&table, self.host_of(&request, peer), &request) {
                Some(site) => match crate::caching::hit(&site.state, &request) {
                    Some(hit) => Ok(hit),
                    None => Err(site.clone()),
                },
                None => Ok((unknown_host(), Route::Named(routes::UNKNOWN_HOST))),
            }
        };
        let finish = Finish { started, line };
        match found {
            Ok((response, route)) => Answering::Now(std::future::ready(finish.of(
                &self.requests,
                response,
                route,
            ))),
            Err(site) => {
                let (app, requests) = (self.app.clone(), self.requests.clone());
                Answering::Later(Box::pin(async move {
                    let (response, route) = site.route(request, peer, &app).await;
                    finish.of(&requests, response, route)
                }))
            }
        }
    }

    /// The host `request` (from `peer`) is for (lower case, no port);
    /// `None` when it names none.
    fn host_of<'r>(
        &self,
        request: &'r Request,
        peer: Option<SocketAddr>,
    ) -> Option<Result<Cow<'r, str>, ()>> {
        let headers = request.headers();
        let peer_trusted = peer.is_some_and(|peer| {
            self.trusted_proxies
                .iter()
                .any(|net| net.contains(&peer.ip()))
        });
        let forwarded = peer_trusted
            .then(|| headers.get("x-forwarded-host"))
            .flatten()
            .map(|v| v.to_str().ok().and_then(|v| v.split(',').next()));
        let named = forwarded
            .or_else(|| headers.get(header::HOST).map(|v| v.to_str().ok()))
            .or_else(|| request.uri().authority().map(|a| Some(a.as_str())))?;
        Some(named.and_then(Host::of_header).ok_or(()))
    }
}

fn unknown_host() -> Response {
    let mut response = (StatusCode::NOT_FOUND, UNKNOWN).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The site of `table` that `host` (the request's) names, if any.
fn site_of<'t>(
    table: &'t Table,
    host: Option<Result<Cow<'_, str>, ()>>,
    request: &Request,
) -> Option<&'t Served> {
    let site = match host {
        None => Some(&table.main),
        Some(Ok(host)) => pick(table, &host),
        Some(Err(())) => None,
    };
    // A load balancer asks a node's health by its address, whatever host
    // that names: the node answers (it is the same for every site).
    site.or_else(|| (request.uri().path() == HEALTH).then_some(&table.main))
}

/// The site `host` names, if any.
fn pick<'t>(table: &'t Table, host: &str) -> Option<&'t Served> {
    if let Some(site) = table.subsites.get(host) {
        return Some(site);
    }
    (table.main_host.as_deref() == Some(host) || is_loopback_name(host)).then_some(&table.main)
}
