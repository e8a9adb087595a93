#!/usr/bin/env bash
# `raadhus import` of the synthetic export with 100,000 articles into a fresh
# data directory: wall time and peak memory (/usr/bin/time -v). Writes the
# "import" section of bench/RESULTS.md.
#
#   bench/import.sh
#   ITEMS=10000 REPS=1 bench/import.sh
#
# ITEMS  articles in the export file (100000)
# REPS   imports, each into a fresh data directory; medians are shown (3)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line ITEMS REPS)
ITEMS=${ITEMS:-100000}
REPS=${REPS:-3}

ensure_commands /usr/bin/time:time
build
t0=$(date +%s%N)
file=$("$SYNTH" export "$ITEMS")
log "export file $file ready after $((($(date +%s%N) - t0) / 1000000)) ms"

: >"$WORK/rows"
for rep in $(seq 1 "$REPS"); do
    dir="$WORK/data-$rep"
    log "import $rep of $REPS"
    /usr/bin/time -v "$RAADHUS" --data "$dir" import "$file" 2>"$WORK/time-$rep" >/dev/null ||
        die "import failed: $(cat "$WORK/time-$rep")"
    awk -v db="$(du -sm "$dir" | cut -f1)" '
        /Elapsed \(wall clock\) time/ {
            n = split($NF, t, ":"); s = 0
            for (i = 1; i <= n; i++) s = s * 60 + t[i]
            wall = s
        }
        /Maximum resident set size/ { rss = $NF / 1024 }
        /User time/ { user = $NF }
        /System time/ { sys = $NF }
        END { printf "%.2f %.1f %.2f %.2f %s\n", wall, rss, user, sys, db }' "$WORK/time-$rep" >>"$WORK/rows"
    grep -h '^imported' "$WORK/time-$rep" >"$WORK/imported" || true
    rm -rf "$dir"
done

col() { awk -v c="$1" '{ print $c }' "$WORK/rows" | median; }
all() { awk -v c="$1" '{ printf "%s%s", sep, $c; sep = ", " }' "$WORK/rows"; }
{
    echo "## Import"
    echo
    machine_info
    echo "- File: \`bench/data/$(basename "$file")\`, $(du -m "$file" | cut -f1) MiB: $(sed 's/^imported //' "$WORK/imported")"
    echo "- Each run: \`/usr/bin/time -v raadhus --data NEW_DIR import FILE\` into a fresh data directory (SQLite); $REPS runs, medians (every run in parentheses)"
    echo
    echo "| Articles | Wall time (s) | Peak RSS (MiB) | User CPU (s) | System CPU (s) | Data directory after (MiB) |"
    echo "|---:|---:|---:|---:|---:|---:|"
    echo "| $ITEMS | $(col 1) ($(all 1)) | $(col 2) ($(all 2)) | $(col 3) | $(col 4) | $(col 5) |"
} >"$WORK/section"
write_section import "$WORK/section"
cat "$WORK/section"
