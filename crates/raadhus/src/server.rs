//! The HTTP/1.1 server loop: accepts connections and serves the sites on
//! each, with the limits a public server needs.
//!
//! - At most `max_connections` connections are open at once
//!   ([`limit`] sizes the default from the open-files limit). While all are
//!   taken, the connection that has waited longest on its client (idle, or
//!   not reading its answer) is closed to make room, so that a new visitor
//!   does not queue behind clients that hold connections and do nothing.
//! - A connection on which the server has waited for its client for the
//!   request timeout is closed ([`connections`]): one that sent no whole
//!   request in that time (idle keep-alive, or headers trickling in a byte
//!   at a time) or whose answer got no byte through (the client reads
//!   nothing). A client that reads, however slowly, is never cut off.
//! - Header count and size stay at hyper's limits (100 headers, about
//!   400 KB), beyond which hyper answers 431. Handling a request (its body
//!   included) is bounded by the router's own timeout layer.
//!
//! hyper's own header-read timer is off: the sweep covers what it did (an
//! idle connection, headers trickling in) with one timer for all
//! connections, where hyper arms and allocates one for every request.
//!
//! A thread that has answered requests for a millisecond without a pause
//! yields its CPU before the next ([`stretch`]), so that a reverse proxy
//! on the same CPU reads the answers without waiting for the timer tick.

mod connections;
pub mod limit;
mod sendfile;
mod stretch;
mod valve;
mod workers;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::OwnedSemaphorePermit;
use tower::ServiceExt;

use connections::{Connection, Registry, Tracked};
use raadhus_web::{Answering, Hosts, Spool};
use sendfile::Sending;
use valve::Valve;
use workers::{Opened, Turn};
pub use workers::{Workers, count as workers};

/// How long open requests may take to finish once shutdown has begun.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// How often connections are checked for the request timeout (and what was
/// closed is logged).
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Connections the kernel completes before the server accepts them (the
/// kernel caps it at `net.core.somaxconn`). The 128 of a plain bind drop
/// the handshakes of a burst of new connections (a proxy's pool opening, a
/// crowd arriving at once), whose clients then wait for a retransmission:
/// 200 ms to a second or more for their first request.
const BACKLOG: u32 = 4096;

/// A socket listening on `addr` with room for [`BACKLOG`] connections
/// not yet accepted.
pub fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// The limits of the server loop.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// How long the server waits on a client: for a whole request head
    /// (also on an idle keep-alive connection), and for a write to get
    /// through.
    pub request_timeout: Duration,
}

/// What a server answers requests with.
pub trait Answer: Clone + Send + Sync + 'static {
    /// Answers `request`, which came from `peer`: at once, or in a future
    /// that owns what it needs.
    fn answer(&self, request: Request, peer: SocketAddr) -> Answering;

    /// Where its large cached bodies are kept for `sendfile`, if anywhere.
    fn spool(&self) -> Option<Spool> {
        None
    }
}

/// The sites, each on its hosts.
impl Answer for Hosts {
    fn answer(&self, request: Request, peer: SocketAddr) -> Answering {
        self.serve(request, Some(peer))
    }

    fn spool(&self) -> Option<Spool> {
        Hosts::spool(self)
    }
}

/// One router (the metrics listener's).
impl Answer for axum::Router {
    fn answer(&self, mut request: Request, peer: SocketAddr) -> Answering {
        request.extensions_mut().insert(ConnectInfo(peer));
        let router = self.clone();
        Answering::Later(Box::pin(async move {
            match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }))
    }
}

/// Serves `answer`'s requests on `listener` until `shutdown` completes,
/// then stops accepting and lets open requests finish. With a `turn`, one
/// of several server threads on the same socket: it accepts only while it
/// holds no more connections than any other.
pub async fn serve(
    listener: TcpListener,
    answer: impl Answer,
    limits: Limits,
    turn: Option<Turn>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let mut http = hyper::server::conn::http1::Builder::new();
    // The registry's sweep does this job; see the module's documentation.
    http.header_read_timeout(None);
    // While a request is handled, hyper otherwise reads on to notice a
    // client that went away, and for that read moves into a new 8 KB
    // buffer for every request (the request still holds the old one): an
    // allocation and a cold buffer per request. A client that goes away is
    // noticed when its answer is written instead; a slow answer is bounded
    // by the router's timeout and runs on the main runtime either way.
    http.half_close(true);
    let graceful = GracefulShutdown::new();
    let mut registry = Registry::new(limits.max_connections, limits.request_timeout);
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutdown = std::pin::pin!(shutdown);
    // The slot the next connection will take; at the limit there is none
    // until a connection ends or is closed to make room.
    let mut slot: Option<OwnedSemaphorePermit> = None;
    // With a turn: the watch for connections the thread whose turn it is
    // leaves waiting, and when this one looks for one waiting anyway.
    let valve = turn.as_ref().and_then(|_| match Valve::new(&listener) {
        Ok(valve) => Some(valve),
        Err(error) => {
            tracing::warn!(%error, "a server thread cannot watch for connections left waiting");
            None
        }
    });
    let mut overdue: Option<tokio::time::Instant> = None;
    loop {
        let mut look_again = None;
        if slot.is_none() {
            slot = registry.try_slot();
            if slot.is_none() {
                look_again = registry.make_room();
            }
        }
        let wake = look_again.unwrap_or_else(tokio::time::Instant::now);
        let my_turn = turn.as_ref().is_none_or(Turn::is_mine);
        if my_turn {
            overdue = None;
        }
        let turn_comes = async {
            if let Some(turn) = &turn {
                turn.wait().await;
            }
        };
        let arrived = async {
            match &valve {
                Some(valve) => valve.arrived().await,
                None => std::future::pending().await,
            }
        };
        let accepted = tokio::select! {
            biased;
            () = shutdown.as_mut() => break,
            _ = sweep.tick() => { registry.sweep(); None }
            freed = registry.slot_freed(), if slot.is_none() => { slot = freed; None }
            () = tokio::time::sleep_until(wake), if look_again.is_some() => None,
            () = turn_comes, if !my_turn => None,
            accepted = listener.accept(), if slot.is_some() && my_turn => match accepted {
                Ok(accepted) => Some(accepted),
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not stop.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    None
                }
            },
            () = arrived, if !my_turn && overdue.is_none() && slot.is_some() => {
                overdue = Some(tokio::time::Instant::now() + valve::PATIENCE);
                None
            }
            () = tokio::time::sleep_until(overdue.unwrap_or(wake)), if !my_turn && overdue.is_some() && slot.is_some() => {
                let taken = valve.as_ref().and_then(Valve::take);
                if taken.is_none() {
                    // Nothing waits: watch for the next arrival.
                    overdue = None;
                }
                taken
            }
        };
        if let Some((stream, peer)) = accepted
            && let Some(slot) = slot.take()
        {
            let held = Held {
                _slot: slot,
                _counted: turn.as_ref().map(Turn::opened),
            };
            let connection = registry.open();
            spawn_connection(stream, peer, held, connection, &http, &answer, &graceful);
        }
    }
    drop(listener);
    // Connections that stop reading are still cut off while requests finish.
    let mut finished = std::pin::pin!(graceful.shutdown());
    let mut grace = std::pin::pin!(tokio::time::sleep(SHUTDOWN_GRACE));
    loop {
        tokio::select! {
            () = finished.as_mut() => break,
            () = grace.as_mut() => {
                tracing::warn!(
                    "requests still open {SHUTDOWN_GRACE:?} after shutdown began; stopping anyway"
                );
                break;
            }
            _ = sweep.tick() => registry.sweep(),
        }
    }
}

/// What an open connection holds until its socket is closed: its slot
/// among the thread's connections, and its count among the threads'.
struct Held {
    _slot: OwnedSemaphorePermit,
    _counted: Option<Opened>,
}

/// Serves `stream` in a task of its own, holding `slot` until it ends.
fn spawn_connection(
    stream: TcpStream,
    peer: SocketAddr,
    slot: Held,
    connection: Arc<Connection>,
    http: &hyper::server::conn::http1::Builder,
    answer: &impl Answer,
    graceful: &GracefulShutdown,
) {
    let _ = stream.set_nodelay(true);
    let stream = Sending::new(stream, answer.spool());
    // This connection's own: answering a request touches no count another
    // thread changes (a clone of the answer would, on every request, from
    // every server thread).
    let answer = answer.clone();
    let handled = connection.clone();
    // Each request is answered knowing the peer's address, and marks the
    // connection busy while it is handled; first the thread yields its CPU
    // if it has run long without a pause. A cached page is answered here,
    // so the future hyper keeps for the request holds only its response.
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        stretch::before_request();
        let handling = handled.handling();
        let answering = answer.answer(request.map(Body::new), peer);
        async move {
            let response = answering.await;
            drop(handling);
            Ok::<_, Infallible>(response)
        }
    });
    let io = TokioIo::new(Tracked::new(stream, connection.clone()));
    let served = graceful.watch(http.serve_connection(io, service));
    tokio::spawn(run(served, peer, connection, slot));
}

/// Serves one connection until it ends or the registry closes it; its slot
/// is given back after its socket is closed.
async fn run(
    served: impl Future<Output = Result<(), hyper::Error>>,
    peer: SocketAddr,
    connection: Arc<Connection>,
    slot: Held,
) {
    tokio::select! {
        result = served => if let Err(error) = result {
            tracing::debug!(%peer, %error, "connection ended with an error");
        },
        reason = connection.closed() => {
            tracing::debug!(%peer, reason = reason.as_str(), "closed the connection");
        }
    }
    // The connection is gone before its slot is: whoever takes the slot
    // finds no trace of it in the registry.
    drop(connection);
    drop(slot);
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// One request on a connection of its own; the answer's status line.
    async fn status_line(addr: SocketAddr) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer.lines().next().unwrap_or_default().to_string()
    }

    #[tokio::test]
    async fn a_stuck_thread_whose_turn_it_is_does_not_hold_up_new_connections() {
        let listener = listen("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = listener.local_addr().unwrap();
        // Two threads' places; the first never serves, holding no
        // connection: once the second holds one, it is always the first's turn.
        let [_stuck, serving] = <[Turn; 2]>::try_from(workers::turns(2)).ok().unwrap();
        let limits = Limits {
            max_connections: 16,
            request_timeout: Duration::from_secs(5),
        };
        let app = axum::Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app, limits, Some(serving), async {
            let _ = stopped.await;
        }));
        // Held open, so the serving thread keeps more than the stuck one.
        let held = TcpStream::connect(addr).await.unwrap();
        for _ in 0..3 {
            let answered = tokio::time::timeout(Duration::from_secs(5), status_line(addr)).await;
            assert_eq!(answered.as_deref().ok(), Some("HTTP/1.1 200 OK"));
        }
        drop((held, stop));
        server.await.unwrap();
    }
}
