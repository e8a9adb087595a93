#!/usr/bin/env bash
# Scale (issue 22, item 4): SIZE news articles over SITES sites (the main
# site and SITES − 1 subsites) on PostgreSQL, for each size of SIZES: the
# load time (`bench/src/bin/scale.rs`: the subsite use case, then one bulk
# import per site), `raadhus reindex`, start-up to the first 200 (the first
# start with the index just built, then restarts with it: the number that
# matters), idle memory, the time of uncached searches (the JSON API and the
# search page, distinct queries, one after another on one keep-alive
# connection), and a wrk run that asks for every article of every site once
# with a small render cache, with the memory and each site's cache bytes
# (from /healthz) before and after. Writes the "scale" section of
# bench/RESULTS.md.
#
#   bench/scale.sh                          # defaults below
#   SIZES=10000 IDLE_SECONDS=5 bench/scale.sh
#
# SIZES            article counts, one row each (10000 100000 1000000)
# SITES            sites of the installation (100)
# PG               PostgreSQL server URL without a database
#                  (postgres://postgres@127.0.0.1:5432); each size gets its
#                  own database raadhus_scale_SIZE, dropped at the end
# RESTARTS         restarts with the index, timed; the median is reported (3)
# IDLE_SECONDS     seconds the server is left alone before its memory is read (20)
# QUERIES          distinct queries per search measurement (300)
# CACHE_MAX_BYTES  the server's --cache-max-bytes (33554432, 32 MiB)
# CONNECTIONS      wrk connections of the every-page run (64)
# PAGES_SECONDS    the longest the every-page run may take (900)
# KEEP             1: keep the databases and data directories (bench/data/scale-SIZE)
# BUSY_FILE        a file that exists while a heavy step runs (none)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line SIZES SITES RESTARTS IDLE_SECONDS QUERIES CACHE_MAX_BYTES CONNECTIONS PAGES_SECONDS)
SIZES=${SIZES:-10000 100000 1000000}
SITES=${SITES:-100}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
RESTARTS=${RESTARTS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-20}
QUERIES=${QUERIES:-300}
CACHE_MAX_BYTES=${CACHE_MAX_BYTES:-33554432}
CONNECTIONS=${CONNECTIONS:-64}
PAGES_SECONDS=${PAGES_SECONDS:-900}
KEEP=${KEEP:-}
BUSY_FILE=${BUSY_FILE:-}
SCALE=$TARGET_DIR/release/scale
THREADS=2
[ "$SITES" -ge 2 ] || die "SITES must be at least 2"

ensure_commands wrk:wrk curl:curl psql:postgresql-client
build

busy() { [ -z "$BUSY_FILE" ] || touch "$BUSY_FILE"; }
idle() { [ -z "$BUSY_FILE" ] || rm -f "$BUSY_FILE"; }
on_exit idle
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$PG/${2:-postgres}" -c "$1"; }

# The table's rows, one per size.
: >"$WORK/rows"

# cache_bytes URL: the render cache's bytes of every site, summed, and the
# largest one site holds (each site's /healthz, with its Host).
cache_bytes() {
    local host total=0 largest=0 bytes
    for host in "" $(for n in $(seq 1 $((SITES - 1))); do echo "sted-$n.bench.example"; done); do
        bytes=$(curl -fsS ${host:+-H "Host: $host"} "$1/healthz" | sed 's/.*"bytes":\([0-9]*\).*/\1/')
        total=$((total + bytes))
        [ "$bytes" -le "$largest" ] || largest=$bytes
    done
    echo "$total $largest"
}

mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

measure_size() {
    local size=$1 db=raadhus_scale_$1 dir=$BENCH_DIR/data/scale-$1 url args load first restarts=() ms
    url="$PG/$db"
    log "size $size: database $db"
    sql "DROP DATABASE IF EXISTS $db"
    sql "CREATE DATABASE $db"
    [ -n "$KEEP" ] || on_exit "sql 'DROP DATABASE IF EXISTS $db'; rm -rf '$dir'"
    rm -rf "$dir"
    args=(--database-url "$url" --cache-max-bytes "$CACHE_MAX_BYTES")

    busy
    log "size $size: loading"
    load=$("$SCALE" load "$url" "$dir" "$size" "$SITES")
    log "size $size: loaded in $load s; reindexing"
    timed_reindex "$dir" "$WORK/reindex-$size.log" --database-url "$url"
    idle
    local db_mib index_mib
    db_mib=$(mib "$(sql "SELECT pg_database_size('$db')")")
    index_mib=$(du -sm "$dir/index" | cut -f1)

    timed_start "$dir" "$WORK/raadhus-$size.log" "${args[@]}"
    first=$FIRST_200_MS
    stop "$SERVER_PID"
    for _ in $(seq 1 "$RESTARTS"); do
        timed_start "$dir" "$WORK/raadhus-$size.log" "${args[@]}"
        restarts+=("$FIRST_200_MS")
        stop "$SERVER_PID"
    done
    ms=$(printf '%s\n' "${restarts[@]}" | median)
    log "size $size: first start $first ms, restarts ${restarts[*]} ms"

    timed_start "$dir" "$WORK/raadhus-$size.log" "${args[@]}"
    sleep "$IDLE_SECONDS"
    local idle_mib addr=${URL#http://}
    idle_mib=$(rss_mib "$SERVER_PID")
    log "size $size: idle $idle_mib MiB; searching"
    "$SCALE" search "$addr" "$SITES" 50 api 99 >/dev/null
    local api page
    api=$("$SCALE" search "$addr" "$SITES" "$QUERIES" api 1)
    page=$("$SCALE" search "$addr" "$SITES" "$QUERIES" page 2)
    log "size $size: api $api; page $page"
    [ "$(cut -d' ' -f6 <<<"$page")" = 0 ] || die "the render cache answered search pages: $page"

    # Every article of every site once, in a random order.
    sql "SELECT COALESCE(s.host, '$addr') || ' /nyheder/' || n.slug FROM news n JOIN sites s ON s.id = n.site_id
         WHERE n.status = 'published' AND n.deleted_at IS NULL ORDER BY md5(n.id::text)" "$db" >"$WORK/pages"
    local pages before after peak cache line
    pages=$(wc -l <"$WORK/pages")
    before=$(rss_mib "$SERVER_PID")
    busy
    log "size $size: asking for all $pages pages (at most $PAGES_SECONDS s)"
    rm -f "$WORK"/done.*
    WRK_PAGES=$WORK/pages WRK_THREADS=$THREADS WRK_DONE=$WORK/done wrk -t"$THREADS" -c"$CONNECTIONS" \
        -d"$PAGES_SECONDS"s --timeout 30s -s "$BENCH_DIR/wrk-pages.lua" "$URL/" >"$WORK/wrk.out" &
    local wrk_pid=$!
    STARTED_PIDS+=("$wrk_pid")
    # Bounded by wrk's own duration; interrupted (it then reports) once every
    # thread has asked for its share.
    while kill -0 "$wrk_pid" 2>/dev/null; do
        if [ "$(find "$WORK" -maxdepth 1 -name 'done.*' | wc -l)" -ge "$THREADS" ]; then
            sleep 1
            kill -INT "$wrk_pid" 2>/dev/null || true
            break
        fi
        sleep 0.5
    done
    wait "$wrk_pid" || true
    line=$(grep '^WRK_RESULT' "$WORK/wrk.out") || die "wrk gave no result"
    idle
    after=$(rss_mib "$SERVER_PID")
    peak=$(rss_mib "$SERVER_PID" VmHWM)
    cache=$(cache_bytes "$URL")
    stop "$SERVER_PID"
    log "size $size: $line; RSS $before -> $after MiB (peak $peak), cache $cache"
    awk -v size="$size" -v loaded="$load" -v reindex="$REINDEX_S" -v first="$first" -v restart="$ms" \
        -v idle="$idle_mib" -v api="$api" -v page="$page" -v idx="$index_mib" -v db="$db_mib" \
        -v pages="$pages" -v before="$before" -v after="$after" -v peak="$peak" -v cache="$cache" \
        -v limit="$CACHE_MAX_BYTES" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        errors = v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"]
        split(api, a, " "); split(page, p, " "); split(cache, c, " ")
        printf "| %d | %s | %s | %d | **%d** | **%s** | **%.2f** / %.2f / %.2f | **%.2f** / %.2f / %.2f | %d | %.0f | %d requests for %d pages in %.0f s (%.0f/s), %d errors | %s → %s (peak %s) | %.1f (largest site %.1f; limit %.0f for all sites) |\n",
            size, loaded, reindex, first, restart, idle, a[1], a[2], a[3], p[1], p[2], p[3], idx, db,
            v["requests"], pages, v["duration_us"] / 1e6, v["requests"] / (v["duration_us"] / 1e6), errors,
            before, after, peak, c[1] / 1048576, c[2] / 1048576, limit / 1048576
    }' <<<"$line" >>"$WORK/rows"
    if [ -z "$KEEP" ]; then
        sql "DROP DATABASE IF EXISTS $db"
        rm -rf "$dir"
    fi
}

for size in $SIZES; do
    measure_size "$size"
done

{
    echo "## Scale: news articles over $SITES sites on PostgreSQL"
    echo
    machine_info
    echo "- PostgreSQL: $(sql 'SHOW server_version'), on the same machine (127.0.0.1)"
    echo "- Data: \`bench/src/bin/scale.rs load\`: the main site and $((SITES - 1)) subsites made through the subsite use case, then each site's own synthetic articles (\`raadhus_synth::export_seeded\`: titles, leads, bodies of paragraphs, a list and a quote, one or two contact persons; the main site also 30 topics and 300 websites) written by the store's bulk import, one transaction per site"
    echo "- Start-up: \`raadhus reindex\` (timed), then \`raadhus serve --database-url … --cache-max-bytes $CACHE_MAX_BYTES\` until \`/healthz\` answers 200: the first start with the index just built, then the median of $RESTARTS restarts with it; idle memory: VmRSS after $IDLE_SECONDS s idle"
    echo "- Search: $QUERIES distinct queries each (\`raadhus_synth::queries\`: a common word, a place or a name, two words, a job title, a full name or a typo), one after another on one keep-alive connection (\`bench/src/bin/scale.rs search\`, timed in the client), half on the main site (every fifth of those with \`all_sites=true\`), half on subsites; \`/api/v1/search?q=…\` (never cached) and \`/soeg?q=…\` (distinct queries, none answered by the render cache); after 50 warm-up queries"
    echo "- Every page: each published article of every site once (random order, the site's \`Host\`) with wrk (\`bench/wrk-pages.lua\`, $THREADS threads, $CONNECTIONS connections, at most $PAGES_SECONDS s); memory VmRSS before and after, peak VmHWM; the render cache's bytes from each site's \`/healthz\` after"
    echo
    echo "| Articles | Load (s) | Reindex (s) | First start (ms) | First 200, restart with index (ms) | Idle (MiB) | API search p50 / p95 / p99 (ms) | Page search p50 / p95 / p99 (ms) | Index (MiB) | Database (MiB) | Every-page run | RSS before → after (MiB) | Render cache after (MiB) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|"
    cat "$WORK/rows"
} >"$WORK/section"
write_section scale "$WORK/section"
cat "$WORK/section"
