//! Blocks in a body: fold-out sections, fact boxes and contact persons,
//! written as fenced containers on lines of their own:
//!
//! ```text
//! ::: foldeud Hvem kan søge?
//! Markdown, as anywhere else.
//! :::
//!
//! ::: faktaboks Fakta om storskrald
//! - Afhentes hver anden uge
//! :::
//!
//! ::: kontakt 12
//! ```
//!
//! A line is a block line when it starts with `:::` in its first column and
//! is not inside a fenced code block (so a code example can show the
//! syntax). `:::` alone closes the open fold-out or fact box. Fold-outs and
//! fact boxes do not nest; a contact person may stand anywhere, also inside
//! them. Everything between block lines is Markdown, rendered on its own.
//!
//! [`pieces`] reads any text, in one pass, and never fails: what breaks the
//! rules is rendered as well as it can be (an unknown block line is text, a
//! box opened inside another closes that one first, a stray `:::` is dropped,
//! a box left open closes at the end). [`check`] tells an editor, in Danish,
//! what broke the rules, so that a body saved by an editor has none of that.

/// A fold-out section or a fact box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// `<details>` with the title as its `<summary>`.
    Foldeud,
    /// A `<section>` named by its title (or "Faktaboks").
    Faktaboks,
}

impl Container {
    fn keyword(self) -> &'static str {
        match self {
            Self::Foldeud => "foldeud",
            Self::Faktaboks => "faktaboks",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Foldeud => "Foldeud-afsnittet",
            Self::Faktaboks => "Faktaboksen",
        }
    }
}

/// A piece of a body, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Markdown between block lines (never empty).
    Text(&'a str),
    /// A fold-out or fact box starts; its title is trimmed (may be empty).
    Open(Container, &'a str),
    /// The open fold-out or fact box ends.
    Close,
    /// A contact person, by id.
    Contact(i64),
}

/// What a block line says.
enum Line<'a> {
    Open(Container, &'a str),
    Close,
    Contact(Option<i64>),
    Unknown,
}

/// Reads a line that starts with `:::`.
fn read_line(line: &str) -> Line<'_> {
    let rest = line.trim_start_matches(":::").trim();
    if rest.is_empty() {
        return Line::Close;
    }
    let (word, argument) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(w, a)| (w, a.trim()));
    match word.to_lowercase().as_str() {
        "foldeud" => Line::Open(Container::Foldeud, argument),
        "faktaboks" => Line::Open(Container::Faktaboks, argument),
        "kontakt" => Line::Contact(
            Some(argument)
                .filter(|a| !a.is_empty() && a.len() <= 18 && a.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|a| a.parse().ok()),
        ),
        _ => Line::Unknown,
    }
}

/// Follows fenced code blocks (CommonMark: a line of three or more backticks
/// or tildes, indented at most three spaces, closed by a line of at least as
/// many of the same character and nothing else).
#[derive(Default)]
struct Fence(Option<(u8, usize)>);

impl Fence {
    /// Takes in one line; whether it was inside a fenced code block
    /// (its opening and closing lines included).
    fn inside(&mut self, line: &str) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let run = |c: u8| line[indent..].bytes().take_while(|&b| b == c).count();
        match self.0 {
            Some((c, n)) => {
                if indent < 4 && run(c) >= n && line[indent + run(c)..].trim().is_empty() {
                    self.0 = None;
                }
                true
            }
            None if indent < 4 => {
                for c in [b'`', b'~'] {
                    let n = run(c);
                    // A backtick fence's info string holds no backtick.
                    if n >= 3 && !(c == b'`' && line[indent + n..].contains('`')) {
                        self.0 = Some((c, n));
                        return true;
                    }
                }
                false
            }
            None => false,
        }
    }
}

/// A block line: its number (from 1), its text, what it says, and where
/// the text after it starts.
struct Found<'a> {
    number: usize,
    text: &'a str,
    line: Line<'a>,
    end: usize,
}

/// Calls `found` for each block line of `markdown` with where the Markdown
/// before it starts (after the previous block line) and the line; then once
/// with where the rest starts and `None`.
fn scan<'a>(markdown: &'a str, mut found: impl FnMut(usize, usize, Option<Found<'a>>)) {
    let mut fence = Fence::default();
    let mut text_start = 0;
    let mut at = 0;
    for (i, line) in markdown.split_inclusive('\n').enumerate() {
        let start = at;
        at += line.len();
        let bare = line.trim_end_matches(['\n', '\r']);
        if fence.inside(bare) || !bare.starts_with(":::") {
            continue;
        }
        let line = Found {
            number: i + 1,
            text: bare,
            line: read_line(bare),
            end: at,
        };
        found(text_start, start, Some(line));
        text_start = at;
    }
    found(text_start, markdown.len(), None);
}

/// The pieces of `markdown`, by the lenient rules of the module's
/// documentation: boxes never nest, every `Open` has its `Close`.
pub fn pieces<'a>(markdown: &'a str) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut open = false;
    // The Markdown not yet given out; unknown block lines join it as text.
    let mut text: Option<(usize, usize)> = None;
    let flush = |out: &mut Vec<Piece<'a>>, text: &mut Option<(usize, usize)>| {
        if let Some((from, to)) = text.take()
            && !markdown[from..to].trim().is_empty()
        {
            out.push(Piece::Text(&markdown[from..to]));
        }
    };
    scan(markdown, |from, to, found| {
        text = Some(text.map_or((from, to), |(f, _)| (f, to)));
        let Some(found) = found else {
            flush(&mut out, &mut text);
            return;
        };
        match found.line {
            Line::Unknown | Line::Contact(None) => {
                text = text.map(|(f, _)| (f, found.end));
            }
            Line::Close => {
                flush(&mut out, &mut text);
                if open {
                    out.push(Piece::Close);
                    open = false;
                }
            }
            Line::Open(kind, title) => {
                flush(&mut out, &mut text);
                if open {
                    out.push(Piece::Close);
                }
                out.push(Piece::Open(kind, title));
                open = true;
            }
            Line::Contact(Some(id)) => {
                flush(&mut out, &mut text);
                out.push(Piece::Contact(id));
            }
        }
    });
    if open {
        out.push(Piece::Close);
    }
    out
}

/// The contact persons `markdown` places in its text, in order of first
/// appearance, each once.
pub fn contact_refs(markdown: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    if !markdown.contains(MARKER) {
        return ids;
    }
    for piece in pieces(markdown) {
        if let Piece::Contact(id) = piece
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids
}

/// Where `markdown` places a contact person (`::: kontakt ID`, as
/// [`contact_refs`] reads them), in order: the byte range of the id's
/// digits, and the id.
pub fn contact_spans(markdown: &str) -> Vec<(std::ops::Range<usize>, i64)> {
    let mut spans = Vec::new();
    if !markdown.contains(MARKER) {
        return spans;
    }
    scan(markdown, |_, start, found| {
        if let Some(Found {
            text,
            line: Line::Contact(Some(id)),
            ..
        }) = found
        {
            // The id is the line's last word, all digits.
            let end = start + text.trim_end().len();
            let digits = text.trim_end().bytes().rev().take_while(u8::is_ascii_digit);
            spans.push((end - digits.count()..end, id));
        }
    });
    spans
}

/// What every block line holds: a body without it has no blocks (a cheap
/// test before [`contact_refs`], also for a database's `LIKE`).
pub const MARKER: &str = ":::";

/// The first way the blocks of `markdown` break the rules, as a message
/// for the editor (naming the line).
pub fn check(markdown: &str) -> Result<(), String> {
    let mut problem: Option<String> = None;
    let mut open: Option<(Container, usize)> = None;
    scan(markdown, |_, _, found| {
        if problem.is_some() {
            return;
        }
        let Some(Found {
            number, text, line, ..
        }) = found
        else {
            if let Some((kind, at)) = open {
                problem = Some(format!(
                    "Linje {at}: {} er ikke lukket. Skriv ::: på en linje for sig efter indholdet.",
                    kind.label()
                ));
            }
            return;
        };
        let here = format!("Linje {number}:");
        match line {
            Line::Unknown => {
                problem = Some(format!(
                    "{here} »{}« er ikke en blok, vi kender. Brug ::: foldeud Overskrift, \
                     ::: faktaboks Overskrift eller ::: kontakt nummer, og ::: alene for at lukke.",
                    text.trim()
                ));
            }
            Line::Contact(None) => {
                problem = Some(format!(
                    "{here} Skriv kontaktpersonens nummer efter ::: kontakt, fx ::: kontakt 12. \
                     Nummeret står ved hver kontaktperson."
                ));
            }
            Line::Contact(Some(_)) => {}
            Line::Close if open.is_none() => {
                problem = Some(format!(
                    "{here} ::: lukker ingen foldeud eller faktaboks. Slet linjen, eller åbn blokken før den."
                ));
            }
            Line::Close => open = None,
            Line::Open(kind, _) if open.is_some() => {
                problem = Some(format!(
                    "{here} En {} kan ikke ligge inden i en anden blok. Luk den første med ::: på en linje for sig før.",
                    kind.keyword()
                ));
            }
            Line::Open(Container::Foldeud, "") => {
                problem = Some(format!(
                    "{here} Et foldeud-afsnit skal have en overskrift: ::: foldeud Overskrift."
                ));
            }
            Line::Open(kind, _) => open = Some((kind, number)),
        }
    });
    problem.map_or(Ok(()), Err)
}

/// A fold-out's id: its title's slug (`foldeud-hvem-kan-soege`),
/// numbered when another fold-out of the body has it already.
fn foldeud_id(title: &str, taken: &[String]) -> String {
    let base = crate::slug::Slug::from_title(title).map_or_else(
        || "foldeud".to_string(),
        |s| format!("foldeud-{}", s.as_str()),
    );
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

impl super::Writer<'_> {
    /// Opens a fold-out or a fact box; [`Piece::Close`] ends it (as any
    /// element, with [`super::Writer::end`]).
    pub(super) fn open_block(&mut self, kind: Container, title: &str) {
        match kind {
            Container::Foldeud => {
                let id = foldeud_id(title, &self.ids);
                self.block("<details class=\"foldeud\" id=\"");
                self.html.push_str(&id);
                self.html.push_str("\">\n<summary>");
                super::push_escaped(
                    &mut self.html,
                    if title.is_empty() { "Læs mere" } else { title },
                );
                self.html.push_str("</summary>\n");
                self.ids.push(id);
                self.open.push(Some("</details>\n"));
            }
            Container::Faktaboks => {
                self.boxes += 1;
                if title.is_empty() {
                    // Landmarks need names of their own.
                    self.block("<section class=\"faktaboks\" aria-label=\"Faktaboks");
                    if self.boxes > 1 {
                        self.html.push_str(&format!(" {}", self.boxes));
                    }
                    self.html.push_str("\">\n");
                } else {
                    let id = format!("faktaboks-{}", self.boxes);
                    // The title names the box, and is no heading: the
                    // body's outline goes on through the box unchanged.
                    self.block(&format!(
                        "<section class=\"faktaboks\" aria-labelledby=\"{id}\">\n\
                         <p class=\"faktaboks__titel\" id=\"{id}\">"
                    ));
                    super::push_escaped(&mut self.html, title);
                    self.html.push_str("</p>\n");
                }
                self.open.push(Some("</section>\n"));
            }
        }
    }

    /// Writes a contact person as the article's contact block shows one:
    /// name and job title, e-mail and phone as links.
    pub(super) fn contact(&mut self, c: &crate::contact::ContactPerson) {
        self.block("<address class=\"kontakt\">\n<p class=\"contact__name\">");
        super::push_escaped(&mut self.html, &c.name);
        if let Some(job) = &c.job_title {
            self.html.push_str(", ");
            super::push_escaped(&mut self.html, job);
        }
        self.html.push_str("</p>\n");
        let links = [
            c.email
                .as_ref()
                .map(|e| ("E-mail", e.mailto(), e.to_string())),
            c.phone
                .as_ref()
                .map(|p| ("Telefon", p.tel_uri(), p.display())),
        ];
        for (label, href, text) in links.into_iter().flatten() {
            self.html.push_str("<p><span class=\"visually-hidden\">");
            self.html.push_str(label);
            self.html.push_str(": </span><a href=\"");
            super::push_escaped(&mut self.html, &href);
            self.html.push_str("\">");
            super::push_escaped(&mut self.html, &text);
            self.html.push_str("</a></p>\n");
        }
        self.html.push_str("</address>\n");
    }
}

#[cfg(test)]
mod tests;
