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
# KEYWARD_SKIP_BUILD=1 uses what is already built (e.g. by `mvn package` in a worktree).
[ -n "${KEYWARD_SKIP_BUILD:-}" ] || "$ROOT/keyward" build
export KEYWARD_SKIP_BUILD=1

DIR="$(mktemp -d)"
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT

start() { # starts the server on $DIR/data and waits until it listens
  KEYWARD_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$ROOT/keyward" serve --port "$PORT" --data-dir "$DIR/data" >"$DIR/out" 2>"$DIR/err" &
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

run() { # name, then wrk arguments: a 5 s warm-up (JIT), then the measured run
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" >/dev/null
  echo "== $name (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, after a 5 s warm-up)"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" || true
}
