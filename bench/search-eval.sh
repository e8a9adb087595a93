#!/usr/bin/env bash
# Search quality measured (issue 20): the evaluation sets of
# bench/search-eval/ (queries with the items they must find) asked of the
# real application in-process through /api/v1/search, scored as recall@10
# and MRR@10 per category, on the demo content and on a synthetic set of
# ITEMS articles with known items put in; then the time of the search page
# /soeg?q=… for every query at that size (release build, render cache off).
# Writes the "search-eval" section of bench/RESULTS.md.
#
#   bench/search-eval.sh
#   ITEMS=10000 REPS=3 bench/search-eval.sh
#
# ITEMS  articles of the synthetic set (100000)
# REPS   timed rounds of every query through /soeg and the API (10)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COMMAND=$(command_line ITEMS REPS)
ITEMS=${ITEMS:-100000}
REPS=${REPS:-10}
EVAL=$TARGET_DIR/release/search_eval

log "cargo build --release (search_eval)"
(cd "$ROOT" && cargo build --release -q -p raadhus-bench --bin search_eval)
log "the demo content"
"$EVAL" demo | tee "$WORK/demo"
log "the synthetic set ($ITEMS articles, prepared once under bench/data), then $REPS timed rounds"
"$EVAL" synthetic "$ITEMS" "$REPS" | tee "$WORK/synthetic"

{
    echo "## Search quality and search time (issue 20)"
    echo
    machine_info
    echo "- Queries: \`bench/search-eval/demo.tsv\` (on the demo content) and \`bench/search-eval/synthetic.tsv\` (on \`synth eval-export $ITEMS\`: the synthetic municipality with the articles and websites of \`bench/search-eval/synthetic-targets.toml\` in place of generated ones), each with the items a citizen would want in the first ten results, written from the content, not from what the engine returns"
    echo "- How: \`search_eval\` builds the application in-process on SQLite (\`Application::build\`, router, \`oneshot\`) and asks \`/api/v1/search?q=…\` (first page, 10 results; editors' recommended results not counted). recall@10: the share of a query's must-find items among its first 10 results (of at most 10 items), averaged; MRR@10: the mean of 1/rank of the first must-find item (0 when none is in the first 10). Categories: plain and page (a word of the item), compound (a part of a compound, or a compound of its words), typo, multi-word, ascii (æ, ø, å typed as ae, oe, aa; é as e), directory (the websites), document (the PDF)"
    echo
    cat "$WORK/demo" "$WORK/synthetic"
} >"$WORK/section"
write_section search-eval "$WORK/section"
