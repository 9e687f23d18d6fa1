#!/usr/bin/env bash
# Retention benchmarks for BENCHMARKS.md `## Retention`:
#  - purge throughput with files: the release `handlet purge` over 100,000 expired recordings;
#  - impact preview time at 1,000,000 recordings, with its query plans.
# Usage: scripts/bench-purge.sh   (HANDLET_BENCH_PURGE / HANDLET_BENCH_PREVIEW change the sizes;
#   HANDLET_BENCH_FIXTURE=DIR keeps the purge fixture there and reuses it on the next run)
# Data goes under bench-data/ (git-ignored) and is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmark tests exist only in this mode (Package.swift); plain `swift test` never sees them.
export HANDLET_BENCHMARKS=1
swift build -c release --product handlet
swift build --build-tests
mkdir -p bench-data
HANDLET_BENCH_DIR="$PWD/bench-data" HANDLET_BINARY="$PWD/.build/release/handlet" \
  swift test --skip-build --filter RetentionBenchmarks 2>&1 | grep -E "BENCH|error|Executed"
