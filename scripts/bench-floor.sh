#!/usr/bin/env bash
# handlet beside its floors (issue 26), measured side by side in one run with alternating rounds:
#   - console first frame, `j` and PgDn latency (p50/p99), bytes per move and resident memory, in a
#     200x50 pseudo-terminal, beside a plain C ncursesw list of a million virtual rows
#     (scripts/floor/list.c, compiled here);
#   - `handlet search boiler`, `calls list --limit 50`, `info` as whole processes beside the sqlite3
#     CLI running the statements each command ran (from handlet's own trace, HANDLET_PROFILE), and
#     `handlet --help` beside `sqlite3 -version`;
#   - the start-up breakdown (spawn → main → arguments parsed → workspace open → first query → first output).
# Prints each ratio with the absolute values beside it.
#
# usage: scripts/bench-floor.sh DB   (a 1M-call demo workspace; the console writes its session
#        events to it, so give it a copy: `cp workspace.sqlite /tmp/x/ && cp -r workspace-recordings /tmp/x/`)
# environment: HANDLET_BIN (default: a release build made here as installed, scripts/release-build.sh;
#        SCRATCH sets its --scratch-path),
#        SQL_FROM (take the traced SQL from another binary, e.g. a newer one when HANDLET_BIN predates
#        the trace), ROUNDS (console rounds, 5), RUNS (CLI pairs per command, 20), SIZE (200x50),
#        SKIP=console|cli. Needs python3 with pyte (`pip install pyte`), cc, ncursesw and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${1:?usage: scripts/bench-floor.sh WORKSPACE.sqlite (a copy of a 1M-call demo workspace)}
[ -f "$DB" ] || { echo "no workspace at $DB" >&2; exit 66; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 69; }
python3 -c 'import pyte' 2>/dev/null || { echo "needs pyte (pip install pyte)" >&2; exit 69; }

if [ -z "${HANDLET_BIN:-}" ]; then
    SCRATCH=${SCRATCH:-.build}
    # Linked as scripts/install.sh links it (scripts/release-build.sh).
    HANDLET_BIN=$(scripts/release-build.sh "$SCRATCH")
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/floor-list" scripts/floor/list.c $(pkg-config --cflags --libs ncursesw 2>/dev/null || echo -lncursesw)

echo "workspace: $DB ($(du -h "$DB" | cut -f1)); handlet: $HANDLET_BIN; $(sqlite3 -version | cut -d' ' -f1-2)"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
ARGS=(--db "$DB" --handlet "$HANDLET_BIN" --floor-list "$WORK/floor-list" --size "${SIZE:-200x50}"
      --rounds "${ROUNDS:-5}" --runs "${RUNS:-20}")
[ -n "${SQL_FROM:-}" ] && ARGS+=(--sql-from "$SQL_FROM")
case "${SKIP:-}" in console) ARGS+=(--skip-console) ;; cli) ARGS+=(--skip-cli) ;; esac
python3 scripts/bench-floor.py "${ARGS[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
