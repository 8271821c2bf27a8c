# Shared by the load scripts (sourced, not run): arguments, a fresh data folder, starting and
# stopping the built server on 127.0.0.1, and one wrk run with a warm-up. Everything is cleaned
# up on exit.
# Needs: ROOT and DEFAULT_PORT set by the caller; arguments [seconds] [connections] [wrk threads].
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
THREADS="${3:-1}"
PORT="${KEYWARD_BENCH_PORT:-$DEFAULT_PORT}"
B="http://127.0.0.1:$PORT"
ADMIN_PASSWORD="bench-password-123"
command -v wrk >/dev/null || { echo "bench: needs wrk (apt-get install wrk)" >&2; exit 3; }
[ -n "${KEYWARD_SKIP_BUILD:-}" ] || "$ROOT/keyward" build # set KEYWARD_SKIP_BUILD to use what is built
export KEYWARD_SKIP_BUILD=1

DIR="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

start() { # starts the server on $DIR/data (extra serve options as arguments) and waits until it listens
  KEYWARD_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$ROOT/keyward" serve --port "$PORT" --data-dir "$DIR/data" "$@" >"$DIR/out" 2>"$DIR/err" &
  PID=$!
  for _ in $(seq 1 300); do
    grep -q "listening on" "$DIR/err" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench: server did not start" >&2; cat "$DIR/err" >&2; exit 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

# The owner's default key, printed once on the first start.
first_key() { sed -n 's/^ *API key: *\(kw_[A-Za-z0-9_]*\).*/\1/p' "$DIR/out"; }

lua() { # method, body, content type -> a wrk script file sending that request
  local f="$DIR/$RANDOM.lua"
  printf 'wrk.method = "%s"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "%s"\n' "$1" "$2" "$3" >"$f"
  echo "$f"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; } # the server's user + system CPU, in clock ticks

run() { # name, then wrk arguments: a 5 s warm-up (JIT), then the measured run and the server's CPU time per request
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" >/dev/null
  echo "== $name (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, after a 5 s warm-up)"
  local before after out n
  before="$(cpu_ticks)"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@")"
  after="$(cpu_ticks)"
  echo "$out" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
  n="$(echo "$out" | sed -n 's/^ *\([0-9][0-9]*\) requests in.*/\1/p')"
  [ -z "$n" ] || awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$n" \
    'BEGIN { printf "Server CPU/request: %.1f us\n", t / hz * 1e6 / n }'
}
