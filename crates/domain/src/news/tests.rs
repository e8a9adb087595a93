//! The rules of an article's content, field by field.

use super::*;

fn today() -> Date {
    jiff::civil::date(2026, 12, 1)
}

fn form() -> NewsForm<'static> {
    NewsForm {
        title: "Positivt dialogmøde med erhvervslivet",
        body: "Tekst.\r\nMere tekst.\r\n\r\n",
        news_date: "18.12.2017",
        status: "published",
        ..NewsForm::default()
    }
}

#[test]
fn valid_article_gets_slug_from_title() {
    let n = NewsContent::new(form(), today()).unwrap();
    assert_eq!(n.slug.as_str(), "positivt-dialogmoede-med-erhvervslivet");
    assert_eq!(n.body, "Tekst.\nMere tekst.");
    assert_eq!(n.news_date, jiff::civil::date(2017, 12, 18));
    assert_eq!(n.lead, None);
}

#[test]
fn every_bad_field_is_named() {
    let e = NewsContent::new(
        NewsForm {
            title: "",
            slug: Some("Ikke Gyldig"),
            news_date: "31.02.2017",
            status: "hemmelig",
            contact_ids: vec![1, 1],
            ..NewsForm::default()
        },
        today(),
    )
    .unwrap_err();
    let fields: Vec<_> = e.errors().iter().map(|e| e.field).collect();
    assert_eq!(fields, ["title", "slug", "news_date", "status", "contacts"]);
    assert_eq!(e.for_field("title"), Some("Skriv en overskrift."));
}

#[test]
fn scheduling_needs_a_time_and_an_order() {
    let e = NewsContent::new(
        NewsForm {
            status: "scheduled",
            ..form()
        },
        today(),
    )
    .unwrap_err();
    assert!(e.for_field("publish_at").is_some());
    let at: Timestamp = "2030-01-01T10:00:00Z".parse().unwrap();
    let before: Timestamp = "2029-12-31T10:00:00Z".parse().unwrap();
    let e = NewsContent::new(
        NewsForm {
            status: "scheduled",
            publish_at: Some(at),
            unpublish_at: Some(before),
            ..form()
        },
        today(),
    )
    .unwrap_err();
    assert!(e.for_field("unpublish_at").is_some());
    let ok = NewsContent::new(
        NewsForm {
            status: "scheduled",
            publish_at: Some(at),
            ..form()
        },
        today(),
    )
    .unwrap();
    assert_eq!(ok.status, NewsStatus::Published);
}

#[test]
fn visibility_follows_the_times() {
    let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
    let past: Timestamp = "2026-05-01T12:00:00Z".parse().unwrap();
    let future: Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
    let p = NewsStatus::Published;
    assert_eq!(
        Visibility::of(NewsStatus::Draft, Some(past), None, now),
        Visibility::Draft
    );
    assert_eq!(
        Visibility::of(p, Some(future), None, now),
        Visibility::Scheduled
    );
    assert_eq!(Visibility::of(p, Some(past), None, now), Visibility::Public);
    assert_eq!(
        Visibility::of(p, Some(past), Some(future), now),
        Visibility::Public
    );
    assert_eq!(
        Visibility::of(p, Some(past), Some(now), now),
        Visibility::Expired
    );
}

#[test]
fn pasted_line_breaks_become_newlines_and_control_characters_are_refused() {
    let n = NewsContent::new(
        NewsForm {
            body: "Et\u{b}to\u{c}tre",
            ..form()
        },
        today(),
    )
    .unwrap();
    assert_eq!(n.body, "Et\nto\ntre");
    for bad in ["a\u{0}b", "a\u{1}b", "\u{ffff}"] {
        let e = NewsContent::new(
            NewsForm {
                body: bad,
                ..form()
            },
            today(),
        )
        .unwrap_err();
        assert!(e.for_field("body").is_some(), "{bad:?}");
    }
}

#[test]
fn a_body_nested_too_deep_is_refused() {
    let deep = format!("{} citat", ">".repeat(crate::markup::MAX_NESTING + 1));
    let e = NewsContent::new(
        NewsForm {
            body: &deep,
            ..form()
        },
        today(),
    )
    .unwrap_err();
    let message = e.for_field("body").unwrap_or_default();
    assert!(message.contains("niveauer inden i hinanden"), "{message}");
    let fine = format!("{} citat", ">".repeat(crate::markup::MAX_NESTING - 1));
    assert!(normal_body(&fine).is_ok());
}

#[test]
fn oversized_body_is_refused() {
    let big = "a".repeat(MAX_BODY_CHARS + 1);
    let e = NewsContent::new(
        NewsForm {
            body: &big,
            ..form()
        },
        today(),
    )
    .unwrap_err();
    assert!(e.for_field("body").is_some());
}

#[test]
fn a_blank_date_is_today_and_a_draft_keeps_no_publish_time() {
    let at: Timestamp = "2030-01-01T10:00:00Z".parse().unwrap();
    let n = NewsContent::new(
        NewsForm {
            news_date: " ",
            status: "draft",
            publish_at: Some(at),
            ..form()
        },
        today(),
    )
    .unwrap();
    assert_eq!(n.news_date, today());
    assert_eq!(n.publish_at, None);
}

#[test]
fn a_blank_date_follows_the_publish_time() {
    // Scheduled for 10 December, 08.00 in Copenhagen, written on 1 December.
    let at: Timestamp = "2026-12-10T07:00:00Z".parse().unwrap();
    let n = NewsContent::new(
        NewsForm {
            news_date: "",
            status: "scheduled",
            publish_at: Some(at),
            ..form()
        },
        today(),
    )
    .unwrap();
    assert_eq!(n.news_date, jiff::civil::date(2026, 12, 10));
    // Late in the evening in Copenhagen is the next day in UTC's terms
    // only after midnight: the day is Copenhagen's.
    let evening: Timestamp = "2026-12-10T22:30:00Z".parse().unwrap();
    let late = NewsContent::new(
        NewsForm {
            news_date: "",
            status: "published",
            publish_at: Some(evening),
            ..form()
        },
        today(),
    )
    .unwrap();
    assert_eq!(late.news_date, jiff::civil::date(2026, 12, 10));
    // A date the editor typed stays.
    assert_eq!(
        NewsContent::new(
            NewsForm {
                status: "scheduled",
                publish_at: Some(at),
                ..form()
            },
            today()
        )
        .unwrap()
        .news_date,
        jiff::civil::date(2017, 12, 18)
    );
}

#[test]
fn typed_content_meets_the_same_rules() {
    let n = NewsContent::new(form(), today()).unwrap();
    assert_eq!(n.clone().validated(), Ok(n.clone()));
    let untrimmed = NewsContent {
        title: "  Overskrift  ".into(),
        lead: Some(" ".into()),
        ..n.clone()
    };
    let normal = untrimmed.validated().unwrap();
    assert_eq!((normal.title.as_str(), normal.lead), ("Overskrift", None));
    let too_long = NewsContent {
        title: "x".repeat(MAX_TITLE_CHARS + 1),
        ..n.clone()
    };
    assert!(
        too_long
            .validated()
            .unwrap_err()
            .for_field("title")
            .is_some()
    );
    let twice = NewsContent {
        contact_ids: vec![3, 3],
        ..n
    };
    assert!(
        twice
            .validated()
            .unwrap_err()
            .for_field("contacts")
            .is_some()
    );
}
