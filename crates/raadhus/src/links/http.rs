//! Asking one address whether it works (hyper's client, HTTP/1, rustls
//! with the system's root certificates): HEAD first, GET when HEAD is
//! refused or fails oddly (the body is never read: the answer is dropped
//! after its headers), redirects followed by hand up to
//! [`MAX_REDIRECTS`] (each hop paced like any request), a time-out per
//! request, an honest User-Agent, and never an address in a private
//! network unless that is allowed: names are resolved by [`Guard`], which
//! drops private addresses, and literal addresses are looked at before
//! each request.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::header::{LOCATION, USER_AGENT};
use hyper::{Method, Request};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::rt::TokioExecutor;
use raadhus_domain::link_check::{
    FAILED, Health, MAX_REDIRECTS, NO_CONNECTION, NO_SUCH_HOST, TLS_FAILED, TOO_MANY_REDIRECTS,
    is_public, timed_out,
};
use tokio::time::Instant;
use url::{Host, Url};

use crate::config::LinkSettings;

/// Why the resolver gave no address.
#[derive(Debug, thiserror::Error)]
enum Refusal {
    #[error("the host resolves to private network addresses only")]
    Private,
    #[error("the host name does not resolve")]
    NoSuchHost,
}

/// Resolves host names, keeping only the addresses that may be asked.
#[derive(Clone)]
struct Guard {
    allow_private: bool,
}

type Resolving =
    Pin<Box<dyn Future<Output = Result<std::vec::IntoIter<SocketAddr>, Refusal>> + Send>>;

impl tower::Service<Name> for Guard {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = Refusal;
    type Future = Resolving;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Refusal>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| Refusal::NoSuchHost)?
                .collect();
            if found.is_empty() {
                return Err(Refusal::NoSuchHost);
            }
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Refusal::Private);
            }
            Ok(allowed.into_iter())
        })
    }
}

/// Keeps the pause between requests to one host.
pub(super) struct Pace {
    delay: Duration,
    last: Option<Instant>,
}

impl Pace {
    pub(super) fn new(delay: Duration) -> Self {
        Self { delay, last: None }
    }

    async fn wait(&mut self) {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.delay).await;
        }
        self.last = Some(Instant::now());
    }
}

/// Why an address gave no final answer: how it counts, and what editors
/// are told.
struct Failure {
    health: Health,
    error: String,
    /// A failure a GET may not meet (the server may mishandle HEAD).
    try_get: bool,
}

impl Failure {
    fn broken(error: impl Into<String>, try_get: bool) -> Self {
        Self {
            health: Health::Broken,
            error: error.into(),
            try_get,
        }
    }

    fn refused() -> Self {
        Self {
            health: Health::Refused,
            error: raadhus_domain::link_check::REFUSED.to_string(),
            try_get: false,
        }
    }
}

/// The answer to one address: its health, final status or error.
pub(super) struct Answer {
    pub(super) health: Health,
    pub(super) status: Option<u16>,
    pub(super) error: Option<String>,
}

type Connector = HttpsConnector<HttpConnector<Guard>>;

/// The link checker's HTTP client.
#[derive(Clone)]
pub(super) struct Client {
    client: hyper_util::client::legacy::Client<Connector, String>,
    user_agent: String,
    allow_private: bool,
    timeout: Duration,
}

/// Whether a HEAD answer should be checked again with GET: the server may
/// not allow HEAD (405, 501), refuse it (403) or answer it wrongly; 429
/// asks us to wait, so it is not asked again.
fn needs_get(status: u16) -> bool {
    status >= 400 && status != 429
}

impl Client {
    /// A client for `settings`, naming itself and the site at `base` in
    /// its User-Agent. Fails when the system has no root certificates.
    pub(super) fn new(settings: &LinkSettings, base: &Url) -> std::io::Result<Self> {
        let mut http = HttpConnector::new_with_resolver(Guard {
            allow_private: settings.allow_private,
        });
        http.enforce_http(false);
        http.set_connect_timeout(Some(settings.timeout));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            // An answer's body is never read, so its connection is never
            // used again.
            .pool_max_idle_per_host(0)
            .build(https);
        Ok(Self {
            client,
            user_agent: format!("Raadhus-linktjek/{} (+{base})", env!("CARGO_PKG_VERSION")),
            allow_private: settings.allow_private,
            timeout: settings.timeout,
        })
    }

    /// Checks `url` (an absolute http or https address), pausing before
    /// each request as `pace` says.
    pub(super) async fn check(&self, url: &str, pace: &mut Pace) -> Answer {
        let Ok(url) = Url::parse(url) else {
            return answer(Err(Failure::broken(FAILED, false)));
        };
        let result = match self.follow(Method::HEAD, url.clone(), pace).await {
            Ok(status) if needs_get(status) => self.follow(Method::GET, url, pace).await,
            Err(failure) if failure.try_get => self.follow(Method::GET, url, pace).await,
            other => other,
        };
        answer(result)
    }

    /// The final status of `url` asked with `method`, redirects followed.
    async fn follow(&self, method: Method, mut url: Url, pace: &mut Pace) -> Result<u16, Failure> {
        for _ in 0..=MAX_REDIRECTS {
            if !self.may_ask(&url) {
                return Err(Failure::refused());
            }
            pace.wait().await;
            let request = Request::builder()
                .method(method.clone())
                .uri(url.as_str())
                .header(USER_AGENT, &self.user_agent)
                .body(String::new())
                .map_err(|_| Failure::broken(FAILED, false))?;
            let response = tokio::time::timeout(self.timeout, self.client.request(request))
                .await
                .map_err(|_| Failure::broken(timed_out(self.timeout.as_secs()), false))?
                .map_err(|e| failure(&e))?;
            let status = response.status();
            let next = status
                .is_redirection()
                .then(|| response.headers().get(LOCATION))
                .flatten()
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url.join(l).ok());
            drop(response);
            match next {
                Some(next) if matches!(next.scheme(), "http" | "https") => url = next,
                Some(_) => return Err(Failure::broken(FAILED, false)),
                None => return Ok(status.as_u16()),
            }
        }
        Err(Failure::broken(TOO_MANY_REDIRECTS, false))
    }

    /// Whether `url` may be asked: http or https, and a literal address
    /// only when it is public or private ones are allowed (names are
    /// resolved by [`Guard`]).
    fn may_ask(&self, url: &Url) -> bool {
        let public = match url.host() {
            Some(Host::Ipv4(ip)) => is_public(ip.into()),
            Some(Host::Ipv6(ip)) => is_public(ip.into()),
            Some(Host::Domain(_)) => true,
            None => return false,
        };
        matches!(url.scheme(), "http" | "https") && (public || self.allow_private)
    }
}

/// What a failed request means, in Danish.
fn failure(e: &hyper_util::client::legacy::Error) -> Failure {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        // An I/O error hides what it wraps from `source`.
        let inner = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        for s in std::iter::once(s).chain(inner) {
            if let Some(refusal) = s.downcast_ref::<Refusal>() {
                return match refusal {
                    Refusal::Private => Failure::refused(),
                    Refusal::NoSuchHost => Failure::broken(NO_SUCH_HOST, false),
                };
            }
            if s.downcast_ref::<rustls::Error>().is_some() {
                return Failure::broken(TLS_FAILED, false);
            }
        }
        source = s.source();
    }
    if e.is_connect() {
        Failure::broken(NO_CONNECTION, false)
    } else {
        Failure::broken(FAILED, true)
    }
}

fn answer(result: Result<u16, Failure>) -> Answer {
    match result {
        Ok(status) => Answer {
            health: Health::of_status(status),
            status: Some(status),
            error: None,
        },
        Err(failure) => Answer {
            health: failure.health,
            status: None,
            error: Some(failure.error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_is_asked_again_with_get_unless_it_worked_or_said_wait() {
        for status in [400, 403, 404, 405, 500, 501] {
            assert!(needs_get(status), "{status}");
        }
        for status in [200, 204, 301, 304, 429] {
            assert!(!needs_get(status), "{status}");
        }
    }
}
