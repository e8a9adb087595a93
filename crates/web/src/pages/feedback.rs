//! `/tilbagemelding`: the answers to "Fandt du det, du søgte?" under every
//! public page and article. A plain form: it works without JavaScript, and
//! it is the same bytes for every visitor (the pages come from the render
//! cache), so it carries no token and sets no cookie. Spam is held off by a
//! field people never see (a bot that fills it is answered as if it had
//! worked, and nothing is kept) and by a limit per address counted only in
//! memory ([`Limiter`]).
//!
//! "Ja" answers with thanks. "Nej" is counted at once and answers with
//! "Hvad manglede du?", an optional comment sent to
//! `/tilbagemelding/kommentar`.

use std::net::IpAddr;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use raadhus_domain::feedback::{Answer, MAX_COMMENT_CHARS};
use raadhus_domain::page::is_page_path;
use raadhus_domain::throttle::{FEEDBACK_PER_ADDRESS, Limiter, feedback_locked_message};
use serde::Deserialize;

use crate::client::ClientAddress;
use crate::render::Meta;
use crate::{AppState, WebError};

/// Most addresses the limit counts at once (a few hundred kB).
const MAX_ADDRESSES: usize = 10_000;

/// The limit on feedback per address, in memory only.
pub(crate) type FeedbackLimiter = std::sync::Mutex<Limiter<IpAddr>>;

pub(crate) fn limiter() -> FeedbackLimiter {
    std::sync::Mutex::new(Limiter::new(FEEDBACK_PER_ADDRESS, MAX_ADDRESSES))
}

/// What the forms send. `email` is the trap: hidden from people, filled by
/// bots.
#[derive(Deserialize)]
pub struct Sent {
    side: String,
    svar: Option<String>,
    kommentar: Option<String>,
    email: Option<String>,
}

impl Sent {
    fn is_bot(&self) -> bool {
        self.email.as_deref().is_some_and(|e| !e.is_empty())
    }
}

/// `POST /tilbagemelding`: "Ja" or "Nej" on the page at `side`.
pub async fn answer(
    State(state): State<AppState>,
    client: ClientAddress,
    headers: HeaderMap,
    form: Result<Form<Sent>, FormRejection>,
) -> Result<Response, WebError> {
    let sent = admit(&state, client, &headers, form)?;
    let answer = sent
        .svar
        .as_deref()
        .and_then(Answer::parse)
        .ok_or_else(|| WebError::BadRequest(UNREADABLE.into()))?;
    if !sent.is_bot() {
        state
            .usecases()
            .answer_feedback(state.site().id, &sent.side, answer)
            .await?;
    }
    match answer {
        Answer::Yes => thanks(&state, &sent.side).await,
        Answer::No => ask(&state, StatusCode::OK, &sent.side, "", None).await,
    }
}

/// `POST /tilbagemelding/kommentar`: what was missing, after "Nej".
pub async fn comment(
    State(state): State<AppState>,
    client: ClientAddress,
    headers: HeaderMap,
    form: Result<Form<Sent>, FormRejection>,
) -> Result<Response, WebError> {
    let sent = admit(&state, client, &headers, form)?;
    let text = sent.kommentar.as_deref().unwrap_or_default();
    if !sent.is_bot() {
        let done = state
            .usecases()
            .comment_feedback(state.site().id, &sent.side, text)
            .await;
        if let Err(raadhus_usecases::Error::Invalid(errors)) = &done {
            let message = errors.for_field("kommentar").map(str::to_string);
            return ask(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &sent.side,
                text,
                message,
            )
            .await;
        }
        done?;
    }
    thanks(&state, &sent.side).await
}

const UNREADABLE: &str = "Tilbagemeldingen kunne ikke læses. Gå tilbage til siden, og prøv igen.";

/// The form as sent, if it comes from this site and its address may send
/// more.
fn admit(
    state: &AppState,
    ClientAddress(ip): ClientAddress,
    headers: &HeaderMap,
    form: Result<Form<Sent>, FormRejection>,
) -> Result<Sent, WebError> {
    if !from_this_site(headers, state.urls().base()) {
        return Err(WebError::Forbidden(
            "Tilbagemeldingen blev sendt fra en anden hjemmeside og er ikke modtaget.".into(),
        ));
    }
    let now = state.now();
    let admitted = state
        .inner
        .feedback_limiter
        .lock()
        .map_err(|_| WebError::Internal("the feedback limit is poisoned".into()))?
        .admit(limit_key(ip), now);
    if let Err(until) = admitted {
        return Err(WebError::TooManyRequests(feedback_locked_message(
            until, now,
        )));
    }
    let Form(sent) = form.map_err(|_| WebError::BadRequest(UNREADABLE.into()))?;
    Ok(sent)
}

/// The address the limit counts: an IPv6 client by its /64 (one
/// household's or device's network: it has all of it to pick from).
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::from(segments)
            }
        },
    }
}

/// Whether the browser says the form was sent from a page of this site.
///
/// The form is public and anonymous, so a token against cross-site request
/// forgery would have to differ per visitor, and the pages are the same
/// bytes for everyone. What another site could do is make its visitors
/// answer here; browsers name the page a form was sent from in `Origin`
/// (or at least `Referer`), and an answer from elsewhere is refused. A
/// request with neither (privacy tools strip them, and so do old
/// browsers) is believed: it is no worse than a bot, which the trap and
/// the limit are for.
fn from_this_site(headers: &HeaderMap, base: &url::Url) -> bool {
    let Some(source) = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
    else {
        return true;
    };
    let Some(source) = source.to_str().ok().and_then(|s| url::Url::parse(s).ok()) else {
        // `Origin: null` (a sandboxed or privacy-sensitive context) and
        // anything unreadable.
        return false;
    };
    let authority = |u: &url::Url| {
        u.host_str().map(|h| match u.port() {
            Some(port) => format!("{h}:{port}"),
            None => h.to_string(),
        })
    };
    let Some(theirs) = authority(&source) else {
        return false;
    };
    // The configured address, or the host the browser asked (the same,
    // unless the site is reached by another name too).
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    authority(base).as_deref() == Some(theirs.as_str()) || host == Some(theirs.as_str())
}

/// Where "Tilbage til siden" leads: the page the answer was about, if its
/// address can be a page's or an article's; else the front page.
fn back_to(side: &str) -> &str {
    if is_page_path(side) { side } else { "/" }
}

async fn thanks(state: &AppState, side: &str) -> Result<Response, WebError> {
    let ctx = context! { thanks => true, back => back_to(side) };
    let meta = Meta::untitled("Tak for din tilbagemelding");
    Ok(state
        .render_page("feedback.html", meta, ctx)
        .await?
        .into_response())
}

/// "Hvad manglede du?", with the comment given so far and why it was not
/// taken.
async fn ask(
    state: &AppState,
    status: StatusCode,
    side: &str,
    comment: &str,
    error: Option<String>,
) -> Result<Response, WebError> {
    let back = back_to(side);
    let ctx = context! {
        thanks => false,
        back,
        side => back,
        comment,
        error,
        max_chars => MAX_COMMENT_CHARS,
    };
    let meta = Meta::untitled("Hvad manglede du?");
    let html = state.render_page("feedback.html", meta, ctx).await?;
    let mut response = (status, html).into_response();
    // Not worth a place in any history or cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_forms_from_this_site_are_taken() {
        let base: url::Url = "https://www.vesterfjord.example/".parse().unwrap();
        let ours = [
            vec![],
            vec![("origin", "https://www.vesterfjord.example")],
            vec![("referer", "https://www.vesterfjord.example/borger?x=1")],
            vec![
                ("origin", "http://127.0.0.1:8080"),
                ("host", "127.0.0.1:8080"),
            ],
        ];
        for h in ours {
            assert!(from_this_site(&headers(&h), &base), "{h:?}");
        }
        let theirs = [
            vec![("origin", "https://evil.example")],
            vec![("origin", "null")],
            vec![("referer", "https://www.vesterfjord.example.evil.example/")],
            vec![("origin", "https://www.vesterfjord.example:8443")],
            vec![
                ("origin", "http://127.0.0.1:9999"),
                ("host", "127.0.0.1:8080"),
            ],
        ];
        for h in theirs {
            assert!(!from_this_site(&headers(&h), &base), "{h:?}");
        }
    }

    #[test]
    fn ipv6_clients_are_limited_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limit_key(a), limit_key(b));
        assert_ne!(limit_key(a), limit_key(other));
        let mapped: IpAddr = "::ffff:203.0.113.9".parse().unwrap();
        assert_eq!(limit_key(mapped), "203.0.113.9".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn the_way_back_is_a_page_address_or_the_front_page() {
        assert_eq!(back_to("/borger/affald"), "/borger/affald");
        assert_eq!(back_to("/nyheder/ny-skole"), "/nyheder/ny-skole");
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://evil.example/",
            "",
        ] {
            assert_eq!(back_to(bad), "/", "{bad}");
        }
    }
}
