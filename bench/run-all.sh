#!/usr/bin/env bash
# Runs every benchmark in turn with its defaults (about 25 minutes on two
# cores, plus the first preparation of the data sets); each updates its
# section of bench/RESULTS.md. Variables of the scripts pass through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./load.sh
./render.sh
./startup.sh
./import.sh
