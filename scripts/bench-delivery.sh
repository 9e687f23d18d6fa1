#!/usr/bin/env bash
# Auto-Send delivery benchmark for BENCHMARKS.md `## Auto-Send delivery`: one `handlet queue deliver`
# pass over 10,000 due messages with docs/gateway-sample.sh (one gateway process per message), the
# same with /bin/true as the gateway (handlet's own share), and the sample gateway's start alone.
# Usage: scripts/bench-delivery.sh            (release build)
#        HANDLET_BENCH_DEBUG=1 scripts/bench-delivery.sh   (debug build: no 7-minute release build)
#        HANDLET_BENCH_DELIVERY=N changes the number of messages.
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmark tests exist only in this mode (Package.swift); plain `swift test` never sees them.
export HANDLET_BENCHMARKS=1
if [ "${HANDLET_BENCH_DEBUG:-0}" = 1 ]; then
  swift build --product handlet
  binary="$PWD/.build/debug/handlet"
else
  swift build -c release --product handlet
  binary="$PWD/.build/release/handlet"
fi
swift build --build-tests
HANDLET_BINARY="$binary" swift test --skip-build --filter DeliveryBenchmarks 2>&1 | grep -E "BENCH|error|Executed"
