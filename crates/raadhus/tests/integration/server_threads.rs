//! The server's threads as the operating system sees them in a real
//! `raadhus serve` process: one per CPU the process may use, each pinned to
//! a CPU of its own where it may run on exactly as many CPUs as threads
//! (`pin_threads`, on by default), left on every CPU with
//! `--no-pin-threads`. Linux only: read from `/proc`.

#![cfg(target_os = "linux")]

use std::time::{Duration, Instant};

use crate::cli::{start_server, stop};

/// The CPUs of a `Cpus_allowed_list` line's value, such as `0-3,6`.
fn cpus_of(list: &str) -> Vec<usize> {
    list.trim()
        .split(',')
        .filter(|part| !part.is_empty())
        .flat_map(|part| match part.split_once('-') {
            Some((from, to)) => (from.parse().unwrap()..=to.parse().unwrap()).collect(),
            None => vec![part.parse().unwrap()],
        })
        .collect()
}

/// The CPUs a thread may run on, from its `status` file in `/proc`.
fn allowed_cpus(status: &std::path::Path) -> Option<Vec<usize>> {
    let status = std::fs::read_to_string(status).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Cpus_allowed_list:"))
        .map(cpus_of)
}

/// Threads by name, each with the CPUs it may run on.
type Threads = Vec<(String, Vec<usize>)>;

/// Each of the process's server threads (named `raadhus-http-N`) with the
/// CPUs it may run on, in the order of their names.
fn server_threads(pid: u32) -> Threads {
    let mut threads: Threads = std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .filter_map(|task| {
            let task = task.ok()?.path();
            let name = std::fs::read_to_string(task.join("comm")).ok()?;
            let name = name.trim();
            if !name.starts_with("raadhus-http-") {
                return None;
            }
            Some((name.to_string(), allowed_cpus(&task.join("status"))?))
        })
        .collect();
    threads.sort();
    threads
}

/// Starts `raadhus serve` with `args` and returns its server threads once
/// `done` holds for them (or, after ten seconds, as they are), with the
/// CPUs this test's thread, whose placement the process inherits, may use.
fn observe(
    args: &[&str],
    done: impl Fn(&[(String, Vec<usize>)], &[usize]) -> bool,
) -> (Threads, Vec<usize>) {
    let allowed = allowed_cpus("/proc/thread-self/status".as_ref()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().display().to_string();
    let mut all_args = vec!["--data", &data, "serve", "--no-demo"];
    all_args.extend_from_slice(args);
    let (mut child, _addr, _stderr) = start_server(&all_args, &[]);
    // The threads are started, and pin themselves, after the address is
    // logged.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut threads = server_threads(child.id());
    while !done(&threads, &allowed) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        threads = server_threads(child.id());
    }
    assert!(stop(&mut child).success());
    (threads, allowed)
}

/// As many server threads as the test may use CPUs.
fn threads_expected() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

#[test]
fn each_server_thread_runs_on_a_cpu_of_its_own_where_there_is_one_per_thread() {
    let count = threads_expected();
    // Pinned where there is a CPU for each thread; otherwise there is
    // nothing to wait for once they are there.
    let pinned = |threads: &[(String, Vec<usize>)], allowed: &[usize]| {
        threads.len() == count
            && (allowed.len() != count || threads.iter().all(|(_, cpus)| cpus.len() == 1))
    };
    let (threads, allowed) = observe(&[], pinned);
    assert_eq!(threads.len(), count, "{threads:?}");
    if allowed.len() == count {
        // One CPU each, every allowed CPU taken once.
        let mut taken: Vec<usize> = threads
            .iter()
            .map(|(name, cpus)| {
                assert_eq!(cpus.len(), 1, "{name} may run on {cpus:?}");
                cpus[0]
            })
            .collect();
        taken.sort_unstable();
        assert_eq!(taken, allowed, "{threads:?}");
    } else {
        // A CPU quota below the CPUs: the kernel places the threads.
        for (name, cpus) in &threads {
            assert_eq!(cpus, &allowed, "{name}");
        }
    }
}

#[test]
fn no_pin_threads_leaves_every_server_thread_on_every_cpu() {
    let count = threads_expected();
    let started = |threads: &[(String, Vec<usize>)], _: &[usize]| threads.len() == count;
    let (threads, allowed) = observe(&["--no-pin-threads"], started);
    assert_eq!(threads.len(), count, "{threads:?}");
    for (name, cpus) in &threads {
        assert_eq!(cpus, &allowed, "{name}");
    }
}

#[test]
fn cpu_lists_are_read_as_the_kernel_writes_them() {
    assert_eq!(cpus_of("0\n"), vec![0]);
    assert_eq!(cpus_of("0-3,6"), vec![0, 1, 2, 3, 6]);
    assert_eq!(cpus_of("1,4-5"), vec![1, 4, 5]);
}
