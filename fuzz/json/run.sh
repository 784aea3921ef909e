#!/bin/sh
# Builds the JSON fuzzer (libFuzzer + AddressSanitizer) from Sources/AvesaHost/JSON and runs it
# for a bounded time. FUZZ_SECONDS (default 60) bounds the run; extra arguments go to libFuzzer.
# New inputs go to .build/corpus (not committed); seeds come from corpus/.
set -eu
cd "$(dirname "$0")"
mkdir -p .build/corpus
flock /tmp/avesa-build.lock swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name AvesaJSONFuzz ../../Sources/AvesaHost/JSON/*.swift FuzzJSON.swift -o .build/fuzz-json
exec .build/fuzz-json .build/corpus corpus -dict=json.dict -max_len=4096 -timeout=10 \
    -max_total_time="${FUZZ_SECONDS:-60}" -print_final_stats=1 "$@"
