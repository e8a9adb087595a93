#!/usr/bin/env bash
# Issue 15, point 4: clients that pipeline requests for the Atom feed and
# never read, more of them than the process has file descriptors for, while
# a visitor asks for the front page every half second. Runs `raadhus serve`
# (demo content) under `ulimit -n NOFILE` with the default connection limit.
# Writes the "slow-readers" section of bench/RESULTS.md.
#
#   bench/slow-readers.sh
#   RAADHUS_BIN=/tmp/raadhus-old DURATION=20 bench/slow-readers.sh
#
# NOFILE        the open-files limit of the server (256)
# CONNECTIONS   attacking connections (260)
# REQUESTS      feed requests pipelined on each (50)
# DURATION      seconds of visits during the attack (40: past the 30 s request timeout)
# RAADHUS_BIN   the binary to attack (the release build of this checkout)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line NOFILE CONNECTIONS REQUESTS DURATION RAADHUS_BIN)
NOFILE=${NOFILE:-256}
CONNECTIONS=${CONNECTIONS:-260}
REQUESTS=${REQUESTS:-50}
DURATION=${DURATION:-40}

ensure_commands curl:curl python3:python3
if [ -n "${RAADHUS_BIN:-}" ]; then
    RAADHUS=$RAADHUS_BIN
else
    log "cargo build --release (raadhus)"
    (cd "$ROOT" && cargo build --release -q -p raadhus)
fi

PORT=$(free_port)
log "starting raadhus (demo content) on 127.0.0.1:$PORT with ulimit -n $NOFILE"
(
    ulimit -n "$NOFILE"
    exec "$RAADHUS" --data "$WORK/data" serve --bind "127.0.0.1:$PORT"
) 2>"$WORK/raadhus.log" &
SERVER_PID=$!
STARTED_PIDS+=("$SERVER_PID")
wait_ok "http://127.0.0.1:$PORT/healthz" "$SERVER_PID" 60
LIMIT_LINE=$(grep -m1 "connection limit" "$WORK/raadhus.log" | sed 's/^.*INFO //' || true)

log "$CONNECTIONS connections each pipelining $REQUESTS feed requests and reading nothing; visits for $DURATION s"
python3 "$BENCH_DIR/slow_readers.py" "$PORT" "$SERVER_PID" "$CONNECTIONS" "$REQUESTS" "$DURATION" | tee "$WORK/visits"
stop "$SERVER_PID"
result=$(grep '^SLOW_READERS_RESULT' "$WORK/visits")
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$result"; }

{
    echo "## Clients that never read"
    echo
    machine_info
    echo "- Server: \`raadhus serve\` with the demo content under \`ulimit -n $NOFILE\`, default \`max_connections\` and \`request_timeout\` (30 s); its start-up line: \`${LIMIT_LINE:-none}\`"
    echo "- Attack: $CONNECTIONS connections (4 KB receive buffers), each sending $REQUESTS pipelined \`GET /nyheder/feed.atom\` and reading nothing (\`bench/slow_readers.py\`)"
    echo "- Visits: a new connection asking for \`/\` every 0.5 s for $DURATION s during the attack (5 s timeout)"
    echo "- Longest wait: from a visit's start until a visit was answered (a visit that gets no answer within 5 s is followed by the next)"
    echo
    echo
    echo "| Visits answered | First visit (ms) | Median (ms) | Slowest answered (ms) | Longest wait (s) | Attacking connections closed by the server at the end | Server's open files, most / at the end |"
    echo "|---:|---:|---:|---:|---:|---:|---:|"
    echo "| $(field answered) of $(field visits) | $(field first_ms) | $(field p50_ms) | $(field max_ms) | $(field longest_wait_s) | $(field closed) of $(field of) | $(field fds_max) / $(field fds_end) |"
} >"$WORK/section"
write_section slow-readers "$WORK/section"
cat "$WORK/section"
