#!/usr/bin/env bash
# Builds handlet as it is installed and prints the binary's path: release, the Swift runtime and
# Foundation linked in (`--static-swift-stdlib`: nothing of theirs to load at each start), and at a
# fixed address (`-no-pie`): a position-independent binary of this size carries ~118,000 relative
# relocations that the loader applies at every start, touching ~330 pages, about 4.7 ms of CPU per
# run (issue 26, BENCHMARKS.md "Near the floor"). Shared libraries (SQLite, ncursesw, libc) still
# load at random addresses. The flag needs the static runtime: with the shared one the loader warns
# on every run, so `swift run handlet` and the tests keep the default.
#
#   scripts/release-build.sh [SCRATCH]    SCRATCH: the --scratch-path (default .build)
# HANDLET_BUILD_NICE=N runs the build under `nice -n N`.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${1:-.build}
flags=(-c release --product handlet --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie --scratch-path "$scratch")
nice -n "${HANDLET_BUILD_NICE:-0}" swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/handlet"
