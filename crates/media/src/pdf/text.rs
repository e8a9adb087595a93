//! A PDF's text, extracted with pdf-extract on a thread of its own, within a
//! time limit and a length limit, surviving its panics.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use lopdf::Document;
use pdf_extract::{ConvertToFmt, PlainTextOutput};

use crate::MAX_TEXT_CHARS;

/// How long text extraction may take before it is given up.
const TIME_LIMIT: Duration = Duration::from_secs(9);
/// How much longer the caller waits for the extracting thread to notice.
const GRACE: Duration = Duration::from_secs(1);
/// The fewest letters that make a text layer (a scan's stray page number
/// does not).
pub(super) const MIN_LETTERS: usize = 5;
/// Stack of the extracting thread.
const STACK_SIZE: usize = 16 * 1024 * 1024;
/// Most pages whose content streams are searched for text operators.
const MAX_PAGES_SCANNED: usize = 200;

/// What extraction found.
pub(super) struct Extracted {
    /// Whitespace collapsed, at most [`MAX_TEXT_CHARS`] characters.
    pub text: String,
    /// Letters in `text`.
    pub letters: usize,
    /// Whether extraction went through every page (else it stopped at the
    /// time limit, the length limit, an error or a panic).
    pub complete: bool,
}

impl Extracted {
    /// Nothing extracted: extraction was not tried or did not answer.
    pub(super) fn none() -> Self {
        Self {
            text: String::new(),
            letters: 0,
            complete: false,
        }
    }
}

/// Extracts the text of `doc`. Never blocks longer than about ten seconds:
/// if the extracting thread has not answered by then, no text is returned
/// (the thread stops itself at its next character).
pub(super) fn extract(doc: Arc<Document>) -> Extracted {
    let deadline = Instant::now() + TIME_LIMIT;
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("pdf-text".into())
        // Room for pdf-extract's recursion into nested forms.
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let mut sink = Sink::new(deadline);
            let result = catch_unwind(AssertUnwindSafe(|| {
                let mut output = PlainTextOutput::new(&mut sink);
                pdf_extract::output_doc(&doc, &mut output)
            }));
            let complete = matches!(result, Ok(Ok(()))) && !sink.full;
            // The caller may have stopped waiting.
            let _ = tx.send((sink, complete));
        });
    if spawned.is_err() {
        return Extracted::none();
    }
    match rx.recv_timeout(TIME_LIMIT + GRACE) {
        Ok((sink, complete)) => Extracted {
            text: sink.text.trim_end().to_owned(),
            letters: sink.letters,
            complete,
        },
        Err(_) => Extracted::none(),
    }
}

/// Collects text with whitespace collapsed, up to [`MAX_TEXT_CHARS`]; fails
/// (which stops pdf-extract) when full or past the deadline.
struct Sink {
    text: String,
    chars: usize,
    letters: usize,
    full: bool,
    deadline: Instant,
}

impl Sink {
    fn new(deadline: Instant) -> Self {
        Self {
            text: String::new(),
            chars: 0,
            letters: 0,
            full: false,
            deadline,
        }
    }
}

impl fmt::Write for Sink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if Instant::now() > self.deadline {
            return Err(fmt::Error);
        }
        for c in s.chars() {
            let c = if c.is_whitespace() || c == '\0' {
                if self.text.is_empty() || self.text.ends_with(' ') {
                    continue;
                }
                ' '
            } else {
                c
            };
            if self.chars >= MAX_TEXT_CHARS {
                self.full = true;
                return Err(fmt::Error);
            }
            if c.is_alphabetic() {
                self.letters += 1;
            }
            self.text.push(c);
            self.chars += 1;
        }
        Ok(())
    }
}

impl<'a> ConvertToFmt for &'a mut Sink {
    type Writer = &'a mut Sink;
    fn convert(self) -> Self::Writer {
        self
    }
}

/// Whether the content streams of the first pages show text (the operators
/// `Tj`, `TJ`, `'` and `"`), for when extraction could not finish.
pub(super) fn draws_text(doc: &Document) -> bool {
    doc.page_iter().take(MAX_PAGES_SCANNED).any(|page| {
        catch_unwind(AssertUnwindSafe(|| doc.get_page_content(page)))
            .ok()
            .and_then(Result::ok)
            .is_some_and(|content| has_text_operator(&content))
    })
}

/// Whether `content` has a text-showing operator as a token of its own.
fn has_text_operator(content: &[u8]) -> bool {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b")]>".contains(&b);
    (0..content.len()).any(|i| {
        let rest = &content[i..];
        let len = if rest.starts_with(b"Tj") || rest.starts_with(b"TJ") {
            2
        } else if rest.starts_with(b"'") || rest.starts_with(b"\"") {
            1
        } else {
            return false;
        };
        let before = i == 0 || delimiter(content[i - 1]);
        let after = content.get(i + len).is_none_or(|&b| delimiter(b));
        before && after
    })
}
