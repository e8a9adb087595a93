//! The blocks' syntax, their HTML, the rules for editors, and what any text
//! at all becomes.

use super::super::{Shown, nesting, plain_text, render, render_with};
use super::*;
use crate::contact::ContactPerson;
use crate::email::Email;
use crate::phone::Phone;

fn anne() -> ContactPerson {
    ContactPerson {
        id: 12,
        name: "Anne <Holm>".into(),
        job_title: Some("borgmester".into()),
        email: Some(Email::parse("ah@vesterfjord.example").unwrap()),
        phone: Some(Phone::parse("27 85 24 51").unwrap()),
    }
}

fn with_anne() -> Shown {
    Shown {
        media: Vec::new(),
        contacts: vec![anne()],
    }
}

#[test]
fn a_fold_out_is_details_with_its_title_as_summary() {
    let html = render("Før.\n\n::: foldeud Hvem kan søge?\nAlle *borgere*.\n\n- a\n:::\n\nEfter.");
    assert_eq!(
        html,
        "<p>Før.</p>\n\
         <details class=\"foldeud\" id=\"foldeud-hvem-kan-soege\">\n\
         <summary>Hvem kan søge?</summary>\n\
         <p>Alle <em>borgere</em>.</p>\n<ul>\n<li>a</li>\n</ul>\n\
         </details>\n\
         <p>Efter.</p>\n"
    );
}

#[test]
fn fold_out_ids_are_stable_and_unique() {
    let html = render(
        "::: foldeud Åbningstider\na\n:::\n::: foldeud Åbningstider\nb\n:::\n::: foldeud ???\nc\n:::\n::: foldeud !!\n:::",
    );
    for id in [
        "foldeud-aabningstider\"",
        "foldeud-aabningstider-2\"",
        "id=\"foldeud\"",
        "id=\"foldeud-2\"",
    ] {
        assert!(html.contains(id), "{id} in {html}");
    }
}

#[test]
fn a_fact_box_is_a_named_section() {
    let html = render("::: faktaboks Fakta om storskrald\n- Hver anden uge\n:::");
    assert_eq!(
        html,
        "<section class=\"faktaboks\" aria-labelledby=\"faktaboks-1\">\n\
         <p class=\"faktaboks__titel\" id=\"faktaboks-1\">Fakta om storskrald</p>\n\
         <ul>\n<li>Hver anden uge</li>\n</ul>\n</section>\n"
    );
    // Without a title: named all the same, each name its own.
    let html = render("::: faktaboks\na\n:::\n\n::: faktaboks\nb\n:::");
    assert!(html.contains("aria-label=\"Faktaboks\""), "{html}");
    assert!(html.contains("aria-label=\"Faktaboks 2\""), "{html}");
}

#[test]
fn a_contact_person_is_shown_as_under_an_article() {
    let html = render_with("Spørgsmål?\n::: kontakt 12\n", &with_anne());
    assert_eq!(
        html,
        "<p>Spørgsmål?</p>\n\
         <address class=\"kontakt\">\n<p class=\"contact__name\">Anne &lt;Holm&gt;, borgmester</p>\n\
         <p><span class=\"visually-hidden\">E-mail: </span><a href=\"mailto:ah@vesterfjord.example\">ah@vesterfjord.example</a></p>\n\
         <p><span class=\"visually-hidden\">Telefon: </span><a href=\"tel:+4527852451\">27 85 24 51</a></p>\n\
         </address>\n"
    );
    // Inside a fold-out too; one that is not known is left out.
    let html = render_with(
        "::: foldeud Kontakt\n::: kontakt 12\n::: kontakt 13\n:::",
        &with_anne(),
    );
    assert_eq!(html.matches("<address").count(), 1, "{html}");
    assert!(html.ends_with("</address>\n</details>\n"), "{html}");
    assert_eq!(render("::: kontakt 12"), "");
}

#[test]
fn headings_keep_one_outline_through_the_blocks() {
    let html = render("## A\n::: faktaboks Fakta\n## B\n:::\n::: foldeud C\n### D\n:::\n## E");
    let levels: Vec<&str> = html
        .match_indices("<h")
        .map(|(i, _)| &html[i..i + 3])
        .collect();
    assert_eq!(levels, ["<h2", "<h2", "<h3", "<h2"], "{html}");
}

#[test]
fn contact_refs_are_the_contacts_placed_in_the_text() {
    assert_eq!(
        contact_refs(
            "::: kontakt 3\ntekst\n::: KONTAKT  12 \n::: kontakt 3\n```\n::: kontakt 4\n```"
        ),
        vec![3, 12]
    );
    assert!(contact_refs("kontakt 3").is_empty());
    assert!(contact_refs("::: kontakt 99999999999999999999").is_empty());
}

#[test]
fn code_blocks_show_the_syntax_as_written() {
    let html = render("```\n::: foldeud X\n:::\n```\n\n~~~~\n::: faktaboks\n~~~\n:::\n~~~~");
    assert!(
        !html.contains("<details") && !html.contains("<section"),
        "{html}"
    );
    assert!(html.contains("::: foldeud X\n:::\n"), "{html}");
    // An inline code span is no fence: the line after it is a block line.
    let html = render("```a` b```\n::: foldeud X\n:::");
    assert!(html.contains("<details"), "{html}");
}

#[test]
fn broken_blocks_are_rendered_as_well_as_they_can_be() {
    // A box inside another closes that one first.
    let html = render("::: foldeud A\na\n::: faktaboks B\nb\n:::\nc");
    assert_eq!(html.matches("<details").count(), 1);
    assert!(html.contains("</details>\n<section"), "{html}");
    assert!(html.contains("</section>\n<p>c</p>"), "{html}");
    // A stray `:::` is dropped; an unclosed box closes at the end.
    assert_eq!(render(":::\ntekst"), "<p>tekst</p>\n");
    assert!(render("::: foldeud A\na").ends_with("<p>a</p>\n</details>\n"));
    // Unknown block lines are text, in the paragraph they stand in.
    assert_eq!(
        render("før\n::: foldud X\n::: kontakt tolv\nefter"),
        "<p>før\n::: foldud X\n::: kontakt tolv\nefter</p>\n"
    );
    // A fold-out without a title still has a summary.
    assert!(render("::: foldeud\na\n:::").contains("<summary>Læs mere</summary>"));
}

#[test]
fn titles_and_text_are_escaped() {
    let html = render_with(
        "::: foldeud <script>alert(1)</script> \" onmouseover=\"x\n<img src=x onerror=alert(1)>\n:::\n\
         ::: faktaboks <b>&amp;</b>\n[x](javascript:alert(1))\n:::",
        &with_anne(),
    );
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"));
    assert!(!html.contains("\" onmouseover"), "{html}");
    assert!(html.contains(
        "<summary>&lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;x</summary>"
    ));
    assert!(html.contains(">&lt;b&gt;&amp;amp;&lt;/b&gt;</p>"), "{html}");
    assert!(!html.contains("javascript:"), "{html}");
}

#[test]
fn the_rules_for_editors_name_the_line() {
    let fine = "Tekst\n::: foldeud A\n::: kontakt 1\n:::\n::: faktaboks\nx\n:::\n```\n:::\n```";
    assert_eq!(check(fine), Ok(()));
    for (body, says) in [
        (
            "a\n::: foldud A\n:::",
            "Linje 2: »::: foldud A« er ikke en blok",
        ),
        ("::: kontakt Anne", "Linje 1: Skriv kontaktpersonens nummer"),
        ("a\n\n:::", "Linje 3: ::: lukker ingen"),
        (
            "::: foldeud A\n::: faktaboks\n:::\n:::",
            "Linje 2: En faktaboks kan ikke ligge inden i",
        ),
        (
            "::: foldeud   \nx\n:::",
            "Linje 1: Et foldeud-afsnit skal have en overskrift",
        ),
        (
            "x\n::: foldeud A\nx",
            "Linje 2: Foldeud-afsnittet er ikke lukket",
        ),
        ("::: faktaboks\nx", "Linje 1: Faktaboksen er ikke lukket"),
    ] {
        let message = check(body).unwrap_err();
        assert!(message.starts_with(says), "{body:?}: {message}");
    }
    // The rules are part of what a body must be to be saved.
    assert!(crate::news::normal_body("::: foldeud A\nx").is_err());
}

#[test]
fn search_reads_titles_and_text_inside_blocks() {
    assert_eq!(
        plain_text(
            "Intro\n::: foldeud Hvem kan **søge**?\nAlle *borgere*.\n:::\n::: kontakt 12\n::: faktaboks Fakta\n- storskrald\n:::"
        ),
        "Intro Hvem kan **søge**? Alle borgere. Fakta storskrald"
    );
}

#[test]
fn boxes_count_as_a_level_of_nesting() {
    assert_eq!(nesting("::: foldeud A\n:::"), 1);
    assert_eq!(nesting("::: foldeud A\n> - *a*\n:::"), 5);
    let deep = format!(
        "::: faktaboks\n{}a\n:::",
        "> ".repeat(super::super::MAX_NESTING)
    );
    assert!(crate::markup::check_nesting(&deep).is_err());
    let html = render(&deep);
    assert_eq!(
        html.matches("<blockquote>").count(),
        super::super::MAX_NESTING - 1
    );
}

/// A small, fixed pseudo-random source (xorshift), so the test is the same
/// on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn any_mix_of_block_lines_renders_balanced_safe_html() {
    let parts = [
        "::: foldeud Titel\n",
        "::: foldeud\n",
        "::: faktaboks Fakta\n",
        "::: faktaboks\n",
        ":::\n",
        ":::",
        "::: kontakt 12\n",
        "::: kontakt\n",
        "::: ukendt <b>\n",
        ":::::\n",
        "```\n",
        "~~~\n",
        "> ",
        "- ",
        "tekst *med* [link](javascript:x)\n",
        "\n",
        "<script>x</script>\n",
        "\r\n",
        "    ::: foldeud Indrykket\n",
        "::: foldeud æøå \u{0}\u{feff}\n",
        "**",
        "`",
    ];
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    for _ in 0..3000 {
        let body: String = (0..dice.roll(14))
            .map(|_| parts[dice.roll(parts.len())])
            .collect();
        let html = render_with(&body, &with_anne());
        assert_eq!(html, render_with(&body, &with_anne()), "{body:?}");
        for tag in [
            "details",
            "summary",
            "section",
            "address",
            "p",
            "ul",
            "li",
            "blockquote",
        ] {
            assert_eq!(
                html.matches(&format!("<{tag}>")).count()
                    + html.matches(&format!("<{tag} ")).count(),
                html.matches(&format!("</{tag}>")).count(),
                "<{tag}> unbalanced for {body:?}: {html}"
            );
        }
        assert!(
            !html.contains("<script") && !html.contains("href=\"javascript"),
            "{body:?}"
        );
        assert!(!html.contains("<section class=\"faktaboks\" aria-label=\"Faktaboks\">\n<details"));
        // Boxes never nest.
        let mut depth = 0_i32;
        for piece in pieces(&body) {
            match piece {
                Piece::Open(..) => depth += 1,
                Piece::Close => depth -= 1,
                _ => {}
            }
            assert!((0..=1).contains(&depth), "{body:?}");
        }
        assert_eq!(depth, 0, "{body:?}");
        // Checking and counting never fail either.
        let _ = (
            check(&body),
            nesting(&body),
            plain_text(&body),
            contact_refs(&body),
        );
    }
}
