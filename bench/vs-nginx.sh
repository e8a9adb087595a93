#!/usr/bin/env bash
# Every cached public page type of Raadhus beside nginx serving that page's
# own bytes (issue 22, item 1). Both write an access log to a file; each
# page is measured in pairs of runs (Raadhus, nginx), alternating which
# goes first, and reported as the median of the per-pair throughput ratios
# with their spread, the p99 of each, and how much of each connection's
# request-to-request cycle wrk timed; with RATES, also each side's p50 and
# p99 at fixed rates (oha). Writes the "vs-nginx" section of
# bench/RESULTS.md.
#
#   bench/vs-nginx.sh                               # defaults below
#   CONNECTIONS=64 ROUNDS=3 DURATION=3 bench/vs-nginx.sh
#
# DURATION     seconds of each measured wrk run (5)
# WARMUP       seconds of the warm-up run before each measured run (1)
# ROUNDS       pairs of runs per page and connection count (5)
# CONNECTIONS  connection counts (64 256 1024)
# ONLY         page names to measure, e.g. "article front" (all)
# RATES        fixed rates (requests/s), e.g. "15000": after the wrk runs,
#              pairs of oha runs sending that rate at each connection count,
#              each request timed from when it was due (none)
# RATE_CONNECTIONS  connection counts of the fixed-rate runs (CONNECTIONS)
# PAUSE        command names of processes to stop (SIGSTOP) while the
#              script runs, e.g. "beam.smp" (RabbitMQ's Erlang VM, whose
#              bursts of work stall both servers: bench/README.md) (none)
# MAX_STEAL    most steal time (% of the CPUs' time the hypervisor gave to
#              other guests) a pair of runs may have; a pair with more is
#              measured again (2)
# RETRIES      how many times a pair is measured again at most (3)
#
# The pages come from the demo content (a fresh data directory): an
# article, the front page, the news list, the directory, a search, the
# Atom feed, the sitemap, a page of the page tree and the logo, and a
# variant of a photo uploaded through the API (WebP, 800 pixels). Raadhus
# answers with the headers it always sends (CSP, ETag, caching); nginx with
# its own. No compression is asked, so both send the same body.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line DURATION WARMUP ROUNDS CONNECTIONS ONLY RATES RATE_CONNECTIONS PAUSE MAX_STEAL RETRIES)
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-1}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64 256 1024}
ONLY=${ONLY:-}
RATES=${RATES:-}
RATE_CONNECTIONS=${RATE_CONNECTIONS:-$CONNECTIONS}
PAUSE=${PAUSE:-}
MAX_STEAL=${MAX_STEAL:-2}
RETRIES=${RETRIES:-3}
[[ $MAX_STEAL =~ ^[0-9]+([.][0-9]+)?$ ]] || die "MAX_STEAL must be a per cent, such as 2 or 0.5: $MAX_STEAL"
[[ $RETRIES =~ ^[0-9]+$ ]] || die "RETRIES must be a whole number: $RETRIES"

ensure_commands wrk:wrk nginx:nginx curl:curl python3:python3
[ -z "$RATES" ] || ensure_oha
build

# Raadhus on the demo content, logging every request to a file.
mkdir -p "$WORK/data"
RAADHUS_PORT=$(free_port)
"$RAADHUS" --data "$WORK/data" serve --bind "127.0.0.1:$RAADHUS_PORT" 2>>"$WORK/raadhus.log" &
SERVER_PID=$!
STARTED_PIDS+=("$SERVER_PID")
R="http://127.0.0.1:$RAADHUS_PORT"
wait_ok "$R/healthz" "$SERVER_PID" 300

# first_link PATH PATTERN: the first href on PATH matching PATTERN.
first_link() {
    curl -fsS "$R$1" | grep -o "href=\"$2\"" | head -1 | cut -d'"' -f2
}
ARTICLE=$(first_link /nyheder '/nyheder/[a-z0-9-]*')
PAGE=$(curl -fsS "$R/" | grep -o 'href="/[a-z0-9-]*/[a-z0-9-]*"' | grep -v '"/nyheder/' | head -1 | cut -d'"' -f2)
LOGO=$(curl -fsS "$R/" | grep -o 'src="/medier/[^"]*"' | head -1 | cut -d'"' -f2)
[ -n "$ARTICLE" ] && [ -n "$PAGE" ] && [ -n "$LOGO" ] || die "the demo content lacks an article, a page or a logo"
# An image variant: a photo uploaded through the API (the demo has none).
VARIANT=$(upload_photo "$WORK/data" "$R")

# name, path on Raadhus, file name for nginx (its extension gives the type).
PAGES=(
    "article $ARTICLE article.html"
    "front / front.html"
    "news /nyheder news.html"
    "directory /hjemmesider directory.html"
    "search /soeg?q=affald search.html"
    "feed /nyheder/feed.atom feed.atom"
    "sitemap /sitemap.xml sitemap.xml"
    "page $PAGE page.html"
    "logo $LOGO logo.${LOGO##*.}"
    "variant $VARIANT variant.webp"
)
if [ -n "$ONLY" ]; then
    chosen=()
    for entry in "${PAGES[@]}"; do
        for name in $ONLY; do
            [ "${entry%% *}" = "$name" ] && chosen+=("$entry")
        done
    done
    [ "${#chosen[@]}" -gt 0 ] || die "ONLY names no page: $ONLY"
    PAGES=("${chosen[@]}")
fi

# nginx serving each page's own bytes, fetched from Raadhus.
mkdir -p "$WORK/www"
for entry in "${PAGES[@]}"; do
    read -r _ path file <<<"$entry"
    curl -fsS -o "$WORK/www/$file" "$R$path"
done
# nginx as set up to serve small static files fast: its open files kept
# (no open, stat and close a request), no cork and uncork around each
# answer (tcp_nopush), and its access log written in batches, as Raadhus
# writes its request log (bench/RESULTS.md, "Where the gap comes from on
# the AMD machine": 9 system calls a request without these).
NGINX_TUNING="open_file_cache max=1000; open_file_cache_valid 60s; tcp_nopush off;
        access_log $WORK/nginx/access.log combined buffer=64k flush=1s;"
# nginx is ready once it serves the first page measured (ONLY may leave out the article).
read -r _ _ PROBE <<<"${PAGES[0]}"
start_nginx "$PROBE" "text/html html; application/atom+xml atom; application/xml xml; \
    image/svg+xml svg; image/png png; image/webp webp; image/jpeg jpg;" "$NGINX_TUNING"
for entry in "${PAGES[@]}"; do
    read -r name path file <<<"$entry"
    curl -fsS "$N/$file" | cmp -s - "$WORK/www/$file" || die "nginx does not serve the bytes of $name"
    # Raadhus answers from its render cache from here on.
    curl -fsS "$R$path" | cmp -s - "$WORK/www/$file" || die "Raadhus's $name changed between two requests"
done

# in_turn ROUND MEASURE NAME RAADHUS_URL NGINX_URL ARGS...: one pair of
# runs of MEASURE (measure or measure_rate, with ARGS after the URL and
# ROUND last), Raadhus first in odd rounds and nginx first in even ones.
in_turn() {
    local round=$1 how=$2 name=$3 raadhus=$4 nginx=$5
    shift 5
    if [ $((round % 2)) -eq 1 ]; then
        "$how" "raadhus-$name" "$raadhus" "$@" "$round"
        "$how" "nginx-$name" "$nginx" "$@" "$round"
    else
        "$how" "nginx-$name" "$nginx" "$@" "$round"
        "$how" "raadhus-$name" "$raadhus" "$@" "$round"
    fi
}

# shellcheck disable=SC2086 # PAUSE is a list of names
pause_processes $PAUSE
started=$SECONDS
for c in $CONNECTIONS; do
    for entry in "${PAGES[@]}"; do
        read -r name path file <<<"$entry"
        for round in $(seq 1 "$ROUNDS"); do
            steady "$WORK/runs" "wrk $c $name" in_turn "$round" measure "$name" "$R$path" "$N/$file" "$c"
        done
    done
done
# The same pages at fixed rates: the load no longer follows the server's
# pace (wrk sends a connection's next request only once it has read the
# answer), so both servers get the same requests at the same times.
for c in $RATE_CONNECTIONS; do
    for rate in $RATES; do
        for entry in "${PAGES[@]}"; do
            read -r name path file <<<"$entry"
            for round in $(seq 1 "$ROUNDS"); do
                steady "$WORK/rate-runs" "rate-$rate $c $name" in_turn "$round" measure_rate "$name" "$R$path" "$N/$file" "$c" "$rate"
            done
        done
    done
done
log "measured in $((SECONDS - started)) s"

# steal_cell KIND CONNECTIONS NAME: the highest steal time of the pairs kept
# (per cent of the CPUs' time) and how many pairs were measured again.
steal_cell() {
    awk -v k="$1" -v c="$2" -v n="$3" '$1 == k && $2 == c && $3 == n { if ($4 > m) m = $4; again += $5 - 1 }
        END { printf "%.1f %%, %d", m, again }' "$WORK/steal"
}

{
    echo "## Raadhus beside nginx serving each page's own bytes"
    echo
    machine_info
    echo "- Pages: the demo content's, from Raadhus's render cache; nginx $(nginx -v 2>&1 | sed 's|.*nginx/||') serves the same bytes as static files (\`worker_processes auto\`, \`worker_cpu_affinity auto\`, \`sendfile on\`, \`open_file_cache max=1000\`, \`tcp_nopush off\`); Raadhus pins its server threads (\`pin_threads\`, on by default)"
    echo "- Both write an access log to a file, in batches (Raadhus: its request log on stderr, to a file, from a thread of its own; nginx: \`access_log … buffer=64k flush=1s\`)"
    echo "- The logo is the demo's SVG original; the variant is the card crop (800 pixels, WebP) of a 2400×1600 PNG uploaded through \`POST /api/v1/media\`"
    echo "- Each run: ${WARMUP} s warm-up, then ${DURATION} s measured; wrk with 2 threads, keep-alive, no compression asked; wrk, Raadhus and nginx share the same $(nproc) CPUs"
    echo "- $ROUNDS pairs of runs per page and connection count, alternating which goes first; the ratio is the median of the pairs' Raadhus/nginx throughput ratios (lowest–highest pair); p99 is the median of the runs' p99"
    echo "- Steal time (CPU time the hypervisor gave to other guests while this one had work, from \`/proc/stat\`): a pair of runs with more than ${MAX_STEAL} % of the CPUs' time stolen is measured again, up to ${RETRIES} times; the last column gives the highest steal of the pairs kept and how many pairs were measured again"
    echo "- Timed share of a cycle: each connection sends a request, waits for the answer, reads it and sends the next; a cycle lasts connections ÷ requests/s on average, and wrk times only the part from sending a request to reading its answer (its mean latency ÷ the mean cycle; the median of the runs). wrk adds samples for latencies over twice the mean cycle before it reports (its correction for coordinated omission), which raises the share where many are (it can then pass 100 %): read it where the p99 is below twice the cycle, as at 1,024 connections"
    echo
    echo "| Connections | Page | Bytes | Raadhus requests/s | nginx requests/s | Ratio (pairs' range) | Raadhus p99 (ms) | nginx p99 (ms) | Timed share of a cycle (Raadhus, nginx) | Errors (Raadhus, nginx) | Steal (highest pair; pairs measured again) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for c in $CONNECTIONS; do
        for entry in "${PAGES[@]}"; do
            read -r name path file <<<"$entry"
            bytes=$(stat -c %s "$WORK/www/$file")
            awk -v c="$c" -v name="$name" -v path="$path" -v bytes="$bytes" -v steal="$(steal_cell wrk "$c" "$name")" '
                function med(a, n,   i, j, t) {
                    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
                    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                }
                # The timed share of a cycle: mean latency ÷ (connections ÷ requests/s).
                $1 == c && $2 == "raadhus-" name { r[$3] = $4; rp[++nr] = $6; re += $7; rt[nr] = 100 * $9 * $4 / (c * 1000) }
                $1 == c && $2 == "nginx-" name { g[$3] = $4; gp[++ng] = $6; ge += $7; gt[ng] = 100 * $9 * $4 / (c * 1000) }
                END {
                    for (k in r) if (g[k] > 0) { q[++nq] = r[k] / g[k]; rs[nq] = r[k]; gs[nq] = g[k] }
                    if (nq == 0) { printf "| %s | %s | %d | – | – | – | – | – | – | – | %s |\n", c, name, bytes, steal; exit }
                    lo = q[1]; hi = q[1]
                    for (i = 1; i <= nq; i++) { if (q[i] < lo) lo = q[i]; if (q[i] > hi) hi = q[i] }
                    printf "| %s | %s `%s` | %d | %.0f | %.0f | **%.2f** (%.2f–%.2f) | %.2f | %.2f | %.0f %%, %.0f %% | %d, %d | %s |\n",
                        c, name, path, bytes, med(rs, nq), med(gs, nq), med(q, nq), lo, hi, med(rp, nr), med(gp, ng), med(rt, nr), med(gt, ng), re, ge, steal
                }' "$WORK/runs"
        done
    done
    if [ -n "$RATES" ]; then
        echo
        echo "At fixed rates (\`RATES\`): oha $("$OHA" --version | sed 's/^oha //') sends the rate over the connections whatever the server's pace, each request timed from when it was due (\`--latency-correction\`). One run per server and pair of (${WARMUP} + ${DURATION}) × the rate requests, waiting for every answer (10 s at most each): the requests due in the first ${WARMUP} s, while the connections open, are not counted, and a request that failed or got no answer counts as slower than every answer (\"unanswered\" where the percentile falls among them). The same $ROUNDS alternating pairs; medians of the runs, and the pairs in which Raadhus's p99 was the lower"
        echo
        echo "| Connections | Rate (requests/s) | Page | Served (Raadhus, nginx) | Raadhus p50 (ms) | nginx p50 (ms) | Raadhus p99 (ms) | nginx p99 (ms) | Pairs with Raadhus's p99 lower | Errors (Raadhus, nginx) | Failed or unanswered (Raadhus, nginx) | Steal (highest pair; pairs measured again) |"
        echo "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for c in $RATE_CONNECTIONS; do
            for rate in $RATES; do
                for entry in "${PAGES[@]}"; do
                    read -r name _ _ <<<"$entry"
                    awk -v c="$c" -v rate="$rate" -v name="$name" -v steal="$(steal_cell "rate-$rate" "$c" "$name")" '
                        function med(a, n,   i, j, t) {
                            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
                            return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                        }
                        # measure_rate writes "inf" for a percentile among the unanswered;
                        # a median of an even number of runs may average it with a
                        # latency, which is still beyond any answer (1e17 ms).
                        function ms(v) { return v == "inf" ? 1e18 : v + 0 }
                        function show(v) { return v >= 1e17 ? "unanswered" : sprintf("%.2f", v) }
                        $1 == c && $4 == rate && $2 == "raadhus-" name { rr[++nr] = $5; r50[nr] = ms($6); r99[nr] = ms($7); rk[$3] = ms($7); re += $8; ru += $9 }
                        $1 == c && $4 == rate && $2 == "nginx-" name { gr[++ng] = $5; g50[ng] = ms($6); g99[ng] = ms($7); gk[$3] = ms($7); ge += $8; gu += $9 }
                        END {
                            if (nr == 0 || ng == 0) exit
                            for (k in rk) if (k in gk) { pairs++; if (rk[k] < gk[k]) lower++ }
                            printf "| %s | %s | %s | %.0f, %.0f | %s | %s | %s | %s | %d of %d | %d, %d | %d, %d | %s |\n",
                                c, rate, name, med(rr, nr), med(gr, ng), show(med(r50, nr)), show(med(g50, ng)), show(med(r99, nr)), show(med(g99, ng)), lower, pairs, re, ge, ru, gu, steal
                        }' "$WORK/rate-runs"
                done
            done
        done
    fi
} >"$WORK/section"
write_section vs-nginx "$WORK/section"
cat "$WORK/section"
