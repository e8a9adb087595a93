//! The request log: one line per request, at level `INFO` with target
//! `access`, once its answer has been handed to the connection (or given
//! up): method, path, status, bytes of the body sent and the time from the
//! request's arrival to then, in microseconds (`duration_us`).
//!
//! The query string is left out: what a visitor searched for is theirs,
//! not the log's. Turn the lines off with `log = "info,access=off"`.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

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
        let elapsed = self.started.elapsed();
        tracing::info!(
            target: "access",
            method = %self.line.method,
            path = self.line.uri.path(),
            status = self.status.as_u16(),
            bytes = self.bytes,
            duration_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        );
    }
}
