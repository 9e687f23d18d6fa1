#!/bin/sh
# Issue 28: runs each parser's fuzz target (ParserFuzzTests: notice files, keys.toml, theme files,
# the CLI's date grammar, phone numbers) for N inputs each (default 10^7) from seed S (default 28).
# Prints each target's count and rate; record them in BENCHMARKS.md ("Parser fuzzing").
#   scripts/fuzz-parsers.sh [N] [SEED]
set -eu
cd "$(dirname "$0")/.."
swift build --build-tests
HANDLET_FUZZ_INPUTS="${1:-10000000}" HANDLET_FUZZ_SEED="${2:-28}" \
    nice -n 10 swift test --skip-build --filter ParserFuzzTests 2>&1 | grep -E "^fuzz |error:|Executed"
