#!/usr/bin/env bash
# Terminal engine benchmark (BENCHMARKS.md, "## Terminal engine").
#  1. headless: time to draw a full 200x60 screen of table rows into the grid (handlet-gallery --bench);
#  2. real terminal: bytes handlet-gallery writes for a one-row scroll of a full-screen 200x60 table,
#     measured on the pane's output stream in a private tmux server (TERM=tmux-256color).
# Usage: scripts/bench-engine.sh            (CONFIG=debug to skip the release build; SCROLLS=n)
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG=${CONFIG:-release}
SCROLLS=${SCROLLS:-30}
W=200
H=60
swift build -c "$CONFIG" --product handlet-gallery >/dev/null
BIN=$PWD/.build/$CONFIG/handlet-gallery
"$BIN" --bench

command -v tmux >/dev/null || { echo "bench-engine: tmux is needed for the byte counts" >&2; exit 1; }
dir=$(mktemp -d)
sock=bench-engine-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$dir"' EXIT
out=$dir/out
: > "$out"
# The program waits for "go" so the output recorder is attached before its first byte.
tmux -L "$sock" -f /dev/null new-session -d -x $W -y $H \
  "while [ ! -e '$dir/go' ]; do sleep 0.01; done; exec env -u NO_COLOR TERM=tmux-256color '$BIN' ${GALLERY_ARGS:-}"
tmux -L "$sock" set-option -g escape-time 0
tmux -L "$sock" pipe-pane -O "cat >> '$out'"
touch "$dir/go"

size() { stat -c %s "$out"; }
# Waits until nothing has been written for 150 ms.
settle() {
  local last now quiet=0
  last=$(size)
  while [ $quiet -lt 15 ]; do
    sleep 0.01
    now=$(size)
    if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$now; fi
  done
}
wait_for() {
  for _ in $(seq 500); do
    tmux -L "$sock" capture-pane -p | grep -qF "$1" && return 0
    sleep 0.02
  done
  echo "bench-engine: timed out waiting for '$1'" >&2
  exit 1
}

wait_for "row 1/1000000"
settle
first_frame=$(size)
# Selection to the last visible row; every further Down scrolls the table by one row.
for _ in $(seq $((H - 3))); do tmux -L "$sock" send-keys Down; done
wait_for "row $((H - 2))/1000000"
settle
counts=()
for _ in $(seq "$SCROLLS"); do
  before=$(size)
  tmux -L "$sock" send-keys Down
  settle
  counts+=($(( $(size) - before )))
done
sorted=($(printf '%s\n' "${counts[@]}" | sort -n))
median=${sorted[$((${#sorted[@]} / 2))]}
# A view scroll (Ctrl-E) with the selection on the last row: the highlight moves up with
# its row, so only the new bottom row has to be sent (room for H-3 scrolls).
[ "$SCROLLS" -lt $((H - 3)) ] || { echo "bench-engine: SCROLLS must be below $((H - 3))" >&2; exit 1; }
view=()
for _ in $(seq "$SCROLLS"); do
  before=$(size)
  tmux -L "$sock" send-keys C-e
  settle
  view+=($(( $(size) - before )))
done
vsorted=($(printf '%s\n' "${view[@]}" | sort -n))
vmedian=${vsorted[$((${#vsorted[@]} / 2))]}
before=$(size)
tmux -L "$sock" send-keys C-l
settle
repaint=$(( $(size) - before ))
echo "first frame (${W}x${H}, dark theme, 256 colours): $first_frame bytes"
echo "full repaint (Ctrl-L): $repaint bytes"
ratio() { awk "BEGIN { printf \"%.2f\", $1 / 200 }"; }
echo "one-row scroll, selection moving (Down at the last row; two rows restyled + status): median $median bytes, min ${sorted[0]}, max ${sorted[${#sorted[@]}-1]} over $SCROLLS ($(ratio "$median")x one 200-byte row)"
echo "one-row scroll, view only (Ctrl-E; one new row): median $vmedian bytes, min ${vsorted[0]}, max ${vsorted[${#vsorted[@]}-1]} over $SCROLLS ($(ratio "$vmedian")x one 200-byte row)"
