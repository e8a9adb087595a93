//! Sites (tenants). Every piece of content belongs to exactly one site, so one
//! installation serves the municipality's own site (the main site) and its
//! institutions' websites (subsites), each on its own host.

use std::borrow::Cow;

use url::Url;

use crate::validation::{ValidationErrors, required_text};

/// The id of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub id: SiteId,
    /// The municipality's name as shown in the header, e.g. "Vesterfjord Kommune".
    pub name: String,
}

/// A site other than the main one: an institution's website, answering on
/// its own host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subsite {
    pub site: Site,
    /// The host requests name it by (`skolen.kommune.dk`).
    pub host: Host,
    /// Its public address, for canonical links, feeds and the sitemap.
    pub base_url: Url,
    /// The topic of the main site's directory it is listed under.
    pub topic_id: Option<i64>,
}

/// A host name as a request's `Host` header gives it: lower case, without a
/// port or a final dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Host(String);

/// Longest host name (RFC 1035).
const MAX_HOST: usize = 253;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostError {
    #[error("Skriv værtsnavnet, fx skolen.kommune.dk.")]
    Empty,
    #[error(
        "Værtsnavnet må kun have bogstaverne a-z, tal, bindestreger og punktummer mellem delene, fx skolen.kommune.dk."
    )]
    Invalid,
    #[error("Værtsnavnet skal have mindst ét punktum, fx skolen.kommune.dk.")]
    NoDot,
    #[error(
        "{0} er hovedwebstedets adresse på denne maskine og kan ikke bruges til et underwebsted."
    )]
    Loopback(String),
    #[error("Et underwebsted skal have et værtsnavn, ikke en IP-adresse.")]
    Address,
}

impl Host {
    /// A DNS name as an operator types it (`Skolen.Kommune.dk.`): letters,
    /// digits and hyphens in dot-separated labels of at most 63 characters,
    /// at least two labels. IP addresses and the loopback names are not
    /// subsite hosts (they reach the main site).
    pub fn parse(text: &str) -> Result<Self, HostError> {
        let name = text.trim().trim_end_matches('.').to_ascii_lowercase();
        if name.is_empty() {
            return Err(HostError::Empty);
        }
        let labels_ok = name.len() <= MAX_HOST
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !labels_ok {
            return Err(HostError::Invalid);
        }
        if is_loopback_name(&name) {
            return Err(HostError::Loopback(name));
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            return Err(HostError::Address);
        }
        if !name.contains('.') {
            return Err(HostError::NoDot);
        }
        Ok(Self(name))
    }

    /// The host part of a request's `Host` header value (`Skolen.dk:8080`
    /// → `skolen.dk`; `[::1]:80` → `[::1]`), lower case, without a final
    /// dot. Nothing for a value no host can have.
    pub fn of_header(value: &str) -> Option<Cow<'_, str>> {
        let value = value.trim();
        let host = if value.starts_with('[') {
            let end = value.find(']')?;
            let (host, rest) = value.split_at(end + 1);
            (rest.is_empty() || rest.strip_prefix(':').is_some_and(is_port)).then_some(host)?
        } else {
            match value.rsplit_once(':') {
                Some((host, port)) if is_port(port) => host,
                Some(_) => return None,
                None => value,
            }
        };
        let host = host.trim_end_matches('.');
        if host.is_empty() {
            return None;
        }
        // Hosts come in lower case nearly always: then nothing is copied.
        Some(if host.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(host.to_ascii_lowercase())
        } else {
            Cow::Borrowed(host)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `host` (lower case, no port) names this machine: `localhost`,
/// the IPv4 loopback addresses and `[::1]` (not `*.localhost`: in local
/// use those can be subsites).
pub fn is_loopback_name(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A new subsite as given on the command line or in the admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsiteInput {
    pub name: String,
    pub host: Host,
    pub base_url: Url,
    /// The name of the main site's directory topic to list it under.
    pub topic: Option<String>,
}

impl SubsiteInput {
    /// Checks what an operator typed: a name, a host, and a base URL
    /// (`https://HOST/` unless given: http or https, with the host, no
    /// user, query or fragment).
    pub fn parse(
        name: &str,
        host: &str,
        base_url: Option<&str>,
        topic: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = errors.check("name", required_text(name, 200, "webstedets navn"));
        let host = errors.check("host", Host::parse(host));
        let base_url = match (base_url.map(str::trim).filter(|u| !u.is_empty()), &host) {
            (Some(text), host) => errors.check("base_url", parse_base_url(text, host.as_ref())),
            (None, Some(host)) => Url::parse(&format!("https://{host}/")).ok(),
            (None, None) => None,
        };
        let topic = topic
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        match (name, host, base_url) {
            (Some(name), Some(host), Some(base_url)) if errors.is_empty() => Ok(Self {
                name,
                host,
                base_url,
                topic,
            }),
            _ => Err(errors),
        }
    }
}

/// A site's public address: http or https, a path ending in `/`, nothing
/// else, on the site's own `host` (an address on another host would send
/// canonical links and feeds where the site does not answer).
fn parse_base_url(text: &str, host: Option<&Host>) -> Result<Url, String> {
    const WRONG: &str = "Adressen skal være en hel http- eller https-adresse uden andet end en sti, fx https://skolen.kommune.dk/.";
    let url = Url::parse(text).map_err(|_| WRONG.to_string())?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none();
    if !plain {
        return Err(WRONG.into());
    }
    if let Some(host) = host.filter(|h| url.host_str() != Some(h.as_str())) {
        return Err(format!(
            "Adressen skal have webstedets eget værtsnavn, {host}, fx https://{host}/."
        ));
    }
    let mut url = url;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_dns_names_in_lower_case() {
        assert_eq!(
            Host::parse(" Skolen.Kommune.DK. ").unwrap().as_str(),
            "skolen.kommune.dk"
        );
        assert_eq!(Host::parse("a-b.c1.dk").unwrap().as_str(), "a-b.c1.dk");
        assert_eq!(Host::parse(""), Err(HostError::Empty));
        assert_eq!(Host::parse("skolen"), Err(HostError::NoDot));
        for bad in [
            "skolen..dk",
            "-skolen.dk",
            "skolen-.dk",
            "skolen.dk:80",
            "sk olen.dk",
            "skølen.dk",
            "[::1]",
            "skolen.dk/sti",
            &format!("{}.dk", "a".repeat(64)),
        ] {
            assert_eq!(Host::parse(bad), Err(HostError::Invalid), "{bad}");
        }
        for own in ["localhost", "127.0.0.1", "127.1.2.3"] {
            assert!(
                matches!(Host::parse(own), Err(HostError::Loopback(_))),
                "{own}"
            );
        }
        assert_eq!(Host::parse("10.0.0.1"), Err(HostError::Address));
    }

    #[test]
    fn the_host_of_a_header_drops_the_port() {
        assert_eq!(
            Host::of_header("Skolen.dk:8080").as_deref(),
            Some("skolen.dk")
        );
        assert_eq!(Host::of_header("skolen.dk.").as_deref(), Some("skolen.dk"));
        assert_eq!(Host::of_header("[::1]:3000").as_deref(), Some("[::1]"));
        assert_eq!(
            Host::of_header("127.0.0.1:3000").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(Host::of_header("skolen.dk:x"), None);
        assert_eq!(Host::of_header("[::1"), None);
        assert_eq!(Host::of_header(""), None);
        assert!(is_loopback_name("127.0.0.1"));
        assert!(is_loopback_name("[::1]"));
        assert!(!is_loopback_name("skolen.localhost"));
    }

    #[test]
    fn a_subsite_input_has_a_name_a_host_and_an_address() {
        let s = SubsiteInput::parse("Skolen", "skolen.kommune.dk", None, Some(" Skoler ")).unwrap();
        assert_eq!(s.base_url.as_str(), "https://skolen.kommune.dk/");
        assert_eq!(s.topic.as_deref(), Some("Skoler"));
        let s = SubsiteInput::parse(
            "Skolen",
            "skolen.localhost",
            Some("http://skolen.localhost:8080/sti"),
            None,
        )
        .unwrap();
        assert_eq!(s.base_url.as_str(), "http://skolen.localhost:8080/sti/");
        let e = SubsiteInput::parse(
            "Skolen",
            "skolen.kommune.dk",
            Some("https://www.skolen.dk/"),
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.for_field("base_url"),
            Some(
                "Adressen skal have webstedets eget værtsnavn, skolen.kommune.dk, fx https://skolen.kommune.dk/."
            )
        );
        let e = SubsiteInput::parse(" ", "x", Some("ftp://a/"), None).unwrap_err();
        let fields: Vec<_> = e.errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "host", "base_url"]);
    }
}
