//! The server's threads: one per core, each with a single-threaded async
//! runtime of its own that accepts on the one listening socket and holds
//! the connections it accepted from their first request to their last.
//!
//! A cached answer is sent by the thread holding its connection, so it
//! wakes no other thread. On tokio's work-stealing runtime a cached page
//! cost a thread wake-up and a context switch or more per request (see
//! "Where the time goes" in bench/RESULTS.md). Anything else is handled on
//! the main runtime (`Hosts::serve`), as are the application's background
//! tasks (scheduler, index follower, counting).
//!
//! Every thread's runtime polls the shared socket, but only while no other
//! thread holds fewer connections ([`Turn`]): connections opened together
//! spread evenly, where "whoever accepts first" gave one thread of two
//! 139 of 256 and its requests the longest waits (the p99 at 256
//! connections in bench/RESULTS.md). A thread at its share of the
//! connection limit stops accepting and leaves new ones to the others.
//! A thread not given its turn takes a connection left waiting for
//! [`super::valve::PATIENCE`], so one stuck thread does not hold up the
//! rest ([`super::valve`]).
//!
//! The runtimes outlive the serving: database connections opened on one
//! are driven by it until the application has closed its store.

use std::net::TcpListener as StdListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::thread::JoinHandle;

use raadhus_web::Hosts;
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot, watch};

use super::{Limits, serve};

/// The running server threads.
pub struct Workers {
    threads: Vec<JoinHandle<()>>,
    /// Set: stop accepting and finish open requests.
    stop: watch::Sender<bool>,
    /// Set: the runtimes may end (the store is closed).
    exit: watch::Sender<bool>,
    /// One per thread: its serving has ended.
    served: Vec<oneshot::Receiver<()>>,
}

/// How many server threads: one per core the process may use.
pub fn count() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

impl Workers {
    /// Starts `count` threads serving `hosts` on `listener`, each taking
    /// its share of `limits.max_connections`.
    pub fn start(
        listener: StdListener,
        hosts: &Hosts,
        limits: Limits,
        count: usize,
    ) -> std::io::Result<Self> {
        listener.set_nonblocking(true)?;
        let (stop, stopping) = watch::channel(false);
        let (exit, exiting) = watch::channel(false);
        let share = Limits {
            max_connections: (limits.max_connections / count.max(1)).max(1),
            ..limits
        };
        let mut threads = Vec::with_capacity(count);
        let mut served = Vec::with_capacity(count);
        for (n, turn) in turns(count.max(1)).into_iter().enumerate() {
            let listener = listener.try_clone()?;
            let hosts = hosts.clone();
            let (stopping, exiting) = (stopping.clone(), exiting.clone());
            let (done, finished) = oneshot::channel();
            served.push(finished);
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            threads.push(
                std::thread::Builder::new()
                    .name(format!("raadhus-http-{n}"))
                    .spawn(move || {
                        runtime.block_on(async move {
                            match TcpListener::from_std(listener) {
                                Ok(listener) => {
                                    serve(listener, hosts, share, Some(turn), set(stopping)).await;
                                }
                                Err(error) => {
                                    tracing::error!(%error, "a server thread cannot listen");
                                }
                            }
                            let _ = done.send(());
                            set(exiting).await;
                        });
                    })?,
            );
        }
        Ok(Self {
            threads,
            stop,
            exit,
            served,
        })
    }

    /// Stops accepting and waits until every thread's open requests are
    /// finished (or given up on); the runtimes keep running.
    pub async fn stop(&mut self) {
        let _ = self.stop.send(true);
        for finished in self.served.drain(..) {
            let _ = finished.await;
        }
    }

    /// Ends the threads' runtimes and waits for the threads.
    pub async fn exit(self) {
        let _ = self.exit.send(true);
        let threads = self.threads;
        let _ = tokio::task::spawn_blocking(move || {
            for thread in threads {
                let _ = thread.join();
            }
        })
        .await;
    }
}

/// Completes once `flag` is set (or its sender is gone).
async fn set(mut flag: watch::Receiver<bool>) {
    let _ = flag.wait_for(|set| *set).await;
}

/// The places of `count` server threads sharing one socket.
pub fn turns(count: usize) -> Vec<Turn> {
    let all = Arc::new(Turns {
        open: (0..count).map(|_| AtomicUsize::new(0)).collect(),
        changed: Notify::new(),
    });
    (0..count)
        .map(|me| Turn {
            all: all.clone(),
            me,
        })
        .collect()
}

/// How many connections each server thread holds open.
struct Turns {
    open: Box<[AtomicUsize]>,
    /// Wakes the threads waiting for their turn: a count changed.
    changed: Notify,
}

/// One server thread's place among [`Turns`]: it accepts while no other
/// thread holds fewer connections, so that connections opened together
/// (a browser's, a load balancer's pool) spread evenly over the threads
/// rather than going to whichever thread polls the socket first.
#[derive(Clone)]
pub struct Turn {
    all: Arc<Turns>,
    me: usize,
}

impl Turn {
    /// Whether this thread may accept the next connection: none holds
    /// fewer.
    pub fn is_mine(&self) -> bool {
        let open = &self.all.open;
        let mine = open.get(self.me).map_or(0, |n| n.load(Relaxed));
        open.iter().all(|n| mine <= n.load(Relaxed))
    }

    /// Completes once it may be this thread's turn (a count has changed
    /// since the call).
    pub async fn wait(&self) {
        let changed = self.all.changed.notified();
        let mut changed = std::pin::pin!(changed);
        // Registered before looking: a change after the look wakes it.
        changed.as_mut().enable();
        if !self.is_mine() {
            changed.await;
        }
    }

    /// Counts a connection this thread opened until the guard is dropped.
    pub fn opened(&self) -> Opened {
        self.count(|n| n.fetch_add(1, Relaxed));
        Opened(self.clone())
    }

    fn count(&self, change: impl FnOnce(&AtomicUsize) -> usize) {
        if let Some(n) = self.all.open.get(self.me) {
            change(n);
            self.all.changed.notify_waiters();
        }
    }
}

/// A connection counted by [`Turn::opened`].
pub struct Opened(Turn);

impl Drop for Opened {
    fn drop(&mut self) {
        self.0.count(|n| n.fetch_sub(1, Relaxed));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_holding_fewest_connections_accepts_the_next() {
        let [a, b, c] = <[Turn; 3]>::try_from(turns(3)).ok().unwrap();
        assert!(a.is_mine() && b.is_mine() && c.is_mine());
        let first = a.opened();
        assert!(!a.is_mine() && b.is_mine() && c.is_mine());
        let second = b.opened();
        assert!(!a.is_mine() && !b.is_mine() && c.is_mine());
        let third = c.opened();
        assert!(a.is_mine() && b.is_mine() && c.is_mine());
        drop((first, third));
        assert!(a.is_mine() && !b.is_mine() && c.is_mine());
        drop(second);
        assert!(a.is_mine() && b.is_mine() && c.is_mine());
    }
}
