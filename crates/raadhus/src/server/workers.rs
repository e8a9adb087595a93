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
//! Where the process may run on exactly as many CPUs as there are threads,
//! each thread is pinned to a CPU of its own ([`placement`]), as nginx's
//! `worker_cpu_affinity auto` does. A thread that runs out of requests
//! sleeps, and the kernel otherwise moves it on waking, at times beside the
//! other server thread on one CPU: the requests of both then wait, which
//! widened the p99 (bench/RESULTS.md, "Server threads on CPUs of their
//! own"). `pin_threads = false` leaves the placing to the kernel.
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
    /// its share of `limits.max_connections`; with `pin`, each on a CPU of
    /// its own where [`placement`] finds them.
    pub fn start(
        listener: StdListener,
        hosts: &Hosts,
        limits: Limits,
        count: usize,
        pin: bool,
    ) -> std::io::Result<Self> {
        listener.set_nonblocking(true)?;
        let (stop, stopping) = watch::channel(false);
        let (exit, exiting) = watch::channel(false);
        let share = Limits {
            max_connections: (limits.max_connections / count.max(1)).max(1),
            ..limits
        };
        let allowed = if pin { cpus::allowed() } else { Vec::new() };
        let cpus = placement(&allowed, count.max(1));
        match cpus {
            Some(cpus) => tracing::info!(?cpus, "server threads pinned to CPUs"),
            None if pin => tracing::info!(
                threads = count,
                cpus = allowed.len(),
                "server threads not pinned: the process may run on more or fewer CPUs than threads"
            ),
            None => {}
        }
        let mut threads = Vec::with_capacity(count);
        let mut served = Vec::with_capacity(count);
        for (n, turn) in turns(count.max(1)).into_iter().enumerate() {
            let cpu = cpus.and_then(|cpus| cpus.get(n).copied());
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
                        if let Some(cpu) = cpu {
                            cpus::pin(cpu);
                        }
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

/// The CPU of each of `count` server threads, given the CPUs the process
/// may run on: those, one each, when there are exactly `count` of them.
/// With more, the threads are left to the kernel, which can then move one
/// off a CPU something else keeps busy (a CPU quota below the CPUs, a
/// database on the same machine); with fewer, threads would share CPUs.
fn placement(allowed: &[usize], count: usize) -> Option<&[usize]> {
    (allowed.len() == count).then_some(allowed)
}

/// Setting which CPUs a thread runs on (Linux only; elsewhere threads are
/// never pinned).
mod cpus {
    #[cfg(target_os = "linux")]
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};

    /// The CPUs the calling thread (and the threads it starts) may run on.
    #[cfg(target_os = "linux")]
    pub fn allowed() -> Vec<usize> {
        match sched_getaffinity(None) {
            Ok(set) => (0..CpuSet::MAX_CPU)
                .filter(|&cpu| set.is_set(cpu))
                .collect(),
            Err(error) => {
                tracing::warn!(%error, "cannot read the CPUs the process may run on");
                Vec::new()
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn allowed() -> Vec<usize> {
        Vec::new()
    }

    /// Keeps the calling thread on `cpu`.
    #[cfg(target_os = "linux")]
    pub fn pin(cpu: usize) {
        let mut set = CpuSet::new();
        set.set(cpu);
        if let Err(error) = sched_setaffinity(None, &set) {
            tracing::warn!(%error, cpu, "cannot pin a server thread to its CPU");
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn pin(_cpu: usize) {}
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
    fn threads_are_pinned_only_where_each_has_a_cpu_of_its_own() {
        assert_eq!(placement(&[0, 1], 2), Some(&[0, 1][..]));
        assert_eq!(placement(&[2, 5, 7], 3), Some(&[2, 5, 7][..]));
        // A CPU quota below the CPUs: the kernel places the threads.
        assert_eq!(placement(&[0, 1, 2, 3], 2), None);
        assert_eq!(placement(&[0], 2), None);
        assert_eq!(placement(&[], 1), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pinned_thread_runs_on_its_cpu_alone() {
        let allowed = cpus::allowed();
        assert!(!allowed.is_empty(), "the process may run somewhere");
        let cpu = allowed[allowed.len() - 1];
        let after = std::thread::spawn(move || {
            cpus::pin(cpu);
            cpus::allowed()
        })
        .join()
        .unwrap();
        assert_eq!(after, vec![cpu]);
        // The pinning was the thread's own.
        assert_eq!(cpus::allowed(), allowed);
    }

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
