#!/usr/bin/env bash
# The demo's speed against an SQLite floor, measured in the same run (issue 27; BENCHMARKS.md
# `## Foundation`): `handlet demo --calls N --messages 3N`, then the sqlite3 CLI loading the same
# rows into a new file and building the same indexes and full-text indexes, single-threaded, with
# the pragmas the demo's bulk load uses (no journal, no fsync, a 3 GiB page cache).
#
# The floor's rows are read from the demo's own file (the same rows, the same sizes) with an
# explicit column list, so SQLite decodes and re-encodes each row as a bulk insert does (`SELECT *`
# into an identical empty table would copy the records raw). The floor writes no audio and
# generates nothing: what it measures is what SQLite alone needs for these rows and indexes.
#
# Usage: scripts/bench-demo-floor.sh [CALLS]          (default 1000000)
#   HANDLET_BIN=path   a built handlet to time (default: builds the release product)
#   KEEP=1             keep the data under bench-data/demo-floor (about 6 GB at a million calls)
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-1000000}
messages=$((calls * 3))
if [ -n "${HANDLET_BIN:-}" ]; then
  bin=$HANDLET_BIN
else
  swift build -c release --product handlet >/dev/null
  bin="$PWD/.build/release/handlet"
fi
out="$PWD/bench-data/demo-floor"
rm -rf "$out"
mkdir -p "$out"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$out"' EXIT
db="$out/demo.sqlite"
floor="$out/floor.sqlite"

load() { cut -d' ' -f1-3 /proc/loadavg; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
now_ms() { date +%s%3N; }

echo "BENCH demo-floor: $calls calls, $messages messages; $(nproc) cores; load before: $(load)"

# 1. The demo.
start=$(now_ms)
HANDLET_DEMO_TIMINGS=1 /usr/bin/time -f "%U %S" -o "$out/demo.cpu" \
  "$bin" demo --calls "$calls" --messages "$messages" --db "$db" > "$out/demo.out" 2> "$out/demo.err" \
  || { cat "$out/demo.out" "$out/demo.err"; exit 1; }
demo_ms=$(( $(now_ms) - start ))
read -r demo_user demo_sys < "$out/demo.cpu"
audio="$out/demo-recordings"
audio_bytes=$(du -sb "$audio" | cut -f1)
audio_files=$(find "$audio" -type f -name '*.wav' | wc -l)
echo "BENCH handlet demo: $(seconds 0 "$demo_ms") s wall, ${demo_user} s user + ${demo_sys} s sys CPU;" \
     "database $(( $(stat -c %s "$db") / 1000000 )) MB, audio $(( audio_bytes / 1000000 )) MB in $audio_files WAV files; load after: $(load)"
grep -E "^timing" "$out/demo.err" | sed 's/^/  /' || true

# 2. The floor. The tables, views and full-text tables the demo bulk-loads, as the demo's file has
# them; their secondary indexes created after the rows, as the bulk load does.
tables="'contacts', 'marketing_consents', 'calls', 'recordings', 'threads', 'messages'"
schema=$(sqlite3 "$db" "
  SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ($tables) ORDER BY rowid;
  SELECT sql || ';' FROM sqlite_master WHERE type = 'view' AND name IN ('call_fts_text', 'message_fts_text', 'contact_fts_text');
  SELECT sql || ';' FROM sqlite_master WHERE type = 'table' AND name IN ('call_fts', 'message_fts', 'contact_fts');")
indexes=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ($tables) ORDER BY rowid;")
inserts=""
for table in contacts marketing_consents calls recordings threads messages; do
  columns=$(sqlite3 "$db" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table');")
  inserts+="INSERT INTO main.$table ($columns) SELECT $columns FROM demo.$table;"$'\n'
done
mark() { echo "SELECT 'mark', '$1', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);"; }
rebuilds=""
for fts in contact_fts call_fts message_fts; do
  if sqlite3 "$db" "SELECT 1 FROM sqlite_master WHERE name = '$fts'" | grep -q 1; then
    rebuilds+="INSERT INTO $fts($fts) VALUES('rebuild');"$'\n'"$(mark "$fts rebuild")"$'\n'
  fi
done
cat > "$out/floor.sql" <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -3145728;
PRAGMA temp_store = MEMORY;
$schema
ATTACH DATABASE '$db' AS demo;
$(mark start)
BEGIN;
$inserts
COMMIT;
$(mark rows)
BEGIN;
$indexes
COMMIT;
$(mark indexes)
BEGIN;
$rebuilds
COMMIT;
$(mark commit)
SQL
# Read the demo's file once first, so neither side pays for a cold page cache.
cat "$db" > /dev/null
start=$(now_ms)
/usr/bin/time -f "%U %S" -o "$out/floor.cpu" sqlite3 "$floor" < "$out/floor.sql" > "$out/floor.out"
floor_ms=$(( $(now_ms) - start ))
read -r floor_user floor_sys < "$out/floor.cpu"
echo "BENCH sqlite3 floor: $(seconds 0 "$floor_ms") s wall, ${floor_user} s user + ${floor_sys} s sys CPU;" \
     "database $(( $(stat -c %s "$floor") / 1000000 )) MB; load after: $(load)"
awk -F'|' '$1 == "mark" { if (last) printf "  %s %.1f s\n", $2, ($3 - last) / 1000; last = $3 }' "$out/floor.out"
awk -v d="$demo_ms" -v f="$floor_ms" 'BEGIN { printf "BENCH ratio: handlet demo / sqlite3 floor = %.2f (target: at most 2, and the demo under 120 s)\n", d / f }'
