#!/usr/bin/env bash
# Import benchmark for BENCHMARKS.md `## Import`: a JSON Lines file of 1,000,000 records (calls
# and messages mixed, 20,000 customers) imported by the release `handlet import jsonl` into an
# empty workspace (`handlet init`): records per second and peak resident memory (/usr/bin/time -v).
# Beside it, in the same run, `sqlite-utils insert --nl` loading the same file into a plain SQLite
# table: the tool a developer would reach for instead (no contacts, keys, threads or search).
# Usage: scripts/bench-import.sh   (HANDLET_BENCH_IMPORT_LINES changes the size)
# Data goes under bench-data/ (git-ignored) and is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${HANDLET_BENCH_IMPORT_LINES:-1000000}
swift build -c release --product handlet
binary="$PWD/.build/release/handlet"
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

measure() {  # label, command...: prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -v "$@" > "$folder/$label.out" 2> "$folder/$label.time" || { cat "$folder/$label.out" "$folder/$label.time"; exit 1; }
  local wall rss cpu
  wall=$(grep "Elapsed (wall clock)" "$folder/$label.time" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss=$(grep "Maximum resident set size" "$folder/$label.time" | awk '{print $NF}')
  # CPU seconds too: on a shared machine the wall clock says more about the neighbours.
  cpu=$(awk -F: '/User time|System time/ { total += $2 } END { print total }' "$folder/$label.time")
  echo "BENCH $label: ${wall} s wall, $(python3 -c "print(f'{$lines / $wall:,.0f}')") records/s;" \
       "${cpu} s CPU, $(python3 -c "print(f'{$lines / $cpu:,.0f}')") records per CPU second; peak RSS $((rss / 1024)) MiB"
}

"$binary" init --db "$folder/workspace.sqlite" --name "Bench Ltd" --owner bench@example.test > /dev/null
HANDLET_DEMO_TIMINGS=1 measure "handlet-import-empty" "$binary" import jsonl "$folder/records.jsonl" \
  --db "$folder/workspace.sqlite" --user bench@example.test
grep -E "^timing" "$folder/handlet-import-empty.time" || true
tail -n 3 "$folder/handlet-import-empty.out"
echo "BENCH workspace file: $(( $(stat -c %s "$folder/workspace.sqlite") / 1048576 )) MiB"
measure "handlet-import-again" "$binary" import jsonl "$folder/records.jsonl" --db "$folder/workspace.sqlite" --user bench@example.test
tail -n 2 "$folder/handlet-import-again.out"

if ! command -v sqlite-utils > /dev/null; then
  python3 -m venv "$folder/venv"
  "$folder/venv/bin/pip" install --quiet sqlite-utils
  PATH="$folder/venv/bin:$PATH"
fi
measure "sqlite-utils-insert" sqlite-utils insert "$folder/plain.db" records "$folder/records.jsonl" --nl
