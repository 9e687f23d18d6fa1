#!/bin/sh
# Issue 28: runs each parser's fuzz target (ParserFuzzTests: notice files, keys.toml, theme files,
# the CLI's date grammar, phone numbers) for N inputs each (default 10^7) from seed S (default 28).
# Prints each target's count and rate; record them in BENCHMARKS.md ("Parser fuzzing").
#
# The targets run from a release test build: in debug, 10^7 inputs took 25 minutes (notice files)
# to 2 hours (dates) per parser. HANDLET_BENCHMARKS=1 builds the test targets and their hooks in
# release, as the benchmark scripts do; -enable-testing lets the tests reach internal parsers.
#   scripts/fuzz-parsers.sh [N] [SEED]
#   SCRATCH=PATH      the release build's folder (default .build)
#   TARGETS="..."     which targets (default: testNoticeFiles testKeysToml testThemeFiles
#                     testTheCLIDateGrammar testPhoneNumbers), one after another
#   HANDLET_FUZZ_LAST=FILE  keeps each keys.toml input in FILE before it is parsed, to replay a crash
#                     inside TOMLKit's C++ parser (a file write per input: slow)
set -eu
cd "$(dirname "$0")/.."
export HANDLET_BENCHMARKS=1
scratch="${SCRATCH:-.build}"
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch" >/dev/null 2>&1 || { echo "the release test build failed" >&2; exit 1; }
status=0
for target in ${TARGETS:-testNoticeFiles testKeysToml testThemeFiles testTheCLIDateGrammar testPhoneNumbers}; do
    HANDLET_FUZZ_INPUTS="${1:-10000000}" HANDLET_FUZZ_SEED="${2:-28}" \
        swift test -c release -Xswiftc -enable-testing --skip-build --scratch-path "$scratch" \
        --filter "ParserFuzzTests/$target\$" >"$scratch/fuzz-$target.log" 2>&1 || status=1
    grep -E "^fuzz |error:|Executed|Fatal|Crash|signal" "$scratch/fuzz-$target.log" || echo "$target: no result (see $scratch/fuzz-$target.log)"
done
exit $status
