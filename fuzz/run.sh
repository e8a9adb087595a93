#!/bin/sh
# Runs every fuzz target in turn, each for SECONDS (default 600), one at a
# time, with its working corpus in corpus/<target> (not in git) seeded from
# seeds/<target>. Logs go to LOGS (default /tmp/fuzzlogs). See docs/fuzzing.md.
set -u
cd "$(dirname "$0")"
SECONDS_EACH=${SECONDS_EACH:-600}
LOGS=${LOGS:-/tmp/fuzzlogs}
TARGETS=${*:-render_body slug phone date import search_query}
mkdir -p "$LOGS"
cargo +nightly fuzz build --sanitizer none --debug-assertions || exit 1
status=0
for t in $TARGETS; do
    mkdir -p "corpus/$t"
    dict=""
    [ -f "dicts/$t.dict" ] && dict="-dict=dicts/$t.dict"
    echo "== $t: $(date -u +%FT%TZ)" | tee -a "$LOGS/summary.txt"
    cargo +nightly fuzz run --sanitizer none --debug-assertions "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$SECONDS_EACH" -print_final_stats=1 $dict >"$LOGS/$t.log" 2>&1
    rc=$?
    [ $rc -ne 0 ] && status=1
    echo "   exit $rc; $(grep -E '^#[0-9]+' "$LOGS/$t.log" | tail -n 1)" | tee -a "$LOGS/summary.txt"
    grep -E '^(stat::|Done )' "$LOGS/$t.log" | sed 's/^/   /' | tee -a "$LOGS/summary.txt"
done
exit $status
