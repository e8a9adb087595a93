//! URL slugs made from Danish titles.

use std::fmt;

use crate::validation::ValidationErrors;

/// Longest slug we make or accept, in bytes (slugs are ASCII).
pub const MAX_LEN: usize = 80;

/// A URL path segment: lower-case ASCII letters, digits and single hyphens,
/// neither starting nor ending with a hyphen.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("Skriv en kort adresse (slug).")]
    Empty,
    #[error("Adressen må højst være {MAX_LEN} tegn.")]
    TooLong,
    #[error(
        "Adressen må kun indeholde små bogstaver a-z, tal og bindestreger, og ikke starte eller slutte med bindestreg."
    )]
    Invalid,
}

impl Slug {
    /// Accepts a slug exactly as given, if it is well-formed.
    pub fn parse(value: &str) -> Result<Self, SlugError> {
        if value.is_empty() {
            return Err(SlugError::Empty);
        }
        if value.len() > MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let well_formed = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--");
        if well_formed {
            Ok(Self(value.to_string()))
        } else {
            Err(SlugError::Invalid)
        }
    }

    /// Makes a slug from a title: lower case, æ→ae, ø→oe, å→aa, other letters
    /// transliterated to ASCII, everything else turned into single hyphens.
    /// A title without any letter or digit gives `None`.
    pub fn from_title(title: &str) -> Option<Self> {
        let mut ascii = String::with_capacity(title.len());
        for c in title.chars() {
            match c {
                'æ' | 'Æ' => ascii.push_str("ae"),
                'ø' | 'Ø' => ascii.push_str("oe"),
                'å' | 'Å' => ascii.push_str("aa"),
                c if c.is_ascii() => ascii.push(c),
                c if c.is_alphanumeric() => {
                    ascii.push_str(deunicode::deunicode_char(c).unwrap_or("-"))
                }
                _ => ascii.push('-'),
            }
        }
        let mut slug = String::with_capacity(ascii.len());
        for c in ascii.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        truncate_at_word(&mut slug, MAX_LEN);
        while slug.ends_with('-') {
            slug.pop();
        }
        Self::parse(&slug).ok()
    }

    /// The slug of a new or changed item: the one the editor typed, if any (it
    /// must be well-formed), else one made from `title`, or `fallback` (a
    /// well-formed slug, e.g. "nyhed") when the title has no letter or digit
    /// to make one of. Problems are recorded on the `slug` field of `errors`.
    pub fn typed_or_from_title(
        typed: Option<&str>,
        title: Option<&str>,
        fallback: &'static str,
        errors: &mut ValidationErrors,
    ) -> Option<Self> {
        // The length counts what was given, as for every text.
        if typed.is_some_and(|s| s.chars().count() > MAX_LEN) {
            errors.add("slug", SlugError::TooLong.to_string());
            return None;
        }
        match typed.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => errors.check("slug", Self::parse(s)),
            None => title.map(|t| Self::from_title(t).unwrap_or_else(|| Self(fallback.into()))),
        }
    }

    /// The `n`-th alternative of this slug (`n >= 2`): `slug-2`, `slug-3`, …,
    /// shortened so that it still fits.
    pub fn numbered(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        truncate_at_word(&mut base, MAX_LEN - suffix.len());
        while base.ends_with('-') {
            base.pop();
        }
        Self(base + &suffix)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What this slug and every alternative of it ([`Slug::numbered`])
    /// begin with: the part no shortening cuts.
    pub fn family(&self) -> &str {
        // A suffix takes at most 11 bytes ("-4294967295"), and shortening
        // keeps at least half of the room left.
        let kept = (MAX_LEN - 11) / 2;
        &self.0[..self.0.len().min(kept)]
    }

    /// Picks the first of `self`, `self-2`, `self-3`, … that `taken` says is free.
    pub fn make_unique(&self, taken: impl FnMut(&Slug) -> bool) -> Slug {
        self.first_free(1, taken).0
    }

    /// Like [`Slug::make_unique`], starting at alternative `from` (1: `self`,
    /// `n >= 2`: `self-n`) when those before it are known to be taken; gives
    /// the number of the one picked too, so that a caller giving many slugs
    /// out of one growing set can start the next search after it.
    pub fn first_free(&self, from: u32, mut taken: impl FnMut(&Slug) -> bool) -> (Slug, u32) {
        if from <= 1 && !taken(self) {
            return (self.clone(), 1);
        }
        (from.max(2)..)
            .map(|n| (self.numbered(n), n))
            .find(|(candidate, _)| !taken(candidate))
            .unwrap_or_else(|| (self.clone(), 1))
    }
}

/// Cuts `s` (ASCII) to at most `max` bytes, preferring to end at a hyphen.
fn truncate_at_word(s: &mut String, max: usize) {
    if s.len() <= max {
        return;
    }
    let cut = match s[..=max].rfind('-') {
        Some(i) if i > max / 2 => i,
        _ => max,
    };
    s.truncate(cut);
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

text_serde!(Slug, Slug::parse);

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(title: &str) -> String {
        Slug::from_title(title).map(|s| s.0).unwrap_or_default()
    }

    #[test]
    fn danish_letters_are_spelled_out() {
        assert_eq!(
            slug("Positivt dialogmøde med erhvervslivet"),
            "positivt-dialogmoede-med-erhvervslivet"
        );
        assert_eq!(slug("Ærø, Øresund og Århus"), "aeroe-oeresund-og-aarhus");
        assert_eq!(slug("BLÅBÆRGRØD"), "blaabaergroed");
    }

    #[test]
    fn other_letters_are_transliterated() {
        assert_eq!(slug("Café Ünter Straße"), "cafe-unter-strasse");
        assert_eq!(slug("Crème brûlée à la carte"), "creme-brulee-a-la-carte");
    }

    #[test]
    fn punctuation_becomes_single_hyphens() {
        assert_eq!(
            slug("  Nyt: 2026 -- budget (vedtaget)!  "),
            "nyt-2026-budget-vedtaget"
        );
        assert_eq!(slug("”Citat” – og så?"), "citat-og-saa");
        assert_eq!(slug("!!!"), "");
        assert_eq!(slug("🎉"), "");
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = "Kommunalbestyrelsen har i aften vedtaget et budget som styrker skolerne og dagtilbuddene i hele kommunen";
        let s = Slug::from_title(title).unwrap();
        assert!(s.as_str().len() <= MAX_LEN);
        assert!(!s.as_str().ends_with('-'));
        assert!(
            title
                .to_lowercase()
                .starts_with(&s.as_str().replace('-', " "))
        );
    }

    #[test]
    fn parse_accepts_only_well_formed_slugs() {
        assert!(Slug::parse("gode-nyheder-2").is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        for bad in ["Store", "a--b", "-a", "a-", "a b", "æble", "a/b", "a%20b"] {
            assert_eq!(Slug::parse(bad), Err(SlugError::Invalid), "{bad}");
        }
        assert_eq!(Slug::parse(&"a".repeat(81)), Err(SlugError::TooLong));
    }

    #[test]
    fn alternatives_of_a_long_slug_stay_in_its_family() {
        for slug in [
            "0".repeat(80),
            format!("{}-{}", "a".repeat(40), "b".repeat(39)),
        ] {
            let slug = Slug::parse(&slug).unwrap();
            for n in [2, 10, 4_294_967_295] {
                let alternative = slug.numbered(n);
                assert!(alternative.as_str().len() <= MAX_LEN);
                assert!(
                    alternative.as_str().starts_with(slug.family()),
                    "{alternative}"
                );
            }
        }
    }

    #[test]
    fn make_unique_appends_the_first_free_number() {
        let base = Slug::parse("nyhed").unwrap();
        let taken = ["nyhed", "nyhed-2"];
        let unique = base.make_unique(|s| taken.contains(&s.as_str()));
        assert_eq!(unique.as_str(), "nyhed-3");
        assert_eq!(base.make_unique(|_| false).as_str(), "nyhed");
    }

    #[test]
    fn first_free_starts_where_it_is_told() {
        let base = Slug::parse("nyhed").unwrap();
        let taken = ["nyhed", "nyhed-2", "nyhed-3"];
        let free = |from| base.first_free(from, |s| taken.contains(&s.as_str()));
        assert_eq!(free(1), (Slug::parse("nyhed-4").unwrap(), 4));
        assert_eq!(free(3), (Slug::parse("nyhed-4").unwrap(), 4));
        assert_eq!(free(6), (Slug::parse("nyhed-6").unwrap(), 6));
        assert_eq!(base.first_free(1, |_| false), (base.clone(), 1));
    }

    #[test]
    fn numbered_slugs_still_fit() {
        let long = Slug::parse(&"a".repeat(MAX_LEN)).unwrap();
        let n = long.numbered(12);
        assert!(n.as_str().len() <= MAX_LEN);
        assert!(n.as_str().ends_with("-12"));
        assert!(Slug::parse(n.as_str()).is_ok());
    }
}
