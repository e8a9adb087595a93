//! Asking one address whether it works: HEAD first, GET when HEAD is
//! refused or fails oddly (the body is never read: the answer is dropped
//! after its headers), redirects followed by hand up to
//! [`MAX_REDIRECTS`] (each hop paced like any request), a time-out per
//! request, an honest User-Agent, and never an address in a private
//! network unless that is allowed: names are resolved by [`Guard`], which
//! drops private addresses, and literal addresses are looked at before
//! each request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use raadhus_domain::link_check::{
    FAILED, Health, MAX_REDIRECTS, NO_CONNECTION, NO_SUCH_HOST, TLS_FAILED, TOO_MANY_REDIRECTS,
    is_public, timed_out,
};
use reqwest::Method;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
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
struct Guard {
    allow_private: bool,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| Refusal::NoSuchHost)?
                .collect();
            if found.is_empty() {
                return Err(Refusal::NoSuchHost.into());
            }
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(Refusal::Private.into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
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

/// The link checker's HTTP client.
#[derive(Clone)]
pub(super) struct Client {
    client: reqwest::Client,
    allow_private: bool,
    timeout_seconds: u64,
}

/// Whether a HEAD answer should be checked again with GET: the server may
/// not allow HEAD (405, 501), refuse it (403) or answer it wrongly; 429
/// asks us to wait, so it is not asked again.
fn needs_get(status: u16) -> bool {
    status >= 400 && status != 429
}

impl Client {
    /// A client for `settings`, naming itself and the site at `base` in
    /// its User-Agent.
    pub(super) fn new(settings: &LinkSettings, base: &Url) -> Result<Self, reqwest::Error> {
        // Rustls with the `ring` provider (no C toolchain beyond cc); an
        // error only says one was installed already.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .user_agent(format!(
                "Raadhus-linktjek/{} (+{base})",
                env!("CARGO_PKG_VERSION")
            ))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .dns_resolver(Arc::new(Guard {
                allow_private: settings.allow_private,
            }))
            .build()?;
        Ok(Self {
            client,
            allow_private: settings.allow_private,
            timeout_seconds: settings.timeout.as_secs(),
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
            let response = self
                .client
                .request(method.clone(), url.clone())
                .send()
                .await
                .map_err(|e| self.failure(&e))?;
            let status = response.status();
            let next = status
                .is_redirection()
                .then(|| response.headers().get(reqwest::header::LOCATION))
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

    /// What a failed request means, in Danish.
    fn failure(&self, e: &reqwest::Error) -> Failure {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = source {
            if let Some(refusal) = s.downcast_ref::<Refusal>() {
                return match refusal {
                    Refusal::Private => Failure::refused(),
                    Refusal::NoSuchHost => Failure::broken(NO_SUCH_HOST, false),
                };
            }
            if s.downcast_ref::<rustls::Error>().is_some() {
                return Failure::broken(TLS_FAILED, false);
            }
            source = s.source();
        }
        if e.is_timeout() {
            Failure::broken(timed_out(self.timeout_seconds), false)
        } else if e.is_connect() {
            Failure::broken(NO_CONNECTION, false)
        } else {
            Failure::broken(FAILED, true)
        }
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
