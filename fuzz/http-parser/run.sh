#!/usr/bin/env bash
# Builds the HTTP request parser with libFuzzer + AddressSanitizer and fuzzes it.
# Usage: fuzz/http-parser/run.sh [seconds=60]   (extra libFuzzer flags may follow)
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-60}
shift || true
SRC=../../Sources/AvesaHost/HTTPServer
mkdir -p .build findings
work_corpus=.build/corpus
mkdir -p "$work_corpus"
cp -n corpus/* "$work_corpus"/ 2>/dev/null || true
flock /tmp/avesa-build.lock swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name AvesaHTTPFuzz \
    "$SRC/ASCII.swift" "$SRC/HTTPHeaders.swift" "$SRC/HTTPMethod.swift" "$SRC/HTTPVersion.swift" \
    "$SRC/HTTPStatus.swift" "$SRC/HTTPParseError.swift" "$SRC/HTTPRequestHead.swift" \
    "$SRC/HTTPRequestParser.swift" "$SRC/ServerLimits.swift" \
    FuzzHTTPParser.swift -o .build/fuzz-http-parser
# The committed seeds stay read-only; new inputs go to .build/corpus, crashes to findings/.
./.build/fuzz-http-parser -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=5 \
    -artifact_prefix=findings/ -dict=http.dict "$@" "$work_corpus" corpus
