#!/usr/bin/env bash
# Data-subject request benchmarks for BENCHMARKS.md `## Data-subject requests`: on a demo of N
# calls (3N messages), the contact with the most calls is found by phone, shown whole, and erased
# (the transaction, the audio, both FTS `optimize`s and the checkpoint), each timed as the whole
# `handlet dsr` command (process start and workspace open included).
# Usage: scripts/bench-dsr.sh   (HANDLET_BENCH_CALLS=N, default 100000; HANDLET_BINARY=PATH to
#   time another build than the release one built here)
# Data goes under bench-data/ (git-ignored) and is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${HANDLET_BENCH_CALLS:-100000}
messages=${HANDLET_BENCH_MESSAGES:-$((calls * 3))}
binary=${HANDLET_BINARY:-}
if [ -z "$binary" ]; then
  swift build -c release --product handlet
  binary="$PWD/.build/release/handlet"
fi
dir="$PWD/bench-data/dsr"
rm -rf "$dir"; mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
db="$dir/workspace.sqlite"
export HANDLET_USER=owner@kestrelhomeservices.co.uk

ms() { local start end; start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }

echo "BENCH demo: $calls calls, $messages messages: $(ms "$binary" demo --calls "$calls" --messages "$messages" --db "$db") ms"
# The contact with the most calls whose name no other contact has: the person looked up and erased.
read -r id phone held_calls <<< "$(sqlite3 -separator ' ' "$db" "
  SELECT c.id, c.phone, COUNT(*) FROM calls k JOIN contacts c ON c.id = k.contact_id
  WHERE (SELECT COUNT(*) FROM contacts o WHERE o.name = c.name) = 1
  GROUP BY c.id ORDER BY COUNT(*) DESC LIMIT 1")"
held_messages=$(sqlite3 "$db" "SELECT COUNT(*) FROM messages WHERE contact_id = $id")
name=$(sqlite3 "$db" "SELECT name FROM contacts WHERE id = $id")
echo "BENCH person: contact $id, $held_calls calls, $held_messages messages"
national="0${phone:3}"
for run in 1 2 3; do echo "BENCH find by phone ($national), run $run: $(ms "$binary" dsr find "$national" --db "$db") ms"; done
for run in 1 2 3; do echo "BENCH show everything held, run $run: $(ms "$binary" dsr show "$id" --json --db "$db") ms"; done
bytes_before=$(stat -c %s "$db")
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
name_before=$(grep -c -a -F "$name" "$db" || true)
echo "BENCH erase (transaction, audio, FTS optimize, checkpoint): $(ms "$binary" dsr erase "$id" --confirm "$name" --db "$db") ms"
echo "BENCH database: $bytes_before bytes before, $(stat -c %s "$db") after; -wal $(stat -c %s "$db-wal" 2>/dev/null || echo 0) bytes"
# Older copies left in unused page space by the demo's bulk load survive until the file is rebuilt.
echo "BENCH lines of the file holding the name: $name_before before, $(grep -c -a -F "$name" "$db" || true) after the erasure"
echo "BENCH VACUUM (dsr erase --finish --vacuum): $(ms "$binary" dsr erase --finish --vacuum --db "$db") ms"
echo "BENCH lines of the file holding the name after VACUUM: $(grep -c -a -F "$name" "$db" || true); $(stat -c %s "$db") bytes"
