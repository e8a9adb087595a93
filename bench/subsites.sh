#!/usr/bin/env bash
# Subsites (issue 21): one installation with 100 sites of 1,000 articles
# each. Start-up (the index built by `raadhus reindex` first, as a first
# start does, then `raadhus serve` to its first 200), idle memory per
# additional site (the same release binary on one site of ARTICLES articles
# and on SITES sites of as many), and the throughput of a cached front page
# of the main site and of a subsite (wrk with the subsite's Host header),
# side by side on the SITES-site server, alternating which goes first.
# Writes the "subsites" section of bench/RESULTS.md.
#
#   bench/subsites.sh                       # defaults below
#   SITES=10 ARTICLES=100 DURATION=3 bench/subsites.sh
#
# SITES        sites of the installation (100)
# ARTICLES     articles of every site (1000)
# DURATION     seconds of each measured wrk run (8)
# WARMUP       seconds of the warm-up run before each measured run (2)
# ROUNDS       measured runs of each page per connection count (4)
# CONNECTIONS  connection counts (64)
# IDLE_SECONDS seconds the server is left alone before its memory is read (20)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line SITES ARTICLES DURATION WARMUP ROUNDS CONNECTIONS IDLE_SECONDS)
SITES=${SITES:-100}
ARTICLES=${ARTICLES:-1000}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-4}
CONNECTIONS=${CONNECTIONS:-64}
IDLE_SECONDS=${IDLE_SECONDS:-20}
SUBSITES=$TARGET_DIR/release/subsites
[ "$SITES" -ge 2 ] || die "SITES must be at least 2"

ensure_commands wrk:wrk curl:curl
build

# start_measured DIR LABEL: reindexes DIR (timed), starts a server on it
# (timed to its first 200), waits IDLE_SECONDS and reads its memory; sets
# URL, SERVER_PID and appends "label reindex_s first200_ms idle_mib" to
# $WORK/starts.
start_measured() {
    local dir=$1 label=$2 idle
    timed_reindex "$dir" "$WORK/reindex-$label.log"
    timed_start "$dir" "$WORK/raadhus-$label.log"
    sleep "$IDLE_SECONDS"
    idle=$(rss_mib "$SERVER_PID")
    echo "$label $REINDEX_S $FIRST_200_MS $idle" >>"$WORK/starts"
    log "$label: first 200 after $FIRST_200_MS ms, idle ${idle} MiB"
}

ONE=$("$SUBSITES" 1 "$ARTICLES")
MANY=$("$SUBSITES" "$SITES" "$ARTICLES")
HOST=$("$SUBSITES" host $((SITES / 2)))

start_measured "$ONE" one
stop "$SERVER_PID"
start_measured "$MANY" many
MAIN="$URL/"
for host in "" "$HOST"; do
    headers=()
    [ -z "$host" ] || headers=(-H "Host: $host")
    curl -fsS -o /dev/null "${headers[@]}" "$MAIN"
    [ "$(curl -fsS -o /dev/null -D - "${headers[@]}" "$MAIN" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')" = hit ] ||
        die "the front page of ${host:-the main site} is not served from the render cache"
done
main_bytes=$(curl -fsS "$MAIN" | wc -c)
sub_bytes=$(curl -fsS -H "Host: $HOST" "$MAIN" | wc -c)

started=$SECONDS
for c in $CONNECTIONS; do
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            measure subsite "$MAIN" "$c" "$round" -H "Host: $HOST"
            measure main "$MAIN" "$c" "$round"
        else
            measure main "$MAIN" "$c" "$round"
            measure subsite "$MAIN" "$c" "$round" -H "Host: $HOST"
        fi
    done
done
log "measured in $((SECONDS - started)) s"
loaded=$(rss_mib "$SERVER_PID" VmHWM)

read -r _ one_reindex one_start one_idle < <(grep '^one ' "$WORK/starts")
read -r _ many_reindex many_start many_idle < <(grep '^many ' "$WORK/starts")
per_site=$(awk -v a="$one_idle" -v b="$many_idle" -v n="$SITES" 'BEGIN { printf "%.2f", (b - a) / (n - 1) }')
{
    echo "## Subsites: $SITES sites of $ARTICLES articles on one installation"
    echo
    machine_info
    echo "- Data: \`bench/src/bin/subsites.rs\` (the main site and $((SITES - 1)) subsites made through the subsite use case, each with the same $ARTICLES synthetic articles); SQLite"
    echo "- Start-up: \`raadhus reindex\` (the index a first start builds), then \`raadhus serve\` until \`/healthz\` answers 200; memory: VmRSS after ${IDLE_SECONDS} s idle"
    echo "- Throughput: the front page \`/\` of the main site ($main_bytes bytes) and of the subsite \`$HOST\` ($sub_bytes bytes), from the render cache, on the $SITES-site server; ${WARMUP} s warm-up, ${DURATION} s measured; wrk with 2 threads, keep-alive; $ROUNDS rounds, alternating; wrk and the server share the same $(nproc) CPUs"
    echo
    echo "| Installation | Articles | Reindex (s) | First 200 after start (ms) | Idle memory (MiB) |"
    echo "|---|---:|---:|---:|---:|"
    echo "| 1 site | $ARTICLES | $one_reindex | $one_start | $one_idle |"
    echo "| $SITES sites | $((SITES * ARTICLES)) | $many_reindex | $many_start | $many_idle |"
    echo
    echo "Idle memory per additional site: **$per_site MiB** ((${many_idle} − ${one_idle}) / $((SITES - 1)); it includes each site's share of the larger database pages and search index read, not only the site's state, cache and router). Peak memory of the $SITES-site server after the load: $loaded MiB."
    echo
    echo "| Connections | Front page | Requests done | Requests/s (mean, min–max) | p50 (ms) | p99 (ms) | Errors | Ratio subsite/main (rounds' range) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|"
    ratio_table subsite main
} >"$WORK/section"
write_section subsites "$WORK/section"
cat "$WORK/section"
