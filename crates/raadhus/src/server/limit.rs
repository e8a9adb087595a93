//! How many connections the server serves at once when `max_connections` is
//! not set: as many as the open-files limit leaves room for.
//!
//! Every connection holds one file descriptor. Besides them the process needs
//! descriptors for its own work; were the limit reached, `accept` would fail
//! and so would the database and the search index. The default therefore
//! keeps [`RESERVED_FILES`] for that work and gives the rest to connections.

/// Standard input, output and error, the listening socket, the runtime's
/// epoll, event and signal descriptors, a log file.
const BASE_FILES: u64 = 16;
/// The database, whichever backend: SQLite's pool of 8 connections each
/// holds the database file, its write-ahead log (`raadhus.db-wal`) and at
/// times a temporary file, plus the shared-memory index (`raadhus.db-shm`),
/// 25 in all; PostgreSQL's pool of 16 sockets and the connection that
/// listens for other nodes' changes, 17.
const DATABASE_FILES: u64 = 32;
/// The search index: tantivy's lock files and the files of segments being
/// written or merged (segments it reads are memory-mapped, their files closed).
const SEARCH_INDEX_FILES: u64 = 32;
/// Name look-ups for the database host, reading the time zone and
/// configuration, and a margin for what is not counted above.
const HEADROOM_FILES: u64 = 48;

/// File descriptors the default leaves for everything but connections.
pub const RESERVED_FILES: u64 = BASE_FILES + DATABASE_FILES + SEARCH_INDEX_FILES + HEADROOM_FILES;

/// The fewest connections the default allows, whatever the open-files limit
/// (the same floor as the setting's).
pub const MIN_CONNECTIONS: usize = 16;

/// The most connections the default allows, however high (or unlimited) the
/// open-files limit: each connection may hold buffers of some kilobytes, so
/// this bounds their memory (a few hundred MiB at most). Set
/// `max_connections` for more.
pub const MAX_DEFAULT_CONNECTIONS: usize = 16_384;

/// The default where there is no limit of open files to read (not Unix).
pub const FALLBACK_CONNECTIONS: usize = 1024;

/// The default limit for a soft open-files limit of `open_files`.
pub fn default_max_connections(open_files: u64) -> usize {
    let room = open_files.saturating_sub(RESERVED_FILES);
    usize::try_from(room)
        .unwrap_or(usize::MAX)
        .clamp(MIN_CONNECTIONS, MAX_DEFAULT_CONNECTIONS)
}

/// The soft limit of open files (`ulimit -n`), where the platform has one
/// and it can be read.
#[cfg(unix)]
fn open_files_limit() -> Option<u64> {
    match rlimit::getrlimit(rlimit::Resource::NOFILE) {
        Ok((soft, _hard)) => Some(soft),
        Err(error) => {
            tracing::warn!(%error, "cannot read the limit of open files");
            None
        }
    }
}

#[cfg(not(unix))]
fn open_files_limit() -> Option<u64> {
    None
}

/// The connection limit in force: `configured`, or the default for this
/// process's open-files limit. Logs it, and warns when the open-files limit
/// leaves too little room for it.
pub fn max_connections(configured: Option<usize>) -> usize {
    let open_files = open_files_limit();
    let limit = match (configured, open_files) {
        (Some(limit), _) => limit,
        (None, Some(open_files)) => default_max_connections(open_files),
        (None, None) => FALLBACK_CONNECTIONS,
    };
    let source = if configured.is_some() {
        "max_connections"
    } else {
        "sized from the open-files limit"
    };
    match open_files {
        Some(open_files) => {
            // u64::MAX stands for no limit at all.
            let open_files_text = if open_files == u64::MAX {
                "unlimited".to_string()
            } else {
                open_files.to_string()
            };
            tracing::info!(
                max_connections = limit,
                source,
                open_files = %open_files_text,
                reserved_files = RESERVED_FILES,
                "connection limit"
            );
            let needed = (limit as u64).saturating_add(RESERVED_FILES);
            if needed > open_files {
                tracing::warn!(
                    max_connections = limit,
                    open_files,
                    needed,
                    "the limit of open files is too low for this many connections and the \
                     server's own files; raise it (ulimit -n, systemd LimitNOFILE=) to at least \
                     {needed}, or lower max_connections"
                );
            }
        }
        None => tracing::info!(max_connections = limit, source, "connection limit"),
    }
    limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_leaves_the_reserve_to_the_servers_own_files() {
        assert_eq!(RESERVED_FILES, 128);
        // The setting: `ulimit -n 256`.
        assert_eq!(default_max_connections(256), 128);
        // A common soft limit, and systemd's with LimitNOFILE=4096.
        assert_eq!(default_max_connections(1024), 896);
        assert_eq!(default_max_connections(4096), 3968);
        assert_eq!(
            default_max_connections(4096) as u64 + RESERVED_FILES,
            4096,
            "connections and reserve together fill the limit exactly"
        );
    }

    #[test]
    fn the_default_has_a_floor_and_a_ceiling() {
        // Too low a limit still serves some connections (start-up warns).
        assert_eq!(default_max_connections(0), MIN_CONNECTIONS);
        assert_eq!(default_max_connections(100), MIN_CONNECTIONS);
        assert_eq!(default_max_connections(RESERVED_FILES + 16), 16);
        assert_eq!(default_max_connections(RESERVED_FILES + 17), 17);
        // A very high or unlimited one (RLIM_INFINITY) is capped.
        assert_eq!(default_max_connections(1 << 20), MAX_DEFAULT_CONNECTIONS);
        assert_eq!(default_max_connections(u64::MAX), MAX_DEFAULT_CONNECTIONS);
    }

    #[test]
    fn a_configured_limit_wins() {
        assert_eq!(max_connections(Some(40)), 40);
        assert!(max_connections(None) >= MIN_CONNECTIONS);
    }

    #[cfg(unix)]
    #[test]
    fn the_default_follows_this_processs_limit() {
        let (soft, _) = rlimit::getrlimit(rlimit::Resource::NOFILE).expect("limit readable");
        assert_eq!(max_connections(None), default_max_connections(soft));
    }
}
