//! "Fandt du det, du søgte?": a visitor's answer under a page or an article,
//! and after "Nej" an optional comment. What is kept: per page and day how
//! many answered "Ja" and "Nej", and the comments with when they were
//! written, deleted after [`COMMENT_DAYS`]. Never who answered.

use jiff::{SignedDuration, Timestamp};

use crate::validation::optional_text;

/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 1000;

/// Days a comment is kept before it is deleted.
pub const COMMENT_DAYS: i64 = 90;

/// A visitor's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

impl Answer {
    /// `ja` or `nej`, as the form's buttons send them.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "ja" => Some(Self::Yes),
            "nej" => Some(Self::No),
            _ => None,
        }
    }
}

/// What feedback is about: a content page or a news article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeedbackOn {
    Page(i64),
    News(i64),
}

/// A comment as written: trimmed, `None` if empty, refused (in Danish) if
/// longer than [`MAX_COMMENT_CHARS`] or holding a character no text may.
pub fn comment(text: &str) -> Result<Option<String>, String> {
    optional_text(Some(text), MAX_COMMENT_CHARS)
}

/// Comments written before this moment are deleted.
pub fn comments_expire_before(now: Timestamp) -> Timestamp {
    now.checked_sub(SignedDuration::from_hours(24 * COMMENT_DAYS))
        .unwrap_or(now)
}

/// The share of "Nej" among all answers, 0.0 without answers.
pub fn no_share(yes: i64, no: i64) -> f64 {
    let total = yes.saturating_add(no);
    if total <= 0 {
        return 0.0;
    }
    no as f64 / total as f64
}

/// "12 % nej" for a report, rounded to whole percent.
pub fn no_share_label(yes: i64, no: i64) -> String {
    format!("{:.0} % nej", no_share(yes, no) * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_ja_or_nej() {
        assert_eq!(Answer::parse("ja"), Some(Answer::Yes));
        assert_eq!(Answer::parse("nej"), Some(Answer::No));
        for bad in ["", "Ja", "yes", "ja ", "1"] {
            assert_eq!(Answer::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn comments_are_trimmed_bounded_and_may_be_skipped() {
        assert_eq!(
            comment("  Åbningstider  ").unwrap().as_deref(),
            Some("Åbningstider")
        );
        assert_eq!(comment("   ").unwrap(), None);
        assert!(comment(&"æ".repeat(MAX_COMMENT_CHARS)).is_ok());
        let long = comment(&"æ".repeat(MAX_COMMENT_CHARS + 1)).unwrap_err();
        assert!(long.contains("1001 tegn"), "{long}");
        assert!(comment("a\u{0}b").is_err());
    }

    #[test]
    fn comments_expire_after_ninety_days() {
        let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
        assert_eq!(
            comments_expire_before(now),
            "2026-03-03T12:00:00Z".parse::<Timestamp>().unwrap()
        );
    }

    #[test]
    fn share_of_no() {
        assert_eq!(no_share(0, 0), 0.0);
        assert_eq!(no_share(1, 3), 0.75);
        assert_eq!(no_share_label(2, 1), "33 % nej");
    }
}
