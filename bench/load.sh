#!/usr/bin/env bash
# Bounded load test on loopback (127.0.0.1 only). Starts Keyward from the built jar on a fresh
# data folder, measures start-up time on the existing store (5 restarts), then runs wrk against
# GET /health/live and GET /api/v1/me with a Bearer key (a cached-key authentication), and
# samples the server's resident memory under load. Stops by itself.
# Each endpoint gets a 5 s warm-up run (JIT) that is not reported.
# Usage: bench/load.sh [seconds per run, default 10] [connections, default 32] [wrk threads, default 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_PORT=18181
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

start
KEY="$(first_key)"
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
run "GET /health/live" "http://127.0.0.1:$PORT/health/live"
run "GET /api/v1/me with 'Authorization: Bearer <key>' (cached key)" -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/api/v1/me"
kill "$SAMPLER" 2>/dev/null || true
echo "== peak resident memory under load: $(( $(cat "$DIR/peak" 2>/dev/null || echo 0) / 1024 )) MB"
