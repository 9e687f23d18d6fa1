#!/usr/bin/env bash
# Auto-Send decision function benchmark (BENCHMARKS.md, "## Auto-Send"): evaluations per second
# of AutoSendDecider.decide over a mixed set of drafts, contacts, recent sends and clock times.
# Usage: scripts/bench-autosend.sh [EVALUATIONS]     (CONFIG=debug to skip the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
swift build -c "$CONFIG" --product handlet-autosend-bench >/dev/null
".build/$CONFIG/handlet-autosend-bench" "${1:-2000000}"
