#!/usr/bin/env bash
# Bounded load test of gateway mode on loopback (127.0.0.1 only). Starts a trivial upstream API
# (bench module's TrivialUpstream: a fixed 17-byte JSON answer), measures both of its servers
# (Helidon SE, JDK HttpServer on virtual threads) directly and keeps the faster one, measures a
# bare proxy (bench module's BareProxy) with each candidate client of the gateway, then starts
# Keyward from the built jar with --upstream and a one-route routes file, and runs wrk through
# the gateway with the owner's default key (a cached key after the warm-up), at the given number
# of connections and then at one. Reports requests/s, p50 and p99 of each run, and the latency
# the gateway adds. Stops by itself.
# Each run gets a 5 s warm-up (JIT) that is not reported. The CPU lines count Keyward and the
# upstream together as "server"; KEYWARD_BENCH_ATTEMPTS=N retries a run until the machine was
# quiet (see bench/lib.sh).
# Usage: bench/load-gateway.sh [seconds per run, default 10] [connections, default 32] [wrk threads, default 1]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEFAULT_PORT=18185
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
UP_PORT="${KEYWARD_BENCH_UPSTREAM_PORT:-18186}"
UP="http://127.0.0.1:$UP_PORT"
JAVA_HOME="$("$ROOT/keyward" java-home)"
UP_PID=""
cleanup_all() { [ -n "$UP_PID" ] && kill "$UP_PID" 2>/dev/null || true; cleanup; }
trap cleanup_all EXIT

upstream() { # helidon|jdk: starts the trivial upstream and waits until it answers
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m -Xmx256m -cp "$ROOT/bench/target/keyward-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" \
    dev.keyward.bench.TrivialUpstream "$1" "$UP_PORT" 2>"$DIR/upstream.err" &
  UP_PID=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$UP/hello" && return 0
    sleep 0.1
  done
  echo "bench: upstream did not start" >&2; cat "$DIR/upstream.err" >&2; exit 1
}
upstream_stop() { kill "$UP_PID"; wait "$UP_PID" 2>/dev/null || true; UP_PID=""; }
# The system under test is Keyward and the upstream: both count as "server" in the CPU lines.
server_jiffies() {
  local total=0 p v
  for p in $PID $UP_PID; do
    v=$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + v))
  done
  echo "$total"
}

record() { # file name, title, then wrk arguments: prints the run and keeps it in $DIR/<file>.txt
  local file="$1"; shift
  run "$@" | tee "$DIR/$file.txt"
}
rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$DIR/$1.txt"; }
p99ms() { # the 99th percentile of a run, in ms
  awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } }' "$DIR/$1.txt"
}

upstream helidon
record upstream-helidon "upstream alone: Helidon SE" "$UP/hello"
upstream_stop
upstream jdk
record upstream-jdk "upstream alone: JDK HttpServer, virtual threads" "$UP/hello"
upstream_stop
FASTER=$(awk -v h="$(rps upstream-helidon)" -v j="$(rps upstream-jdk)" 'BEGIN { print (h >= j) ? "helidon" : "jdk" }')
echo "== upstream behind the gateway: $FASTER (the faster one)"
upstream "$FASTER"

# The two candidate clients of the gateway, in a bare proxy (no decision, no header rules).
PROXY_PORT="${KEYWARD_BENCH_PROXY_PORT:-18187}"
for client in helidon jdk; do
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms32m -Xmx160m -cp "$ROOT/bench/target/keyward-bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" \
    dev.keyward.bench.BareProxy "$client" "$PROXY_PORT" "$UP_PORT" 2>"$DIR/proxy.err" &
  PID=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$PROXY_PORT/hello" && break; sleep 0.1; done
  record "bare-$client" "GET /hello through a bare proxy, $client client (no decision)" "http://127.0.0.1:$PROXY_PORT/hello"
  stop
done

cat >"$DIR/routes.yaml" <<'ROUTES'
routes:
  - method: GET
    path: /hello
    permission: hello:read
ROUTES
start --upstream "$UP" --routes "$DIR/routes.yaml"
KEY="$(first_key)"
[ -n "$KEY" ] || { echo "bench: no key printed" >&2; cat "$DIR/err" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$B/hello")
[ "$status" = 200 ] || { echo "bench: a call through the gateway answered $status" >&2; cat "$DIR/err" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "$B/hello")" = 401 ] || { echo "bench: the gateway let a call without a key through" >&2; exit 1; }

p50ms() { # the median of a run, in ms
  awk '$1 == "50%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v + 0 } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } }' "$DIR/$1.txt"
}
added() { # gateway run, direct run: the latency the gateway adds
  awk -v g50="$(p50ms "$1")" -v d50="$(p50ms "$2")" -v g99="$(p99ms "$1")" -v d99="$(p99ms "$2")" \
    'BEGIN { printf "p50 +%.2f ms (%.2f vs %.2f), p99 +%.2f ms (%.2f vs %.2f)", g50 - d50, g50, d50, g99 - d99, g99, d99 }'
}

record upstream-direct "GET /hello, upstream called directly (Keyward running, idle)" "$UP/hello"
record gateway "GET /hello through the gateway, 'Authorization: Bearer <key>' (cached key)" -H "Authorization: Bearer $KEY" "$B/hello"
# The same with one connection: the latency of the extra hop itself, without queueing for the CPU.
SATURATED_CONNECTIONS="$CONNECTIONS"
CONNECTIONS=1
record upstream-direct-1 "GET /hello, upstream called directly, 1 connection" "$UP/hello"
record gateway-1 "GET /hello through the gateway, 1 connection" -H "Authorization: Bearer $KEY" "$B/hello"
echo "== added by the gateway at $SATURATED_CONNECTIONS connections: $(added gateway upstream-direct)"
echo "== added by the gateway at 1 connection: $(added gateway-1 upstream-direct-1)"
echo "== throughput through the gateway: $(awk -v g="$(rps gateway)" -v d="$(rps upstream-direct)" 'BEGIN { printf "%.0f %% of the upstream called directly", 100 * g / d }')"
