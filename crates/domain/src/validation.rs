//! Validation errors: which field is wrong and why, in Danish, for the editor.

use std::fmt;

/// One problem with one field. `message` is Danish and addressed to an editor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// All problems found in one input, in the order of the form's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ValidationErrors(Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One error on one field.
    pub fn one(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Records the error of a field's parse result and returns the value, if any.
    pub fn check<T, E: fmt::Display>(
        &mut self,
        field: &'static str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.add(field, e.to_string())).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// The message for one field, if it has one.
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// `result`, unless this recorded errors too: then every error, those
    /// of `result` first.
    pub fn and<T>(self, result: Result<T, ValidationErrors>) -> Result<T, ValidationErrors> {
        match result {
            Ok(value) if self.is_empty() => Ok(value),
            Ok(_) => Err(self),
            Err(mut all) => {
                all.0.extend(self.0);
                Err(all)
            }
        }
    }

    /// `Ok(value)` when nothing was recorded, else the errors.
    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Trims `value` and checks that it is present, at most `max` characters
/// long as given, and made of [allowed characters](forbidden_char).
pub fn required_text(value: &str, max: usize, what: &str) -> Result<String, String> {
    checked(value, max)?;
    match value.trim() {
        "" => Err(format!("Skriv {what}.")),
        trimmed => Ok(trimmed.to_string()),
    }
}

/// Trims `value`; an empty value becomes `None`. What is given must be at
/// most `max` characters long and made of allowed characters.
pub fn optional_text(value: Option<&str>, max: usize) -> Result<Option<String>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    checked(value, max)?;
    match value.trim() {
        "" => Ok(None),
        trimmed => Ok(Some(trimmed.to_string())),
    }
}

/// Checks the length (in characters, as given) and the characters of a text.
pub fn checked(value: &str, max: usize) -> Result<(), String> {
    let len = value.chars().count();
    if len > max {
        return Err(format!(
            "Teksten er for lang: {len} tegn, højst {max} er tilladt."
        ));
    }
    match value.chars().find(|&c| forbidden_char(c)) {
        Some(c) => Err(format!(
            "Teksten indeholder et tegn, der ikke kan bruges (U+{:04X}). Fjern det, og prøv igen.",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// Characters no stored text may hold:
/// - control characters other than tab, line feed and carriage return
///   (NUL among them: PostgreSQL cannot store it, and XML 1.0, so every feed,
///   forbids the others);
/// - noncharacters (U+FDD0–U+FDEF and the last two of every plane), which
///   XML also forbids or discourages;
/// - the directional embeddings, overrides and isolates (U+202A–U+202E,
///   U+2066–U+2069), which can make a title or a name read as something it
///   is not.
pub fn forbidden_char(c: char) -> bool {
    let u = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
        || (0x202A..=0x202E).contains(&u)
        || (0x2066..=0x2069).contains(&u)
}

/// `text` with every [forbidden character](forbidden_char) replaced by
/// U+FFFD: for a stored value that did not pass these rules (written into
/// the database outside Raadhus) where it must not break its output, such as
/// XML, which forbids most of them.
pub fn replace_forbidden(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(forbidden_char) {
        text.chars()
            .map(|c| {
                if forbidden_char(c) {
                    char::REPLACEMENT_CHARACTER
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_limits() {
        assert_eq!(required_text("  Hej ", 10, "en titel").unwrap(), "Hej");
        assert_eq!(
            required_text("   ", 10, "en titel").unwrap_err(),
            "Skriv en titel."
        );
        assert!(required_text("æøåæøåæøåæ", 10, "x").is_ok());
        assert!(required_text("æøåæøåæøåæø", 10, "x").is_err());
        assert!(required_text("a\u{0}b", 10, "x").is_err());
        // The length counts what was given, spaces too.
        assert!(required_text(" æøåæøåæøå ", 10, "x").is_err());
    }

    #[test]
    fn characters_feeds_and_databases_cannot_hold_are_refused() {
        for bad in [
            '\u{0}',
            '\u{b}',
            '\u{1f}',
            '\u{7f}',
            '\u{85}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{fdd0}',
            '\u{10ffff}',
            '\u{202e}',
            '\u{2066}',
        ] {
            assert!(forbidden_char(bad), "{:X}", u32::from(bad));
            assert!(required_text(&format!("a{bad}b"), 10, "x").is_err());
            assert!(optional_text(Some(&format!("a{bad}")), 10).is_err());
        }
        for good in [
            '\t', '\n', '\r', 'æ', '\u{200f}', '\u{fdcf}', '\u{fffd}', '😀',
        ] {
            assert!(!forbidden_char(good), "{:X}", u32::from(good));
        }
    }

    #[test]
    fn forbidden_characters_can_be_replaced() {
        assert_eq!(replace_forbidden("a\u{b}b\u{ffff}"), "a\u{fffd}b\u{fffd}");
        assert!(matches!(
            replace_forbidden("æ\tø"),
            std::borrow::Cow::Borrowed("æ\tø")
        ));
    }

    #[test]
    fn optional_text_maps_blank_to_none() {
        assert_eq!(optional_text(Some("  "), 5).unwrap(), None);
        assert_eq!(optional_text(None, 5).unwrap(), None);
        assert_eq!(optional_text(Some(" a "), 5).unwrap(), Some("a".into()));
    }

    #[test]
    fn errors_collect_in_order() {
        let mut errors = ValidationErrors::new();
        assert_eq!(errors.check("a", Ok::<_, String>(1)), Some(1));
        assert_eq!(errors.check::<i32, _>("b", Err("dårlig")), None);
        errors.add("c", "mangler");
        assert_eq!(errors.for_field("b"), Some("dårlig"));
        assert_eq!(errors.to_string(), "b: dårlig; c: mangler");
        assert!(errors.clone().into_result(|| ()).is_err());
        let first: Result<(), _> = Err(ValidationErrors(vec![FieldError {
            field: "z",
            message: "først".into(),
        }]));
        let all = errors.clone().and(first).unwrap_err();
        assert_eq!(all.errors()[0].field, "z");
        assert_eq!(all.errors().len(), 3);
        assert!(ValidationErrors::new().and(Ok::<_, ValidationErrors>(1)) == Ok(1));
        assert!(errors.and(Ok::<_, ValidationErrors>(1)).is_err());
    }
}
