#!/usr/bin/env bash
# Bounded load test of the verification API on loopback (127.0.0.1 only): starts Keyward from the
# built jar on a fresh data folder with the algorithm-hosting routes, creates a verifier (a
# programmatic user whose role grants keyward:verify) and a consumer key whose resource pattern
# algo://acme/* covers the call, then runs wrk (5 s warm-up, then the measured run) against
#   GET  /health/live                                   (the fixed answer: the ceiling)
#   POST /api/v1/verify {"credential","method":"POST","path":"/v1/algo/acme/resize"}
#        as the verifier, for the cached consumer key (route, credential, permission, resource)
# and reports requests/s, p50/p99, the server's CPU time per request and the ratio verify / health
# (target: at least 80 %), by requests/s and by CPU per request (the latter holds up better when
# other programs share the machine).
# Stops by itself.
# Usage: bench/load-verify.sh [seconds per run, default 10] [connections, default 32] [wrk threads, default 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_PORT=18183
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

start --routes "$ROOT/examples/routes/algorithms.yaml"
OWNER=(-u "admin@localhost:$ADMIN_PASSWORD" -H 'Content-Type: application/json')
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

curl -s "${OWNER[@]}" -d '{"name":"verifier","permissions":["keyward:verify"]}' "$B/api/v1/roles" >/dev/null
VERIFIER="$(curl -s "${OWNER[@]}" -d '{"email":"verifier@bench.example","name":"Verifier","programmatic":true,"roles":["verifier"]}' \
  "$B/api/v1/users" | field defaultKey)"
CONSUMER_ID="$(curl -s "${OWNER[@]}" -d '{"email":"consumer@bench.example","name":"Consumer","programmatic":true,"roles":["consumer"]}' \
  "$B/api/v1/users" | field id)"
KEY="$(curl -s "${OWNER[@]}" -d "{\"name\":\"bench\",\"userId\":\"$CONSUMER_ID\",\"resources\":[\"algo://acme/*\"]}" "$B/api/v1/keys" | field key)"
BODY="{\\\"credential\\\":\\\"$KEY\\\",\\\"method\\\":\\\"POST\\\",\\\"path\\\":\\\"/v1/algo/acme/resize\\\"}"
verify_once() {
  curl -s -H "Authorization: Bearer $VERIFIER" -H 'Content-Type: application/json' \
    -d "{\"credential\":\"$KEY\",\"method\":\"POST\",\"path\":\"/v1/algo/acme/resize\"}" "$B/api/v1/verify"
}
[ -n "$VERIFIER" ] && [ -n "$KEY" ] && verify_once | grep -q '"code":"VALID"' || {
  echo "bench: set-up failed: $(verify_once)" >&2; cat "$DIR/err" >&2; exit 1; }

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
cpu() { sed -n 's/^Server CPU\/request: *\([0-9.]*\).*/\1/p'; }
run "GET /health/live" "$B/health/live" | tee "$DIR/health"
run "POST /api/v1/verify (cached key, route with a resource pattern)" -s "$(lua POST "$BODY" application/json)" \
  -H "Authorization: Bearer $VERIFIER" "$B/api/v1/verify" | tee "$DIR/verify"
verify_once | grep -q '"code":"VALID"' || { echo "bench: the key was not VALID after the run" >&2; exit 1; }
awk -v v="$(rps <"$DIR/verify")" -v h="$(rps <"$DIR/health")" -v cv="$(cpu <"$DIR/verify")" -v ch="$(cpu <"$DIR/health")" 'BEGIN {
  printf "== verify / health: %.0f %% of the requests/s (target: at least 80 %%)", 100 * v / h
  if (cv > 0) printf "; %.0f %% by server CPU per request (health %s us, verify %s us)", 100 * ch / cv, ch, cv
  printf "\n" }'
