//! Phone numbers: Danish 8-digit numbers shown in pairs, others in E.164.

use std::fmt;

/// A phone number, stored as E.164 (`+4527852451`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Skriv et telefonnummer med 8 cifre, fx 27 85 24 51, eller et udenlandsk nummer med +landekode."
)]
pub struct PhoneError;

impl Phone {
    /// Reads `27 85 24 51`, `27852451`, `+45 2785 2451`, `0045 27852451`,
    /// `(+45) 27-85-24-51` or a foreign number with `+` or `00` and country code.
    pub fn parse(value: &str) -> Result<Self, PhoneError> {
        let compact: String = value
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}'))
            .collect();
        let (international, digits) = if let Some(rest) = compact.strip_prefix('+') {
            (true, rest)
        } else if let Some(rest) = compact.strip_prefix("00") {
            (true, rest)
        } else {
            (false, compact.as_str())
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError);
        }
        // No Danish number starts with 0 (and one that did would be shown as
        // `00 …`, which reads back as a foreign number).
        let danish = |national: &str| national.len() == 8 && !national.starts_with('0');
        let valid = if !international {
            danish(digits)
        } else if let Some(national) = digits.strip_prefix("45") {
            danish(national)
        } else {
            // E.164: a country code that does not start with 0, at most 15 digits.
            (8..=15).contains(&digits.len()) && !digits.starts_with('0')
        };
        match (valid, international) {
            (false, _) => Err(PhoneError),
            (true, true) => Ok(Self(format!("+{digits}"))),
            (true, false) => Ok(Self(format!("+45{digits}"))),
        }
    }

    /// Accepts a number already stored in E.164 form by [`Phone::e164`].
    pub fn from_e164(value: &str) -> Result<Self, PhoneError> {
        if value.starts_with('+') {
            Self::parse(value)
        } else {
            Err(PhoneError)
        }
    }

    /// `+4527852451`, for `tel:` links and storage.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// `tel:+4527852451`
    pub fn tel_uri(&self) -> String {
        format!("tel:{}", self.0)
    }

    /// How a Dane reads it: `27 85 24 51`; a foreign number as `+46 812345678`.
    pub fn display(&self) -> String {
        match self.0.strip_prefix("+45") {
            Some(national) => {
                let b = national.as_bytes();
                b.chunks(2)
                    .map(|pair| String::from_utf8_lossy(pair).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            None => self.0.clone(),
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

text_serde!(Phone, Phone::from_e164, Phone::e164);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_numbers_in_any_common_spelling() {
        for s in [
            "27 85 24 51",
            "27852451",
            "2785 2451",
            "+45 27 85 24 51",
            "+4527852451",
            "0045 27852451",
            "(+45) 27-85-24-51",
            " 27.85.24.51 ",
        ] {
            let p = Phone::parse(s).unwrap_or_else(|_| panic!("{s}"));
            assert_eq!(p.e164(), "+4527852451");
            assert_eq!(p.display(), "27 85 24 51");
            assert_eq!(p.tel_uri(), "tel:+4527852451");
        }
    }

    #[test]
    fn foreign_numbers_keep_their_country_code() {
        let p = Phone::parse("+46 8 123 456 78").unwrap();
        assert_eq!(p.e164(), "+46812345678");
        assert_eq!(p.display(), "+46812345678");
        assert_eq!(
            Phone::parse("0049 30 1234567").unwrap().e164(),
            "+49301234567"
        );
    }

    #[test]
    fn wrong_numbers_are_refused() {
        for s in [
            "",
            "1234567",
            "123456789",
            "+45 1234567",
            "27 85 24 5x",
            "tlf. 27852451",
            "+0123456789",
            "++4527852451",
            "+",
            "01234567",
            "+45 00 45 27 85",
        ] {
            assert_eq!(Phone::parse(s), Err(PhoneError), "{s}");
        }
    }

    #[test]
    fn the_display_form_reads_back() {
        // Found by the `phone` fuzz target: `+45 00 45 27 85` was accepted
        // and shown as `00 45 27 85`, which reads as a foreign number.
        for s in [
            "27 85 24 51",
            "+46 8 123 456 78",
            "+45 00 45 27 85",
            "+45 01 23 45 67",
        ] {
            if let Ok(p) = Phone::parse(s) {
                assert_eq!(Phone::parse(&p.display()), Ok(p), "{s}");
            }
        }
    }

    #[test]
    fn stored_form_round_trips() {
        let p = Phone::parse("24 91 24 36").unwrap();
        assert_eq!(Phone::from_e164(p.e164()), Ok(p));
        assert_eq!(Phone::from_e164("24912436"), Err(PhoneError));
    }
}
