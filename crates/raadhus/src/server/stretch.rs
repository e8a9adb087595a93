//! Giving the CPU to whoever waits for it: a thread that has answered
//! requests for [`RUN_FOR`] without a pause yields its CPU
//! (`sched_yield`) before it answers the next.
//!
//! A busy server thread is rarely asked to stop. When its answer wakes the
//! process waiting for it on the same CPU (a reverse proxy on the machine,
//! or the benchmarks' load generator), the kernel lets that process run at
//! once only while it is owed CPU time; otherwise the next check comes at
//! the timer tick, every 4 ms at the common 250 Hz. Meanwhile the answers
//! already written wait to be read and the requests they bring wait to be
//! sent: a server that answered a cached page in microseconds had a p99
//! of 7 ms at 256 connections, nginx 5 ms. Yielding after a millisecond
//! bounds that wait, and the tail at 256 connections fell below nginx's
//! (bench/RESULTS.md, "Giving the CPU back"). With nothing else waiting
//! for the CPU, a yield returns at once: a system call a millisecond.
//! Every thread that serves connections does this (the server threads,
//! and the main runtime's threads where it serves the metrics listener).
//!
//! The thread cannot see when the kernel switched it out; a pause between
//! two requests longer than [`PAUSE`] (a request takes microseconds) is
//! taken as one, and so is sleeping for want of requests.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// How long a thread answers requests before it yields its CPU.
const RUN_FOR: Duration = Duration::from_millis(1);

/// A gap between two requests of a thread at least this long means it
/// was off its CPU, and a new stretch begins.
const PAUSE: Duration = Duration::from_micros(50);

thread_local! {
    static STRETCH: Cell<Option<Stretch>> = const { Cell::new(None) };
}

/// Called by a server thread before it answers a request: yields its CPU
/// when it has run for [`RUN_FOR`] without a pause.
pub fn before_request() {
    STRETCH.with(|cell| {
        let now = Instant::now();
        let (stretch, yield_now) = Stretch::next(cell.get(), now);
        if yield_now {
            std::thread::yield_now();
            cell.set(Some(Stretch::starting(Instant::now())));
        } else {
            cell.set(Some(stretch));
        }
    });
}

/// A thread's time on its CPU without a pause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stretch {
    /// When it began.
    since: Instant,
    /// The last request in it.
    last: Instant,
}

impl Stretch {
    fn starting(now: Instant) -> Self {
        Self {
            since: now,
            last: now,
        }
    }

    /// The stretch after a request at `now`, and whether the thread should
    /// yield first (the stretch then starts again once it is back).
    fn next(stretch: Option<Self>, now: Instant) -> (Self, bool) {
        match stretch {
            Some(stretch) if now.saturating_duration_since(stretch.last) < PAUSE => {
                let due = now.saturating_duration_since(stretch.since) >= RUN_FOR;
                (
                    Self {
                        since: stretch.since,
                        last: now,
                    },
                    due,
                )
            }
            // The first request of the thread, or the first after a pause.
            _ => (Self::starting(now), false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Requests `step` apart from `start`, until the thread is told to
    /// yield: how many were answered before.
    fn answered_before_yield(start: Instant, step: Duration, most: u32) -> Option<u32> {
        let mut stretch = None;
        for n in 0..most {
            let (next, yield_now) = Stretch::next(stretch, start + step * n);
            if yield_now {
                return Some(n);
            }
            stretch = Some(next);
        }
        None
    }

    #[test]
    fn a_thread_busy_without_pause_yields_after_run_for() {
        let start = Instant::now();
        // 10 µs a request: the request at 1 ms is the 101st.
        assert_eq!(
            answered_before_yield(start, Duration::from_micros(10), 1000),
            Some(100)
        );
    }

    #[test]
    fn pauses_between_requests_never_make_a_thread_yield() {
        let start = Instant::now();
        // Requests further apart than a pause: each starts a new stretch.
        assert_eq!(
            answered_before_yield(start, PAUSE + Duration::from_micros(1), 1000),
            None
        );
    }

    #[test]
    fn a_pause_starts_the_stretch_again() {
        let start = Instant::now();
        let step = Duration::from_micros(10);
        let mut stretch = None;
        let mut now = start;
        // 0.9 ms of requests, a pause, 0.9 ms more: no yield.
        for _ in 0..2 {
            for _ in 0..90 {
                let (next, yield_now) = Stretch::next(stretch, now);
                assert!(!yield_now, "yielded {:?} in", now - start);
                stretch = Some(next);
                now += step;
            }
            now += PAUSE;
        }
        // The stretch began after the pause.
        assert_eq!(stretch.map(|s| s.since), Some(start + step * 90 + PAUSE));
    }
}
