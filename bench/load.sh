#!/usr/bin/env bash
# Throughput and latency of Raadhus's public pages under wrk, side by side
# with nginx serving the same article's HTML as a static file, at several
# connection counts. Writes the "load" section of bench/RESULTS.md.
#
#   bench/load.sh                       # defaults below
#   DURATION=3 CONNECTIONS="1 64" bench/load.sh
#
# DURATION     seconds of each measured wrk run (10)
# WARMUP       seconds of the warm-up run before each measured run (2)
# ROUNDS       measured runs of the article and of nginx per connection count,
#              alternating (R N N R ...); the table shows their mean (2)
# CONNECTIONS  connection counts (1 64 256)
# ITEMS        articles in the data set (10000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line DURATION WARMUP ROUNDS CONNECTIONS ITEMS)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-1 64 256}
ITEMS=${ITEMS:-10000}

ensure_commands wrk:wrk nginx:nginx curl:curl
build
DATA=$(prepare "$ITEMS")
IFS=$'\t' read -r ARTICLE WORD < <("$SYNTH" probe)

# Raadhus, logging every request to a file as nginx does.
RAADHUS_PORT=$(free_port)
log "starting raadhus on 127.0.0.1:$RAADHUS_PORT with $ITEMS articles"
start_raadhus "$DATA" "$RAADHUS_PORT" "$WORK/raadhus.log"
RAADHUS_PID=$SERVER_PID
R="http://127.0.0.1:$RAADHUS_PORT"
wait_ok "$R/healthz" "$RAADHUS_PID" 900

# nginx with its own configuration, serving the article as a static file.
mkdir -p "$WORK/www"
curl -fsS -o "$WORK/www/article.html" "$R$ARTICLE"
start_nginx article.html "text/html html;"
N="$N/article.html"
curl -fsS "$N" | cmp -s - "$WORK/www/article.html" || die "nginx does not serve the article's bytes"

declare -A PAGES=(
    [article]="$ARTICLE"
    [home]="/"
    [news]="/nyheder"
    [websites]="/hjemmesider"
    [search]="/soeg?q=$WORD"
    [feed]="/nyheder/feed.atom"
)
PAGE_ORDER=(article home news websites search feed)
for page in "${PAGE_ORDER[@]}"; do
    wait_ok "$R${PAGES[$page]}" "$RAADHUS_PID" 30
done

# measure LABEL URL CONNECTIONS (LABEL one word): a warm-up, then a measured run; appends
# "connections label requests/s p50_ms p99_ms errors requests" to $WORK/runs.
measure() {
    local threads=2 line
    [ "$3" -ge 2 ] || threads=1
    log "$2 with $3 connections"
    wrk -t"$threads" -c"$3" -d"$WARMUP"s --timeout 10s "$2" >/dev/null
    line=$(wrk -t"$threads" -c"$3" -d"$DURATION"s --timeout 10s -s "$BENCH_DIR/wrk.lua" "$2" |
        grep '^WRK_RESULT') || die "wrk gave no result for $2"
    awk -v c="$3" -v label="$1" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        errors = v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"]
        printf "%s %s %.1f %.3f %.3f %d %d\n", c, label, v["requests"] / (v["duration_us"] / 1e6),
            v["p50_us"] / 1000, v["p99_us"] / 1000, errors, v["requests"]
    }' <<<"$line" >>"$WORK/runs"
}

started=$SECONDS
for c in $CONNECTIONS; do
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            measure raadhus-article "$R$ARTICLE" "$c"
            measure nginx "$N" "$c"
        else
            measure nginx "$N" "$c"
            measure raadhus-article "$R$ARTICLE" "$c"
        fi
    done
    for page in "${PAGE_ORDER[@]:1}"; do
        measure "raadhus-$page" "$R${PAGES[$page]}" "$c"
    done
done
log "measured in $((SECONDS - started)) s"

bytes=$(stat -c %s "$WORK/www/article.html")
{
    echo "## Load: Raadhus beside nginx (wrk)"
    echo
    machine_info
    echo "- Data: $ITEMS synthetic articles (imported), SQLite; article \`$ARTICLE\` ($bytes bytes of HTML)"
    echo "- Each run: ${WARMUP} s warm-up, then ${DURATION} s measured; wrk with 2 threads (1 at 1 connection), keep-alive, no compression asked"
    echo "- Article and nginx: mean of $ROUNDS alternating runs per connection count; the other pages: one run"
    echo "- Raadhus: \`raadhus serve\`, every request logged to a file; nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'): \`worker_processes auto\`, \`worker_cpu_affinity auto\`, \`sendfile on\`, access log to a file, serving the article's bytes (fetched from Raadhus) as a static file"
    echo "- wrk, Raadhus and nginx share the same $(nproc) CPUs"
    echo "- Ratios: Raadhus/nginx at the same connection count; throughput ratio below 1 and p99 ratio above 1 mean slower than nginx"
    echo "- Latencies are those of the requests done within the run; requests still waiting when it ends are not counted (wrk), so \"Requests done\" (summed over the runs) 0 means none finished"
    echo
    echo "| Connections | Page | Requests done | Requests/s | p50 (ms) | p99 (ms) | Errors | Throughput ratio | p99 ratio |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    awk '
        {
            label = $2
            key = $1 SUBSEP label
            if (!(key in n)) { keys[++count] = key; conn[key] = $1; name[key] = label }
            n[key]++; rps[key] += $3; p50[key] += $4; p99[key] += $5; err[key] += $6; done[key] += $7
        }
        END {
            for (i = 1; i <= count; i++) {
                k = keys[i]; rps[k] /= n[k]; p50[k] /= n[k]; p99[k] /= n[k]
                if (name[k] ~ /^nginx/) { nrps[conn[k]] = rps[k]; np99[conn[k]] = p99[k] }
            }
            for (i = 1; i <= count; i++) {
                k = keys[i]; c = conn[k]
                page = name[k]; sub(/^raadhus-/, "", page)
                if (page == "article") page = "article `/nyheder/<slug>`"
                else if (page == "home") page = "front page `/`"
                else if (page == "news") page = "news list `/nyheder`"
                else if (page == "websites") page = "directory `/hjemmesider`"
                else if (page == "search") page = "search `/soeg?q=…`"
                else if (page == "feed") page = "Atom feed `/nyheder/feed.atom`"
                else page = "**nginx: the article as a static file**"
                ratio = (nrps[c] > 0) ? sprintf("%.3g", rps[k] / nrps[c]) : "–"
                p99ratio = (np99[c] > 0) ? sprintf("%.3g", p99[k] / np99[c]) : "–"
                if (done[k] == 0) {
                    printf "| %s | %s | 0 | 0 | n/a | n/a | %d | 0 | n/a |\n", c, page, err[k]
                    continue
                }
                printf "| %s | %s | %d | %.1f | %.2f | %.2f | %d | %s | %s |\n", c, page, done[k], rps[k], p50[k], p99[k],
                    err[k], ratio, p99ratio
            }
        }' "$WORK/runs"
} >"$WORK/section"
write_section load "$WORK/section"
cat "$WORK/section"
