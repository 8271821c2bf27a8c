#!/usr/bin/env bash
# Bounded load test of the token endpoints on loopback (127.0.0.1 only): starts Keyward from the
# built jar on a fresh data folder, then runs wrk (5 s warm-up, then the measured run) against
#   POST /api/v1/token  grant_type=client_credentials, client = an API key (Basic key:)
#   POST /auth/api-key  {"apiKey": …}                   (a refresh token is stored each time)
#   POST /auth/refresh  {"refreshToken": …}             (each answer's token feeds a later request)
#   POST /oauth/introspect token=<access token>          (admin key as caller)
# and reports requests/s with p50/p99. Stops by itself.
# Usage: bench/load-tokens.sh [seconds per run, default 10] [connections, default 32] [wrk threads, default 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_PORT=18182
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"

start
KEY="$(first_key)"
ADMIN_KEY="$(curl -s -u "admin@localhost:$ADMIN_PASSWORD" -H 'Content-Type: application/json' -d '{"name":"bench-admin","admin":true}' "$B/api/v1/keys" | sed -n 's/.*"key":"\(kw_[A-Za-z0-9_]*\)".*/\1/p')"
TOKEN="$(curl -s -u "$KEY:" -d grant_type=client_credentials "$B/api/v1/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')"
[ -n "$KEY" ] && [ -n "$ADMIN_KEY" ] && [ -n "$TOKEN" ] || { echo "bench: set-up failed" >&2; cat "$DIR/err" >&2; exit 1; }

BASIC="$(printf '%s:' "$KEY" | base64 -w0)"
run "POST /api/v1/token client_credentials (API key)" -s "$(lua POST 'grant_type=client_credentials' application/x-www-form-urlencoded)" \
  -H "Authorization: Basic $BASIC" "$B/api/v1/token"
run "POST /auth/api-key" -s "$(lua POST "{\\\"apiKey\\\":\\\"$KEY\\\"}" application/json)" "$B/auth/api-key"
# Refresh tokens are single use: each wrk run starts from a pool (bench/refresh.lua) of fresh
# ones, a few per connection, and feeds every answer's new token back into it.
SHARE=$(( CONNECTIONS / THREADS * 2 + 8 ))
seed_refresh_tokens() {
  for _ in $(seq 1 $(( SHARE * THREADS ))); do
    curl -s -w '\n' -H 'Content-Type: application/json' -d "{\"apiKey\":\"$KEY\"}" "$B/auth/api-key" | sed -n 's/.*"refresh_token":"\(kwr_[A-Za-z0-9_]*\)".*/\1/p'
  done >"$DIR/refresh-tokens"
}
BEFORE_EACH_RUN=seed_refresh_tokens run "POST /auth/refresh (chained refresh tokens)" -s "$ROOT/bench/refresh.lua" "$B/auth/refresh" -- "$DIR/refresh-tokens" "$SHARE"
run "POST /oauth/introspect (cached token)" -s "$(lua POST "token=$TOKEN" application/x-www-form-urlencoded)" \
  -H "Authorization: Bearer $ADMIN_KEY" "$B/oauth/introspect"
