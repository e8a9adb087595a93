#!/usr/bin/env bash
# Uncached render time of an article page and a search page, and of the
# search-index query alone, over data sets of 1,000 / 10,000 / 100,000
# articles (divan, in-process, the real application). Writes the "render"
# section of bench/RESULTS.md.
#
#   bench/render.sh
#   BENCH_SIZES=1000,10000 bench/render.sh
#
# BENCH_SIZES  comma-separated data set sizes (1000,10000,100000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line BENCH_SIZES)
export BENCH_SIZES=${BENCH_SIZES:-1000,10000,100000}

build
log "preparing the data sets ($BENCH_SIZES)"
for n in ${BENCH_SIZES//,/ }; do
    prepare "$n" >/dev/null
done
log "cargo bench -p raadhus-bench --bench render"
(cd "$ROOT" && cargo bench -q -p raadhus-bench --bench render) | tee "$WORK/divan"
IFS=$'\t' read -r ARTICLE WORD < <("$SYNTH" probe)

# The median of each benchmark and size, in ms, from divan's tree.
awk '
    function ms(value, unit) {
        if (unit == "ns") return value / 1e6
        if (unit == "µs" || unit == "us") return value / 1e3
        if (unit == "ms") return value
        return value * 1e3
    }
    /^(├|╰)─ / { bench = $2; next }
    /^(│|  ) *(├|╰)─ [0-9]/ {
        split($0, columns, "│")
        # The line starts with "│" under all but the last benchmark.
        first = (substr($0, 1, 1) == " ") ? 1 : 2
        split(columns[first + 2], median, " ")
        n = split(columns[first], head, " ")
        printf "%s %s %.4f\n", bench, head[2], ms(median[1], median[2])
    }' "$WORK/divan" >"$WORK/medians"
[ -s "$WORK/medians" ] || die "no results found in the divan output"

{
    echo "## Render time, uncached, in-process (divan)"
    echo
    machine_info
    echo "- Data: synthetic data sets imported into SQLite; the article is \`$ARTICLE\` (the same in every set); the search is \`/soeg?q=$WORD\`"
    echo "- What is timed: \`GET\` through the application's router (\`Application::build\`, \`router()\`, \`oneshot\`) including every middleware, body read to the end, status checked to be 200; \`search_index_only\` is \`SearchIndex::search\` for the same word on an index of the same documents"
    echo
    echo "Median time per request (ms):"
    echo
    sizes=$(awk '{ print $2 }' "$WORK/medians" | sort -nu | tr '\n' ' ')
    printf '| Benchmark |'
    for n in $sizes; do printf ' %s articles |' "$n"; done
    printf ' Growth, largest/smallest |\n|---|'
    for _ in $sizes; do printf -- '---:|'; done
    printf -- '---:|\n'
    awk -v sizes="$sizes" '
        { t[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; order[++count] = $1 } }
        END {
            n = split(sizes, s, " ")
            for (i = 1; i <= count; i++) {
                b = order[i]; line = "| `" b "` |"
                for (j = 1; j <= n; j++) line = line sprintf(" %.3f |", t[b, s[j]])
                printf "%s %.1f× |\n", line, t[b, s[n]] / t[b, s[1]]
            }
        }' "$WORK/medians"
    echo
    echo "divan's output:"
    echo
    echo '```text'
    cat "$WORK/divan"
    echo '```'
} >"$WORK/section"
write_section render "$WORK/section"
