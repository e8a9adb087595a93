//! The codes of the municipality's identity that carry their own checks: the
//! brand colour (white text on it must be readable), the CVR number and the
//! EAN (GLN) number public invoices are sent to.

use std::fmt;

/// The least contrast white text on the brand colour must have: WCAG 2.1
/// success criterion 1.4.3 (AA) for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// The brand colour, `#rrggbb` in lower case. White text on it has at least
/// [`MIN_CONTRAST`] contrast: the header's links and buttons use it as their
/// background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandColor(String);

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BrandColorError {
    #[error("Skriv farven som en farvekode med 6 tegn, fx #1a5c8e.")]
    Format,
    #[error(
        "Hvid tekst på farven {color} har kontrasten {ratio}:1, men den skal være mindst 4,5:1. Vælg en mørkere farve."
    )]
    Contrast { color: String, ratio: String },
}

impl BrandColor {
    /// Reads `#1a5c8e`, `1A5C8E` or the short `#15c` (as `#1155cc`), and
    /// refuses a colour white text is too faint on.
    pub fn parse(value: &str) -> Result<Self, BrandColorError> {
        let hex = value.trim();
        let hex = hex.strip_prefix('#').unwrap_or(hex);
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BrandColorError::Format);
        }
        let hex = match hex.len() {
            6 => hex.to_ascii_lowercase(),
            3 => hex
                .chars()
                .flat_map(|c| [c, c])
                .collect::<String>()
                .to_ascii_lowercase(),
            _ => return Err(BrandColorError::Format),
        };
        let color = Self(format!("#{hex}"));
        let ratio = color.contrast_with_white();
        if ratio < MIN_CONTRAST {
            // Rounded down, so a colour just short of 4.5 never reads "4,5".
            let shown = (ratio * 100.0).floor() / 100.0;
            return Err(BrandColorError::Contrast {
                color: color.0,
                ratio: format!("{shown:.2}").replace('.', ","),
            });
        }
        Ok(color)
    }

    /// `#1a5c8e`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The red, green and blue channels.
    pub fn rgb(&self) -> [u8; 3] {
        let channel = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0);
        [channel(1), channel(3), channel(5)]
    }

    /// The contrast ratio of white text on this colour (1 to 21).
    pub fn contrast_with_white(&self) -> f64 {
        contrast_ratio(1.0, relative_luminance(self.rgb()))
    }
}

impl fmt::Display for BrandColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

text_serde!(BrandColor, BrandColor::parse, BrandColor::as_str);

/// The relative luminance of an sRGB colour, as WCAG 2.1 defines it
/// (0 for black, 1 for white).
pub fn relative_luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The contrast ratio of two relative luminances, as WCAG 2.1 defines it:
/// (lighter + 0.05) / (darker + 0.05).
pub fn contrast_ratio(a: f64, b: f64) -> f64 {
    let (lighter, darker) = if a >= b { (a, b) } else { (b, a) };
    (lighter + 0.05) / (darker + 0.05)
}

/// A CVR number: 8 digits whose modulus-11 check holds (weights 2, 7, 6, 5,
/// 4, 3, 2, 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cvr(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvrError {
    #[error("Et CVR-nummer har 8 cifre, fx 12 34 56 78.")]
    Format,
    #[error(
        "CVR-nummeret findes ikke: kontrolcifferet passer ikke. Tjek, at alle cifre er skrevet rigtigt."
    )]
    Check,
}

impl Cvr {
    /// Reads 8 digits, with spaces or a `DK` prefix allowed.
    pub fn parse(value: &str) -> Result<Self, CvrError> {
        let compact = digits_of(value.trim().trim_start_matches("DK"));
        let digits = compact.as_deref().filter(|d| d.len() == 8);
        let digits = digits.ok_or(CvrError::Format)?;
        const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
        let sum: u32 = digits
            .bytes()
            .zip(WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        if !sum.is_multiple_of(11) || digits.starts_with('0') {
            return Err(CvrError::Check);
        }
        Ok(Self(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_serde!(Cvr, Cvr::parse, Cvr::as_str);

/// An EAN (GLN) location number: 13 digits whose GS1 check digit holds.
/// Public authorities in Denmark receive their electronic invoices at one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ean(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EanError {
    #[error("Et EAN-nummer har 13 cifre, fx 5798000000000.")]
    Format,
    #[error(
        "EAN-nummeret findes ikke: kontrolcifferet passer ikke. Tjek, at alle cifre er skrevet rigtigt."
    )]
    Check,
}

impl Ean {
    /// Reads 13 digits, with spaces allowed.
    pub fn parse(value: &str) -> Result<Self, EanError> {
        let compact = digits_of(value.trim());
        let digits = compact.as_deref().filter(|d| d.len() == 13);
        let digits = digits.ok_or(EanError::Format)?;
        let bytes = digits.as_bytes();
        // From the right, leaving out the check digit: weights 3, 1, 3, …
        let sum: u32 = bytes[..12]
            .iter()
            .rev()
            .enumerate()
            .map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 })
            .sum();
        let check = (10 - sum % 10) % 10;
        if u32::from(bytes[12] - b'0') != check {
            return Err(EanError::Check);
        }
        Ok(Self(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_serde!(Ean, Ean::parse, Ean::as_str);

/// The ASCII digits of `value` with spaces left out; `None` if anything
/// else is in it.
fn digits_of(value: &str) -> Option<String> {
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '-'))
        .collect();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}
