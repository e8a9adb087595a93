//! Keeping connections within the limit, and cutting off clients that stop
//! reading or never send a request.
//!
//! The server waits on a connection's client from the moment it accepted it,
//! had an answer ready, or last got a write through to it, until the client
//! has sent a whole request head (hyper then hands the request to the
//! router, and the connection is busy until the answer is ready). Reading
//! does not count: a client trickling its headers a byte a second is still
//! waiting to be served, and the deadline for its request stays where it
//! was. A client that reads its answer, however slowly, keeps the writes
//! going and the connection alive.
//!
//! Each connection's task and its socket share a [`Connection`] holding that
//! time, whether a request is being handled and whether a write is blocked:
//! per-connection atomics, written with plain stores on the hot path,
//! nothing shared between connections. The accept loop alone owns the
//! [`Registry`] of connections and looks at them only when it must: once a
//! second (to close connections that have waited for the request timeout)
//! and while the server is at its limit (to make room).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// At the limit, a connection is closed to make room only once it has waited
/// on its client for this long: long enough that a connection in use is
/// not cut off between the writes of its answer, short enough that a new
/// visitor is served within a second although stalled clients hold every
/// slot.
pub const EVICT_AFTER: Duration = Duration::from_millis(250);

/// Why the server closed a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Reason {
    /// The server was at its limit and this connection had waited longest on
    /// its client.
    MakeRoom = 1,
    /// A write got nothing through for the request timeout: the client
    /// does not read its answer.
    WriteTimeout = 2,
    /// No whole request arrived for the request timeout: an idle keep-alive
    /// connection, or a client sending its headers too slowly.
    Idle = 3,
}

impl Reason {
    fn from_u8(value: u8) -> Option<Self> {
        match value {
            1 => Some(Self::MakeRoom),
            2 => Some(Self::WriteTimeout),
            3 => Some(Self::Idle),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MakeRoom => "waited longest on its client at the connection limit",
            Self::WriteTimeout => "the client read nothing for the request timeout",
            Self::Idle => "no request for the request timeout",
        }
    }
}

/// What a connection's task, its socket and the accept loop share.
#[derive(Debug)]
pub struct Connection {
    /// The registry's epoch: times below are milliseconds since it.
    epoch: Instant,
    /// Since when the server waits on the client: the connection was
    /// accepted, an answer became ready, or a write last got through.
    waiting_since: AtomicU64,
    /// A request is being handled (hyper serves one at a time).
    busy: AtomicBool,
    /// A write is waiting for the client to read.
    writing: AtomicBool,
    /// Why the registry closed it; 0 while it has not.
    closed: AtomicU8,
    close: Notify,
}

impl Connection {
    fn new(epoch: Instant) -> Self {
        Self {
            epoch,
            waiting_since: AtomicU64::new(millis_since(epoch, Instant::now())),
            busy: AtomicBool::new(false),
            writing: AtomicBool::new(false),
            closed: AtomicU8::new(0),
            close: Notify::new(),
        }
    }

    fn waits_from_now(&self) {
        self.waiting_since
            .store(millis_since(self.epoch, Instant::now()), Relaxed);
    }

    /// Marks a request as being handled until the guard is dropped; the
    /// connection is not closed to make room meanwhile.
    pub fn handling(self: &Arc<Self>) -> Handling {
        self.busy.store(true, Relaxed);
        Handling(self.clone())
    }

    /// Completes when the registry has closed the connection; its reason.
    pub async fn closed(&self) -> Reason {
        loop {
            if let Some(reason) = Reason::from_u8(self.closed.load(Relaxed)) {
                return reason;
            }
            self.close.notified().await;
        }
    }

    fn close(&self, reason: Reason) {
        self.closed.store(reason as u8, Relaxed);
        // Stores a permit if the task is not waiting yet.
        self.close.notify_one();
    }

    /// How long it has waited on its client, or `None` while a request is
    /// handled or once it was closed.
    fn waiting_for(&self, now: u64) -> Option<u64> {
        if self.busy.load(Relaxed) || self.closed.load(Relaxed) != 0 {
            return None;
        }
        Some(now.saturating_sub(self.waiting_since.load(Relaxed)))
    }
}

fn millis_since(epoch: Instant, now: Instant) -> u64 {
    u64::try_from(now.saturating_duration_since(epoch).as_millis()).unwrap_or(u64::MAX)
}

/// A request being handled; see [`Connection::handling`].
pub struct Handling(Arc<Connection>);

impl Drop for Handling {
    fn drop(&mut self) {
        // The answer is ready: waiting on the client starts now.
        self.0.waits_from_now();
        self.0.busy.store(false, Relaxed);
    }
}

/// A socket that records in its [`Connection`] when writes get through and
/// when one is blocked.
pub struct Tracked<IO> {
    io: IO,
    connection: Arc<Connection>,
}

impl<IO> Tracked<IO> {
    pub fn new(io: IO, connection: Arc<Connection>) -> Self {
        Self { io, connection }
    }

    fn wrote(&self, poll: &Poll<io::Result<usize>>) {
        match poll {
            Poll::Ready(Ok(n)) if *n > 0 => {
                self.connection.waits_from_now();
                if self.connection.writing.load(Relaxed) {
                    self.connection.writing.store(false, Relaxed);
                }
            }
            Poll::Pending => {
                if !self.connection.writing.load(Relaxed) {
                    self.connection.writing.store(true, Relaxed);
                }
            }
            Poll::Ready(_) => {}
        }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Tracked<IO> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Tracked<IO> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write(cx, buf);
        this.wrote(&poll);
        poll
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.wrote(&poll);
        poll
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// The accept loop's view of the open connections: a slot (semaphore
/// permit) per connection, and each one's [`Connection`].
pub struct Registry {
    epoch: Instant,
    limit: usize,
    /// How long a connection may wait on its client: the request timeout.
    timeout: Duration,
    slots: Arc<Semaphore>,
    /// Every connection opened; entries of ended ones are dropped as the
    /// registry walks the list.
    open: Vec<Weak<Connection>>,
    /// What was done since the last report, for a log line a second at most.
    closed: Closed,
}

/// Connections closed since the last report, by reason.
#[derive(Debug, Default, PartialEq, Eq)]
struct Closed {
    made_room: usize,
    unread: usize,
    idle: usize,
    /// At the limit with every connection handling a request.
    waited: bool,
}

impl Registry {
    pub fn new(limit: usize, timeout: Duration) -> Self {
        Self {
            epoch: Instant::now(),
            limit,
            timeout,
            slots: Arc::new(Semaphore::new(limit)),
            open: Vec::with_capacity(limit.min(1024)),
            closed: Closed::default(),
        }
    }

    /// A free slot, if there is one now.
    pub fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.slots.clone().try_acquire_owned().ok()
    }

    /// Completes with a slot once one is free (a connection ended).
    pub fn slot_freed(&self) -> impl Future<Output = Option<OwnedSemaphorePermit>> + use<> {
        let slots = self.slots.clone();
        // The semaphore is never closed, so this always gives a permit.
        async move { slots.acquire_owned().await.ok() }
    }

    /// Adds a connection accepted into a slot.
    pub fn open(&mut self) -> Arc<Connection> {
        let connection = Arc::new(Connection::new(self.epoch));
        if self.open.len() >= self.limit.saturating_mul(2) {
            self.open.retain(|c| c.strong_count() > 0);
        }
        self.open.push(Arc::downgrade(&connection));
        connection
    }

    fn now(&self) -> u64 {
        millis_since(self.epoch, Instant::now())
    }

    /// Calls `f` with each open connection and drops the entries of ended
    /// ones.
    fn each(&mut self, mut f: impl FnMut(Arc<Connection>)) {
        self.open.retain(|weak| match weak.upgrade() {
            Some(connection) => {
                f(connection);
                true
            }
            None => false,
        });
    }

    /// Called while every slot is taken: closes the connection that has
    /// waited longest on its client, if it has for [`EVICT_AFTER`]; its slot
    /// is free as soon as its task has dropped it. Returns when to look
    /// again if none could be closed yet.
    pub fn make_room(&mut self) -> Option<Instant> {
        let now = self.now();
        let mut longest: Option<(u64, Arc<Connection>)> = None;
        let mut closing = false;
        self.each(|connection| {
            if connection.closed.load(Relaxed) != 0 {
                closing = true;
            } else if let Some(waiting) = connection.waiting_for(now)
                && longest.as_ref().is_none_or(|(most, _)| waiting > *most)
            {
                longest = Some((waiting, connection));
            }
        });
        if closing {
            // A slot is on its way back as soon as that connection's task
            // has dropped it. Look again anyway in a while rather than trust
            // that wake-up alone.
            return Some(Instant::now() + EVICT_AFTER);
        }
        let evict_after = EVICT_AFTER.as_millis() as u64;
        match longest {
            Some((waiting, connection)) if waiting >= evict_after => {
                connection.close(Reason::MakeRoom);
                self.closed.made_room += 1;
                None
            }
            Some((waiting, _)) => {
                Some(Instant::now() + Duration::from_millis(evict_after - waiting))
            }
            None => {
                // Every connection is handling a request: one will finish.
                self.closed.waited = true;
                Some(Instant::now() + EVICT_AFTER)
            }
        }
    }

    /// Called once a second: closes the connections that have waited on
    /// their clients for the request timeout, and logs what was closed since
    /// the last call.
    pub fn sweep(&mut self) {
        let now = self.now();
        let timeout = u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX);
        let mut closed = Closed::default();
        self.each(|connection| {
            if connection.waiting_for(now).is_some_and(|w| w >= timeout) {
                if connection.writing.load(Relaxed) {
                    connection.close(Reason::WriteTimeout);
                    closed.unread += 1;
                } else {
                    connection.close(Reason::Idle);
                    closed.idle += 1;
                }
            }
        });
        self.closed.unread += closed.unread;
        self.closed.idle += closed.idle;
        self.report();
    }

    fn report(&mut self) {
        let closed = std::mem::take(&mut self.closed);
        if closed.made_room > 0 {
            tracing::warn!(
                max_connections = self.limit,
                closed = closed.made_room,
                "at the connection limit: closed the connections that had waited longest on \
                 their clients to make room for new ones"
            );
        }
        if closed.waited {
            tracing::warn!(
                max_connections = self.limit,
                "at the connection limit with every connection handling a request: new \
                 connections wait"
            );
        }
        if closed.unread > 0 {
            tracing::info!(
                closed = closed.unread,
                timeout_s = self.timeout.as_secs(),
                "closed connections whose clients read nothing of their answers for the \
                 request timeout"
            );
        }
        if closed.idle > 0 {
            tracing::debug!(
                closed = closed.idle,
                timeout_s = self.timeout.as_secs(),
                "closed connections that sent no whole request for the request timeout"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A registry whose clock started a minute ago, so that connections can
    /// be made to have waited any time in that minute without waiting.
    fn registry(limit: usize, timeout: Duration) -> Registry {
        let mut registry = Registry::new(limit, timeout);
        registry.epoch = Instant::now()
            .checked_sub(Duration::from_secs(60))
            .expect("the machine has been up for a minute");
        registry
    }

    /// A connection that has waited on its client for `waited`.
    fn opened(registry: &mut Registry, waited: Duration) -> Arc<Connection> {
        let connection = registry.open();
        let now = registry.now();
        connection
            .waiting_since
            .store(now - waited.as_millis() as u64, Relaxed);
        connection
    }

    fn closed(connection: &Connection) -> Option<Reason> {
        Reason::from_u8(connection.closed.load(Relaxed))
    }

    #[test]
    fn at_the_limit_the_connection_that_waited_longest_is_closed_first() {
        let mut registry = registry(3, Duration::from_secs(30));
        let waiting = opened(&mut registry, Duration::from_secs(20));
        let longest = opened(&mut registry, Duration::from_secs(50));
        let handling = opened(&mut registry, Duration::from_secs(55));
        let request = handling.handling();
        assert_eq!(registry.make_room(), None);
        assert_eq!(closed(&longest), Some(Reason::MakeRoom));
        assert_eq!(closed(&waiting), None);
        assert_eq!(closed(&handling), None, "a request being handled is kept");
        // Until the closed one has ended, its slot is on its way: no other
        // connection is closed.
        assert!(registry.make_room().is_some());
        assert_eq!(closed(&waiting), None);
        drop(longest);
        assert_eq!(registry.make_room(), None);
        assert_eq!(closed(&waiting), Some(Reason::MakeRoom));
        drop(waiting);
        // Only the busy one is left: wait, and look again.
        assert!(registry.make_room().is_some());
        assert_eq!(closed(&handling), None);
        assert!(registry.closed.waited);
        // Its answer is ready: the wait on its client starts now.
        drop(request);
        assert!(registry.make_room().is_some());
        assert_eq!(closed(&handling), None);
        assert_eq!(registry.closed.made_room, 2);
    }

    #[test]
    fn connections_that_just_got_an_answer_out_are_not_closed_to_make_room() {
        let mut registry = registry(2, Duration::from_secs(30));
        let a = opened(&mut registry, Duration::ZERO);
        let b = opened(&mut registry, Duration::from_millis(100));
        let look_again = registry.make_room().expect("a time to look again");
        assert!(look_again <= Instant::now() + EVICT_AFTER);
        assert_eq!((closed(&a), closed(&b)), (None, None));
        assert_eq!(registry.closed, Closed::default());
    }

    #[test]
    fn the_sweep_closes_connections_that_waited_for_the_timeout() {
        let mut registry = registry(10, Duration::from_secs(30));
        let unread = opened(&mut registry, Duration::from_secs(31));
        unread.writing.store(true, Relaxed);
        let idle = opened(&mut registry, Duration::from_secs(30));
        let reading_slowly = opened(&mut registry, Duration::from_secs(5));
        reading_slowly.writing.store(true, Relaxed);
        let handling = opened(&mut registry, Duration::from_secs(59));
        let _request = handling.handling();
        registry.sweep();
        assert_eq!(closed(&unread), Some(Reason::WriteTimeout));
        assert_eq!(closed(&idle), Some(Reason::Idle));
        assert_eq!(closed(&reading_slowly), None);
        assert_eq!(
            closed(&handling),
            None,
            "the router's timeout bounds requests"
        );
    }

    #[test]
    fn ended_connections_leave_the_registry() {
        let mut registry = registry(2, Duration::from_secs(30));
        for _ in 0..10 {
            drop(registry.open());
        }
        assert!(registry.open.len() <= 2 * 2, "{}", registry.open.len());
        registry.sweep();
        assert!(registry.open.is_empty());
    }

    #[test]
    fn writes_that_get_through_restart_the_wait_and_blocked_ones_are_marked() {
        let mut registry = registry(1, Duration::from_secs(30));
        let connection = opened(&mut registry, Duration::from_secs(40));
        let (server, mut client) = tokio::io::duplex(16);
        let mut socket = Tracked::new(server, connection.clone());
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let waited = || registry.now() - connection.waiting_since.load(Relaxed);
        // The client sends a request: reading does not end the wait.
        let sent = Pin::new(&mut client).poll_write(&mut cx, b"GET");
        assert!(matches!(sent, Poll::Ready(Ok(3))));
        let mut buf = [0u8; 8];
        let read = Pin::new(&mut socket).poll_read(&mut cx, &mut ReadBuf::new(&mut buf));
        assert!(matches!(read, Poll::Ready(Ok(()))));
        assert!(waited() >= 40_000);
        // A write that gets through does.
        let written = Pin::new(&mut socket).poll_write(&mut cx, &[b'x'; 16]);
        assert!(matches!(written, Poll::Ready(Ok(16))));
        assert!(waited() < 40_000);
        assert!(!connection.writing.load(Relaxed));
        // The client reads nothing: the next write is blocked, and the wait
        // goes on from the last write that got through.
        connection.waiting_since.store(0, Relaxed);
        assert!(Pin::new(&mut socket).poll_write(&mut cx, b"y").is_pending());
        assert!(connection.writing.load(Relaxed));
        assert_eq!(connection.waiting_since.load(Relaxed), 0);
        // It reads: the write goes through.
        let mut buf = [0u8; 16];
        let read = Pin::new(&mut client).poll_read(&mut cx, &mut ReadBuf::new(&mut buf));
        assert!(matches!(read, Poll::Ready(Ok(()))));
        assert!(Pin::new(&mut socket).poll_write(&mut cx, b"y").is_ready());
        assert!(!connection.writing.load(Relaxed));
        assert!(connection.waiting_since.load(Relaxed) > 0);
    }
}
