//! Best bets ("Anbefalede resultater"): an editor pins a result for a
//! search phrase, shown first and marked as recommended when a citizen
//! searches for that phrase ("affald" → the page about bins, "skat" →
//! https://skat.dk). A phrase matches a search typed in any case, with any
//! spacing or punctuation, with or without æ ø å.

use crate::redirect;
use crate::validation::{ValidationErrors, optional_text};

/// Longest phrase, in characters.
pub const MAX_PHRASE_CHARS: usize = 100;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;

/// A best bet as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestBet {
    pub id: i64,
    /// As the editor wrote it (trimmed, spaces collapsed).
    pub phrase: String,
    /// A canonical path of this site or an absolute `https` URL.
    pub target: String,
    /// What the result is called.
    pub title: String,
    pub created_at: jiff::Timestamp,
}

impl BestBet {
    /// How the audit log and messages name it: `»affald« → /borger/affald`.
    pub fn name(&self) -> String {
        format!("»{}« → {}", self.phrase, self.target)
    }
}

/// A new best bet, validated. Without a title, the use case names a target
/// on this site by the page or article there, an https URL by its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestBetInput {
    pub phrase: String,
    /// [`phrase_key`] of the phrase: what searches are compared by.
    pub key: String,
    pub target: String,
    pub title: Option<String>,
}

impl BestBetInput {
    pub fn new(phrase: &str, target: &str, title: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let phrase = errors.check("phrase", checked_phrase(phrase));
        let target = errors.check("target", checked_target(target));
        let title = errors.check("title", optional_text(title, MAX_TITLE_CHARS));
        errors.into_result(|| {
            let phrase = phrase.unwrap_or_default();
            Self {
                key: phrase_key(&phrase),
                phrase,
                target: target.unwrap_or_default(),
                title: title.flatten(),
            }
        })
    }

    /// The target's canonical path on this site, if it is on this site.
    pub fn path(&self) -> Option<&str> {
        redirect::target_path(&self.target)
    }
}

fn checked_phrase(raw: &str) -> Result<String, String> {
    let phrase = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if raw.chars().count() > MAX_PHRASE_CHARS {
        return Err(format!(
            "Søgeordet må højst være {MAX_PHRASE_CHARS} tegn langt."
        ));
    }
    if phrase.chars().any(crate::validation::forbidden_char) {
        return Err("Søgeordet indeholder et tegn, der ikke kan bruges.".into());
    }
    if phrase_key(&phrase).is_empty() {
        return Err("Skriv det søgeord, resultatet skal anbefales for, fx affald.".into());
    }
    Ok(phrase)
}

fn checked_target(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err(
            "Skriv det resultat, der skal anbefales: en sti på dette site, fx /borger/affald, eller en fuld adresse, der begynder med https://."
                .into(),
        );
    }
    redirect::target(raw)
}

/// What a phrase or a search is compared by: lower case, æ ø å written as
/// ae oe aa, only letters and digits, words separated by one space.
pub fn phrase_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if !c.is_alphanumeric() {
            gap = !key.is_empty();
            continue;
        }
        if gap {
            key.push(' ');
            gap = false;
        }
        match c {
            'æ' => key.push_str("ae"),
            'ø' => key.push_str("oe"),
            'å' => key.push_str("aa"),
            c => key.push(c),
        }
    }
    key
}

/// The title of a best bet to an `https` URL given none: its host, without
/// `www.`.
pub fn title_of_url(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string());
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_match_a_phrase_however_they_are_typed() {
        assert_eq!(phrase_key("  Svømmehal "), "svoemmehal");
        assert_eq!(phrase_key("svoemmehal"), "svoemmehal");
        assert_eq!(phrase_key("Pas, og  KØREKORT!"), "pas og koerekort");
        assert_eq!(phrase_key("?!"), "");
    }

    #[test]
    fn a_best_bet_needs_a_phrase_and_a_target_here_or_on_https() {
        let ok = BestBetInput::new(" Affald  og genbrug ", "/borger/affald/", None).unwrap();
        assert_eq!(ok.phrase, "Affald og genbrug");
        assert_eq!(ok.key, "affald og genbrug");
        assert_eq!(ok.target, "/borger/affald");
        assert_eq!(ok.path(), Some("/borger/affald"));
        let far =
            BestBetInput::new("skat", "https://www.skat.dk/", Some(" Skattestyrelsen ")).unwrap();
        assert_eq!(far.path(), None);
        assert_eq!(far.title.as_deref(), Some("Skattestyrelsen"));
        for (phrase, target, field) in [
            ("", "/a", "phrase"),
            ("...", "/a", "phrase"),
            (&"x".repeat(101), "/a", "phrase"),
            ("skat", "", "target"),
            ("skat", "http://skat.dk", "target"),
            ("skat", "javascript:alert(1)", "target"),
            ("skat", "//evil.example", "target"),
        ] {
            let errors = BestBetInput::new(phrase, target, None).unwrap_err();
            assert!(errors.for_field(field).is_some(), "{phrase} {target}");
        }
        assert_eq!(title_of_url("https://www.skat.dk/borger"), "skat.dk");
    }
}
