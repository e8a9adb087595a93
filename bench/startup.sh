#!/usr/bin/env bash
# Start-up time of `raadhus serve` to its first 200, and its resident memory
# idle and under a wrk load, with 10,000 and 100,000 articles. Writes the
# "startup" section of bench/RESULTS.md.
#
#   bench/startup.sh
#   REPS=3 LOAD_SECONDS=5 ITEMS=10000 bench/startup.sh
#
# ITEMS             data set sizes (10000 100000)
# REPS              repetitions per size; the table shows medians (5)
# LOAD_SECONDS      seconds of the wrk load (10)
# LOAD_CONNECTIONS  wrk connections (64)
# IDLE_SECONDS      seconds over which the idle server's CPU use is measured (10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line ITEMS REPS LOAD_SECONDS LOAD_CONNECTIONS IDLE_SECONDS)
ITEMS=${ITEMS:-10000 100000}
REPS=${REPS:-5}
LOAD_SECONDS=${LOAD_SECONDS:-10}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-64}
IDLE_SECONDS=${IDLE_SECONDS:-10}
TICKS=$(getconf CLK_TCK)
# Seconds the server may take to answer its first request.
STARTUP_TIMEOUT=900

ensure_commands wrk:wrk curl:curl
build
IFS=$'\t' read -r ARTICLE WORD < <("$SYNTH" probe)
# The load: every public page in turn.
export WRK_PATHS="/ /nyheder $ARTICLE /hjemmesider /soeg?q=$WORD /nyheder/feed.atom"

: >"$WORK/rows"
for n in $ITEMS; do
    dir=$(prepare "$n")
    log "raadhus reindex with $n articles (the index build of a first start; later starts carry on from the index)"
    t0=$(date +%s%N)
    "$RAADHUS" --data "$dir" reindex 2>"$WORK/reindex.log" || die "reindex failed: $(cat "$WORK/reindex.log")"
    reindex=$(awk -v ns="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.1f", ns / 1e9 }')
    for rep in $(seq 1 "$REPS"); do
        port=$(free_port)
        url="http://127.0.0.1:$port"
        started=$(date +%s%N)
        start_raadhus "$dir" "$port" "$WORK/raadhus-$n-$rep.log"
        wait_ok "$url/healthz" "$SERVER_PID" "$STARTUP_TIMEOUT"
        ready=$(date +%s%N)
        sleep 2
        idle=$(rss_mib "$SERVER_PID")
        ticks=$(cpu_ticks "$SERVER_PID")
        sleep "$IDLE_SECONDS"
        idle_cpu=$(awk -v t="$(($(cpu_ticks "$SERVER_PID") - ticks))" -v hz="$TICKS" -v s="$IDLE_SECONDS" \
            'BEGIN { printf "%.1f", 100 * t / hz / s }')
        log "$n articles, run $rep: first 200 after $(((ready - started) / 1000000)) ms; idle ${idle} MiB; loading"
        wrk -t2 -c"$LOAD_CONNECTIONS" -d"$LOAD_SECONDS"s --timeout 30s -s "$BENCH_DIR/wrk.lua" "$url" >"$WORK/wrk.out" &
        wrk_pid=$!
        STARTED_PIDS+=("$wrk_pid")
        loaded=0
        while kill -0 "$wrk_pid" 2>/dev/null; do
            loaded=$(awk -v a="$loaded" -v b="$(rss_mib "$SERVER_PID")" 'BEGIN { print (b > a) ? b : a }')
            sleep 0.5
        done
        wait "$wrk_pid"
        after=$(rss_mib "$SERVER_PID")
        peak=$(rss_mib "$SERVER_PID" VmHWM)
        requests=$(awk '/^WRK_RESULT/ { split($2, r, "="); split($3, d, "="); printf "%.1f", r[2] / (d[2] / 1e6) }' "$WORK/wrk.out")
        stop "$SERVER_PID"
        echo "$n $(((ready - started) / 1000000)) $idle $loaded $after $peak $requests $idle_cpu" >>"$WORK/rows"
    done
    echo "$n reindex $reindex" >>"$WORK/reindex"
done

column_median() { # SIZE COLUMN
    awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$WORK/rows" | median
}
column_range() { # SIZE COLUMN
    awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$WORK/rows" | sort -g | awk 'NR == 1 { low = $1 } { high = $1 } END { print low "–" high }'
}
{
    echo "## Start-up and memory"
    echo
    machine_info
    echo "- Start-up: from spawning \`raadhus serve\` (SQLite, data imported before) to the first \`200\` of \`/healthz\`, polled with curl in a loop"
    echo "- Memory: VmRSS from /proc/PID/status 2 s after the first 200 (idle), the highest sample (every 0.5 s) during a ${LOAD_SECONDS} s wrk load with $LOAD_CONNECTIONS connections cycling through \`/\`, \`/nyheder\`, the article, \`/hjemmesider\`, \`/soeg?q=$WORD\` and the Atom feed, right after it, and VmHWM (the process's peak) at the end"
    echo "- CPU idle: user + system time the server used (/proc/PID/stat) over ${IDLE_SECONDS} s without requests, right after the idle RSS"
    echo "- $REPS runs per size; medians, with the range in parentheses"
    echo "- \`raadhus reindex\` alone (what a first start on a new data directory does before serving; every start measured below carries on from the index it left) took, once per size: $(awk '{ printf "%s%s articles %s s", sep, $1, $3; sep = ", " }' "$WORK/reindex")"
    echo
    echo "| Articles | Start-up to first 200 (ms) | RSS idle (MiB) | CPU idle (% of a core) | RSS under load (MiB) | RSS after load (MiB) | VmHWM (MiB) | Requests/s during the load |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in $ITEMS; do
        printf '| %s |' "$n"
        for col in 2 3 8 4 5 6 7; do
            printf ' %s (%s) |' "$(column_median "$n" "$col")" "$(column_range "$n" "$col")"
        done
        echo
    done
} >"$WORK/section"
write_section startup "$WORK/section"
cat "$WORK/section"
