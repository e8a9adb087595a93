//! Article bodies: CommonMark rendered to HTML, then sanitized.
//!
//! pulldown-cmark passes raw HTML through, so its output is never trusted:
//! ammonia removes every element, attribute and URL scheme not allowed below.
//! No script, no event handler and no `javascript:` URL can survive.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The elements a body may contain (`<h1>` is the page's headline, so a
/// body's headings start at `<h2>`).
pub const BODY_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "em",
    "strong",
    "code",
    "pre",
];

/// The URL schemes a link in a body may have.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = BODY_TAGS.iter().copied().collect();
    let attributes: HashMap<&str, HashSet<&str>> =
        [("a", ["href", "title"].into()), ("ol", ["start"].into())].into();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        // Not even ammonia's default `title` and `lang` on every element.
        .generic_attributes(HashSet::new())
        .tag_attributes(attributes)
        .url_schemes(LINK_SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// Plain text as HTML that shows exactly that text.
pub fn escape_text(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

/// Renders an article body to safe HTML.
///
/// Headings move one level down (`#` becomes `<h2>`) because the page's `<h1>`
/// is the headline. Images are replaced by their text: a body never loads
/// anything from another host.
pub fn render(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, Options::empty()).filter_map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

/// The words of a body without any markup, for the search index.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // Blocks end with a space; inline ends (links, emphasis) do not.
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::{escape_text, render};

    #[test]
    fn escaped_text_is_shown_as_written() {
        assert_eq!(
            escape_text(r#"<b onclick='x'>"Æ" & ø</b>"#),
            "&lt;b onclick=&#39;x&#39;&gt;&quot;Æ&quot; &amp; ø&lt;/b&gt;"
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
            for needle in [
                "<script",
                "onerror",
                "onload",
                "onclick",
                "javascript:",
                "data:",
                "<iframe",
                "<img",
                "<svg",
                "style=",
            ] {
                assert!(!html.contains(needle), "{input:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn only_links_keep_a_title() {
        assert_eq!(render("<p title=\"t\" lang=\"en\">x</p>"), "<p>x</p>");
        assert!(
            render("[y](https://example.dk/ \"t\")").contains(" title=\"t\""),
            "a link keeps its title"
        );
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
}
