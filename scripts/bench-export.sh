#!/usr/bin/env bash
# End-of-service export benchmark for BENCHMARKS.md `## End of service`: the release
# `handlet workspace export` of a demo workspace (folder and .zip), `verify-export`, and `cp -r`
# of the same files (the database, its -wal, the recordings folder) for comparison.
# Usage: scripts/bench-export.sh [CALLS] [MESSAGES]   (default 100000 300000)
# Data goes under bench-data/export (git-ignored) and is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-100000}
messages=${2:-300000}
swift build -c release --product handlet >/dev/null
handlet="$PWD/.build/release/handlet"
root="$PWD/bench-data/export"
rm -rf "$root"; mkdir -p "$root/ws"
trap 'rm -rf "$root"' EXIT
db="$root/ws/workspace.sqlite"
"$handlet" demo --db "$db" --calls "$calls" --messages "$messages" >/dev/null
export HANDLET_USER=owner@kestrelhomeservices.co.uk
source_bytes=$(du -sb "$root/ws" | cut -f1)
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
seconds() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }
t_cp=$(seconds cp -r "$root/ws" "$root/copy")
t_export=$(seconds "$handlet" workspace export "$root/out" --db "$db")
export_bytes=$(du -sb "$root/out" | cut -f1)
t_verify=$(seconds "$handlet" workspace verify-export "$root/out")
t_zip=$(seconds "$handlet" workspace export "$root/out.zip" --db "$db")
zip_bytes=$(stat -c %s "$root/out.zip")
t_verify_zip=$(seconds "$handlet" workspace verify-export "$root/out.zip")
mb() { echo "scale=1; $1 / 1048576" | bc; }
rate() { echo "scale=1; $1 / 1048576 / $2" | bc; }
echo "BENCH workspace ($calls calls, $messages messages): $(mb "$source_bytes") MB on disk"
echo "BENCH cp -r: ${t_cp} s = $(rate "$source_bytes" "$t_cp") MB/s"
echo "BENCH export (folder): ${t_export} s, $(mb "$export_bytes") MB written = $(rate "$export_bytes" "$t_export") MB/s ($(rate "$source_bytes" "$t_export") MB/s of workspace)"
echo "BENCH verify-export (folder): ${t_verify} s = $(rate "$export_bytes" "$t_verify") MB/s"
echo "BENCH export (zip): ${t_zip} s, $(mb "$zip_bytes") MB archive = $(rate "$source_bytes" "$t_zip") MB/s of workspace"
echo "BENCH verify-export (zip): ${t_verify_zip} s"
