#!/usr/bin/env bash
# Why a cached page costs Raadhus more CPU a request at many connections
# than at few, where nginx's stays flat (issue 22: "where a target cannot be
# met on this machine, say why with the profile that shows it"). The
# machine has no hardware counters, so the caches are simulated: Raadhus
# and nginx each run under valgrind's callgrind with its cache simulation,
# on one CPU each (one Raadhus server thread, one nginx worker), while wrk
# on another CPU keeps CONNECTIONS connections busy with the cached article.
# Per request, in the server's own code (not the kernel's): instructions,
# first-level data misses and misses of the simulated core cache (LL below,
# the size of a core's own second-level cache), then the functions with the
# most such misses in Raadhus. Writes the "cache-misses" section of
# bench/RESULTS.md.
#
#   bench/cache-misses.sh                  # defaults below
#   CONNECTIONS="64 1024" SECONDS_MEASURED=10 bench/cache-misses.sh
#
# CONNECTIONS       connection counts (64 256 1024)
# SECONDS_MEASURED  seconds counted, after 8 s of load (15)
# LL                the simulated core cache: size,ways,line (2097152,16,64)
#
# The counts are the simulator's, so they repeat from run to run whatever
# else the machine does (the order in which connections are served varies a
# little); they leave out the kernel, which does the same socket work for
# both servers. Under valgrind a server runs 20-50 times slower, which
# changes nothing in which memory a request touches.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line CONNECTIONS SECONDS_MEASURED LL)
CONNECTIONS=${CONNECTIONS:-64 256 1024}
SECONDS_MEASURED=${SECONDS_MEASURED:-15}
LL=${LL:-2097152,16,64}
[[ $SECONDS_MEASURED =~ ^[0-9]+$ ]] || die "SECONDS_MEASURED must be a whole number: $SECONDS_MEASURED"
[[ $LL =~ ^[0-9]+,[0-9]+,[0-9]+$ ]] || die "LL must be size,ways,line in bytes, such as 2097152,16,64: $LL"
[ "$(nproc)" -ge 2 ] || die "needs two CPUs: one for the server, one for wrk"

ensure_commands valgrind:valgrind callgrind_control:valgrind wrk:wrk nginx:nginx curl:curl taskset:util-linux
build

# callgrind as both servers run under it: counting only once switched on.
CALLGRIND=(valgrind --tool=callgrind --cache-sim=yes --I1=32768,8,64 --D1=49152,12,64
    "--LL=$LL" --instr-atstart=no)

# The demo site and its article, made once by a server that then stops.
mkdir -p "$WORK/site"
PORT=$(free_port)
"$RAADHUS" --data "$WORK/site" serve --bind "127.0.0.1:$PORT" 2>>"$WORK/setup.log" &
SETUP_PID=$!
STARTED_PIDS+=("$SETUP_PID")
wait_ok "http://127.0.0.1:$PORT/healthz" "$SETUP_PID" 300
ARTICLE=$(curl -fsS "http://127.0.0.1:$PORT/nyheder" | grep -o 'href="/nyheder/[a-z0-9-]*"' | head -1 | cut -d'"' -f2)
[ -n "$ARTICLE" ] || die "the demo content lacks an article"
mkdir -p "$WORK/www"
curl -fsS -o "$WORK/www/article.html" "http://127.0.0.1:$PORT$ARTICLE"
stop "$SETUP_PID"

# count PID URL CONNECTIONS LINES_FILE OUT: load URL with wrk on CPU 1,
# switch counting on in PID after 8 s and off SECONDS_MEASURED s later,
# dump its counts to OUT.1 and print how many lines LINES_FILE (the server's
# request log) gained in between: the requests counted.
count() {
    local pid=$1 url=$2 c=$3 lines=$4 out=$5 wrk_pid before after
    curl -fso /dev/null "$url"
    taskset -c 1 wrk -t1 -c"$c" -d"$((SECONDS_MEASURED + 14))"s --timeout 30s "$url" >"$WORK/wrk.log" &
    wrk_pid=$!
    sleep 8
    before=$(wc -l <"$lines")
    callgrind_control -i on "$pid" >/dev/null 2>&1
    sleep "$SECONDS_MEASURED"
    callgrind_control -i off "$pid" >/dev/null 2>&1
    after=$(wc -l <"$lines")
    wait "$wrk_pid"
    callgrind_control -d "$pid" >/dev/null 2>&1
    # The dump is written by the server's next scheduling: wait for it.
    for _ in $(seq 1 100); do
        [ -s "$out.1" ] && break
        sleep 0.2
    done
    [ -s "$out.1" ] || die "callgrind wrote no counts to $out.1"
    echo $((after - before))
}

# per_request FILE REQUESTS: "Ir D1 LL" per request from a callgrind dump,
# D1 being first-level data misses and LL the simulated core cache's
# misses (instructions and data).
per_request() {
    awk -v n="$2" '/^totals:/ { printf "%.0f %.0f %.1f\n", $2 / n, ($6 + $7) / n, ($8 + $9 + $10) / n }' "$1"
}

# measured SERVER PID PROBE URL CONNECTIONS LINES_FILE OUT: once the
# server (PID, under callgrind, writing its counts to OUT) answers PROBE,
# counts it under load (count), adds its row to $WORK/rows and stops it.
measured() {
    local server=$1 pid=$2 probe=$3 url=$4 c=$5 lines=$6 out=$7 n
    wait_ok "$probe" "$pid" 600
    log "$server under callgrind, $c connections"
    n=$(count "$pid" "$url" "$c" "$lines" "$out")
    [ "$n" -gt 0 ] || die "$server answered no request while counted at $c connections"
    echo "$c $server $n $(per_request "$out.1" "$n")" >>"$WORK/rows"
    stop "$pid"
}

: >"$WORK/rows"
for c in $CONNECTIONS; do
    # Raadhus on one CPU: one server thread, its request log to a file.
    cp -r "$WORK/site" "$WORK/data-$c"
    PORT=$(free_port)
    taskset -c 0 "${CALLGRIND[@]}" "--callgrind-out-file=$WORK/raadhus-$c" \
        "$RAADHUS" --data "$WORK/data-$c" serve --bind "127.0.0.1:$PORT" 2>"$WORK/log-raadhus-$c" &
    SERVER_PID=$!
    STARTED_PIDS+=("$SERVER_PID")
    measured raadhus "$SERVER_PID" "http://127.0.0.1:$PORT/healthz" "http://127.0.0.1:$PORT$ARTICLE" \
        "$c" "$WORK/log-raadhus-$c" "$WORK/raadhus-$c"

    # nginx: one process that serves (no master: callgrind cannot be
    # reached in a forked worker), its access log unbuffered so that its
    # lines count the requests as they are answered.
    mkdir -p "$WORK/nginx-$c"
    PORT=$(free_port)
    cat >"$WORK/nginx-$c/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
pid $WORK/nginx-$c/nginx.pid;
error_log $WORK/nginx-$c/error.log;
events { worker_connections 8192; }
http {
    access_log $WORK/nginx-$c/access.log;
    sendfile on;
    tcp_nopush off;
    open_file_cache max=1000;
    keepalive_requests 1000000;
    types { text/html html; }
    client_body_temp_path $WORK/nginx-$c/client_body;
    proxy_temp_path $WORK/nginx-$c/proxy;
    fastcgi_temp_path $WORK/nginx-$c/fastcgi;
    uwsgi_temp_path $WORK/nginx-$c/uwsgi;
    scgi_temp_path $WORK/nginx-$c/scgi;
    server { listen 127.0.0.1:$PORT; root $WORK/www; }
}
CONF
    : >"$WORK/nginx-$c/access.log"
    taskset -c 0 "${CALLGRIND[@]}" "--callgrind-out-file=$WORK/nginx-$c/cg.%p" \
        nginx -c "$WORK/nginx-$c/nginx.conf" -p "$WORK/nginx-$c" 2>"$WORK/nginx-$c/stderr.log" &
    NGINX_PID=$!
    STARTED_PIDS+=("$NGINX_PID")
    measured nginx "$NGINX_PID" "http://127.0.0.1:$PORT/article.html" "http://127.0.0.1:$PORT/article.html" \
        "$c" "$WORK/nginx-$c/access.log" "$WORK/nginx-$c/cg.$NGINX_PID"
done

# The functions with the most simulated core-cache misses in Raadhus at
# the highest connection count, per request (every function: threshold 100).
LAST=${CONNECTIONS##* }
LAST_N=$(awk -v c="$LAST" '$1 == c && $2 == "raadhus" { print $3 }' "$WORK/rows")
callgrind_annotate --auto=no --threshold=100 --show=DLmr,DLmw --sort=DLmw "$WORK/raadhus-$LAST.1" 2>/dev/null |
    awk -v n="$LAST_N" '
        /file:function/ { table = 1; next }
        !table || /^-/ || NF == 0 { next }
        {
            line = $0
            gsub(/ \([^)]*\)/, "", line)
            sub(/^ +/, "", line)
            split(line, f, " +")
            for (i = 1; i <= 2; i++) { v[i] = f[i]; gsub(/,/, "", v[i]); if (v[i] == ".") v[i] = 0 }
            name = line
            sub(/^([0-9,.]+ +){2}/, "", name)
            sub(/ \[.*$/, "", name)
            sub(/^\?\?\?:/, "", name)
            sub(/^.*\//, "", name)
            if (v[1] + v[2] >= n * 0.5)
                printf "%.3f\t| `%s` | %.1f | %.1f |\n", (v[1] + v[2]) / n, name, v[1] / n, v[2] / n
        }' | sort -t$'\t' -k1,1gr | head -12 | cut -f2- >"$WORK/functions"

{
    echo "## Cache misses a request as connections grow (simulated)"
    echo
    machine_info
    echo "- Page: the demo content's article ($(stat -c %s "$WORK/www/article.html") bytes) from Raadhus's render cache, and nginx $(nginx -v 2>&1 | sed 's|.*nginx/||') serving the same bytes (\`sendfile\`, \`open_file_cache\`, access log to a file)"
    echo "- Each server on CPU 0 under $(valgrind --version) callgrind with its cache simulation: first-level caches of 32 KiB (instructions) and 48 KiB (data), and a core cache (LL) of \`$LL\` (size, ways, line), the size of one core's second-level cache on the machines of these runs; Raadhus with one server thread, nginx with one process that serves (\`master_process off\`)"
    echo "- wrk on CPU 1, 1 thread, keep-alive; counted for ${SECONDS_MEASURED} s after 8 s of load; requests counted from each server's log lines written meanwhile"
    echo "- Per request, in the server's own code only (the kernel is not simulated): instructions, first-level data misses, and core-cache misses (instructions and data; each is a trip to the shared third-level cache or to memory)"
    echo
    echo "| Connections | Server | Requests counted | Instructions a request | First-level data misses a request | Core-cache misses a request |"
    echo "|---:|---|---:|---:|---:|---:|"
    awk '{ printf "| %s | %s | %s | %s | %s | **%s** |\n", $1, $2, $3, $4, $5, $6 }' "$WORK/rows"
    echo
    echo "Raadhus at $LAST connections: the functions with the most core-cache misses, per request (reads, writes):"
    echo
    echo "| Function | Read misses | Write misses |"
    echo "|---|---:|---:|"
    cat "$WORK/functions"
} >"$WORK/section"
write_section cache-misses "$WORK/section"
cat "$WORK/section"
