#!/usr/bin/env bash
# Compliance benchmark for BENCHMARKS.md `## Compliance (issue 13)`: `handlet compliance --json`
# on the 1M-call, 3M-message workspace (the special-category count goes through the FTS indexes).
#
# Usage: scripts/bench-compliance.sh [SOURCE.sqlite] [BINARY]
#   SOURCE  default /work/bench-data/1m.sqlite; never written: it is copied first, and the copy is
#           migrated to this schema (compliance reads read-only and refuses an older schema).
#   BINARY  default .build/release/handlet (build it with `swift build -c release --product handlet`);
#           pass .build/debug/handlet for an upper bound.
# Prints each run's wall time and the median of 7 (after one warm-up), then removes the copy.
set -euo pipefail
cd "$(dirname "$0")/.."
source_db="${1:-/work/bench-data/1m.sqlite}"
binary="${2:-.build/release/handlet}"
runs="${HANDLET_BENCH_RUNS:-7}"
[[ -x "$binary" ]] || { echo "no binary at $binary" >&2; exit 66; }
[[ -f "$source_db" ]] || { echo "no workspace at $source_db" >&2; exit 66; }
work="$(mktemp -d "${TMPDIR:-/tmp}/handlet-bench-compliance.XXXXXX")"
trap 'rm -rf "$work"' EXIT
copy="$work/workspace.sqlite"
cp "$source_db" "$copy"
owner="$(sqlite3 "$copy" "SELECT email FROM users WHERE role = 'owner' AND disabled = 0 ORDER BY id LIMIT 1")"
# The first change migrates (timed on its own: a one-off per workspace) and loads the shipped notices.
start=$(date +%s.%N)
"$binary" notices import --shipped --db "$copy" --user "$owner" > /dev/null
echo "migrate + import shipped notices: $(echo "$(date +%s.%N) - $start" | bc) s"
"$binary" compliance --json --db "$copy" > "$work/report.json" 2>/dev/null || true   # warm-up; exit 1 when a duty fails
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$binary" compliance --json --db "$copy" > /dev/null 2>&1 || true
  times+=("$(echo "$(date +%s.%N) - $start" | bc)")
done
printf 'run: %s s\n' "${times[@]}"
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "median of %d: %.3f s\n", NR, a[int((NR+1)/2)]}'
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print('special_category:', r['special_category']); print('failing:', r['failing'])" "$work/report.json"
