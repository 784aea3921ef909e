#!/usr/bin/env bash
# Benchmarks the connector HTTP engine against `curl --parallel` on the same pages.
# Needs nginx and curl (apt-get install -y nginx-light curl). Prints pages/s and the ratio.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-3000}
PORT=${PORT:-18091}
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
flock /tmp/avesa-build.lock swift build -c release --product BenchHTTPEngine >/dev/null
bin=$(swift build -c release --show-bin-path)
echo "== bench/http-engine: $REQUESTS pages of 1000 records ($(stat -c %s "$work/page.json") bytes), 32 concurrent =="
"$bin/BenchHTTPEngine" "http://127.0.0.1:$PORT" "$REQUESTS" 32 | tee "$work/out.txt"
for i in $(seq 1 "$REQUESTS"); do echo "url = \"http://127.0.0.1:$PORT/page.json?page=$i\""; echo "output = /dev/null"; done > "$work/urls.txt"
start=$(date +%s.%N)
curl -s --parallel --parallel-max 32 --parallel-immediate -K "$work/urls.txt"
end=$(date +%s.%N)
curl_rate=$(python3 -c "print(f'{$REQUESTS/($end-$start):.1f}')")
printf '%-34s %8s pages/s\n' "baseline (curl --parallel 32)" "$curl_rate"
raw=$(sed -n 's/.*raw_pages_per_s=\([0-9.]*\).*/\1/p' "$work/out.txt")
client=$(sed -n 's/.*client_pages_per_s=\([0-9.]*\).*/\1/p' "$work/out.txt")
python3 -c "print(f'ratio engine/curl = {$raw/$curl_rate:.2f}   ratio client+scan/curl = {$client/$curl_rate:.2f}   (target >= 0.90)')"
