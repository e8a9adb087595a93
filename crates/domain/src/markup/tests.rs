//! The writer's rules, one by one, and what hostile bodies become.

use super::*;

fn library() -> Shown {
    Shown {
        media: files(),
        contacts: Vec::new(),
    }
}

fn files() -> Vec<Media> {
    use crate::media::{FocalPoint, MediaDetails};
    let details = |title: &str, alt: Option<&str>| MediaDetails {
        title: title.into(),
        alt: alt.map(Into::into),
        decorative: alt.is_none(),
        caption: None,
        credit: None,
        focal: FocalPoint::default(),
    };
    let at = jiff::Timestamp::UNIX_EPOCH;
    vec![
        Media {
            id: 3,
            kind: MediaKind::Image,
            sha256: "ab".repeat(32),
            mime: "image/jpeg".into(),
            filename: "havn.jpg".into(),
            size: 300_000,
            width: Some(2000),
            height: Some(1000),
            details: details("Havnen", Some("Havnen ved solnedgang")),
            accessibility: None,
            version: 1,
            created_at: at,
            updated_at: at,
        },
        Media {
            id: 12,
            kind: MediaKind::Document,
            sha256: "cd".repeat(32),
            mime: "application/pdf".into(),
            filename: "lokalplan.pdf".into(),
            size: 2_100_000,
            width: None,
            height: None,
            details: details("Lokalplan 412 & bilag", None),
            accessibility: None,
            version: 1,
            created_at: at,
            updated_at: at,
        },
        Media {
            id: 7,
            kind: MediaKind::Image,
            sha256: "ef".repeat(32),
            mime: crate::media::SVG_MIME.into(),
            filename: "kort.svg".into(),
            size: 4_000,
            width: Some(3200),
            height: Some(1000),
            details: details("Kort", Some("Kort over cykelstierne")),
            accessibility: None,
            version: 1,
            created_at: at,
            updated_at: at,
        },
    ]
}

#[test]
fn library_images_become_responsive_pictures() {
    let media = library();
    let html = render_with("Se ![](media:3) og ![<Havn> i **sol**](media:3)", &media);
    assert_eq!(html.matches("<picture>").count(), 2, "{html}");
    assert!(html.contains("alt=\"Havnen ved solnedgang\""), "{html}");
    assert!(html.contains("alt=\"&lt;Havn&gt; i sol\""), "{html}");
    assert!(
        html.contains("/medier/3/abababababababab-500-500-v1/hel-480.webp 480w"),
        "{html}"
    );
    assert!(html.contains("width=\"800\" height=\"400\""), "{html}");
    assert!(html.contains("loading=\"lazy\""), "{html}");
    // An unknown file, and a document shown as an image: only the text.
    assert_eq!(render_with("![tekst](media:99)", &media), "<p>tekst</p>\n");
    assert!(!render_with("![tekst](media:12)", &media).contains("<img"));
}

#[test]
fn library_drawings_are_shown_as_they_are() {
    let media = library();
    let html = render_with("![](media:7)", &media);
    assert!(!html.contains("<picture>"), "{html}");
    assert!(
        html.contains(
            "<img src=\"/medier/7/efefefefefefefef/kort.svg\" width=\"1600\" height=\"500\" \
             alt=\"Kort over cykelstierne\" loading=\"lazy\" decoding=\"async\">"
        ),
        "{html}"
    );
}

#[test]
fn library_documents_are_linked_with_type_and_size() {
    let media = library();
    let html = render_with("Læs [Lokalplan 412](media:12) og [](media:12).", &media);
    assert!(
        html.contains("<a href=\"/medier/12/cdcdcdcdcdcdcdcd/lokalplan.pdf\" type=\"application/pdf\">Lokalplan 412 (PDF, 2,1 MB)</a>"),
        "{html}"
    );
    assert!(
        html.contains(">Lokalplan 412 &amp; bilag (PDF, 2,1 MB)</a>"),
        "{html}"
    );
    // Without the file, `media:` is no scheme a link may have: text only.
    assert_eq!(render_with("[x](media:99)", &media), "<p>x</p>\n");
}

#[test]
fn escaped_text_is_shown_as_written() {
    assert_eq!(
        escape_text(r#"<b onclick='x'>"Æ" & ø</b>"#),
        "&lt;b onclick=&#39;x&#39;&gt;&quot;Æ&quot; &amp; ø&lt;/b&gt;"
    );
}

#[test]
fn headings_form_an_outline_below_the_headline() {
    // `##` is what the editor's "Mellemrubrik" button writes.
    let html = render("## Første\n\n#### Under\n\n## Anden\n\n### Under igen\n");
    assert_eq!(
        html,
        "<h2>Første</h2>\n<h3>Under</h3>\n<h2>Anden</h2>\n<h3>Under igen</h3>\n"
    );
}

#[test]
fn commonmark_elements() {
    let html = render(
        "# Overskrift\n\nEt *afsnit* med **fed** og [et link](https://x.dk/).\n\n- en\n- to\n\n1. første\n2. anden\n\n> Et citat\n",
    );
    assert!(html.contains("<h2>Overskrift</h2>"), "{html}");
    assert!(html.contains("<em>afsnit</em>"));
    assert!(html.contains("<strong>fed</strong>"));
    assert!(
        html.contains(r#"<a href="https://x.dk/" rel="noopener noreferrer">et link</a>"#),
        "{html}"
    );
    assert!(html.contains("<ul>\n<li>en</li>\n<li>to</li>\n</ul>"));
    assert!(html.contains("<ol>\n<li>første</li>"));
    assert!(html.contains("<blockquote>\n<p>Et citat</p>\n</blockquote>"));
}

#[test]
fn scripts_handlers_and_bad_urls_never_survive() {
    let hostile = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "<svg onload=alert(1)>",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<iframe src=\"https://evil.example\"></iframe>",
        "![x](https://tracker.example/pixel.gif)",
        "<div onclick=\"alert(1)\">klik</div>",
    ];
    for input in hostile {
        let html = render(input).to_lowercase();
        // Every tag is an allowed element with harmless attributes; the
        // rest is text.
        for tag in html.split('<').skip(1) {
            let tag = tag.split('>').next().unwrap_or_default();
            let name = tag
                .trim_start_matches('/')
                .split(' ')
                .next()
                .unwrap_or_default();
            assert!(BODY_TAGS.contains(&name), "{input:?} gave {html:?}");
            for needle in [" on", "javascript:", "data:", "style="] {
                assert!(!tag.contains(needle), "{input:?} gave {html:?}");
            }
        }
        assert!(!html.contains("<a"), "{input:?} gave {html:?}");
    }
}

#[test]
fn raw_html_is_shown_as_text() {
    assert_eq!(
        render("<p title=\"t\">x</p>"),
        "<p>&lt;p title=&quot;t&quot;&gt;x&lt;/p&gt;</p>\n"
    );
    assert_eq!(
        render("Et <b>ord</b>."),
        "<p>Et &lt;b&gt;ord&lt;/b&gt;.</p>\n"
    );
    assert!(
        render("[y](https://example.dk/ \"t\")").contains(" title=\"t\""),
        "a link keeps its title"
    );
}

#[test]
fn links_only_to_allowed_schemes_as_a_browser_reads_them() {
    for (body, href) in [
        (
            "[a](https://x.dk/?a=1&b='2')",
            Some("https://x.dk/?a=1&amp;b=&#x27;2&#x27;"),
        ),
        ("[a](/nyheder)", Some("/nyheder")),
        ("[a](side:2)", None),
        ("[a](MAILTO:a@b.dk)", Some("MAILTO:a@b.dk")),
        ("<a@b.dk>", Some("mailto:a@b.dk")),
        ("[a](tel:+4512345678)", Some("tel:+4512345678")),
        ("[a](1a:b)", Some("1a:b")),
        ("[a](java&#9;script:alert(1))", None),
        (
            "[a](<java\u{b}script:alert(1)>)",
            Some("java%0Bscript:alert(1)"),
        ),
        ("[a](< javascript:alert(1)>)", None),
        ("[a](javascript&#58;alert(1))", None),
        ("<javascript:alert(1)>", None),
        ("[a]\n\n[a]: vbscript:x", None),
        ("[a](ftp://x.dk/)", None),
    ] {
        let html = render(body);
        match href {
            Some(href) => assert!(
                html.contains(&format!("<a href=\"{href}\" rel=\"noopener noreferrer\">")),
                "{body:?} gave {html}"
            ),
            None => assert!(!html.contains("<a"), "{body:?} gave {html}"),
        }
    }
}

#[test]
fn numbered_lists_keep_their_start_and_code_its_text() {
    assert_eq!(
        render("3. tre\n4. fire"),
        "<ol start=\"3\">\n<li>tre</li>\n<li>fire</li>\n</ol>\n"
    );
    assert_eq!(
        render("```rust\nlet a = 1 < 2;\n```\n\nog `x<y`"),
        "<pre><code>let a = 1 &lt; 2;\n</code></pre>\n<p>og <code>x&lt;y</code></p>\n"
    );
    assert_eq!(render("a  \nb\n\n---"), "<p>a<br>\nb</p>\n<hr>\n");
}

#[test]
fn characters_no_text_may_hold_never_reach_the_html() {
    // Character references are decoded by CommonMark: a vertical tab or
    // U+FFFF would make every feed ill-formed XML.
    let html = render("a&#11;b &#xFFFF; &#x202E; [c](https://x.dk/ \"&#12;\")");
    assert!(
        !html.chars().any(crate::validation::forbidden_char),
        "{html:?}"
    );
    assert!(html.contains("a\u{fffd}b"), "{html:?}");
}

#[test]
fn nesting_is_counted_refused_beyond_the_limit_and_capped() {
    assert_eq!(nesting("Tekst"), 1);
    // A tight list's items hold no paragraph.
    assert_eq!(nesting("> - *a **b***"), 5);
    assert_eq!(nesting("> - a\n>\n>   *b **c***"), 6);
    let fine = ">".repeat(MAX_NESTING - 1) + " x";
    assert_eq!(nesting(&fine), MAX_NESTING);
    assert!(check_nesting(&fine).is_ok());
    let deep = ">".repeat(40_000);
    let message = check_nesting(&deep).unwrap_err();
    assert!(
        message.contains("40000 niveauer") && message.contains("højst 32"),
        "{message}"
    );
    // Rendered anyway (a body stored outside Raadhus): at most the limit deep.
    let html = render(&(deep + " tekst"));
    assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
    assert_eq!(html.matches("</blockquote>").count(), MAX_NESTING);
    assert!(html.contains("tekst"));
    let emphasis = format!("{}x{}", "*a **b ".repeat(100), "** *".repeat(100));
    let html = render(&emphasis);
    let opened = html.matches("<em>").count() + html.matches("<strong>").count();
    let closed = html.matches("</em>").count() + html.matches("</strong>").count();
    assert_eq!(opened, closed);
    assert!(opened <= MAX_NESTING, "{html}");
}

#[test]
fn plain_text_drops_markup() {
    assert_eq!(
        super::plain_text(
            "# Titel\n\nEt *afsnit* med [link](https://x.dk) <b>og</b> HTML.\n\n- en\n- to"
        ),
        "Titel Et afsnit med link og HTML. en to"
    );
}

#[test]
fn plain_text_is_escaped() {
    assert_eq!(render("1 < 2 & 3 > 2"), "<p>1 &lt; 2 &amp; 3 &gt; 2</p>\n");
}
