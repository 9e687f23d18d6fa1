#!/usr/bin/env bash
# Demo generation benchmark for BENCHMARKS.md `## Foundation`: the release `handlet demo` at
# 100,000 and 1,000,000 calls (three messages per call), then how long `handlet info` takes.
# Usage: scripts/bench-demo.sh [CALLS ...]     (default: 100000 1000000)
# Data goes under bench-data/demo (git-ignored); set KEEP=1 to keep it.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product handlet >/dev/null
bin="$PWD/.build/release/handlet"
out="$PWD/bench-data/demo"
mkdir -p "$out"
now_ms() { date +%s%3N; }
for calls in "${@:-100000 1000000}"; do
  for count in $calls; do
    db="$out/demo-$count.sqlite"
    audio="${db%.sqlite}-recordings"
    rm -rf "$db" "$db-wal" "$db-shm" "$audio"
    start=$(now_ms)
    "$bin" demo --calls "$count" --messages $((count * 3)) --db "$db" >/dev/null
    elapsed=$(( $(now_ms) - start ))
    db_bytes=$(stat -c %s "$db")
    audio_bytes=$(du -sb "$audio" | cut -f1)
    files=$(find "$audio" -type f | wc -l)
    best=""
    for _ in 1 2 3 4 5; do
      t0=$(now_ms); "$bin" info --db "$db" >/dev/null; t=$(( $(now_ms) - t0 ))
      if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    printf 'BENCH demo calls=%d messages=%d time=%.1fs db=%dMB audio=%dMB files=%d info_best_of_5=%dms\n' \
      "$count" $((count * 3)) "$(echo "$elapsed / 1000" | bc -l)" $((db_bytes / 1000000)) \
      $((audio_bytes / 1000000)) "$files" "$best"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$db" "$db-wal" "$db-shm" "$audio"
  done
done
