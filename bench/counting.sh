#!/usr/bin/env bash
# What counting page views costs the render cache (issue 19: "cheaply
# enough that the render cache's throughput does not fall measurably"):
# requests/s, p50 and p99 of a cached article served by the same release
# binary with counting on and with counting off (`--no-counting`), side by
# side in the same run. Writes the "counting" section of bench/RESULTS.md.
#
# One data directory with the demo site is made, then copied: one server
# counts, the other does not; both run at once and wrk asks them in turn,
# alternating which goes first (on off, off on, ...). Every request carries
# a browser's User-Agent, so every one is a view. At the end the views the
# counting server stored (`GET /api/v1/reports/views`) are compared with the
# requests it answered.
#
#   bench/counting.sh                      # defaults below
#   DURATION=3 ROUNDS=2 bench/counting.sh
#
# DURATION     seconds of each measured wrk run (8)
# WARMUP       seconds of the warm-up run before each measured run (2)
# ROUNDS       measured runs of each server per connection count (4)
# CONNECTIONS  connection counts (1 64)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line DURATION WARMUP ROUNDS CONNECTIONS)
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-4}
CONNECTIONS=${CONNECTIONS:-1 64}
BROWSER="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

ensure_commands wrk:wrk curl:curl
build

# The demo site, made once by a server that then stops.
mkdir -p "$WORK/on"
PORT=$(free_port)
log "making the demo site"
"$RAADHUS" --data "$WORK/on" serve --bind "127.0.0.1:$PORT" 2>>"$WORK/setup.log" &
SETUP_PID=$!
STARTED_PIDS+=("$SETUP_PID")
wait_ok "http://127.0.0.1:$PORT/healthz" "$SETUP_PID" 120
ARTICLE=$(curl -fsS "http://127.0.0.1:$PORT/nyheder" | grep -o 'href="/nyheder/[a-z0-9-]*"' |
    grep -v 'feed\.' | head -n 1 | cut -d'"' -f2)
[ -n "$ARTICLE" ] || die "no article found on /nyheder"
stop "$SETUP_PID"
echo "en lang adgangskode til benchmarket" |
    "$RAADHUS" --log warn --data "$WORK/on" user add --email bench@vesterfjord.example \
        --name Benchmark --role editor --password-stdin >/dev/null
TOKEN=$("$RAADHUS" --log warn --data "$WORK/on" token create --user bench@vesterfjord.example --name bench)
cp -a "$WORK/on" "$WORK/off"

# Both servers, logging every request to a file.
ON_PORT=$(free_port)
"$RAADHUS" --data "$WORK/on" serve --bind "127.0.0.1:$ON_PORT" --no-demo 2>>"$WORK/on.log" &
ON_PID=$!
STARTED_PIDS+=("$ON_PID")
OFF_PORT=$(free_port)
"$RAADHUS" --data "$WORK/off" serve --bind "127.0.0.1:$OFF_PORT" --no-demo --no-counting 2>>"$WORK/off.log" &
OFF_PID=$!
STARTED_PIDS+=("$OFF_PID")
ON="http://127.0.0.1:$ON_PORT$ARTICLE"
OFF="http://127.0.0.1:$OFF_PORT$ARTICLE"
wait_ok "$ON" "$ON_PID" 120
wait_ok "$OFF" "$OFF_PID" 120
for url in "$ON" "$OFF"; do
    [ "$(curl -fsS -o /dev/null -D - -A "$BROWSER" "$url" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-cache" { print $2 }')" = hit ] ||
        die "$url is not served from the render cache"
done

started=$SECONDS
for c in $CONNECTIONS; do
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            measure on "$ON" "$c" "$round" -H "User-Agent: $BROWSER"
            measure off "$OFF" "$c" "$round" -H "User-Agent: $BROWSER"
        else
            measure off "$OFF" "$c" "$round" -H "User-Agent: $BROWSER"
            measure on "$ON" "$c" "$round" -H "User-Agent: $BROWSER"
        fi
    done
done
log "measured in $((SECONDS - started)) s"

# The views the counting server stored (written every 5 s): all it answered
# with wrk, and the one request of the check above.
answered=$(($(paste -sd+ "$WORK/answered.on") + 1))
counted=0
for _ in $(seq 1 30); do
    counted=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ON_PORT/api/v1/reports/views?limit=1000" |
        tr '{' '\n' | grep -F "\"path\":\"$ARTICLE\"" | sed 's/.*"views":\([0-9]*\).*/\1/' || true)
    counted=${counted:-0}
    [ "$counted" -ge "$answered" ] && break
    sleep 1
done
off_views=$(curl -fsS -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$OFF_PORT/api/v1/reports/views" || echo '?')

{
    echo "## Counting: a cached article with counting on and off (wrk)"
    echo
    machine_info
    echo "- The page: \`$ARTICLE\` of the demo site, served from the render cache (\`x-cache: hit\`)"
    echo "- The servers: the same release binary on two copies of one data directory, both running: \`raadhus serve\` (counting on, the default) and \`raadhus serve --no-counting\`; every request logged to a file"
    echo "- Each run: ${WARMUP} s warm-up, then ${DURATION} s measured; wrk with 2 threads (1 at 1 connection), keep-alive, \`User-Agent\` of Firefox (every request a view); $ROUNDS rounds per connection count, on and off alternating (on off, off on, …)"
    echo "- wrk and both servers share the same $(nproc) CPUs; loopback only"
    echo "- Views stored by the counting server: $counted of $answered requests it answered (warm-ups included); the other stored: \`$off_views\`"
    echo "- Ratio: on/off requests/s of the mean of the rounds; in parentheses the lowest and highest ratio of one round's pair of runs"
    echo
    echo "| Connections | Counting | Requests done | Requests/s (mean, min–max) | p50 (ms) | p99 (ms) | Errors | Ratio on/off (rounds' range) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|"
    ratio_table on off
} >"$WORK/section"
write_section counting "$WORK/section"
cat "$WORK/section"
[ "$counted" -ge "$answered" ] || die "the counting server stored $counted views of $answered requests"
