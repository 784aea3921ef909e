#!/usr/bin/env bash
# Builds BenchAPI in release mode (under the shared build lock) and runs it. Needs wrk
# (`apt-get install -y wrk`). The warehouse (1M tickets, 3M time entries, ~1.5 GB) is built
# on the first run and reused afterwards unless --rebuild.
# Usage: bench/api/run.sh [--tickets 1000000] [--entries 3000000] [--connections 64] [--duration 10] [--dir DIR] [--rebuild] [--explain]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
flock /tmp/avesa-build.lock swift build -c release --product BenchAPI > /tmp/bench-build.log 2>&1 || { tail -40 /tmp/bench-build.log; exit 1; }
exec "$(swift build -c release --show-bin-path)/BenchAPI" "$@"
