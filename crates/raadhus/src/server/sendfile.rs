//! A connection's socket that sends the render cache's large bodies with
//! `sendfile` from the cache's spool ([`Spool`]) instead of copying them
//! from memory: the kernel hands the spool's pages to the socket, as nginx
//! does with its static files.
//!
//! hyper writes an answer as its head and the body's bytes, unchanged,
//! in one vectored write. When one of the slices is a body the spool keeps
//! (only bodies of [`MIN_SPOOLED`] bytes or more are looked for), what
//! comes before it is sent with `MSG_MORE` (so that it leaves in the same
//! packets as the body) and the body from the spool's file; what follows
//! waits for the next write, as after any short write. Everything else is
//! written as it was.

use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use raadhus_web::{MIN_SPOOLED, Spool, Spot};
use rustix::net::{SendAncillaryBuffer, SendFlags};
use tokio::io::{AsyncRead, AsyncWrite, Interest, ReadBuf};
use tokio::net::TcpStream;

/// A connection's socket, sending spooled bodies from the spool.
pub struct Sending {
    stream: TcpStream,
    spool: Option<Spool>,
}

impl Sending {
    pub fn new(stream: TcpStream, spool: Option<Spool>) -> Self {
        Self { stream, spool }
    }

    /// Sends `bufs` up to the end of the first spooled body among them, if
    /// there is one; `None` if there is not.
    fn poll_send_spooled(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Option<Poll<io::Result<usize>>> {
        let (at, spot) = spooled(self.spool.as_ref()?, bufs)?;
        let (head, body) = bufs.split_at(at);
        let body_len = body.first().map_or(0, |buf| buf.len());
        Some(self.poll_send(cx, head, &spot, body_len))
    }

    /// Sends `head` and then `body_len` bytes of the spool's file from
    /// `spot`, when the socket takes them.
    fn poll_send(
        &self,
        cx: &mut Context<'_>,
        head: &[IoSlice<'_>],
        spot: &Spot,
        body_len: usize,
    ) -> Poll<io::Result<usize>> {
        loop {
            ready!(self.stream.poll_write_ready(cx))?;
            // A `WouldBlock` clears the readiness: the loop then waits.
            match self.stream.try_io(Interest::WRITABLE, || {
                send(&self.stream, head, spot, body_len)
            }) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
                sent => return Poll::Ready(sent),
            }
        }
    }
}

/// The first slice of `bufs` the spool keeps, and where.
fn spooled(spool: &Spool, bufs: &[IoSlice<'_>]) -> Option<(usize, Spot)> {
    bufs.iter()
        .enumerate()
        .filter(|(_, buf)| buf.len() >= MIN_SPOOLED)
        .find_map(|(at, buf)| spool.find(buf).map(|spot| (at, spot)))
}

/// One try at sending `head`, then the body from the spool's file; the
/// bytes sent. An error after the head went is left for the next write.
fn send(
    stream: &TcpStream,
    head: &[IoSlice<'_>],
    spot: &Spot,
    body_len: usize,
) -> io::Result<usize> {
    let head_len: usize = head.iter().map(|buf| buf.len()).sum();
    let mut sent = 0;
    if head_len > 0 {
        sent = rustix::net::sendmsg(
            stream,
            head,
            &mut SendAncillaryBuffer::default(),
            SendFlags::MORE | SendFlags::NOSIGNAL,
        )?;
        if sent < head_len {
            return Ok(sent);
        }
    }
    let mut offset = spot.offset;
    match rustix::fs::sendfile(stream, spot.file(), Some(&mut offset), body_len) {
        Ok(n) => Ok(sent + n),
        Err(_) if sent > 0 => Ok(sent),
        Err(error) => Err(error.into()),
    }
}

impl AsyncRead for Sending {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Sending {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(sent) = this.poll_send_spooled(cx, &[IoSlice::new(buf)]) {
            return sent;
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(sent) = this.poll_send_spooled(cx, bufs) {
            return sent;
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpSocket};

    use super::*;

    /// A connected pair: the server's end wrapped, and a client whose
    /// small receive buffer makes the server's sends short.
    async fn pair(spool: &Spool) -> (Sending, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpSocket::new_v4().unwrap();
        client.set_recv_buffer_size(4096).unwrap();
        let (client, accepted) = tokio::join!(
            client.connect(listener.local_addr().unwrap()),
            listener.accept()
        );
        let (server, _) = accepted.unwrap();
        (Sending::new(server, Some(spool.clone())), client.unwrap())
    }

    /// Writes every slice through `socket` as hyper does: vectored writes,
    /// advancing past what each write took.
    async fn write_all(socket: &mut Sending, slices: &[&[u8]]) {
        let mut slices: Vec<&[u8]> = slices.to_vec();
        while !slices.is_empty() {
            let bufs: Vec<IoSlice<'_>> = slices.iter().map(|s| IoSlice::new(s)).collect();
            let mut n = socket.write_vectored(&bufs).await.unwrap();
            assert!(n > 0);
            while n > 0 {
                let first = slices[0];
                if n >= first.len() {
                    n -= first.len();
                    slices.remove(0);
                } else {
                    slices[0] = &first[n..];
                    n = 0;
                }
            }
        }
    }

    #[tokio::test]
    async fn spooled_bodies_are_sent_from_the_spool_in_order_and_whole() {
        let spool = Spool::new(None).unwrap();
        let first: Bytes = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        let second = Bytes::from(vec![b'm'; 20_000]);
        let room = usize::MAX;
        let _kept = (
            spool.keep(&first, room).unwrap(),
            spool.keep(&second, room).unwrap(),
        );
        // The spool's copy of the second body changes: what arrives shows
        // which copy was sent.
        let spot = spool.find(&second).unwrap();
        rustix::io::pwrite(spot.file(), &[b's'; 20_000], spot.offset).unwrap();
        let small = vec![b'x'; 100];
        let (mut server, mut client) = pair(&spool).await;
        let sent = [
            &b"head one\r\n"[..],
            &first,
            b"head two\r\n",
            &second,
            &small,
        ];
        let expected: Vec<u8> = [
            &b"head one\r\n"[..],
            &first,
            b"head two\r\n",
            &[b's'; 20_000],
            &small,
        ]
        .concat();
        let reader = tokio::spawn(async move {
            let mut got = vec![0u8; expected.len()];
            client.read_exact(&mut got).await.unwrap();
            assert!(got == expected, "the bytes sent are not the spooled ones");
        });
        write_all(&mut server, &sent).await;
        server.flush().await.unwrap();
        reader.await.unwrap();
    }
}
