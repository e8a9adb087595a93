#!/usr/bin/env bash
# Runs every benchmark in turn with its defaults (about 15 minutes on two
# cores once built and prepared); each updates its
# section of bench/RESULTS.md. Variables of the scripts pass through.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
./load.sh
./render.sh
./startup.sh
./import.sh
