#!/bin/sh
# Builds BenchJSON in release (under the shared build lock) and runs it.
# BENCH_SECONDS=<s> sets the measuring time per method (default 1.0).
set -eu
cd "$(dirname "$0")/../.."
flock /tmp/avesa-build.lock swift build -c release --product BenchJSON
BIN="$(flock /tmp/avesa-build.lock swift build -c release --show-bin-path)"
exec "$BIN/BenchJSON" "$@"
