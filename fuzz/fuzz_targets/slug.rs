//! Slugs: `Slug::parse`, `Slug::from_title`, `Slug::numbered` and
//! `Slug::typed_or_from_title`.
//!
//! For any text: `parse` accepts exactly the well-formed slugs (written out
//! again here from the rule: 1 to 80 bytes of `a-z`, `0-9` and single inner
//! hyphens) and gives back the text unchanged; a slug made from any title is
//! well-formed, and making a slug of a slug changes nothing; a title with an
//! ASCII letter or digit always gives a slug; numbered alternatives are
//! well-formed and end in `-n`; JSON round-trips.

#![no_main]

use libfuzzer_sys::fuzz_target;
use raadhus_domain::ValidationErrors;
use raadhus_domain::slug::{MAX_LEN, Slug, SlugError};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    // A number for `numbered`, anywhere in 2..=u32::MAX, from the same bytes.
    let n = data
        .iter()
        .fold(7u32, |acc, &b| {
            acc.wrapping_mul(31).wrapping_add(u32::from(b))
        })
        .max(2);

    match Slug::parse(text) {
        Ok(slug) => {
            assert!(well_formed(text), "accepted {text:?}");
            assert_eq!(slug.as_str(), text);
            check_slug(&slug, n);
        }
        Err(e) => {
            assert!(!well_formed(text), "refused {text:?}: {e:?}");
            match e {
                SlugError::Empty => assert!(text.is_empty()),
                SlugError::TooLong => assert!(text.len() > MAX_LEN),
                SlugError::Invalid => assert!(!text.is_empty() && text.len() <= MAX_LEN),
            }
        }
    }

    match Slug::from_title(text) {
        Some(slug) => {
            assert!(well_formed(slug.as_str()), "{text:?} gave {slug:?}");
            assert_eq!(
                Slug::from_title(slug.as_str()).as_ref(),
                Some(&slug),
                "slug of a slug"
            );
            check_slug(&slug, n);
        }
        None => assert!(
            !text.bytes().any(|b| b.is_ascii_alphanumeric()),
            "no slug for {text:?}"
        ),
    }

    let mut errors = ValidationErrors::new();
    let typed = Slug::typed_or_from_title(Some(text), None, &mut errors);
    let trimmed = text.trim();
    if !trimmed.is_empty() {
        assert_eq!(typed, Slug::parse(trimmed).ok());
        assert_eq!(errors.is_empty(), typed.is_some());
    }
});

fn check_slug(slug: &Slug, n: u32) {
    assert_eq!(Slug::parse(slug.as_str()).as_ref(), Ok(slug));

    let numbered = slug.numbered(n);
    assert!(
        well_formed(numbered.as_str()),
        "{slug:?} numbered {n}: {numbered:?}"
    );
    assert!(numbered.as_str().ends_with(&format!("-{n}")));
    assert_eq!(slug.make_unique(|_| false), *slug);
    assert_ne!(slug.make_unique(|s| s == slug), *slug);

    let json = serde_json::to_string(slug).expect("a slug serializes");
    let back: Slug = serde_json::from_str(&json).expect("a slug deserializes");
    assert_eq!(&back, slug);
}

/// The rule, written independently of `Slug::parse`.
fn well_formed(s: &str) -> bool {
    (1..=MAX_LEN).contains(&s.len())
        && s.split('-').all(|part| {
            !part.is_empty() && part.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9'))
        })
}
