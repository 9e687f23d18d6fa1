#!/usr/bin/env bash
# Pasting into search (BENCHMARKS.md, "## Pasting into search"): a 100 KB bracketed paste into the
# console's search field in a pseudo-terminal, and the same text typed as keystrokes.
# Usage: scripts/bench-paste.sh        (CONFIG=debug to skip the release build; RUNS=n, KB=n)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
swift build -c "$CONFIG" --product handlet >/dev/null
BIN=$PWD/.build/$CONFIG/handlet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BIN" demo --calls 2000 --messages 6000 --seed 7 --db "$dir/demo.sqlite" >/dev/null
HOME=$dir python3 scripts/bench-paste.py --db "$dir/demo.sqlite" --binary "$BIN" --runs "${RUNS:-20}" --kilobytes "${KB:-100}"
