#!/usr/bin/env bash
# Mixed traffic: wrk reads public pages and searches at 256 connections for
# 5 minutes while an editor writes through the API once a second; then every
# acknowledged write is checked against the database and the search index.
# Passes only with zero errors and zero lost writes. Writes the "mixed"
# section of bench/RESULTS.md.
#
#   bench/mixed.sh                      # 300 s, 256 connections, 10k items
#   DURATION=30 CONNECTIONS=64 bench/mixed.sh
#
# DURATION     seconds of traffic (300)
# CONNECTIONS  wrk connections (256)
# ITEMS        articles in the data set (10000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line DURATION CONNECTIONS ITEMS)
DURATION=${DURATION:-300}
CONNECTIONS=${CONNECTIONS:-256}
ITEMS=${ITEMS:-10000}

ensure_commands wrk:wrk curl:curl python3:python3
build
PREPARED=$(prepare "$ITEMS")
IFS=$'\t' read -r ARTICLE WORD < <("$SYNTH" probe)
# The run writes: work on a copy of the prepared data set.
DATA="$WORK/data"
cp -r "$PREPARED" "$DATA"

"$RAADHUS" --data "$DATA" user add --email belastning@vesterfjord.example \
    --name Belastningsprøve --role editor --password-stdin <<<"en lang adgangskode til prøven" >/dev/null
TOKEN=$("$RAADHUS" --data "$DATA" token create --user belastning@vesterfjord.example --name mixed-load)

PORT=$(free_port)
log "starting raadhus on 127.0.0.1:$PORT with $ITEMS articles"
start_raadhus "$DATA" "$PORT" "$WORK/raadhus.log"
RAADHUS_PID=$SERVER_PID
R="http://127.0.0.1:$PORT"
wait_ok "$R/healthz" "$RAADHUS_PID" 900

# Reads: the pages citizens use, and searches for several words.
PATHS="/ /nyheder $ARTICLE /hjemmesider /soeg?q=$WORD /nyheder/feed.atom /nyheder?side=2 /soeg?q=skole /soeg?q=vej $ARTICLE /"
for path in $PATHS; do wait_ok "$R$path" "$RAADHUS_PID" 60; done

log "mixed traffic for $DURATION s: wrk at $CONNECTIONS connections, one write a second"
python3 "$BENCH_DIR/mixed_writer.py" write "$R" "$TOKEN" "$DURATION" "$WORK/ledger" \
    >"$WORK/writer.out" 2>"$WORK/writer.err" &
WRITER_PID=$!
STARTED_PIDS+=("$WRITER_PID")
RSS_PEAK=0
(
    while kill -0 "$RAADHUS_PID" 2>/dev/null && kill -0 "$WRITER_PID" 2>/dev/null; do
        rss_mib "$RAADHUS_PID"
        echo
        sleep 5
    done
) >"$WORK/rss" &
WRK_LINE=$(WRK_PATHS="$PATHS" wrk -t2 -c"$CONNECTIONS" -d"$DURATION"s --timeout 10s \
    -s "$BENCH_DIR/wrk.lua" "$R" | grep '^WRK_RESULT') || die "wrk gave no result"
LOADAVG_AT_END=$(cut -d' ' -f1-3 /proc/loadavg)
wait "$WRITER_PID" || die "the writer failed: $(cat "$WORK/writer.err")"
WRITER_LINE=$(grep '^WRITER_RESULT' "$WORK/writer.out") || die "the writer gave no result"
RSS_PEAK=$(sort -g "$WORK/rss" | tail -1)
kill -0 "$RAADHUS_PID" 2>/dev/null || die "the server died under load"

log "verifying every acknowledged write"
# Give the index follower its moment, then check through the API and the file.
sleep 2
VERIFY_STATUS=0
VERIFY_LINE=$(python3 "$BENCH_DIR/mixed_writer.py" verify "$R" "$TOKEN" "$WORK/ledger" "$DATA/raadhus.db" \
    2>"$WORK/verify.err" | grep '^VERIFY_RESULT') || VERIFY_STATUS=$?
[ -n "$VERIFY_LINE" ] || die "the verification gave no result: $(cat "$WORK/verify.err")"
SERVER_ERRORS=$(grep -c 'ERROR' "$WORK/raadhus.log" || true)

field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" <<<"$2"; }
requests=$(field requests "$WRK_LINE")
seconds=$(awk -v us="$(field duration_us "$WRK_LINE")" 'BEGIN { printf "%.1f", us / 1e6 }')
read_errors=$(($(field connect "$WRK_LINE") + $(field read "$WRK_LINE") + $(field write "$WRK_LINE") + $(field status "$WRK_LINE") + $(field timeout "$WRK_LINE")))
write_errors=$(field errors "$WRITER_LINE")
lost=$(($(field lost "$VERIFY_LINE") + $(field wrong "$VERIFY_LINE") + $(field unindexed "$VERIFY_LINE") + $(field unacknowledged "$VERIFY_LINE")))
verdict="passed"
if [ "$read_errors" -ne 0 ] || [ "$write_errors" -ne 0 ] || [ "$lost" -ne 0 ] || [ "$VERIFY_STATUS" -ne 0 ] || [ "$SERVER_ERRORS" -ne 0 ]; then
    verdict="FAILED"
fi

{
    echo "## Mixed load: reads, searches and editor writes together"
    echo
    machine_info
    echo "- Data: $ITEMS synthetic articles (imported), SQLite, a copy per run"
    echo "- Reads: wrk, 2 threads, $CONNECTIONS connections, $DURATION s, keep-alive, cycling through \`$PATHS\`"
    echo "- Writes: \`bench/mixed_writer.py\` through the JSON API: one new article a second and every third second an edit of an earlier one (with its version); afterwards every acknowledged write is read back through the API, found by its unique word in the search, and the SQLite file is checked (\`PRAGMA integrity_check\`, no article of the run beyond those acknowledged)"
    echo "- wrk, the writer and Raadhus share the same $(nproc) CPUs; load average when the traffic ended: $LOADAVG_AT_END"
    echo
    echo "| Measure | Value |"
    echo "|---|---:|"
    echo "| Read requests done | $requests |"
    awk -v r="$requests" -v s="$seconds" 'BEGIN { printf "| Read requests/s | %.0f |\n", r / s }'
    awk -v p="$(field p50_us "$WRK_LINE")" -v q="$(field p99_us "$WRK_LINE")" -v m="$(field max_us "$WRK_LINE")" \
        'BEGIN { printf "| Read latency p50 / p99 / max (ms) | %.2f / %.2f / %.1f |\n", p / 1000, q / 1000, m / 1000 }'
    echo "| Read errors (connect, read, write, non-2xx/3xx, timeout) | $read_errors |"
    echo "| Writes acknowledged (creates + edits) | $(field creates "$WRITER_LINE") + $(field edits "$WRITER_LINE") |"
    echo "| Write errors | $write_errors |"
    echo "| Articles checked afterwards | $(field checked "$VERIFY_LINE") |"
    echo "| Lost, wrong, unindexed or unacknowledged writes | $lost |"
    echo "| Database integrity check | $(field integrity "$VERIFY_LINE") |"
    echo "| ERROR lines in the server log | $SERVER_ERRORS |"
    echo "| Server RSS, peak of 5 s samples (MiB) | ${RSS_PEAK:-?} |"
    echo
    echo "Verdict: **$verdict**."
} >"$WORK/section"
write_section mixed "$WORK/section"
cat "$WORK/section"
if [ "$verdict" != passed ]; then
    tail -n 20 "$WORK/writer.err" "$WORK/verify.err" >&2
    grep 'ERROR' "$WORK/raadhus.log" | tail -n 20 >&2 || true
    die "mixed load failed: see the section above and the lines before it"
fi
