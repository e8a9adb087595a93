# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
RAADHUS=$TARGET_DIR/release/raadhus
SYNTH=$TARGET_DIR/release/synth
RESULTS=$BENCH_DIR/RESULTS.md
# Processes started by the script, stopped by cleanup.
STARTED_PIDS=()
# Commands run by cleanup after the processes are stopped (see on_exit).
EXIT_COMMANDS=()
WORK=$(mktemp -d -t raadhus-bench.XXXXXX)
# Other work on the machine skews the numbers: say how busy it was.
LOADAVG_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() {
    echo "$(basename "$0"): $*" >&2
    exit 1
}

cleanup() {
    local pid
    for pid in "${STARTED_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    local command
    for command in "${EXIT_COMMANDS[@]}"; do
        eval "$command" || true
    done
    rm -rf "$WORK"
}

# on_exit COMMAND: runs COMMAND (a shell string) when the script ends, after
# the processes it started are stopped.
on_exit() { EXIT_COMMANDS+=("$1"); }

# pause_processes NAME...: stops (SIGSTOP) every process whose command name
# is NAME until the script ends, then continues it (SIGCONT): for services
# of the machine that are not measured but wake in bursts and would take
# the CPUs in the middle of a run (bench/README.md, "Services on the
# machine"). A script killed with SIGKILL leaves them stopped: `kill -CONT`.
# Refuses the script's own processes and those it started.
# Sets PAUSED, which machine_info reports.
PAUSED=()
pause_processes() {
    local name pid pids id ours="$$ ${STARTED_PIDS[*]}"
    for name in "$@"; do
        pids=$(pgrep -x "$name") || die "PAUSE names $name, but no process of that name runs"
        # Never the script or what it measures (PAUSE=bash or PAUSE=nginx
        # would stop the run for good): all are checked before any stops.
        for pid in $pids; do
            for id in "$pid" $(ps -o ppid= -p "$pid"); do
                case " $ours " in *" $id "*) die "PAUSE names $name, which the script runs itself" ;; esac
            done
        done
        for pid in $pids; do
            kill -STOP "$pid" || die "cannot pause $name (process $pid)"
            on_exit "kill -CONT $pid"
        done
        PAUSED+=("$name")
    done
    [ "${#PAUSED[@]}" -eq 0 ] || log "paused until the script ends: ${PAUSED[*]}"
}

trap cleanup EXIT
trap 'exit 130' INT TERM

# The variables given in the environment, then the script: the exact command.
# Call before setting defaults.
command_line() {
    local var line=""
    for var in "$@"; do
        if [ -n "${!var+x}" ]; then
            line+="$var=$(printf '%q' "${!var}") "
        fi
    done
    echo "${line}bench/$(basename "$0")"
}

# ensure_commands CMD:PACKAGE...: installs the Debian packages of missing
# commands. Package scripts are kept from starting services (the nginx
# package would start the system's nginx on port 80).
ensure_commands() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "needs ${missing[*]}: run apt-get install -y ${missing[*]} as root"
    log "installing ${missing[*]}"
    local policy=/usr/sbin/policy-rc.d own_policy=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod +x "$policy"
        own_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    local status=0
    apt-get install -y "${missing[@]}" >&2 ||
        { apt-get update >&2 && apt-get install -y "${missing[@]}" >&2; } || status=$?
    if [ -n "$own_policy" ]; then
        rm -f "$policy"
    fi
    return "$status"
}

# Builds the release binaries (raadhus and synth); a no-op when up to date.
build() {
    log "cargo build --release (raadhus, synth)"
    (cd "$ROOT" && cargo build --release -q -p raadhus -p raadhus-bench --bins)
}

# The data directory of the data set with $1 articles, prepared once.
prepare() { "$SYNTH" prepare "$1"; }

# A free loopback TCP port.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free port found"
}

# start_raadhus DIR PORT LOG [ARGS...]: starts `raadhus serve` (with ARGS,
# such as --database-url); sets SERVER_PID.
start_raadhus() {
    "$RAADHUS" --data "$1" serve --bind "127.0.0.1:$2" --no-demo "${@:4}" 2>>"$3" &
    SERVER_PID=$!
    STARTED_PIDS+=("$SERVER_PID")
}

# timed_reindex DIR LOG [ARGS...]: `raadhus reindex` of DIR (with ARGS,
# such as --database-url); sets REINDEX_S, its wall time in seconds.
timed_reindex() {
    local t0 t1
    t0=$(date +%s%N)
    "$RAADHUS" --data "$1" reindex "${@:3}" 2>"$2" || die "reindex failed: $(tail -5 "$2")"
    t1=$(date +%s%N)
    REINDEX_S=$(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.1f", ns / 1e9 }')
}

# timed_start DIR LOG [ARGS...]: starts `raadhus serve` on DIR (with ARGS) on
# a free port and waits until /healthz answers 200; sets URL, SERVER_PID and
# FIRST_200_MS, the time from spawning it to that 200.
timed_start() {
    local t0 port
    port=$(free_port)
    URL="http://127.0.0.1:$port"
    t0=$(date +%s%N)
    start_raadhus "$1" "$port" "$2" "${@:3}"
    wait_ok "$URL/healthz" "$SERVER_PID" 900
    FIRST_200_MS=$((($(date +%s%N) - t0) / 1000000))
}

# wait_ok URL PID TIMEOUT_S: polls URL until it answers 200, as long as PID
# lives, for at most TIMEOUT_S seconds.
wait_ok() {
    local deadline=$((SECONDS + $3))
    until curl -fso /dev/null --max-time 30 "$1"; do
        kill -0 "$2" 2>/dev/null || die "the server (pid $2) exited before answering $1"
        [ "$SECONDS" -lt "$deadline" ] || die "$1 did not answer 200 within $3 s"
    done
}

# upload_photo DATA URL: makes an editor and a token on the data directory
# DATA, uploads a 2400x1600 PNG photo to the server at URL through the API
# and prints the path of its card variant (800 pixels wide, WebP).
upload_photo() {
    echo "en lang adgangskode til benchmarket" |
        "$RAADHUS" --log warn --data "$1" user add --email bench@lyngholm.example \
            --name Benchmark --role editor --password-stdin >/dev/null
    local token
    token=$("$RAADHUS" --log warn --data "$1" token create --user bench@lyngholm.example --name bench)
    python3 "$BENCH_DIR/make_image.py" 2400 1600 "$WORK/havnen.png"
    curl -fsS -H "Authorization: Bearer $token" \
        -F "file=@$WORK/havnen.png;filename=havnen.png" \
        -F "alt=Fiskerbåde i havnen ved solopgang" -F "caption=Havnen en vintermorgen" \
        -o "$WORK/media.json" "$2/api/v1/media" || die "the upload was refused"
    python3 - "$WORK/media.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
hash16 = m["url"].split("/")[3]
print(f"/medier/{m['id']}/{hash16}-{m['focal_x']}-{m['focal_y']}-v1/kort-800.webp")
PY
}

stop() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# VmRSS or VmHWM (peak) of a process in MiB: rss_mib PID [VmRSS|VmHWM].
rss_mib() {
    awk -v key="${2:-VmRSS}:" '$1 == key { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# CPU time a process has used so far, in clock ticks (user + system).
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# The median of the numbers on stdin.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.10g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The header of a results section: when, where, how.
machine_info() {
    local cpu mem dirty=""
    cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    git -C "$ROOT" diff --quiet HEAD -- crates 2>/dev/null || dirty=" (with uncommitted changes in crates/)"
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- Machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, $(uname -sr)"
    echo "- Raadhus: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$dirty, release build"
    echo "- Command: \`$COMMAND\`"
    echo "- Load average (1, 5, 15 min) when the script started: $LOADAVG_AT_START"
    if [ "${#PAUSED[@]}" -gt 0 ]; then
        echo "- Stopped during the measurement (\`PAUSE\`, SIGSTOP until the script ended): ${PAUSED[*]}"
    fi
}

# write_section NAME FILE: puts FILE's text between `<!-- NAME:begin -->` and
# `<!-- NAME:end -->` in RESULTS.md, replacing what was there.
write_section() {
    local begin="<!-- $1:begin -->" end="<!-- $1:end -->"
    [ -f "$RESULTS" ] || printf '# Benchmark results\n' >"$RESULTS"
    if grep -qxF "$begin" "$RESULTS"; then
        awk -v b="$begin" -v e="$end" -v f="$2" '
            $0 == b { print; while ((getline line < f) > 0) print line; skip = 1; next }
            $0 == e { skip = 0 }
            !skip { print }' "$RESULTS" >"$RESULTS.tmp"
        mv "$RESULTS.tmp" "$RESULTS"
    else
        { printf '\n%s\n' "$begin"; cat "$2"; printf '%s\n' "$end"; } >>"$RESULTS"
    fi
    log "wrote the $1 section of $RESULTS"
}

# start_nginx PROBE TYPES [DIRECTIVES]: nginx with its own configuration,
# serving the files of $WORK/www as a static file server does (access log to
# a file, sendfile, keep-alive; each worker pinned to a CPU of its own, as
# Raadhus pins its server threads): TYPES is the body of its `types` block,
# DIRECTIVES extra lines of its server block. Sets NGINX_PID and N (its base
# URL) and waits until N/PROBE answers.
start_nginx() {
    local probe=$1 types=$2 directives=${3:-} port
    mkdir -p "$WORK/nginx"
    # Started as root, nginx's workers run as nobody: let them read the files.
    chmod a+x "$WORK"
    chmod -R a+rX "$WORK/www"
    port=$(free_port)
    cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
worker_cpu_affinity auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 8192; }
http {
    access_log $WORK/nginx/access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types { $types }
    client_body_temp_path $WORK/nginx/client_body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$port;
        root $WORK/www;
        $directives
    }
}
CONF
    nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>"$WORK/nginx/test.log" ||
        die "nginx configuration: $(cat "$WORK/nginx/test.log")"
    nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>>"$WORK/nginx/stderr.log" &
    NGINX_PID=$!
    STARTED_PIDS+=("$NGINX_PID")
    N="http://127.0.0.1:$port"
    wait_ok "$N/$probe" "$NGINX_PID" 30
}

# measure LABEL URL CONNECTIONS ROUND [WRK_ARGS...]: a warm-up, then a
# measured wrk run (extra wrk arguments, such as headers, after ROUND);
# appends "connections label round requests/s p50_ms p99_ms errors requests
# mean_ms" to $WORK/runs, and the requests of both runs to $WORK/answered.LABEL.
measure() {
    local label=$1 url=$2 connections=$3 round=$4 threads=2 warm line
    shift 4
    [ "$connections" -ge 2 ] || threads=1
    log "$label with $connections connections (round $round)"
    warm=$(wrk -t"$threads" -c"$connections" -d"$WARMUP"s --timeout 10s "$@" \
        -s "$BENCH_DIR/wrk.lua" "$url" | grep '^WRK_RESULT') || die "wrk gave no result for $url"
    line=$(wrk -t"$threads" -c"$connections" -d"$DURATION"s --timeout 10s "$@" \
        -s "$BENCH_DIR/wrk.lua" "$url" | grep '^WRK_RESULT') || die "wrk gave no result for $url"
    printf '%s\n%s\n' "$warm" "$line" | sed 's/.* requests=\([0-9]*\) .*/\1/' >>"$WORK/answered.$label"
    awk -v c="$connections" -v label="$label" -v round="$round" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        errors = v["connect"] + v["read"] + v["write"] + v["status"] + v["timeout"]
        printf "%s %s %s %.1f %.3f %.3f %d %d %.3f\n", c, label, round, v["requests"] / (v["duration_us"] / 1e6),
            v["p50_us"] / 1000, v["p99_us"] / 1000, errors, v["requests"], v["mean_us"] / 1000
    }' <<<"$line" >>"$WORK/runs"
}

# ensure_oha: sets OHA to oha, a load generator that sends requests at a
# fixed rate (wrk2 is not in Debian); installed with cargo into
# $TARGET_DIR/oha the first time (a few minutes; needs libssl-dev).
ensure_oha() {
    OHA=$(command -v oha || true)
    [ -n "$OHA" ] && return 0
    OHA=$TARGET_DIR/oha/bin/oha
    [ -x "$OHA" ] && return 0
    log "cargo install oha 1.16.0 into $TARGET_DIR/oha"
    cargo install oha --locked --version 1.16.0 --no-default-features --features native-tls \
        --root "$TARGET_DIR/oha" >&2 || die "cannot install oha (it needs libssl-dev and pkg-config)"
}

# measure_rate LABEL URL CONNECTIONS RATE ROUND: one oha run sending
# RATE × (WARMUP + DURATION) requests at RATE a second over CONNECTIONS
# keep-alive connections whatever the server's pace, each request timed
# from when it was due (--latency-correction; oha takes the moment it
# queues a request as its due time), and waiting for every answer (10 s
# at most each). Counted are the requests due from WARMUP seconds after
# the first on, on connections already open (a run's first moments, while
# it opens every connection, are not what a page costs); a request that
# failed or got no answer counts as slower than every answer. Appends
# "connections label round rate requests/s p50_ms p99_ms errors failed"
# to $WORK/rate-runs.
measure_rate() {
    local label=$1 url=$2 connections=$3 rate=$4 round=$5
    log "$label at $rate requests/s over $connections connections (round $round)"
    rm -f "$WORK/oha.db"
    "$OHA" -n "$((rate * (WARMUP + DURATION)))" -c "$connections" -q "$rate" --latency-correction \
        -t 10s --no-tui --output-format quiet --db-url "$WORK/oha.db" "$url" >/dev/null 2>&1 ||
        die "oha failed for $url"
    python3 - "$connections" "$label" "$round" "$rate" "$WARMUP" "$DURATION" "$WORK/oha.db" \
        >>"$WORK/rate-runs" <<'PY' || die "oha gave no result for $url"
import math
import sqlite3
import sys

connections, label, round_, rate, warmup, duration, path = sys.argv[1:]
# Each row an answer: when its request was due, when it was read, its status.
rows = sqlite3.connect(path).execute(
    "SELECT start_latency_correction, end, status FROM oha ORDER BY start_latency_correction"
).fetchall()
if not rows:
    sys.exit(f"no request of {label} was answered")
# oha records only the requests that got an answer.
failed = int(rate) * (int(warmup) + int(duration)) - len(rows)
start = rows[0][0] + float(warmup)
counted = [(due, done, status) for due, done, status in rows if due >= start]
answered = sorted(1000 * (done - due) for due, done, status in counted if status == 200)
errors = sum(1 for _, _, status in counted if status != 200)
if not answered:
    sys.exit(f"no request of {label} was answered after the warm-up")
# Percentiles over every request counted, those without an answer the slowest.
latencies = answered + [math.inf] * (errors + failed)


def percentile(p):
    return latencies[min(len(latencies) - 1, math.ceil(p * len(latencies)) - 1)]


# Answers a second, from the first due counted to the last answer read.
served = len(answered) / max(max(done for _, done, _ in counted) - start, 1e-9)
print(connections, label, round_, rate, "%.1f" % served,
      "%.3f" % percentile(0.50), "%.3f" % percentile(0.99), errors, failed)
PY
}

# steal_ticks: the machine's steal time so far (CPU time the hypervisor
# gave to other guests while this one had work) and all its CPU time, in
# clock ticks, from /proc/stat.
steal_ticks() {
    awk '/^cpu / { total = 0; for (i = 2; i <= 9; i++) total += $i; print $9, total; exit }' /proc/stat
}

# steady FILE KEY COMMAND...: runs COMMAND, which measures a pair of runs
# and appends their lines to FILE, and again (up to RETRIES more times)
# while the hypervisor took more than MAX_STEAL % of the CPUs' time during
# it: on a shared host such a pair measures the neighbours, not the
# servers (bench/RESULTS.md, "Steal time on an Intel instance"). The lines
# of a pair run again are taken out of FILE; "KEY steal_percent tries" of
# the pair kept is appended to $WORK/steal.
steady() {
    local file=$1 key=$2 tries=0 lines before after percent
    shift 2
    touch "$file"
    while :; do
        lines=$(wc -l <"$file")
        before=$(steal_ticks)
        "$@"
        after=$(steal_ticks)
        tries=$((tries + 1))
        percent=$(awk -v b="$before" -v a="$after" 'BEGIN {
            split(b, x, " "); split(a, y, " ")
            printf "%.1f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0 }')
        if awk -v p="$percent" -v m="$MAX_STEAL" 'BEGIN { exit !(p <= m) }' || [ "$tries" -gt "$RETRIES" ]; then
            break
        fi
        log "steal was $percent % of the CPUs' time during the pair: measuring it again"
        head -n "$lines" "$file" >"$file.kept"
        mv "$file.kept" "$file"
    done
    echo "$key $percent $tries" >>"$WORK/steal"
}

# ratio_table A B: the rows of a results table from $WORK/runs (see
# measure): per connection count and label the requests done, requests/s
# (mean of the rounds, lowest and highest), p50, p99 and errors, and for A
# the ratio A/B of the means, with the lowest and highest ratio of one
# round's pair of runs.
ratio_table() {
    awk -v a="$1" -v b="$2" '
        {
            key = $1 SUBSEP $2
            if (!(key in n)) { keys[++count] = key; conn[key] = $1; name[key] = $2 }
            n[key]++; rps[key] += $4; p50[key] += $5; p99[key] += $6; err[key] += $7; done[key] += $8
            if (!(key in lo) || $4 < lo[key]) lo[key] = $4
            if (!(key in hi) || $4 > hi[key]) hi[key] = $4
            round[$1 SUBSEP $2 SUBSEP $3] = $4
            rounds[$1] = ($3 > rounds[$1]) ? $3 : rounds[$1]
        }
        END {
            for (i = 1; i <= count; i++) {
                k = keys[i]; rps[k] /= n[k]; p50[k] /= n[k]; p99[k] /= n[k]
            }
            for (i = 1; i <= count; i++) {
                k = keys[i]; c = conn[k]
                ratio = ""
                if (name[k] == a) {
                    rlo = ""; rhi = ""
                    for (r = 1; r <= rounds[c]; r++) {
                        nb = round[c SUBSEP b SUBSEP r]
                        if (nb <= 0) continue
                        q = round[c SUBSEP a SUBSEP r] / nb
                        if (rlo == "" || q < rlo) rlo = q
                        if (rhi == "" || q > rhi) rhi = q
                    }
                    kb = c SUBSEP b
                    ratio = (rps[kb] > 0) ? sprintf("**%.2f** (%.2f–%.2f)", rps[k] / rps[kb], rlo, rhi) : "–"
                }
                printf "| %s | %s | %d | %.0f (%.0f–%.0f) | %.2f | %.2f | %d | %s |\n", c, name[k], done[k], rps[k],
                    lo[k], hi[k], p50[k], p99[k], err[k], ratio
            }
        }' "$WORK/runs"
}
