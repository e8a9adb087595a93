//! Where log lines go: appended to a buffer in memory, which a thread of
//! its own writes to standard error in batches, every [`INTERVAL`] or as
//! soon as [`EARLY`] bytes wait. A request handler never waits for stderr,
//! and a busy server makes one write (and wakes one thread) per batch, not
//! one per line.
//!
//! Nothing is dropped: while [`MOST`] bytes wait (stderr stuck), whoever
//! logs waits for the writer; what is left is written when the
//! [`Flushing`] guard is dropped at the end of `main`.

use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a line may wait in the buffer.
const INTERVAL: Duration = Duration::from_millis(50);
/// Bytes waiting that wake the writer before its interval is up.
const EARLY: usize = 256 * 1024;
/// Bytes waiting at which loggers wait for the writer.
const MOST: usize = 8 * 1024 * 1024;

/// The shared buffer: hand it to the log subscriber as its writer.
#[derive(Clone)]
pub struct BatchLog {
    shared: Arc<Shared>,
}

struct Shared {
    state: Mutex<State>,
    /// Wakes the writer thread (early, or to stop).
    wake: Condvar,
    /// Wakes loggers waiting for room.
    room: Condvar,
}

#[derive(Default)]
struct State {
    waiting: Vec<u8>,
    stopping: bool,
}

/// Writes what is left and stops the writer thread when dropped.
pub struct Flushing {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl BatchLog {
    /// A buffer whose lines a new thread writes to `out`.
    pub fn start(out: impl Write + Send + 'static) -> std::io::Result<(Self, Flushing)> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            room: Condvar::new(),
        });
        let writer = shared.clone();
        let thread = std::thread::Builder::new()
            .name("raadhus-log".into())
            .spawn(move || writer.run(out))?;
        Ok((
            Self {
                shared: shared.clone(),
            },
            Flushing {
                shared,
                thread: Some(thread),
            },
        ))
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The writer thread: takes what waits and writes it, until stopped.
    fn run(&self, mut out: impl Write) {
        let mut batch = Vec::new();
        loop {
            let stopping = {
                let mut state = self.lock();
                if state.waiting.len() < EARLY && !state.stopping {
                    state = self
                        .wake
                        .wait_timeout(state, INTERVAL)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                std::mem::swap(&mut batch, &mut state.waiting);
                state.stopping
            };
            self.room.notify_all();
            if !batch.is_empty() {
                // Where stderr fails there is nowhere left to say so.
                let _ = out.write_all(&batch).and_then(|()| out.flush());
                batch.clear();
            }
            if stopping {
                return;
            }
        }
    }
}

impl Drop for Flushing {
    fn drop(&mut self) {
        self.shared.lock().stopping = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Write for &BatchLog {
    /// Appends `line` (the log subscriber writes each event whole).
    fn write(&mut self, line: &[u8]) -> std::io::Result<usize> {
        let mut state = self.shared.lock();
        while state.waiting.len() >= MOST && !state.stopping {
            state = self
                .shared
                .room
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        state.waiting.extend_from_slice(line);
        if state.waiting.len() >= EARLY {
            self.shared.wake.notify_one();
        }
        Ok(line.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BatchLog {
    type Writer = &'a BatchLog;

    fn make_writer(&'a self) -> Self::Writer {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer whose bytes the test reads afterwards.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn every_line_of_every_thread_is_written_whole_and_in_order() {
        let sink = Sink::default();
        let (log, flushing) = BatchLog::start(sink.clone()).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|t| {
                let log = log.clone();
                std::thread::spawn(move || {
                    for i in 0..20_000 {
                        (&log)
                            .write_all(format!("tråd {t} linje {i}\n").as_bytes())
                            .unwrap();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        drop(flushing);
        let written = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert_eq!(written.lines().count(), 80_000);
        for t in 0..4 {
            let prefix = format!("tråd {t} linje ");
            let numbers: Vec<usize> = written
                .lines()
                .filter_map(|l| l.strip_prefix(&prefix))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(numbers, (0..20_000).collect::<Vec<_>>());
        }
    }

    #[test]
    fn a_quiet_line_is_written_within_the_interval() {
        let sink = Sink::default();
        let (log, _flushing) = BatchLog::start(sink.clone()).unwrap();
        (&log).write_all(b"en linje\n").unwrap();
        let deadline = std::time::Instant::now() + INTERVAL * 20;
        while sink.0.lock().unwrap().is_empty() {
            assert!(std::time::Instant::now() < deadline, "not written");
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(sink.0.lock().unwrap().as_slice(), b"en linje\n");
    }
}
