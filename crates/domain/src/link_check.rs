//! The background link checker's rules: which links of bodies and of the
//! directory are checked, what an answer means, which addresses are never
//! asked, and what editors are told. The asking itself is the binary's.

use std::collections::BTreeMap;
use std::net::IpAddr;

use jiff::Timestamp;
use url::Url;

use crate::links::destinations;

/// Hours between two checks of a site's links unless configured.
pub const DEFAULT_INTERVAL_HOURS: u64 = 24;
/// Seconds one request may take (headers received) unless configured.
pub const DEFAULT_TIMEOUT_SECONDS: u64 = 10;
/// Milliseconds between two requests to one host unless configured.
pub const DEFAULT_HOST_DELAY_MS: u64 = 1000;
/// How many hosts are asked at once.
pub const CONCURRENCY: usize = 4;
/// Most addresses one run checks: those checked longest ago (or never) first.
pub const MAX_PER_RUN: usize = 2000;
/// Most redirects followed from one address; a longer chain is broken.
pub const MAX_REDIRECTS: usize = 5;

/// What the last check of an address found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// The final answer was 2xx or 3xx.
    Ok,
    /// 4xx or 5xx, or no answer at all (time-out, DNS, TLS, refused).
    Broken,
    /// 429 Too Many Requests: the server asks us to come back later. Not
    /// broken; the next run asks again.
    Later,
    /// Not asked: the address leads into a private network and private
    /// addresses are not allowed (see `links_allow_private`).
    Refused,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Broken => "broken",
            Self::Later => "later",
            Self::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Ok, Self::Broken, Self::Later, Self::Refused]
            .into_iter()
            .find(|h| h.as_str() == text)
    }

    /// What a final HTTP status means: 2xx and 3xx work, 429 is "try
    /// later", anything else is broken.
    pub fn of_status(status: u16) -> Self {
        match status {
            200..=399 => Self::Ok,
            429 => Self::Later,
            _ => Self::Broken,
        }
    }
}

/// The result of checking one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkCheck {
    pub url: String,
    pub health: Health,
    /// The final HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Why there was no answer, in Danish.
    pub error: Option<String>,
    pub checked_at: Timestamp,
}

impl LinkCheck {
    /// What editors see: "Virker", "Fejl: 404", "Fejl: Domænet findes ikke", …
    pub fn label(&self) -> String {
        match (self.health, self.status, &self.error) {
            (Health::Ok, _, _) => "Virker".into(),
            (Health::Broken, Some(status), _) => format!("Fejl: {status}"),
            (Health::Broken, None, Some(error)) => format!("Fejl: {error}"),
            (Health::Broken, None, None) => "Fejl".into(),
            (Health::Later, _, _) => "Ikke tjekket: serveren bad om at vente (429)".into(),
            (Health::Refused, _, _) => format!("Ikke tjekket: {REFUSED}"),
        }
    }
}

/// Said of an address that was not checked because it leads into a private
/// network.
pub const REFUSED: &str = "adressen peger ind i et internt netværk";
/// Said when the host name does not resolve.
pub const NO_SUCH_HOST: &str = "Domænet findes ikke";
/// Said when the server refused or could not be reached.
pub const NO_CONNECTION: &str = "Serveren kunne ikke nås";
/// Said when the secure connection failed.
pub const TLS_FAILED: &str = "Sikker forbindelse mislykkedes (ugyldigt certifikat)";
/// Said of a redirect chain longer than [`MAX_REDIRECTS`].
pub const TOO_MANY_REDIRECTS: &str = "For mange omdirigeringer";
/// Said of any other failure.
pub const FAILED: &str = "Forbindelsen mislykkedes";

/// Said when no answer came within `seconds`.
pub fn timed_out(seconds: u64) -> String {
    format!("Intet svar inden for {seconds} sekunder")
}

/// The address as it is checked and stored: an absolute http or https URL
/// with a host and without a fragment (a part of a page is the page).
pub fn normalize(url: &str) -> Option<String> {
    let mut url = Url::parse(url.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    Some(url.into())
}

/// The addresses of other sites among a body's links, normalized, each
/// once. Links to this site (at `base`), relative links and other schemes
/// (mailto:, tel:, media:) are not among them.
pub fn external_links(markdown: &str, base: &Url) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for dest in destinations(markdown) {
        let Ok(url) = base.join(&dest) else { continue };
        if url.origin() == base.origin() {
            continue;
        }
        if let Some(url) = normalize(url.as_str())
            && !out.contains(&url)
        {
            out.push(url);
        }
    }
    out
}

/// What holds links to other sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    News,
    Page,
    Website,
}

/// An article or page with its body, or a website of the directory with its
/// address.
#[derive(Debug, Clone)]
pub struct LinkSource {
    pub kind: SourceKind,
    pub id: i64,
    pub title: String,
    /// A body (Markdown) for news and pages, the address for a website.
    pub text: String,
}

/// Where an address is used.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LinkUse {
    pub kind: SourceKind,
    pub id: i64,
    pub title: String,
}

/// Every address of another site that `sources` link to, with where each
/// is used (in the order of `sources`).
pub fn uses(sources: &[LinkSource], base: &Url) -> BTreeMap<String, Vec<LinkUse>> {
    let mut map: BTreeMap<String, Vec<LinkUse>> = BTreeMap::new();
    for source in sources {
        let urls = match source.kind {
            SourceKind::Website => normalize(&source.text).into_iter().collect(),
            SourceKind::News | SourceKind::Page => external_links(&source.text, base),
        };
        for url in urls {
            map.entry(url).or_default().push(LinkUse {
                kind: source.kind,
                id: source.id,
                title: source.title.clone(),
            });
        }
    }
    map
}

/// Whether an address may be asked without `links_allow_private`: not
/// loopback, private, link-local, shared (CGNAT), unique-local,
/// unspecified, multicast, broadcast or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8)
        }
    }
}

/// Whether a site whose last run finished at `last` (if ever) is due for a
/// run at `now`, with runs `interval_hours` apart (0: never).
pub fn due(last: Option<Timestamp>, now: Timestamp, interval_hours: u64) -> bool {
    if interval_hours == 0 {
        return false;
    }
    let hours = i64::try_from(interval_hours).unwrap_or(i64::MAX / 3600);
    match last {
        None => true,
        Some(last) => now.duration_since(last) >= jiff::SignedDuration::from_hours(hours),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://www.kommune.example/").unwrap()
    }

    #[test]
    fn only_links_to_other_sites_are_external() {
        let body = "[a](https://andet.example/side#afsnit) [b](/borger) [c](https://www.kommune.example/x) \
                    [d](mailto:a@b.dk) [e](media:3) [f](HTTP://Andet.Example/side) [g](ftp://x.example/) \
                    [h](//tredje.example/y) [i](http://www.kommune.example/z)";
        assert_eq!(
            external_links(body, &base()),
            vec![
                "https://andet.example/side",
                "http://andet.example/side",
                "https://tredje.example/y",
                "http://www.kommune.example/z",
            ]
        );
    }

    #[test]
    fn uses_name_every_place_an_address_is_used() {
        let sources = vec![
            LinkSource {
                kind: SourceKind::News,
                id: 1,
                title: "Nyhed".into(),
                text: "[x](https://skole.example/) og [y](https://skole.example/#top)".into(),
            },
            LinkSource {
                kind: SourceKind::Website,
                id: 7,
                title: "Skolen".into(),
                text: "https://skole.example".into(),
            },
        ];
        let map = uses(&sources, &base());
        let used = &map["https://skole.example/"];
        assert_eq!(used.len(), 2);
        assert_eq!(used[0].kind, SourceKind::News);
        assert_eq!(used[1].id, 7);
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn statuses_and_labels() {
        assert_eq!(Health::of_status(200), Health::Ok);
        assert_eq!(Health::of_status(301), Health::Ok);
        assert_eq!(Health::of_status(404), Health::Broken);
        assert_eq!(Health::of_status(500), Health::Broken);
        assert_eq!(Health::of_status(429), Health::Later);
        for h in [Health::Ok, Health::Broken, Health::Later, Health::Refused] {
            assert_eq!(Health::parse(h.as_str()), Some(h));
        }
        let check = |health, status, error: Option<&str>| LinkCheck {
            url: "https://x.example/".into(),
            health,
            status,
            error: error.map(str::to_string),
            checked_at: Timestamp::UNIX_EPOCH,
        };
        assert_eq!(check(Health::Ok, Some(200), None).label(), "Virker");
        assert_eq!(check(Health::Broken, Some(404), None).label(), "Fejl: 404");
        assert_eq!(
            check(Health::Broken, None, Some(NO_SUCH_HOST)).label(),
            "Fejl: Domænet findes ikke"
        );
        assert!(
            check(Health::Refused, None, None)
                .label()
                .starts_with("Ikke tjekket")
        );
    }

    #[test]
    fn private_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "2a00:1450:4001::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn runs_are_due_after_the_interval() {
        let now = Timestamp::from_second(1_000_000).unwrap();
        let hour_ago = Timestamp::from_second(1_000_000 - 3600).unwrap();
        assert!(due(None, now, 24));
        assert!(!due(None, now, 0));
        assert!(!due(Some(hour_ago), now, 24));
        assert!(due(Some(hour_ago), now, 1));
    }
}
