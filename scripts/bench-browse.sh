#!/usr/bin/env bash
# Browsing benchmark (issue 4): page queries (first, next/previous at any depth, last), search
# p95 for one- and two-word queries, call detail and overview, timed through the domain module
# in a release build, beside the same SQL run by the sqlite3 CLI (the floor).
#
# usage: scripts/bench-browse.sh [DB]   (default /bench-data/browse/big.sqlite; CALLS, MESSAGES
#        set the size when the workspace has to be made: 1,000,000 and 3,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
# The benchmark tests exist only in this mode (Package.swift); plain `swift test` never sees them.
export HANDLET_BENCHMARKS=1
DB=${1:-/bench-data/browse/big.sqlite}
CALLS=${CALLS:-1000000}
MESSAGES=${MESSAGES:-3000000}
SQL_DIR=$(mktemp -d)
trap 'rm -rf "$SQL_DIR"' EXIT

command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
swift build -c release --build-tests -Xswiftc -enable-testing >/dev/null

if [ ! -f "$DB" ]; then
    mkdir -p "$(dirname "$DB")"
    .build/release/handlet demo --calls "$CALLS" --messages "$MESSAGES" --db "$DB"
fi

echo "workspace: $DB ($(du -h "$DB" | cut -f1)), $(sqlite3 "$DB" 'SELECT count(*) FROM calls') calls, $(sqlite3 "$DB" 'SELECT count(*) FROM messages') messages"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "== handlet domain (release), 50-row pages =="
HANDLET_BENCH_DB="$DB" HANDLET_BENCH_SQL_DIR="$SQL_DIR" swift test -c release -Xswiftc -enable-testing --skip-build \
    --filter BrowseBenchmarkTests 2>&1 | grep '^BENCH ' | sed 's/^BENCH //'

echo
echo "== sqlite3 CLI floor: the same SQL, 20 runs each, median and p95 of .timer real (a search's statements summed) =="
for file in "$SQL_DIR"/*.sql; do
    name=$(basename "$file" .sql)
    {
        echo ".timer on"
        for _ in $(seq 20); do
            echo ".output stdout"; echo ".print RUN"; echo ".output /dev/null"
            cat "$file"; echo ";"
        done
    } | sqlite3 "$DB" 2>&1 | awk '/^RUN/ { if (n) print sum * 1000; sum = 0; n = 1 } /Run Time/ { sum += $4 } END { if (n) print sum * 1000 }' \
      | sort -n | awk -v name="$name" '
        { t[NR] = $1 } END { printf "%-34s p50 %7.3f ms  p95 %7.3f ms\n", name, t[int(NR/2)+1], t[int(NR*0.95)] }'
done
