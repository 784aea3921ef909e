#!/usr/bin/env bash
# Builds BenchSCD2 in release mode (under the shared build lock) and runs it.
# Usage: bench/scd2/run.sh [records=1000000] [batch=1000] [dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
flock /tmp/avesa-build.lock swift build -c release --product BenchSCD2
exec "$(swift build -c release --show-bin-path)/BenchSCD2" "$@"
