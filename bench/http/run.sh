#!/usr/bin/env bash
# HTTP throughput of `clipdex serve`: requests/s and p99 latency with wrk at 64 connections for
#   GET /api/clips/{id}, GET /api/search?q=..., GET /api/thumbnail/{id}
# and, as the reference in the same run, nginx serving the same thumbnail file.
# wrk repeats one request, so the server answers repeats from its response cache (docs/service/http-cache.md);
# the same routes are then measured on a second server with the cache off (http.response_cache_mb = 0), where
# every request runs its command.
# Needs: wrk, nginx (packages wrk nginx-light), ffmpeg. Usage: bench/http/run.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build}
duration=${1:-10}
connections=${2:-64}
threads=${WRK_THREADS:-2}
for tool in wrk nginx ffmpeg curl; do
  command -v "$tool" >/dev/null || { echo "bench/http needs $tool (apt-get install wrk nginx-light ffmpeg curl)" >&2; exit 2; }
done
work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run as www-data
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" XDG_DATA_HOME="$work/home/data" XDG_CONFIG_HOME="$work/home/config" CLIPDEX_CATALOG=""

echo "== catalog: 12 generated clips with subtitle transcripts"
mkdir -p "$work/footage"
words=(harbour sunrise interview drone kitchen market forest concert studio street beach mountain)
for i in $(seq 0 11); do
  printf '1\n00:00:00,000 --> 00:00:02,000\nthe %s scene number %d\n' "${words[$i]}" "$i" > "$work/sub$i.srt"
  ffmpeg -v error -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=$((300 + i * 40))" \
    -i "$work/sub$i.srt" -t 2 -map 0:v -map 1:a -map 2:s -c:v libx264 -preset veryfast -vf "hue=h=$((i * 30))" \
    -c:a aac -c:s mov_text -shortest "$work/footage/clip_$i.mp4"
done
"$build/bin/clipdex" ingest "$work/footage" --no-save-json >/dev/null 2>&1 || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() {  # port [extra args...]
  local at=$1
  shift
  "$build/bin/clipdex" "$@" serve --port "$at" 2>>"$work/serve.log" &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$at/api/health" >/dev/null && return; sleep 0.1; done
  echo "clipdex serve did not start; see its log:" >&2
  cat "$work/serve.log" >&2
  exit 1
}
port=$(free_port)
serve "$port"
echo '{"http": {"response_cache_mb": 0}}' > "$work/uncached.json"
uncached_port=$(free_port)
serve "$uncached_port" --config-file "$work/uncached.json"
clip=$(curl -sf "http://127.0.0.1:$port/api/clips?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
curl -sf -o "$work/thumb.jpg" "http://127.0.0.1:$port/api/thumbnail/$clip"

mkdir -p "$work/www"
cp "$work/thumb.jpg" "$work/www/thumb.jpg"
nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  types { image/jpeg jpg; }
  server { listen 127.0.0.1:$nginx_port; root $work/www; etag on; add_header Cache-Control "private, max-age=86400"; }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf"

run() {  # name url -> "name rps p99_ms"
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$2")
  local rps p99 errors
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
  printf '%-34s %12s %10s  %s\n' "$1" "$rps" "$p99" "$errors"
  echo "$1 $rps" >> "$work/rps"
}
echo "== wrk -t$threads -c$connections -d${duration}s (warm-up run first)"
wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$port/api/clips/$clip" >/dev/null
printf '%-34s %12s %10s\n' "route" "requests/s" "p99"
run "GET /api/clips/{id}" "http://127.0.0.1:$port/api/clips/$clip"
run "GET /api/search?q=harbour" "http://127.0.0.1:$port/api/search?q=harbour&type=fulltext"
run "GET /api/search?q=harbour (hybrid)" "http://127.0.0.1:$port/api/search?q=harbour"
run "GET /api/thumbnail/{id}" "http://127.0.0.1:$port/api/thumbnail/$clip"
run "nginx: same thumbnail file" "http://127.0.0.1:$nginx_port/thumb.jpg"
echo "== the same routes with the response cache off (every request runs its command)"
wrk -t"$threads" -c"$connections" -d2s "http://127.0.0.1:$uncached_port/api/clips/$clip" >/dev/null
run "uncached GET /api/clips/{id}" "http://127.0.0.1:$uncached_port/api/clips/$clip"
run "uncached GET /api/search?q=harbour" "http://127.0.0.1:$uncached_port/api/search?q=harbour&type=fulltext"
run "uncached search (hybrid)" "http://127.0.0.1:$uncached_port/api/search?q=harbour"
run "uncached GET /api/thumbnail/{id}" "http://127.0.0.1:$uncached_port/api/thumbnail/$clip"
python3 - "$work/rps" <<'PY'
import sys
rows = dict(line.rsplit(" ", 1) for line in open(sys.argv[1]).read().splitlines())
rps = {k: float(v) for k, v in rows.items()}
print("thumbnail / nginx: %.2fx (target >= 0.5x)" % (rps["GET /api/thumbnail/{id}"] / rps["nginx: same thumbnail file"]))
for key in ("GET /api/clips/{id}", "GET /api/search?q=harbour", "uncached GET /api/clips/{id}",
            "uncached GET /api/search?q=harbour"):
    print("%s: %.0f requests/s (target >= 10000)" % (key, rps[key]))
print("uncached thumbnail / nginx: %.2fx" % (rps["uncached GET /api/thumbnail/{id}"] / rps["nginx: same thumbnail file"]))
PY
