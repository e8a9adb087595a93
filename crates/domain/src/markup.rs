//! Article bodies: CommonMark rendered to safe HTML.
//!
//! The HTML is written here from pulldown-cmark's events, from an allow-list,
//! so it is safe by construction (as CommonMark's reference implementation
//! does in its default safe mode): only the elements of [`BODY_TAGS`], only
//! `href` and `title` on links and `start` on numbered lists, links only to
//! relative URLs or the schemes of [`LINK_SCHEMES`] (read as a browser reads
//! them), images replaced by their text, and raw HTML shown as the text it
//! is, never interpreted. No script, no event handler and no `javascript:`
//! URL can be written.
//!
//! Rendering is linear in the input: one pass of pulldown-cmark (itself
//! linear) and one of writing. Elements nest at most [`MAX_NESTING`] deep:
//! an editor's body deeper than that is refused ([`check_nesting`]), and a
//! stored body that is deeper anyway (written outside Raadhus) is rendered
//! with the deeper elements left out and their text kept.
//!
//! No HTML sanitizer runs on the output: ammonia (html5ever) takes
//! super-linear time on hostile bodies (quadratic in nesting depth, and in
//! html5ever 0.40 also in the number of `&`, no-break spaces and U+0080–U+00BF
//! characters of one paragraph), which let one article stall the server;
//! see `bench/RESULTS.md`.

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag};

use crate::media::{Crop, Media, MediaKind};
use crate::validation::forbidden_char;

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

/// How many elements of a body may lie inside each other: block quotes,
/// lists and their items, paragraphs, headings, code blocks, emphasis and
/// links each count one. Real articles stay far below (a list three levels
/// deep inside a quote, its words in bold and italics, is 11); deeper
/// nesting is only an attack on the readers' browsers.
pub const MAX_NESTING: usize = 32;

/// The version of [`render`]'s output. Stored HTML made by another version
/// is rendered again (the binary does it in the background on start).
/// Increase it whenever the output for some body changes: a rule here, or
/// pulldown-cmark's reading of CommonMark.
pub const RENDER_VERSION: i64 = 1;

/// Plain text as HTML that shows exactly that text (a character no stored
/// text may hold, see [`forbidden_char`], shows as U+FFFD).
pub fn escape_text(text: &str) -> String {
    let mut html = String::with_capacity(text.len());
    push_escaped(&mut html, text);
    html
}

fn push_escaped(html: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c if forbidden_char(c) => html.push(char::REPLACEMENT_CHARACTER),
            c => html.push(c),
        }
    }
}

/// An article body rendered by [`render`] with [`RENDER_VERSION`]: safe
/// HTML, ready to be stored with the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyHtml(String);

impl BodyHtml {
    pub fn render(markdown: &str) -> Self {
        Self(render_with(markdown, &[]))
    }

    /// Renders a body whose `media:ID` references are among `media`.
    pub fn render_with(markdown: &str, media: &[Media]) -> Self {
        Self(render_with(markdown, media))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Renders an article body to safe HTML, in time linear in its length.
///
/// Headings move one level down (`#` becomes `<h2>`) because the page's `<h1>`
/// is the headline. Images are replaced by their text: a body never loads
/// anything from another host. Raw HTML is shown as text. Elements deeper
/// than [`MAX_NESTING`] are left out, their text kept.
pub fn render(markdown: &str) -> String {
    render_with(markdown, &[])
}

/// [`render`], with the files of the media library that the body refers to
/// as `media:ID`: an image `![alt](media:ID)` becomes a responsive
/// `<picture>` (the library's alt text when the brackets are empty, `alt=""`
/// for a decorative image), a link `[Lokalplan 412](media:ID)` links the
/// file and says its type and size ("Lokalplan 412 (PDF, 2,1 MB)"; the
/// file's title when the brackets are empty). A reference to a file not in
/// `media` shows only its text.
pub fn render_with(markdown: &str, media: &[Media]) -> String {
    let mut out = Writer {
        html: String::with_capacity(markdown.len() * 5 / 4),
        open: Vec::new(),
        media,
        image: None,
        file_link: None,
    };
    for event in Parser::new_ext(markdown, Options::empty()) {
        if let Some(image) = &mut out.image {
            match event {
                Event::Start(_) => image.depth += 1,
                Event::End(_) if image.depth > 0 => image.depth -= 1,
                Event::End(_) => out.end_image(),
                Event::Text(text)
                | Event::Code(text)
                | Event::InlineHtml(text)
                | Event::Html(text) => image.alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => image.alt.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => out.start(tag),
            Event::End(_) => out.end(),
            Event::Text(text) => push_escaped(&mut out.html, &text),
            Event::Code(text) => {
                out.html.push_str("<code>");
                push_escaped(&mut out.html, &text);
                out.html.push_str("</code>");
            }
            // Raw HTML, and what only options not enabled here produce: text.
            Event::Html(text)
            | Event::InlineHtml(text)
            | Event::InlineMath(text)
            | Event::DisplayMath(text)
            | Event::FootnoteReference(text) => push_escaped(&mut out.html, &text),
            Event::SoftBreak => out.html.push('\n'),
            Event::HardBreak => out.html.push_str("<br>\n"),
            Event::Rule => out.block("<hr>\n"),
            Event::TaskListMarker(_) => {}
        }
    }
    out.html
}

/// The HTML being written, and for each open element its end tag, if it
/// was written.
struct Writer<'m> {
    html: String,
    open: Vec<Option<&'static str>>,
    media: &'m [Media],
    /// An image of the library being read: its alt text is collected
    /// until it ends.
    image: Option<ImageRef<'m>>,
    /// A link to a file of the library: where its text starts in `html`,
    /// and the file (its title when the text is empty, type and size after).
    file_link: Option<(usize, &'m Media)>,
}

struct ImageRef<'m> {
    media: &'m Media,
    alt: String,
    depth: usize,
}

/// How wide an image in a body is shown: the text column.
const BODY_IMAGE_SIZES: &str = "(max-width: 48rem) 100vw, 46rem";

impl<'m> Writer<'m> {
    /// Writes a block element's start tag on a line of its own.
    fn block(&mut self, tag: &str) {
        if !self.html.is_empty() && !self.html.ends_with('\n') {
            self.html.push('\n');
        }
        self.html.push_str(tag);
    }

    fn start(&mut self, tag: Tag<'_>) {
        let end = if self.open.len() < MAX_NESTING {
            self.element(tag)
        } else {
            None
        };
        self.open.push(end);
    }

    fn end(&mut self) {
        if let Some(Some(end)) = self.open.pop() {
            // Links do not nest: an open file link ends at the next `</a>`.
            if end == "</a>"
                && let Some((start, media)) = self.file_link.take()
            {
                if self.html.len() == start {
                    push_escaped(&mut self.html, &media.details.title);
                }
                self.html.push(' ');
                self.html.push_str(&media.type_and_size());
            }
            self.html.push_str(end);
        }
    }

    /// Writes the image being read, with the alt text its brackets gave.
    fn end_image(&mut self) {
        if let Some(image) = self.image.take() {
            let typed = image.alt.trim();
            let alt = if image.media.details.decorative {
                ""
            } else if typed.is_empty() {
                image.media.alt()
            } else {
                typed
            };
            self.html.push_str(&image.media.picture(
                Crop::Full,
                BODY_IMAGE_SIZES,
                false,
                Some(alt),
            ));
        }
    }

    fn library(&self, dest: &str) -> Option<&'m Media> {
        let id = crate::media::ref_id(dest)?;
        self.media.iter().find(|m| m.id == id)
    }

    /// Writes the start tag of an allowed element and returns its end tag;
    /// `None` for what is left out (its text is still written).
    fn element(&mut self, tag: Tag<'_>) -> Option<&'static str> {
        let (start, end): (&str, &'static str) = match tag {
            Tag::Paragraph | Tag::HtmlBlock => ("<p>", "</p>\n"),
            Tag::Heading { level, .. } => match level {
                HeadingLevel::H1 => ("<h2>", "</h2>\n"),
                HeadingLevel::H2 => ("<h3>", "</h3>\n"),
                HeadingLevel::H3 => ("<h4>", "</h4>\n"),
                HeadingLevel::H4 => ("<h5>", "</h5>\n"),
                HeadingLevel::H5 | HeadingLevel::H6 => ("<h6>", "</h6>\n"),
            },
            Tag::BlockQuote(_) => ("<blockquote>\n", "</blockquote>\n"),
            Tag::CodeBlock(_) => ("<pre><code>", "</code></pre>\n"),
            Tag::List(None) => ("<ul>\n", "</ul>\n"),
            Tag::List(Some(1)) => ("<ol>\n", "</ol>\n"),
            Tag::List(Some(start)) => {
                self.block(&format!("<ol start=\"{start}\">\n"));
                return Some("</ol>\n");
            }
            Tag::Item => ("<li>", "</li>\n"),
            Tag::Emphasis => {
                self.html.push_str("<em>");
                return Some("</em>");
            }
            Tag::Strong => {
                self.html.push_str("<strong>");
                return Some("</strong>");
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                if let Some(media) = self.library(&dest_url) {
                    return self.file_link(media);
                }
                return self.link(link_type, &dest_url, &title);
            }
            Tag::Image { dest_url, .. } => {
                if let Some(media) = self.library(&dest_url)
                    && media.kind == MediaKind::Image
                {
                    self.image = Some(ImageRef {
                        media,
                        alt: String::new(),
                        depth: 0,
                    });
                }
                return None;
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => return None,
        };
        self.block(start);
        Some(end)
    }

    /// Writes the start of a link to a file of the library.
    fn file_link(&mut self, media: &'m Media) -> Option<&'static str> {
        self.html.push_str("<a href=\"");
        push_escaped(&mut self.html, &media.url());
        self.html.push_str("\" type=\"");
        push_escaped(&mut self.html, &media.mime);
        self.html.push_str("\">");
        self.file_link = Some((self.html.len(), media));
        Some("</a>")
    }

    /// Writes a link's start tag, if its URL is allowed.
    fn link(&mut self, kind: LinkType, url: &CowStr<'_>, title: &str) -> Option<&'static str> {
        let url = match kind {
            LinkType::Email => CowStr::from(format!("mailto:{url}")),
            _ => url.clone(),
        };
        if !allowed_url(&url) {
            return None;
        }
        self.html.push_str("<a href=\"");
        // Percent-encodes all but ASCII URL characters; `&` and `'` as entities.
        pulldown_cmark_escape::escape_href(&mut self.html, &url)
            .unwrap_or_else(|_| unreachable!("writing to a String cannot fail"));
        if !title.is_empty() {
            self.html.push_str("\" title=\"");
            push_escaped(&mut self.html, title);
        }
        self.html.push_str("\" rel=\"noopener noreferrer\">");
        Some("</a>")
    }
}

/// Whether a link to `url` is allowed: relative, or with a scheme of
/// [`LINK_SCHEMES`], its scheme read as a browser reads it (WHATWG URL:
/// leading and trailing C0 controls and spaces dropped, tabs and newlines
/// removed anywhere).
fn allowed_url(url: &str) -> bool {
    let mut chars = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let mut scheme = String::new();
    for c in chars.by_ref() {
        match c {
            ':' if !scheme.is_empty() => {
                return LINK_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str());
            }
            c if c.is_ascii_alphabetic()
                || (!scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))) =>
            {
                scheme.push(c);
            }
            // No scheme: a relative URL.
            _ => return true,
        }
    }
    true
}

/// How deep the elements of a body lie inside each other (see
/// [`MAX_NESTING`]).
pub fn nesting(markdown: &str) -> usize {
    let (mut depth, mut deepest) = (0_usize, 0);
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(_) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// Refuses a body whose elements nest deeper than [`MAX_NESTING`], with a
/// message for the editor.
pub fn check_nesting(markdown: &str) -> Result<(), String> {
    match nesting(markdown) {
        depth if depth > MAX_NESTING => Err(format!(
            "Teksten har for mange niveauer inden i hinanden: citater, lister, \
             overskrifter, fremhævninger og links ligger {depth} niveauer inde, \
             og højst {MAX_NESTING} er tilladt. Gør opbygningen fladere, og prøv igen."
        )),
        _ => Ok(()),
    }
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
                pulldown_cmark::TagEnd::Paragraph
                | pulldown_cmark::TagEnd::Heading(_)
                | pulldown_cmark::TagEnd::Item
                | pulldown_cmark::TagEnd::BlockQuote(_)
                | pulldown_cmark::TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> Vec<Media> {
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
}
