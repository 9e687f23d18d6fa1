#!/usr/bin/env bash
# Audit benchmark for BENCHMARKS.md `## Audit`: the release `handlet audit verify` over 1,000,000
# events (built with a correct chain in one transaction), beside sha256sum over the same bytes.
# Usage: scripts/bench-audit.sh   (HANDLET_BENCH_AUDIT changes the number of events)
# Data goes under bench-data/ (git-ignored) and is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmark tests exist only in this mode (Package.swift); plain `swift test` never sees them.
export HANDLET_BENCHMARKS=1
swift build -c release --product handlet
swift build --build-tests
mkdir -p bench-data
HANDLET_BENCH_DIR="$PWD/bench-data" HANDLET_BINARY="$PWD/.build/release/handlet" \
  swift test --skip-build --filter AuditBenchmarks 2>&1 | grep -E "BENCH|error|Executed"
