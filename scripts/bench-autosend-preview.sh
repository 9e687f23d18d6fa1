#!/usr/bin/env bash
# Live Auto-Send preview benchmark for BENCHMARKS.md `## Auto-Send`: the preview over the last 30
# days of the 1,000,000-call / 3,000,000-message demo, with drafts brought to about one per ten
# records of the period (the 1M demo spans 730 days: ~164,000 records in 30 days, so 16,500 drafts) through the arrival step, timed under the saved settings and
# under three edits; beside it, in the same run, the sqlite3 CLI reading the same drafts (the
# preview's own SELECT) as the floor.
# Usage: scripts/bench-autosend-preview.sh [DRAFTS]
#   SCRATCH=PATH: the release build's folder (default .build); the workspace goes under
#   bench-data/preview (git-ignored) and is kept for later runs (delete it to rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-$PWD/.build}
swift build -c release --scratch-path "$scratch" --product handlet >/dev/null
swift build -c release --scratch-path "$scratch" --product handlet-autosend-bench >/dev/null
out="$PWD/bench-data/preview"
db="$out/workspace.sqlite"
mkdir -p "$out"
if [ ! -f "$db" ]; then
  start=$(date +%s)
  "$scratch/release/handlet" demo --calls 1000000 --messages 3000000 --db "$db" >/dev/null
  echo "BENCH demo 1M/3M built in $(( $(date +%s) - start )) s"
fi
"$scratch/release/handlet-autosend-bench" preview "$db" "${1:-16500}" | tee "$out/handlet.txt"
# The floor: the same drafts read by sqlite3 (the preview's SELECT, every column it decides on).
since=$(( $(date +%s) - 30 * 86400 ))
sql="SELECT d.intent, d.confidence, d.channel, d.is_marketing, d.firm_price_available, d.booking_fields_complete,
 d.complaint_severity, d.review_stars, d.created_at, d.contact_id, c.opted_out_at IS NOT NULL, c.restricted_at IS NOT NULL
 FROM drafts d LEFT JOIN contacts c ON c.id = d.contact_id WHERE d.created_at > $since;"
times=()
for _ in $(seq 15); do
  t0=$(date +%s%N); sqlite3 "$db" "$sql" >/dev/null; t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000 )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 8p)
echo "BENCH floor sqlite3 CLI, same SELECT (whole process): median $(echo "scale=1; $median / 1000" | bc) ms"
handlet=$(grep 'preview saved settings' "$out/handlet.txt" | sed -E 's/.*median ([0-9.]+) ms.*/\1/')
echo "BENCH ratio preview / floor: $(echo "scale=1; $handlet * 1000 / $median" | bc)x"
