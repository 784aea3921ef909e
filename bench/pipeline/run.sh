#!/usr/bin/env bash
# Builds BenchPipeline and the connector plugins in release mode (under the shared build
# lock) and runs it from the repository root (it reads ./mappings and loads the plugins
# next to the binary).
# Usage: bench/pipeline/run.sh [--scale 2000] [--multi-scale 0.1] [--tenants 200] [--phases single,multi] [--dir DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
flock /tmp/avesa-build.lock swift build -c release > /tmp/bench-build.log 2>&1 || { tail -40 /tmp/bench-build.log; exit 1; }
exec "$(swift build -c release --show-bin-path)/BenchPipeline" "$@"
