#!/bin/sh
# A sample Auto-Send gateway for handlet (docs/gateway.md): appends each message it is given, one
# JSON object per line, to a file, and exits 0 ("delivered"). A real gateway posts the message to
# an SMS/WhatsApp/email provider instead, passing `idempotency_key` on so the provider drops a
# message offered twice (after a crash or a retry), and exits non-zero when the provider refuses.
#
#   handlet autosend set --gateway /path/to/gateway-sample.sh
#   HANDLET_GATEWAY_LOG=/tmp/sent.jsonl handlet queue deliver
#
# The message arrives on standard input as one line of JSON; `cat` copies it whole. `>>` on one
# short line is a single append, so two runs never interleave their lines.
set -eu
log="${HANDLET_GATEWAY_LOG:-${TMPDIR:-/tmp}/handlet-gateway-sent.jsonl}"
cat >>"$log"
