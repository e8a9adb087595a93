//! The request log: one line per request, at level `INFO` with target
//! `access`, once its answer has been handed to the connection (or given
//! up): method, path, status, bytes of the body sent and the time from the
//! request's arrival to then, in microseconds (`duration_us`).
//!
//! The query string is left out: what a visitor searched for is theirs,
//! not the log's. Turn the lines off with `log = "info,access=off"`.
//!
//! Written as plain text ([`write_text_lines_to`]), the server formats the
//! line itself, exactly as `tracing`'s text format would: through
//! `tracing` the line took 9.6 % of the server's time on a cached page
//! (its formatting machinery, the time formatted afresh for every line),
//! formatted here 5.1 % (bench/RESULTS.md).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::{Instant, SystemTime};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use http_body::{Frame, SizeHint};

/// What a request's line says of the request itself.
pub struct Line {
    method: Method,
    uri: Uri,
}

impl Line {
    /// The line of `request`, or `None` while the request log is off.
    pub fn of(request: &Request) -> Option<Self> {
        tracing::enabled!(target: "access", tracing::Level::INFO).then(|| Self {
            method: request.method().clone(),
            uri: request.uri().clone(),
        })
    }

    /// `response`, whose line is written when its body is done with.
    pub fn written_after(self, response: Response, started: Instant) -> Response {
        let (parts, body) = response.into_parts();
        let logged = Logged {
            inner: body,
            line: self,
            status: parts.status,
            started,
            bytes: 0,
        };
        Response::from_parts(parts, Body::new(logged))
    }
}

/// A response body that counts what passes and writes the request's line
/// when it is dropped: the connection drops it once the last byte has been
/// handed over, or when the client has gone.
struct Logged {
    inner: Body,
    line: Line,
    status: StatusCode,
    started: Instant,
    bytes: u64,
}

impl HttpBody for Logged {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            self.bytes += data.len() as u64;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let duration_us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        let (method, path) = (&self.line.method, self.line.uri.path());
        let (status, bytes) = (self.status.as_u16(), self.bytes);
        if let Some(write) = TEXT.get() {
            TEXT_LINE.with_borrow_mut(|line| {
                line.format(SystemTime::now(), method, path, status, bytes, duration_us);
                write(line.text.as_bytes());
            });
        } else {
            through_tracing(method, path, status, bytes, duration_us);
        }
    }
}

/// The request's line as a `tracing` event.
fn through_tracing(method: &Method, path: &str, status: u16, bytes: u64, duration_us: u64) {
    tracing::info!(
        target: "access",
        method = %method,
        path,
        status,
        bytes,
        duration_us,
    );
}

/// Where request lines go as plain text, once set.
type TextWriter = Box<dyn Fn(&[u8]) + Send + Sync>;
static TEXT: OnceLock<TextWriter> = OnceLock::new();

/// From now on request lines are written as plain text lines to `write`,
/// formatted here as `tracing`'s text format (without colours) formats
/// them, rather than passed through `tracing`; whether they are written
/// at all is still `tracing`'s filter's to say. Set once, at start-up; a
/// later call changes nothing.
pub fn write_text_lines_to(write: impl Fn(&[u8]) + Send + Sync + 'static) {
    let _ = TEXT.set(Box::new(write));
}

thread_local! {
    static TEXT_LINE: RefCell<TextLine> = RefCell::new(TextLine::default());
}

/// A thread's request line, with the date and time of its last second.
#[derive(Default)]
struct TextLine {
    text: String,
    /// The whole second of the last line, and its `YYYY-MM-DDTHH:MM:SS`.
    second: Option<(i64, String)>,
}

impl TextLine {
    /// `text` becomes the line of a request answered at `now`.
    fn format(
        &mut self,
        now: SystemTime,
        method: &Method,
        path: &str,
        status: u16,
        bytes: u64,
        duration_us: u64,
    ) {
        let since = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let second = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
        let date = match &self.second {
            Some((at, date)) if *at == second => date,
            _ => {
                let date = jiff::Timestamp::from_second(second)
                    .map(|t| t.strftime("%Y-%m-%dT%H:%M:%S").to_string())
                    .unwrap_or_default();
                &self.second.insert((second, date)).1
            }
        };
        self.text.clear();
        // Writing to a String cannot fail.
        let _ = writeln!(
            self.text,
            "{date}.{:06}Z  INFO access: method={method} path={path:?} status={status} \
             bytes={bytes} duration_us={duration_us}",
            since.subsec_micros(),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Seek, SeekFrom};
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_text_line_is_the_one_tracing_writes() {
        // What `tracing`'s text format writes goes to a file, read back
        // after each line.
        let mut written = tempfile::tempfile().unwrap();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer({
                let file = written.try_clone().unwrap();
                move || file.try_clone().expect("a second handle of the file")
            })
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let mut line = TextLine::default();
        let paths = [
            "/",
            "/nyheder/vejarbejde-på-havnevej",
            "/s\\ø\"g%20x",
            "/\u{7}",
        ];
        for (n, path) in (0_u16..).zip(paths) {
            let (status, bytes, duration_us) = (200 + n, 27_167 * u64::from(n), 8 + u64::from(n));
            let start = written.stream_position().unwrap();
            through_tracing(&Method::POST, path, status, bytes, duration_us);
            let mut theirs = String::new();
            written.seek(SeekFrom::Start(start)).unwrap();
            written.read_to_string(&mut theirs).unwrap();
            let at = SystemTime::UNIX_EPOCH + Duration::from_micros(1_796_000_000_123_456);
            line.format(at, &Method::POST, path, status, bytes, duration_us);
            // The time in the same form (28 characters), then the same line.
            assert_eq!(&line.text[..28], "2026-11-30T00:53:20.123456Z ");
            assert!(
                theirs.starts_with("20") && theirs[..28].ends_with("Z "),
                "{theirs}"
            );
            assert_eq!(line.text[28..], theirs[28..], "{path}");
        }
    }
}
