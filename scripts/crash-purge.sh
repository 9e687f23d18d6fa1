#!/usr/bin/env bash
# More SIGKILL trials of `handlet purge` than the test suite runs (default 500).
# Usage: scripts/crash-purge.sh [TRIALS] [SEED]
# Each trial kills a real purge at a random moment, checks integrity, orphan files and dangling
# rows, then resumes the purge and checks that it finished. A failure prints its seed.
set -euo pipefail
cd "$(dirname "$0")/.."
export HANDLET_CRASH_TRIALS="${1:-500}"
if [ -n "${2:-}" ]; then export HANDLET_CRASH_SEED="$2"; fi
swift build --build-tests
swift test --skip-build --filter PurgeCrashTests 2>&1 | grep -E "PurgeCrashTests:|error|Executed"
