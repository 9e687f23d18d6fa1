#!/usr/bin/env bash
# Fuzzes TerminalUI's untrusted-input paths (sanitiser + grid width, text field edits, key
# decoder with bracketed paste) with libFuzzer for SECONDS (default 600), then prints the
# executions per second and the total. Usage: scripts/fuzz-terminal.sh [SECONDS]
# Corpus: bench-data/fuzz-corpus (git-ignored); crash inputs: bench-data/fuzz-artifacts.
# Replay a crash without the fuzzer: swift run handlet-fuzz bench-data/fuzz-artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-600}"
# HANDLET_FUZZ drops the regression runner's main so that libFuzzer's main is used.
swift build --scratch-path .build-fuzz -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -DHANDLET_FUZZ --product handlet-fuzz
BIN="$(swift build --scratch-path .build-fuzz -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -DHANDLET_FUZZ --product handlet-fuzz --show-bin-path)/handlet-fuzz"
CORPUS=bench-data/fuzz-corpus
ARTIFACTS=bench-data/fuzz-artifacts
mkdir -p "$CORPUS" "$ARTIFACTS"
LOG=bench-data/fuzz-terminal.log
# One worker; -print_final_stats gives the execution count; ASan leak checks off (Swift globals).
set +e
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$BIN" "$CORPUS" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -rss_limit_mb=4096 \
    -artifact_prefix="$ARTIFACTS/" -dict=scripts/fuzz-terminal.dict 2>&1 | tee "$LOG" | grep -v '^#[0-9].*\(NEW\|REDUCE\|pulse\)'
STATUS=${PIPESTATUS[0]}
set -e
RUNS=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -1)
SPEED=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$LOG" | tail -1)
LAST=$(grep -E '^#[0-9]+' "$LOG" | tail -1 || true)
echo "fuzz-terminal: ${SECONDS_TO_RUN}s, ${RUNS:-?} executions, ${SPEED:-?} execs/s, exit ${STATUS}"
echo "fuzz-terminal: last status line: ${LAST}"
ls "$ARTIFACTS" | sed 's/^/fuzz-terminal: artifact: /'
exit "$STATUS"
