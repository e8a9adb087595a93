//! Redirects made by editors: an address of this site (`from`, a path) that
//! answers `301` or `302` with another address (`to`, a path of this site or
//! an absolute `https://` URL), for moving from an old site.
//!
//! Paths are compared in one canonical form ([`canonical_path`]): percent
//! escapes decoded and encoded again the one way, and no trailing slash. A
//! request's path is put in the same form before it is looked up, so
//! `/Om%20os/` and `/Om os` are one address.

use url::Url;

use crate::urls;
use crate::validation::{ValidationErrors, forbidden_char};

/// Longest `from` and `to`, in characters as given.
pub const MAX_PATH_CHARS: usize = 1000;
pub const MAX_URL_CHARS: usize = 2000;

/// A redirect as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Redirect {
    pub id: i64,
    /// Canonical path.
    pub from: String,
    /// A canonical site path (with any query and fragment) or an absolute
    /// `https` URL.
    pub to: String,
    /// `301` when true, else `302`.
    pub permanent: bool,
    #[serde(skip)]
    pub created_at: jiff::Timestamp,
}

impl Redirect {
    /// The status code it answers with.
    pub fn status(&self) -> u16 {
        status(self.permanent)
    }

    /// How the audit log and messages name it: `/gammel → /ny`.
    pub fn name(&self) -> String {
        format!("{} → {}", self.from, self.to)
    }
}

/// `301` for a permanent redirect, else `302`.
pub fn status(permanent: bool) -> u16 {
    if permanent { 301 } else { 302 }
}

/// A new redirect, validated: `from` canonical and not one of the site's own
/// addresses, `to` a canonical site path or an `https` URL, not `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectInput {
    pub from: String,
    pub to: String,
    pub permanent: bool,
}

impl RedirectInput {
    /// Reads `from` and `to` as given by an editor, the API or a CSV row.
    pub fn new(from: &str, to: &str, permanent: bool) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let from = errors.check("from", source(from));
        let to = errors.check("to", target(to));
        if let (Some(from), Some(to)) = (&from, &to)
            && target_path(to) == Some(from.as_str())
        {
            errors.add("to", "Adressen kan ikke omdirigere til sig selv.");
        }
        errors.into_result(|| Self {
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
            permanent,
        })
    }

    /// Where it leads on this site (its canonical path), if it does.
    pub fn to_path(&self) -> Option<&str> {
        target_path(&self.to)
    }
}

/// The canonical path of a stored or new target on this site (without its
/// query and fragment); `None` for an `https` URL.
pub fn target_path(to: &str) -> Option<&str> {
    if !to.starts_with('/') {
        return None;
    }
    let end = to.find(['?', '#']).unwrap_or(to.len());
    Some(&to[..end])
}

/// Reads `permanent` as a form, the API or a CSV file gives it: `301`,
/// `true`, `ja`, `1` (or blank: the default) are permanent; `302`, `false`,
/// `nej`, `0` are not.
pub fn parse_permanent(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "" | "301" | "true" | "ja" | "1" => Ok(true),
        "302" | "false" | "nej" | "0" => Ok(false),
        other => Err(format!(
            "»{other}« er ikke en gyldig værdi for permanent: skriv 301, true, 302 eller false."
        )),
    }
}

/// Checks `from`: a path of this site that the application does not answer
/// itself.
fn source(raw: &str) -> Result<String, String> {
    let given = raw.trim();
    if given.is_empty() {
        return Err("Skriv den adresse, der skal omdirigeres fra, fx /gammel-side.".into());
    }
    if given.contains(['?', '#']) {
        return Err(
            "Adressen, der omdirigeres fra, må ikke indeholde ? eller #: skriv kun stien, fx /gammel-side."
                .into(),
        );
    }
    let path = canonical_path(raw, MAX_PATH_CHARS)?;
    if path == "/" {
        return Err("Forsiden kan ikke omdirigeres.".into());
    }
    if is_own(&path) {
        return Err(format!(
            "{path} er en af sitets egne adresser og kan ikke omdirigeres."
        ));
    }
    Ok(path)
}

/// Whether the application answers `path` itself: a reserved first segment
/// (but old news addresses under `/nyheder/` may be redirected, except the
/// feeds).
fn is_own(path: &str) -> bool {
    let first = path[1..].split('/').next().unwrap_or_default();
    if first == urls::NEWS.trim_start_matches('/') {
        return path == urls::NEWS || path == urls::ATOM_FEED || path == urls::RSS_FEED;
    }
    urls::is_reserved(first)
}

/// Checks `to`: a path of this site (with an optional query and fragment) or
/// an absolute `https` URL with a host and no user name or password.
/// Canonical form; Danish message when it cannot be one.
pub fn target(raw: &str) -> Result<String, String> {
    let given = raw.trim();
    if given.is_empty() {
        return Err("Skriv den adresse, der skal omdirigeres til.".into());
    }
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(format!("Adressen må højst være {MAX_URL_CHARS} tegn lang."));
    }
    if raw.chars().any(|c| c.is_control() || forbidden_char(c)) {
        return Err("Adressen indeholder et tegn, der ikke kan bruges.".into());
    }
    if given.contains(char::is_whitespace) {
        return Err("Adressen må ikke indeholde mellemrum: skriv dem som %20.".into());
    }
    if given.starts_with('/') && !given.starts_with("//") {
        return site_target(given);
    }
    if let Some(rest) = given.strip_prefix("http://") {
        return Err(format!(
            "Kun https-adresser kan bruges: skriv https://{rest}, hvis sitet kan nås sådan."
        ));
    }
    if !given.starts_with("https://") {
        return Err(
            "Skriv en sti på dette site, der begynder med /, eller en fuld adresse, der begynder med https://."
                .into(),
        );
    }
    let url = Url::parse(given).map_err(|_| "Adressen er ikke en gyldig https-adresse.")?;
    if given["https://".len()..].starts_with('/') || url.host_str().is_none_or(str::is_empty) {
        return Err("Adressen mangler et domæne, fx https://www.kommune.dk/side.".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Adressen må ikke indeholde brugernavn eller adgangskode.".into());
    }
    let text = url.to_string();
    if text.len() > MAX_URL_CHARS {
        return Err(format!("Adressen må højst være {MAX_URL_CHARS} tegn lang."));
    }
    Ok(text)
}

/// A site path with an optional query and fragment, in canonical form.
fn site_target(given: &str) -> Result<String, String> {
    let (rest, fragment) = match given.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (given, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (rest, None),
    };
    let path = canonical_path(path, MAX_PATH_CHARS)?;
    let mut url = base();
    url.set_path(&path);
    url.set_query(query.filter(|q| !q.is_empty()));
    url.set_fragment(fragment.filter(|f| !f.is_empty()));
    Ok(url[url::Position::BeforePath..].to_string())
}

/// The base a path is resolved against (never shown).
fn base() -> Url {
    // A constant, valid URL.
    Url::parse("https://raadhus.invalid/").unwrap_or_else(|_| unreachable!("a valid URL"))
}

/// The canonical form of a path: percent escapes decoded (to UTF-8) and
/// encoded again as URLs encode paths, no empty, `.` or `..` segment, no
/// control character, no trailing slash (but the root's).
pub fn canonical_path(raw: &str, max_chars: usize) -> Result<String, String> {
    if raw.chars().count() > max_chars {
        return Err(format!("Adressen må højst være {max_chars} tegn lang."));
    }
    let given = raw.trim();
    if !given.starts_with('/') {
        return Err("Skriv stien, så den begynder med /, fx /gammel-side.".into());
    }
    let decoded = percent_encoding::percent_decode_str(given)
        .decode_utf8()
        .map_err(|_| "Adressen indeholder %-koder, der ikke er gyldig UTF-8.")?;
    if decoded
        .chars()
        .any(|c| c.is_control() || forbidden_char(c) || c == '\\')
    {
        return Err("Adressen indeholder et tegn, der ikke kan bruges.".into());
    }
    let trimmed = match decoded.strip_suffix('/') {
        Some(rest) if !rest.is_empty() => rest,
        _ => &decoded,
    };
    if trimmed != "/"
        && trimmed[1..]
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Err("Adressen må ikke indeholde // eller segmenterne . og ..".into());
    }
    let mut url = base();
    // `%` itself first: it would read as an escape, and decoding the result
    // must give `trimmed` again.
    url.set_path(&trimmed.replace('%', "%25"));
    Ok(url.path().to_string())
}

/// A request's path in canonical form, to look it up among the redirects;
/// `None` when it cannot be one (then nothing redirects from it).
pub fn request_path(path: &str) -> Option<String> {
    canonical_path(path, MAX_PATH_CHARS).ok()
}

/// Where a redirect to `to` sends a request that came with `query`: the
/// request's query is passed on, after the target's own if it has one (and
/// before its fragment).
pub fn forward(to: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return to.to_string();
    };
    let (rest, fragment) = match to.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (to, None),
    };
    let joiner = if rest.contains('?') { '&' } else { '?' };
    match fragment {
        Some(fragment) => format!("{rest}{joiner}{query}#{fragment}"),
        None => format!("{rest}{joiner}{query}"),
    }
}

/// Where a redirect to `to` ends when `to`'s path is itself redirected to
/// `next`: `next`, with `to`'s query passed on and its fragment kept where
/// `next` has none, as a browser following both would end.
pub fn collapse(to: &str, next: &str) -> String {
    let (rest, fragment) = match to.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (to, None),
    };
    let query = rest.split_once('?').map(|(_, q)| q);
    let joined = forward(next, query);
    match fragment {
        Some(fragment) if !joined.contains('#') => format!("{joined}#{fragment}"),
        _ => joined,
    }
}

#[cfg(test)]
mod tests;
