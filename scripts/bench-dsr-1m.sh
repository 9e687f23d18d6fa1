#!/usr/bin/env bash
# The data-subject erasure at 1M calls, for BENCHMARKS.md: on a copy of the 1M-call, 3M-message
# preview workspace, a person is planted (200 calls and 1,000 messages in 20 threads, made from
# existing rows, naming a name, number and email nobody else has), then erased with `handlet dsr
# erase`, timed whole (wall, user and system CPU from /usr/bin/time) with the rewrite's phases
# (HANDLET_REWRITE_TIMINGS=1). Then the bytes of the file and -wal are searched for the person.
# Usage: scripts/bench-dsr-1m.sh HANDLET_BINARY [SOURCE_DIR]
#   SOURCE_DIR holds workspace.sqlite (default /work/main/bench-data/preview); it is only read.
#   The copy goes under bench-data/dsr-1m (git-ignored) and is removed afterwards.
#   HANDLET_BENCH_RUNS=N erases N planted people one after another (default 2: the first plan
#   estimates from the reference rate, the next from the rate the first measured).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:?usage: scripts/bench-dsr-1m.sh HANDLET_BINARY [SOURCE_DIR]}
source_dir=${2:-/work/main/bench-data/preview}
runs=${HANDLET_BENCH_RUNS:-2}
dir="$PWD/bench-data/dsr-1m"
db="$dir/workspace.sqlite"
# HANDLET_BENCH_REUSE=1: a copy already at bench-data/dsr-1m/workspace.sqlite is used as it is.
if [ "${HANDLET_BENCH_REUSE:-0}" != 1 ]; then
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$source_dir/workspace.sqlite" "$db"
fi
mkdir -p "$dir/workspace-recordings"
trap 'rm -rf "$dir"' EXIT
export HANDLET_USER=owner@kestrelhomeservices.co.uk
echo "BENCH load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Opening for a change migrates the copy (and checkpoints nothing yet).
"$binary" dsr erase --finish --db "$db" > /dev/null
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null

plant() { # plant N: a person with 200 calls and 1,000 messages; prints the contact id
  python3 - "$db" "$1" <<'EOF'
import sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
name, phone, email = f"Quillon Averhart{chr(97 + n)}", f"+4477009009{n:02d}", f"quillon{n}@averhart.example"
cur = c.cursor()
cur.execute("INSERT INTO contacts(name, phone, email, created_at) VALUES (?, ?, ?, strftime('%s','now'))", (name, phone, email))
contact = cur.lastrowid
def cols(table):
    return [r[1] for r in c.execute(f"PRAGMA table_info({table})") if r[1] != 'id']
calls = cols('calls')
exprs = {'external_id': f"'PLANT{n}-' || id", 'from_number': '?', 'contact_id': '?',
         'summary': "? || ' on ' || ? || ' asked about a boiler'", 'transcript': "'Hello, this is ' || ? || ', my email is ' || ? || char(10) || transcript"}
sel = ", ".join(exprs.get(k, k) for k in calls)
args = []
for k in calls:
    if k == 'from_number': args.append(phone)
    elif k == 'contact_id': args.append(contact)
    elif k == 'summary': args += [name, phone]
    elif k == 'transcript': args += [name, email]
cur.execute(f"INSERT INTO calls({', '.join(calls)}) SELECT {sel} FROM calls WHERE id % 4999 = {n} LIMIT 200", args)
threads = cols('threads')
for t in range(20):
    cur.execute(f"INSERT INTO threads({', '.join(threads)}) SELECT {', '.join('?' if k == 'contact_id' else k for k in threads)} "
                f"FROM threads WHERE id = (SELECT MIN(id) + {t * 7 + n} FROM threads)", [contact])
    thread = cur.lastrowid
    messages = cols('messages')
    mexprs = {'thread_id': '?', 'contact_id': '?', 'from_address': '?', 'body': "'From ' || ? || ' (' || ? || '): ' || body"}
    margs = []
    for k in messages:
        if k == 'thread_id': margs.append(thread)
        elif k == 'contact_id': margs.append(contact)
        elif k == 'from_address': margs.append(phone)
        elif k == 'body': margs += [name, email]
    cur.execute(f"INSERT INTO messages({', '.join(messages)}) SELECT {', '.join(mexprs.get(k, k) for k in messages)} "
                f"FROM messages WHERE id > {t * 50000 + n * 1000} ORDER BY id LIMIT 50", margs)
c.commit()
print(contact, name, phone, email)
EOF
}

for run in $(seq 1 "$runs"); do
  read -r id first last phone email <<< "$(plant "$run")"
  name="$first $last"
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
  echo "BENCH run $run: contact $id ($name), $(sqlite3 "$db" "SELECT COUNT(*) FROM calls WHERE contact_id = $id") calls, $(sqlite3 "$db" "SELECT COUNT(*) FROM messages WHERE contact_id = $id") messages; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "BENCH lines of the file holding '$last' before: $(grep -c -a -F "$last" "$db" || true)"
  HANDLET_REWRITE_TIMINGS=1 /usr/bin/time -f "BENCH dsr erase: %e s wall, %U s user, %S s system, %M KB peak" \
    "$binary" dsr erase "$id" --confirm "$name" --db "$db" 2>&1 | sed 's/^/  /'
  echo "BENCH after: -wal $(stat -c %s "$db-wal" 2>/dev/null || echo 0) bytes; lines holding '$last' / '$phone' / '$email':" \
    "$(grep -c -a -F "$last" "$db" || true) / $(grep -c -a -F "$phone" "$db" || true) / $(grep -c -a -F "$email" "$db" || true)"
done
sqlite3 "$db" "SELECT index_name, rows, round(build_seconds, 1), round(build_cpu, 1), round(install_seconds, 1) FROM search_rewrite_rates" | sed 's/^/BENCH rate: /'
echo "BENCH load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
