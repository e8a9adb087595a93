//! The short description of a page or an article that search engines and
//! link previews show (`<meta name="description">`, `og:description`).

use crate::markup::plain_text;

/// Most characters a description made from a body has, its ellipsis
/// included: about what search engines show of one.
pub const MAX_CHARS: usize = 155;

/// The description of content with `lead` and Markdown `body`: the lead, or
/// without one the beginning of the body's text, cut after a whole word and
/// ended with "…" when it is longer than [`MAX_CHARS`]. `None` when both are
/// empty.
pub fn meta_description(lead: Option<&str>, body: &str) -> Option<String> {
    if let Some(lead) = lead.map(str::trim).filter(|l| !l.is_empty()) {
        return Some(lead.to_string());
    }
    let text = plain_text(body);
    (!text.is_empty()).then(|| shorten(&text, MAX_CHARS))
}

/// `text` (words between single spaces) as it is when it has at most `max`
/// characters; else the words that fit in `max - 1` characters, without the
/// punctuation that ended the last of them, and "…". A first word too long
/// for that is cut.
fn shorten(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    // The end of the first `max - 1` characters: room for the ellipsis.
    let end = text[..end].char_indices().last().map_or(0, |(i, _)| i);
    let head = &text[..end];
    let words = if text[end..].starts_with(' ') {
        head
    } else {
        head.rsplit_once(' ').map_or(head, |(words, _)| words)
    };
    let trimmed = words.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '.' | '-' | '–' | '—')
    });
    let kept = if trimmed.is_empty() { head } else { trimmed };
    format!("{kept}…")
}

#[cfg(test)]
mod tests {
    use super::{MAX_CHARS, meta_description};

    #[test]
    fn the_lead_is_the_description() {
        assert_eq!(
            meta_description(Some(" Manchetten. "), "Brødteksten.").as_deref(),
            Some("Manchetten.")
        );
    }

    #[test]
    fn without_a_lead_a_short_body_is_the_description_without_its_markup() {
        for lead in [None, Some(""), Some("  ")] {
            assert_eq!(
                meta_description(
                    lead,
                    "## Åbningstider\n\nVi har *åbent* [hver dag](/tider)."
                )
                .as_deref(),
                Some("Åbningstider Vi har åbent hver dag.")
            );
        }
    }

    #[test]
    fn nothing_to_describe_gives_none() {
        assert_eq!(meta_description(None, ""), None);
        assert_eq!(meta_description(Some(""), "  \n\n  "), None);
    }

    #[test]
    fn a_long_body_is_cut_after_a_whole_word_with_an_ellipsis() {
        let body = "Kommunen tømmer storskrald én gang om måneden. ".repeat(10);
        let description = meta_description(None, &body).unwrap();
        assert!(description.chars().count() <= MAX_CHARS, "{description}");
        assert!(
            description.chars().count() > MAX_CHARS - 20,
            "{description}"
        );
        let kept = description.strip_suffix('…').unwrap();
        assert!(body.starts_with(kept), "{description}");
        // Cut between words, not inside one.
        assert!(body[kept.len()..].starts_with([' ', '.']), "{description}");
        // The punctuation before the cut goes.
        assert!(!kept.ends_with(['.', ' ']), "{description}");
    }

    #[test]
    fn a_body_of_exactly_the_most_characters_is_kept_whole() {
        let body = format!("{} slut", "ø".repeat(MAX_CHARS - 5));
        assert_eq!(meta_description(None, &body), Some(body.clone()));
        let longer = format!("{body}!");
        let cut = meta_description(None, &longer).unwrap();
        assert_eq!(cut, format!("{}…", "ø".repeat(MAX_CHARS - 5)));
    }

    #[test]
    fn one_word_longer_than_the_most_is_cut_inside() {
        let body = "æ".repeat(400);
        let description = meta_description(None, &body).unwrap();
        assert_eq!(description, format!("{}…", "æ".repeat(MAX_CHARS - 1)));
    }
}
