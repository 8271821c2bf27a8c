#!/usr/bin/env bash
# Bounded load test on loopback (127.0.0.1 only). Starts Keyward from the built jar on a fresh
# data folder, measures start-up time on the existing store (5 restarts), then runs wrk against
# GET /health/live and GET /api/v1/me with a Bearer key (a cached-key authentication), and
# samples the server's resident memory under load. Stops by itself.
# Each endpoint gets a 5 s warm-up run (JIT) that is not reported.
# Usage: bench/load.sh [seconds per run, default 10] [connections, default 32] [wrk threads, default 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS="${3:-1}"
PORT="${KEYWARD_BENCH_PORT:-18181}"
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)" >&2; exit 3; }
"$ROOT/keyward" build
export KEYWARD_SKIP_BUILD=1

DIR="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

start() {
  KEYWARD_ADMIN_PASSWORD="bench-password-123" "$ROOT/keyward" serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/out" 2>"$DIR/err" &
  PID=$!
  for _ in $(seq 1 300); do
    grep -q "listening on" "$DIR/err" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: server did not start" >&2; cat "$DIR/err" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

start
KEY="$(sed -n 's/^ *API key: *\(kw_[A-Za-z0-9_]*\).*/\1/p' "$DIR/out")"
stop

echo "== start-up on an existing store (5 restarts; 'ready' = store opened + migrated + listening)"
for i in 1 2 3 4 5; do
  : >"$DIR/err"
  start
  sed -n 's/.*\(ready in .*\)$/  \1/p' "$DIR/err"
  stop
done

start
peak=0
sample() { while kill -0 "$PID" 2>/dev/null; do r=$(ps -o rss= -p "$PID" | tr -d ' '); [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" >"$DIR/peak"; sleep 0.5; done; }
sample &
SAMPLER=$!
run() { # name, then wrk arguments
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" >/dev/null
  echo "== $name (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, after a 5 s warm-up)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
}
run "GET /health/live" "http://127.0.0.1:$PORT/health/live"
run "GET /api/v1/me with 'Authorization: Bearer <key>' (cached key)" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/me"
kill "$SAMPLER" 2>/dev/null || true
echo "== peak resident memory under load: $(( $(cat "$DIR/peak" 2>/dev/null || echo 0) / 1024 )) MB"
