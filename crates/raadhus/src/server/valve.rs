//! The safety valve of the even spread ([`super::workers`]): a server
//! thread that is not given its turn still watches the listening socket,
//! and takes a connection that has waited [`PATIENCE`] there, in case the
//! thread whose turn it is is stuck.
//!
//! The watch costs nothing while no connection arrives: the thread sleeps
//! until the socket becomes readable (through a registration of its own,
//! so that watching accepts nothing), and once [`PATIENCE`] has passed
//! looks whether a connection is still waiting. A connection that arrives
//! wakes every thread once more than it would otherwise; a timer that
//! looked every [`PATIENCE`] cost a wake-up 100 times a second for as long
//! as the threads held unequal numbers of connections.

use std::net::{SocketAddr, TcpListener as StdListener};
use std::os::fd::AsFd;
use std::time::Duration;

use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::net::{TcpListener, TcpStream};

/// How long a connection waits for the thread whose turn it is before
/// another thread takes it. A healthy thread accepts within microseconds,
/// so the look rarely finds a connection it would have taken.
pub const PATIENCE: Duration = Duration::from_millis(10);

/// A server thread's watch on the listening socket.
pub struct Valve {
    socket: AsyncFd<StdListener>,
}

impl Valve {
    /// A watch on `listener`'s socket, registered with this thread's runtime.
    pub fn new(listener: &TcpListener) -> std::io::Result<Self> {
        let socket = StdListener::from(listener.as_fd().try_clone_to_owned()?);
        // SAFETY: `socket` owns its file descriptor, which stays open, and
        // the same, until the `AsyncFd` holding `socket` is dropped.
        let socket = unsafe { AsyncFd::register_with_interest(socket, Interest::READABLE) }?;
        Ok(Self { socket })
    }

    /// Completes once a connection may be waiting on the socket.
    pub async fn arrived(&self) {
        if let Ok(mut ready) = self.socket.readable().await {
            // Kept until a look finds the socket empty.
            ready.retain_ready();
        }
    }

    /// A connection waiting on the socket now, if any, without waiting
    /// for one. Finding none, the watch waits for the next to arrive.
    pub fn take(&self) -> Option<(TcpStream, SocketAddr)> {
        // On `WouldBlock` the readiness is cleared; an error is the turn's
        // thread's to see and report.
        let (stream, peer) = self
            .socket
            .try_io(Interest::READABLE, StdListener::accept)
            .ok()?;
        stream.set_nonblocking(true).ok()?;
        Some((TcpStream::from_std(stream).ok()?, peer))
    }
}
