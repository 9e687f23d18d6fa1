#!/usr/bin/env bash
# End-of-service export benchmark for BENCHMARKS.md `## End of service`: the release
# `handlet workspace export` of a workspace (folder and .zip), `verify-export`, and `cp -r`
# of the same folder (the database, its -wal, the recordings folder) for comparison, in one run.
# Usage: scripts/bench-export.sh [CALLS] [MESSAGES]   (a new demo; default 100000 300000)
#        HANDLET_EXPORT_SOURCE=DIR scripts/bench-export.sh   (a copy of the workspace folder DIR,
#          e.g. /work/main/bench-data/preview: DIR is only read; the copy is migrated first, untimed)
# HANDLET_BINARY=PATH times that build instead of building the release one here;
# HANDLET_EXPORT_ZIP=0 skips the .zip (it needs as much free disk again).
# Data goes under bench-data/export (git-ignored) and is removed afterwards. The page cache is
# dropped before each timed step when the machine allows it; otherwise both read a warm cache.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-100000}
messages=${2:-300000}
handlet=${HANDLET_BINARY:-}
if [ -z "$handlet" ]; then
  swift build -c release --product handlet >/dev/null
  handlet="$PWD/.build/release/handlet"
fi
root="$PWD/bench-data/export"
rm -rf "$root"; mkdir -p "$root"
trap 'rm -rf "$root"' EXIT
db="$root/ws/workspace.sqlite"
export HANDLET_USER=owner@kestrelhomeservices.co.uk
if [ -n "${HANDLET_EXPORT_SOURCE:-}" ]; then
  cp -r "$HANDLET_EXPORT_SOURCE" "$root/ws"
  rm -f "$root/ws/handlet.txt"
  # Migrated to this build's schema by a command that changes nothing else, then checkpointed.
  "$handlet" dsr erase --finish --db "$db" >/dev/null
  label="$(basename "$HANDLET_EXPORT_SOURCE") copy"
else
  mkdir -p "$root/ws"
  "$handlet" demo --db "$db" --calls "$calls" --messages "$messages" >/dev/null
  label="$calls calls, $messages messages"
fi
source_bytes=$(du -sb "$root/ws" | cut -f1)
files=$(find "$root/ws" -type f | wc -l)
cold() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo cold || echo warm; }
seconds() { local start; start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }
cpu() { /usr/bin/time -f "%U s user, %S s system" "$@" 2>&1 >/dev/null | tail -1; }
mb() { echo "scale=1; $1 / 1000000" | bc; }
rate() { echo "scale=1; $1 / 1000000 / $2" | bc; }
echo "BENCH workspace ($label): $(mb "$source_bytes") MB on disk in $files files; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cache=$(cold)
t_cp=$(seconds cp -r "$root/ws" "$root/copy")
echo "BENCH cp -r ($cache cache): ${t_cp} s = $(rate "$source_bytes" "$t_cp") MB/s"
rm -rf "$root/copy"
cache=$(cold)
start=$(date +%s.%N)
export_cpu=$(cpu "$handlet" workspace export "$root/out" --db "$db")
t_export=$(echo "$(date +%s.%N) - $start" | bc)
export_bytes=$(du -sb "$root/out" | cut -f1)
echo "BENCH export (folder, $cache cache): ${t_export} s ($export_cpu), $(mb "$export_bytes") MB written = $(rate "$export_bytes" "$t_export") MB/s written, $(rate "$source_bytes" "$t_export") MB/s of workspace"
t_verify=$(seconds "$handlet" workspace verify-export "$root/out")
echo "BENCH verify-export (folder): ${t_verify} s = $(rate "$export_bytes" "$t_verify") MB/s"
rm -rf "$root/out"
if [ "${HANDLET_EXPORT_ZIP:-1}" != 0 ]; then
  t_zip=$(seconds "$handlet" workspace export "$root/out.zip" --db "$db")
  zip_bytes=$(stat -c %s "$root/out.zip")
  echo "BENCH export (zip): ${t_zip} s, $(mb "$zip_bytes") MB archive = $(rate "$source_bytes" "$t_zip") MB/s of workspace"
  t_verify_zip=$(seconds "$handlet" workspace verify-export "$root/out.zip")
  echo "BENCH verify-export (zip): ${t_verify_zip} s"
fi
echo "BENCH load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
