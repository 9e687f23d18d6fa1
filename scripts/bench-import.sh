#!/usr/bin/env bash
# Import benchmark for BENCHMARKS.md `## Import`: a JSON Lines file of 1,000,000 records (calls
# and messages mixed, 20,000 customers) imported by the release `handlet import jsonl` into an
# empty workspace (`handlet init`): records per second and peak resident memory (/usr/bin/time -v).
# Beside it, in the same run, `sqlite-utils insert --nl` loading the same file into a plain SQLite
# table: the tool a developer would reach for instead (no contacts, keys, threads or search).
# Then the same JSONL into a copy of the 1M-call demo workspace (HANDLET_BENCH_DEMO names it; its
# migration to this schema is timed on its own first), and a 1,000,000-row Asterisk Master.csv
# (cdr_csv's standard layout) into another empty workspace.
# Usage: scripts/bench-import.sh   (HANDLET_BENCH_IMPORT_LINES changes the size; HANDLET_BINARY
# names a handlet to use instead of building one; HANDLET_BENCH_DEMO="" skips the demo copy)
# Data goes under bench-data/ (git-ignored) and is removed afterwards. Every job runs at nice 19
# unless HANDLET_BENCH_NICE says otherwise. HANDLET_BENCH_PARTS picks parts: "jsonl cdr demo" (all).
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${HANDLET_BENCH_IMPORT_LINES:-1000000}
demo=${HANDLET_BENCH_DEMO-/work/main/bench-data/preview/workspace.sqlite}
nice=${HANDLET_BENCH_NICE:-19}
parts=" ${HANDLET_BENCH_PARTS:-jsonl cdr demo} "
if [[ -n "${HANDLET_BINARY:-}" ]]; then
  binary=$HANDLET_BINARY
else
  binary=$(HANDLET_BUILD_NICE=$nice scripts/release-build.sh)
fi
folder="$PWD/bench-data/import"
rm -rf "$folder"
mkdir -p "$folder"
trap 'rm -rf "$folder"' EXIT

python3 - "$folder/records.jsonl" "$lines" <<'PY'
import json, random, sys
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(24)
words = ("boiler leak radiator tap sink drain shower valve quote booking tuesday thursday morning "
         "afternoon engineer invoice pressure heating flush cistern thermostat service annual").split()
outcomes = ["booked_job", "quote_requested", "message_taken", "callback_requested", "spam", "missed", "abandoned"]
start = 1_767_225_600  # 2026-01-01
with open(path, "w") as out:
    for index in range(count):
        customer = "07700 %06d" % rng.randrange(20_000)
        at = start + index * 25
        time = "%04d-%02d-%02dT%02d:%02d:%02dZ" % (2026, 1 + (at - start) // 2_592_000 % 12, 1 + (at - start) // 86_400 % 28,
                                                  at // 3600 % 24, at // 60 % 60, at % 60)
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(6, 30)))
        inbound = rng.random() < 0.6
        if index % 2 == 0:
            record = {"type": "call", "id": "CA%032x" % index, "direction": "inbound" if inbound else "outbound",
                      "from": customer if inbound else "0113 496 0000", "to": "0113 496 0000" if inbound else customer,
                      "started_at": time, "duration_seconds": rng.randrange(0, 900),
                      "outcome": rng.choice(outcomes), "summary": text.capitalize() + "."}
        else:
            record = {"type": "message", "id": "SM%032x" % index, "channel": "sms",
                      "direction": "inbound" if inbound else "outbound",
                      "from": customer if inbound else "01134960000", "to": "01134960000" if inbound else customer,
                      "sent_at": time, "body": text}
        out.write(json.dumps(record, separators=(",", ":")) + "\n")
PY
bytes=$(stat -c %s "$folder/records.jsonl")
echo "BENCH import: $lines records, $((bytes / 1048576)) MiB of JSONL"

measure() {  # label, records, command...: prints wall seconds and peak RSS
  local label=$1 lines=$2; shift 2
  nice -n "$nice" /usr/bin/time -v "$@" > "$folder/$label.out" 2> "$folder/$label.time" || { cat "$folder/$label.out" "$folder/$label.time"; exit 1; }
  local wall rss cpu
  wall=$(grep "Elapsed (wall clock)" "$folder/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep "Maximum resident set size" "$folder/$label.time" | awk '{print $NF}')
  # CPU seconds too: on a shared machine the wall clock says more about the neighbours.
  cpu=$(awk -F: '/User time|System time/ { total += $2 } END { print total }' "$folder/$label.time")
  echo "BENCH $label: ${wall} s wall, $(python3 -c "print(f'{$lines / $wall:,.0f}')") records/s;" \
       "${cpu} s CPU, $(python3 -c "print(f'{$lines / $cpu:,.0f}')") records per CPU second; peak RSS $((rss / 1024)) MiB"
}

if [[ "$parts" == *" jsonl "* ]]; then
"$binary" init --db "$folder/workspace.sqlite" --name "Bench Ltd" --owner bench@example.test > /dev/null
HANDLET_DEMO_TIMINGS=1 measure "handlet-import-empty" "$lines" "$binary" import jsonl "$folder/records.jsonl" \
  --db "$folder/workspace.sqlite" --user bench@example.test
grep -E "^timing" "$folder/handlet-import-empty.time" || true
tail -n 3 "$folder/handlet-import-empty.out"
echo "BENCH workspace file: $(( $(stat -c %s "$folder/workspace.sqlite") / 1048576 )) MiB"
measure "handlet-import-again" "$lines" "$binary" import jsonl "$folder/records.jsonl" --db "$folder/workspace.sqlite" --user bench@example.test
tail -n 2 "$folder/handlet-import-again.out"

if ! command -v sqlite-utils > /dev/null; then
  python3 -m venv "$folder/venv"
  "$folder/venv/bin/pip" install --quiet sqlite-utils
  PATH="$folder/venv/bin:$PATH"
fi
measure "sqlite-utils-insert" "$lines" sqlite-utils insert "$folder/plain.db" records "$folder/records.jsonl" --nl
fi

rm -f "$folder/workspace.sqlite"* "$folder/plain.db"
rm -rf "$folder/workspace-recordings"

if [[ "$parts" == *" cdr "* ]]; then
python3 - "$folder/Master.csv" "$lines" <<'PY'
import random, sys
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(24)
names = ["Jo Bloggs", "Sam Patel", "Alex O'Neill", "Chris Nguyen", "Pat Murphy, Jr", "Dana \"DJ\" Jones"]
dispositions = [("ANSWERED", 0.7), ("NO ANSWER", 0.15), ("BUSY", 0.1), ("FAILED", 0.05)]
start = 1_767_225_600
def stamp(t):
    import time
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
with open(path, "w", newline="") as out:
    for index in range(count):
        caller = "07700%06d" % rng.randrange(20_000)
        name = rng.choice(names).replace('"', '""')
        at = start + index * 25
        roll, disposition = rng.random(), "ANSWERED"
        for label, share in dispositions:
            if roll < share: disposition = label; break
            roll -= share
        billsec = rng.randrange(5, 900) if disposition == "ANSWERED" else 0
        ring = rng.randrange(2, 30)
        answer = stamp(at + ring) if disposition == "ANSWERED" else ""
        end = at + ring + billsec
        fields = ['""', '"%s"' % caller, '"200"', '"from-trunk"', '"""%s"" <%s>"' % (name, caller),
                  '"SIP/trunk-%08x"' % index, '"SIP/200-%08x"' % index, '"Dial"', '"SIP/200,30"',
                  '"%s"' % stamp(at), '"%s"' % answer, '"%s"' % stamp(end), str(ring + billsec), str(billsec),
                  '"%s"' % disposition, '"DOCUMENTATION"', '"1767%06d.%d"' % (index // 10, index), '""']
        out.write(",".join(fields) + "\n")
PY
echo "BENCH Master.csv: $lines rows, $(( $(stat -c %s "$folder/Master.csv") / 1048576 )) MiB"
"$binary" init --db "$folder/workspace.sqlite" --name "Bench Ltd" --owner bench@example.test > /dev/null
HANDLET_DEMO_TIMINGS=1 measure "handlet-import-cdr" "$lines" "$binary" import asterisk-cdr "$folder/Master.csv" \
  --db "$folder/workspace.sqlite" --user bench@example.test --time-zone UTC
grep -E "^timing" "$folder/handlet-import-cdr.time" || true
tail -n 3 "$folder/handlet-import-cdr.out"
rm -f "$folder/workspace.sqlite"* "$folder/Master.csv"
fi

if [[ "$parts" == *" demo "* && -n "$demo" && -f "$demo" ]]; then
  # A copy: the original is shared and opening it migrates it. Recordings are not copied (the
  # JSONL names none); the copy's migration to this schema is measured on its own.
  cp --reflink=auto "$demo" "$folder/demo.sqlite"
  owner=$(sqlite3 "file:$folder/demo.sqlite?mode=ro" "SELECT email FROM users WHERE role = 'owner' ORDER BY id LIMIT 1")
  # Opening for a change migrates it: an import of an empty file changes nothing else.
  : > "$folder/empty.jsonl"
  measure "handlet-migrate-demo-copy" 1 "$binary" import jsonl "$folder/empty.jsonl" --db "$folder/demo.sqlite" --user "$owner"
  HANDLET_DEMO_TIMINGS=1 measure "handlet-import-into-1m-demo" "$lines" "$binary" import jsonl "$folder/records.jsonl" \
    --db "$folder/demo.sqlite" --user "$owner"
  grep -E "^timing" "$folder/handlet-import-into-1m-demo.time" || true
  tail -n 3 "$folder/handlet-import-into-1m-demo.out"
  rm -f "$folder/demo.sqlite"*
fi
