#!/usr/bin/env bash
# Benchmarks the Avesa HTTP server's JSON route against nginx serving the same bytes as a
# static file, on this machine, in the same run. Requires wrk and nginx (apt-get install -y wrk nginx-light).
# Usage: bench/http-server/run.sh [seconds-per-run=10] [soak-seconds=60]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-10}
SOAK=${2:-60}
AVESA_PORT=${AVESA_PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}
WORK=$(mktemp -d /tmp/avesa-http-bench.XXXXXX)
chmod 755 "$WORK"

echo "building BenchHTTPServer (release)…"
flock /tmp/avesa-build.lock swift build -c release --product BenchHTTPServer >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
BIN="$(swift build -c release --show-bin-path)/BenchHTTPServer"

# The same bytes the JSON route answers.
printf '%s' '{"message":"Hello, World!","id":42,"tags":["avesa","http"]}' >"$WORK/json"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/tmp;
    proxy_temp_path $WORK/tmp;
    fastcgi_temp_path $WORK/tmp;
    uwsgi_temp_path $WORK/tmp;
    scgi_temp_path $WORK/tmp;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location = /json { default_type application/json; alias $WORK/json; }
    }
}
CONF
mkdir -p "$WORK/tmp"

"$BIN" "$AVESA_PORT" 2 >"$WORK/avesa.log" 2>&1 &
AVESA_PID=$!
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
cleanup() {
    kill "$AVESA_PID" 2>/dev/null || true
    kill "$NGINX_PID" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$AVESA_PORT/json" >/dev/null && curl -sf "http://127.0.0.1:$NGINX_PORT/json" >/dev/null && break
    sleep 0.1
done
cmp <(curl -s "http://127.0.0.1:$AVESA_PORT/json") <(curl -s "http://127.0.0.1:$NGINX_PORT/json") || { echo "bodies differ"; exit 1; }

# run_wrk URL CONNECTIONS SECONDS -> "rps p99 errors"
run_wrk() {
    local threads=$(( $2 < 2 ? 1 : 2 ))
    local out
    out=$(wrk -t"$threads" -c"$2" -d"$3"s --latency "$1")
    local rps p99 errors non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Socket errors/ {gsub(",", ""); s=0; for (i=3; i<=NF; i+=2) s+=$(i+1); print s}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    echo "$rps $p99 $(( ${errors:-0} + ${non2xx:-0} ))"
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }

echo
echo "| connections | Avesa req/s | Avesa p99 | Avesa errors | nginx req/s | nginx p99 | nginx errors | Avesa/nginx |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in 1 64 256; do
    read -r a_rps a_p99 a_err <<<"$(run_wrk "http://127.0.0.1:$AVESA_PORT/json" "$c" "$DURATION")"
    read -r n_rps n_p99 n_err <<<"$(run_wrk "http://127.0.0.1:$NGINX_PORT/json" "$c" "$DURATION")"
    ratio=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.0f%%", 100 * a / n }')
    echo "| $c | $a_rps | $a_p99 | $a_err | $n_rps | $n_p99 | $n_err | $ratio |"
done

echo
rss_before=$(rss_kb "$AVESA_PID"); fd_before=$(fds "$AVESA_PID")
read -r s_rps s_p99 s_err <<<"$(run_wrk "http://127.0.0.1:$AVESA_PORT/json" 64 "$SOAK")"
sleep 1
rss_after=$(rss_kb "$AVESA_PID"); fd_after=$(fds "$AVESA_PID")
echo "soak ${SOAK}s @64 connections: $s_rps req/s, p99 $s_p99, errors $s_err"
echo "Avesa RSS before/after: ${rss_before} kB / ${rss_after} kB; open fds before/after: $fd_before / $fd_after"
