#!/usr/bin/env bash
# Installs handlet under PREFIX: the binary, its manual pages, shell completions (bash, zsh,
# fish) and the theme files to copy and edit.
#
#   scripts/install.sh PREFIX          e.g. scripts/install.sh /usr/local, or ~/.local
#
# Builds the release binary first (about 7 minutes the first time). HANDLET_BINARY=PATH installs
# an already-built binary instead. Nothing is written outside PREFIX.
set -euo pipefail
if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: scripts/install.sh PREFIX" >&2
  exit 64
fi
prefix=$1
cd "$(dirname "$0")/.."

if [ -n "${HANDLET_BINARY:-}" ]; then
  binary=$HANDLET_BINARY
else
  # The Swift runtime and Foundation linked in, at a fixed address (scripts/release-build.sh).
  binary=$(scripts/release-build.sh)
fi
[ -x "$binary" ] || { echo "install.sh: no handlet binary at $binary" >&2; exit 66; }

# argument-parser's manual generator reads the command tree from the binary itself, so the pages
# always match the flags the installed binary takes.
# HANDLET_GENERATE_MANUAL=PATH uses an already-built generator (the test suite does: a build
# started while `swift test` runs would wait for the test run's lock on .build).
if [ -n "${HANDLET_GENERATE_MANUAL:-}" ]; then
  generate_manual=$HANDLET_GENERATE_MANUAL
else
  swift build --product generate-manual >/dev/null
  generate_manual="$(swift build --show-bin-path)/generate-manual"
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/man1"
"$generate_manual" "$binary" --multi-page --section 1 --output-directory "$staging/man1" >/dev/null
for shell in bash zsh fish; do
  "$binary" --generate-completion-script "$shell" > "$staging/completion.$shell"
done

install -d "$prefix/bin" "$prefix/share/man/man1" "$prefix/share/handlet/themes" \
  "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$prefix/bin/handlet"
install -m 0644 "$staging"/man1/*.1 "$prefix/share/man/man1/"
install -m 0644 Themes/*.theme "$prefix/share/handlet/themes/"
install -m 0644 "$staging/completion.bash" "$prefix/share/bash-completion/completions/handlet"
install -m 0644 "$staging/completion.zsh" "$prefix/share/zsh/site-functions/_handlet"
install -m 0644 "$staging/completion.fish" "$prefix/share/fish/vendor_completions.d/handlet.fish"
echo "Installed handlet in $prefix/bin, its manual (man handlet), completions for bash, zsh and fish, and themes in $prefix/share/handlet/themes."
