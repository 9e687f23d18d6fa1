#!/usr/bin/env bash
# "Find anything" benchmark (issue 25): type-to-filter on the contacts, a number no contact has,
# and search page 2 of a common word, timed through the domain module in a release build.
#
# usage: scripts/bench-find.sh DB [SCRATCH]   (DB: a copy of a big workspace, which this migrates;
#        SCRATCH: the release build's --scratch-path, default .build)
set -euo pipefail
cd "$(dirname "$0")/.."
export HANDLET_BENCHMARKS=1
DB=${1:?usage: scripts/bench-find.sh DB [SCRATCH]}
SCRATCH=${2:-.build}
nice -n 10 swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$SCRATCH" >/dev/null
echo "workspace: $DB ($(du -h "$DB" | cut -f1)), $(sqlite3 "$DB" 'SELECT count(*) FROM calls') calls, $(sqlite3 "$DB" 'SELECT count(*) FROM messages') messages, $(sqlite3 "$DB" 'SELECT count(*) FROM contacts') contacts"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
HANDLET_BENCH_DB="$DB" swift test -c release -Xswiftc -enable-testing --skip-build --scratch-path "$SCRATCH" \
    --filter FindBenchmarkTests 2>&1 | grep '^BENCH ' | sed 's/^BENCH //'
