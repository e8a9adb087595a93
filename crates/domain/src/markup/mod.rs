//! Article bodies: CommonMark rendered to safe HTML, with the blocks of
//! [`blocks`] (fold-outs, fact boxes, contact persons) around it.
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

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag};

use crate::contact::ContactPerson;
use crate::media::{Crop, Media, MediaKind};
use crate::validation::forbidden_char;

pub mod blocks;

pub use blocks::{contact_refs, pieces};
mod outline;

use outline::Outline;

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
    // The blocks (see `blocks`): fold-outs, fact boxes, contact persons.
    "details",
    "summary",
    "section",
    "address",
    "span",
];

/// The URL schemes a link in a body may have.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// How many elements of a body may lie inside each other: block quotes,
/// lists and their items, paragraphs, headings, code blocks, emphasis,
/// links, fold-outs and fact boxes each count one. Real articles stay far below (a list three levels
/// deep inside a quote, its words in bold and italics, is 11); deeper
/// nesting is only an attack on the readers' browsers.
pub const MAX_NESTING: usize = 32;

/// The version of [`render`]'s output. Stored HTML made by another version
/// is rendered again (the binary does it in the background on start).
/// Increase it whenever the output for some body changes: a rule here, or
/// pulldown-cmark's reading of CommonMark.
pub const RENDER_VERSION: i64 = 3;

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

/// What a body refers to, as it is now: the files of the media library
/// (`media:ID`) and the contact persons (`::: kontakt ID`) it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shown {
    pub media: Vec<Media>,
    pub contacts: Vec<ContactPerson>,
}

impl BodyHtml {
    pub fn render(markdown: &str) -> Self {
        Self(render(markdown))
    }

    /// Renders a body whose references are among `shown`.
    pub fn render_with(markdown: &str, shown: &Shown) -> Self {
        Self(render_with(markdown, shown))
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
/// Headings form an outline below the page's `<h1>`, the headline: the
/// first is an `<h2>` and none skips a level (see [`Outline`]). Images are replaced by their text: a body never loads
/// anything from another host. Raw HTML is shown as text. Elements deeper
/// than [`MAX_NESTING`] are left out, their text kept.
pub fn render(markdown: &str) -> String {
    render_with(markdown, &Shown::default())
}

/// [`render`], with the files of the media library that the body refers to
/// as `media:ID`: an image `![alt](media:ID)` becomes a responsive
/// `<picture>` (the library's alt text when the brackets are empty, `alt=""`
/// for a decorative image), a link `[Lokalplan 412](media:ID)` links the
/// file and says its type and size ("Lokalplan 412 (PDF, 2,1 MB)"; the
/// file's title when the brackets are empty). A reference to a file not in
/// `media` shows only its text. The blocks of the body (see [`blocks`])
/// are written around the Markdown between them; a contact person not in
/// `shown` is left out.
pub fn render_with(markdown: &str, shown: &Shown) -> String {
    let mut out = Writer {
        html: String::with_capacity(markdown.len() * 5 / 4),
        open: Vec::new(),
        media: &shown.media,
        image: None,
        file_link: None,
        ids: Vec::new(),
        boxes: 0,
        outline: Outline::default(),
    };
    for piece in pieces(markdown) {
        match piece {
            blocks::Piece::Text(text) => out.markdown(text),
            blocks::Piece::Open(kind, title) => out.open_block(kind, title),
            blocks::Piece::Close => out.end(),
            blocks::Piece::Contact(id) => {
                if let Some(contact) = shown.contacts.iter().find(|c| c.id == id) {
                    out.contact(contact);
                }
            }
        }
    }
    out.html
}

impl Writer<'_> {
    /// Writes Markdown (between blocks).
    fn markdown(&mut self, markdown: &str) {
        let out = self;
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
    }
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
    /// The ids given to fold-outs so far (each is unique in the body).
    ids: Vec<String>,
    /// How many fact boxes were written so far.
    boxes: usize,
    /// The levels of the headings written so far.
    outline: Outline,
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
            Tag::Heading { level, .. } => match self.outline.level(level) {
                2 => ("<h2>", "</h2>\n"),
                3 => ("<h3>", "</h3>\n"),
                4 => ("<h4>", "</h4>\n"),
                5 => ("<h5>", "</h5>\n"),
                _ => ("<h6>", "</h6>\n"),
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
    let (mut base, mut deepest) = (0_usize, 0);
    for piece in pieces(markdown) {
        let mut depth = base;
        match piece {
            blocks::Piece::Open(..) => base += 1,
            blocks::Piece::Close => base = base.saturating_sub(1),
            blocks::Piece::Contact(_) => {}
            blocks::Piece::Text(text) => {
                for event in Parser::new_ext(text, Options::empty()) {
                    match event {
                        Event::Start(_) => depth += 1,
                        Event::End(_) => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    deepest = deepest.max(depth);
                }
            }
        }
        deepest = deepest.max(base);
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
    for piece in pieces(markdown) {
        match piece {
            blocks::Piece::Text(markdown) => plain_text_of(markdown, &mut text),
            blocks::Piece::Open(_, title) => {
                text.push_str(title);
                text.push(' ');
            }
            blocks::Piece::Close | blocks::Piece::Contact(_) => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds the words of Markdown `markdown` to `text`.
fn plain_text_of(markdown: &str, text: &mut String) {
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
}

#[cfg(test)]
mod tests;
