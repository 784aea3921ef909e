#!/usr/bin/env bash
# Benchmarks the connector HTTP engine against two libcurl baselines on the same pages:
#   - baseline.c: a minimal C program on libcurl's multi interface that keeps every body
#     in memory (the target: engine >= 0.90 of it),
#   - `curl --parallel` writing to /dev/null (shown for transparency).
# ROUNDS rounds alternate the three clients (order reversed every other round); the
# script prints each round and the medians. Needs nginx, curl, cc and libcurl headers
# (apt-get install -y nginx-light curl gcc libcurl4-openssl-dev).
#
# The whole run (build + measurement) holds /tmp/avesa-build.lock once, so builds and
# other benchmarks on the shared machine do not disturb it. Do not wrap this script in
# another flock on the same file.
set -euo pipefail
if [ -z "${AVESA_BENCH_LOCKED:-}" ]; then
    export AVESA_BENCH_LOCKED=1
    exec flock /tmp/avesa-build.lock "$0" "$@"
fi
cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-10000}
ROUNDS=${ROUNDS:-5}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-18091}
CLIENT_PHASE=${CLIENT_PHASE:-1}   # 0 skips the informational service-client + scan run
work=$(mktemp -d); chmod 755 "$work"
trap 'nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$work/page.json" <<'PY'
import json, sys
records = [{"id": i, "summary": "Printer offline on floor %d" % (i % 9), "status": {"id": 3, "name": "In Progress"},
            "company": {"id": i % 500, "identifier": "C%d" % (i % 500), "name": "Company %d" % (i % 500)},
            "board": {"id": 1, "name": "Help Desk"}, "priority": {"id": 2, "name": "Priority 2 - High"},
            "closedFlag": False, "actualHours": 1.25, "_info": {"lastUpdated": "2026-11-01T10:00:00Z", "updatedBy": "bot"}}
           for i in range(1000)]
json.dump(records, open(sys.argv[1], "w"))
PY
cat > "$work/nginx.conf" <<CONF
worker_processes 1; error_log $work/error.log; pid $work/nginx.pid;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 100000;
  server { listen 127.0.0.1:$PORT; root $work; location / { default_type application/json; } } }
CONF
nginx -p "$work" -c "$work/nginx.conf"
swift build -c release --product BenchHTTPEngine >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
bin=$(swift build -c release --show-bin-path)
cc -O2 -o "$work/baseline" bench/http-engine/baseline.c -lcurl
for i in $(seq 1 "$REQUESTS"); do echo "url = \"http://127.0.0.1:$PORT/page.json?page=$i\""; echo "output = /dev/null"; done > "$work/urls.txt"
page_bytes=$(stat -c %s "$work/page.json")
echo "== bench/http-engine: $ROUNDS rounds x $REQUESTS pages of 1000 records ($page_bytes bytes), $CONCURRENCY concurrent =="

engine() { "$bin/BenchHTTPEngine" "http://127.0.0.1:$PORT" "$REQUESTS" "$CONCURRENCY" raw; }
baseline() { "$work/baseline" "http://127.0.0.1:$PORT" "$REQUESTS" "$CONCURRENCY"; }
curlcli() {
    local start end
    start=$(date +%s.%N)
    # curl 7.88 draws its parallel progress meter even with -s: keep stderr for failures only.
    curl -s --fail --parallel --parallel-max "$CONCURRENCY" --parallel-immediate -K "$work/urls.txt" 2>"$work/curl.err" \
        || { cat "$work/curl.err" >&2; return 1; }
    end=$(date +%s.%N)
    python3 -c "s=$end-$start; print(f'{\"curl --parallel (to /dev/null)\":<34} {$REQUESTS/s:8.0f} pages/s {$REQUESTS*1000/s:10.0f} records/s {$REQUESTS*$page_bytes/s/1e6:8.1f} MB/s'); print(f'RESULT kind=curl pages=$REQUESTS seconds={s:.6f} bytes={$REQUESTS*$page_bytes} records={$REQUESTS*1000}')"
}

engine >/dev/null  # warm-up: page cache, binaries, nginx worker
for round in $(seq 1 "$ROUNDS"); do
    echo "-- round $round"
    if (( round % 2 )); then order="engine baseline curlcli"; else order="curlcli baseline engine"; fi
    for client in $order; do $client | tee -a "$work/results.txt" | grep -v '^RESULT'; done
    echo "ROUND_END" >> "$work/results.txt"
done
if [ "$CLIENT_PHASE" = 1 ]; then
    echo "-- service client + record scan (informational, not part of the ratio)"
    "$bin/BenchHTTPEngine" "http://127.0.0.1:$PORT" "$REQUESTS" "$CONCURRENCY" client | grep -v '^RESULT'
fi

python3 - "$work/results.txt" <<'PY'
import re, statistics, sys
rounds, current = [], {}
for line in open(sys.argv[1]):
    if line.startswith("ROUND_END"):
        rounds.append(current); current = {}
    elif line.startswith("RESULT"):
        f = dict(kv.split("=") for kv in line.split()[1:])
        p, s = int(f["pages"]), float(f["seconds"])
        current[f["kind"]] = {"pages/s": p / s, "records/s": int(f["records"]) / s, "MB/s": int(f["bytes"]) / s / 1e6}
print("\n   round   engine p/s   C base p/s   curl p/s   engine/C   engine/curl")
for i, r in enumerate(rounds, 1):
    e, c, k = r["engine"]["pages/s"], r["c"]["pages/s"], r["curl"]["pages/s"]
    print(f"   {i:5d}   {e:10.0f}   {c:10.0f}   {k:8.0f}   {e/c:8.2f}   {e/k:11.2f}")
med = {kind: {m: statistics.median(r[kind][m] for r in rounds) for m in ("pages/s", "records/s", "MB/s")}
       for kind in ("engine", "c", "curl")}
print("\nmedians over %d rounds:" % len(rounds))
for kind, name in (("engine", "engine (raw CurlEngine)"), ("c", "C baseline (libcurl multi)"), ("curl", "curl --parallel (to /dev/null)")):
    m = med[kind]
    print(f"  {name:<32} {m['pages/s']:8.0f} pages/s {m['records/s']:10.0f} records/s {m['MB/s']:8.1f} MB/s")
ratio = med["engine"]["pages/s"] / med["c"]["pages/s"]
print(f"ratio of medians engine/C baseline = {ratio:.2f} (target >= 0.90: {'met' if ratio >= 0.90 else 'NOT met'})")
print(f"ratio of medians engine/curl CLI   = {med['engine']['pages/s'] / med['curl']['pages/s']:.2f} (informational)")
PY
