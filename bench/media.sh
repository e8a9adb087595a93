#!/usr/bin/env bash
# A cached image variant served by Raadhus beside nginx serving the same
# bytes as a static file (issue 17; target: Raadhus/nginx >= 1.0 in
# requests/s). Writes the "media" section of bench/RESULTS.md.
#
# Raadhus starts on an empty data directory; a photo-like PNG (2400x1600,
# made by bench/make_image.py) is uploaded through the API
# (`POST /api/v1/media`), one variant (`kort-800.webp`, the card crop at 800
# pixels in WebP, as news lists show it) is requested once so that Raadhus
# makes and caches it, and the bytes it cached on disk are copied to a
# directory nginx serves. wrk then asks both for them, alternately.
#
#   bench/media.sh                      # defaults below
#   DURATION=3 ROUNDS=1 bench/media.sh
#
# DURATION     seconds of each measured wrk run (8)
# WARMUP       seconds of the warm-up run before each measured run (2)
# ROUNDS       measured runs of Raadhus and of nginx per connection count,
#              alternating (R N, N R, ...) (3)
# CONNECTIONS  connection counts (1 64)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line DURATION WARMUP ROUNDS CONNECTIONS)
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-1 64}

ensure_commands wrk:wrk nginx:nginx curl:curl python3:python3
build

# Raadhus on an empty site, logging every request to a file as nginx does.
DATA=$WORK/data
mkdir -p "$DATA"
RAADHUS_PORT=$(free_port)
log "starting raadhus on 127.0.0.1:$RAADHUS_PORT"
start_raadhus "$DATA" "$RAADHUS_PORT" "$WORK/raadhus.log"
RAADHUS_PID=$SERVER_PID
R="http://127.0.0.1:$RAADHUS_PORT"
wait_ok "$R/healthz" "$RAADHUS_PID" 120

# An editor with an API token (the CLI writes to the same database).
VARIANT=$(upload_photo "$DATA" "$R")
log "warming $VARIANT"
curl -fsS -o "$WORK/variant.webp" "$R$VARIANT" || die "$VARIANT is not served"
CACHED=$(find "$DATA/media-cache/variants" -path '*-kort/800.webp' | head -n 1)
[ -n "$CACHED" ] || die "no cached variant under $DATA/media-cache"
cmp -s "$CACHED" "$WORK/variant.webp" || die "Raadhus served other bytes than it cached"

# nginx with its own configuration, serving the cached bytes as a static file
# with the headers Raadhus sends.
mkdir -p "$WORK/www"
cp "$CACHED" "$WORK/www/variant.webp"
start_nginx variant.webp "image/webp webp;" \
    'add_header Cache-Control "public, max-age=31536000, immutable"; add_header X-Content-Type-Options nosniff;'
N="$N/variant.webp"
curl -fsS "$N" | cmp -s - "$WORK/variant.webp" || die "nginx does not serve the variant's bytes"
curl -fsS "$R$VARIANT" | cmp -s - "$WORK/variant.webp" || die "Raadhus does not serve the variant's bytes"

started=$SECONDS
for c in $CONNECTIONS; do
    for round in $(seq 1 "$ROUNDS"); do
        if [ $((round % 2)) -eq 1 ]; then
            measure raadhus "$R$VARIANT" "$c" "$round"
            measure nginx "$N" "$c" "$round"
        else
            measure nginx "$N" "$c" "$round"
            measure raadhus "$R$VARIANT" "$c" "$round"
        fi
    done
done
log "measured in $((SECONDS - started)) s"

bytes=$(stat -c %s "$WORK/www/variant.webp")
{
    echo "## Media: a cached image variant, Raadhus beside nginx (wrk)"
    echo
    machine_info
    echo "- The file: a 2400×1600 PNG uploaded through \`POST /api/v1/media\`; the variant \`$VARIANT\` (card crop, 800 pixels wide, WebP, $bytes bytes), made on its first request and then served from Raadhus's disk cache"
    echo "- nginx $(nginx -v 2>&1 | sed 's|.*nginx/||'): \`worker_processes auto\`, \`worker_cpu_affinity auto\`, \`sendfile on\`, access log to a file, serving the bytes Raadhus cached (copied from its data directory) with the same \`Cache-Control\` and \`X-Content-Type-Options\` headers; Raadhus: \`raadhus serve\`, every request logged to a file"
    echo "- Each run: ${WARMUP} s warm-up, then ${DURATION} s measured; wrk with 2 threads (1 at 1 connection), keep-alive; $ROUNDS rounds per connection count, Raadhus and nginx alternating (R N, N R, …)"
    echo "- wrk, Raadhus and nginx share the same $(nproc) CPUs; loopback only"
    echo "- Ratio: Raadhus/nginx requests/s of the mean of the rounds; in parentheses the lowest and highest ratio of one round's pair of runs"
    echo
    echo "| Connections | Server | Requests done | Requests/s (mean, min–max) | p50 (ms) | p99 (ms) | Errors | Ratio R/N (rounds' range) |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|"
    ratio_table raadhus nginx
} >"$WORK/section"
write_section media "$WORK/section"
cat "$WORK/section"
