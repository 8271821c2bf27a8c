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

lua() { # method, body, content type -> a wrk script file sending that request
  local f="$DIR/$RANDOM.lua"
  printf 'wrk.method = "%s"\nwrk.body = "%s"\nwrk.headers["Content-Type"] = "%s"\n' "$1" "$2" "$3" >"$f"
  echo "$f"
}

# The owner's default key, printed once on the first start.
first_key() { sed -n 's/^ *API key: *\(kw_[A-Za-z0-9_]*\).*/\1/p' "$DIR/out"; }

# CPU accounting around a measured run, so that a figure taken while something else was busy on
# the machine shows it: machine-wide busy time from /proc/stat, the server's own from
# /proc/PID/stat, wrk's from the shell's children times; the rest is other processes.
machine_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
server_jiffies() { awk '{print $14+$15}' "/proc/$PID/stat" 2>/dev/null || echo 0; }
# `times` (called in this shell, not in a subshell) prints the CPU time of the shell's finished
# children on its second line, e.g. "0m1.234s 0m0.567s"; this turns it into milliseconds.
cpu_ms() { awk '{ split($1,u,/[ms]/); split($2,s,/[ms]/); printf "%d", (u[1]*60+u[2]+s[1]*60+s[2])*1000 }'; }

# One measured wrk run with CPU accounting: prints wrk's figures, then a CPU line; sets OTHER to
# the CPU share (% of one core) taken by other processes. The CPU line also gives the server's
# and wrk's CPU time per request, and the rate that this cost allows when the server and wrk
# have every core to themselves (all cores / CPU per request): on a busy machine that projection
# is steadier than the measured rate, and on a quiet one the two agree when the run is CPU-bound.
measure() {
  local m0 s0 c0 t0 m1 s1 c1 t1 out
  times >"$DIR/times"; c0=$(tail -1 "$DIR/times" | cpu_ms)
  m0=$(machine_jiffies); s0=$(server_jiffies); t0=$(date +%s%N)
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | grep -E "requests in|Requests/sec|50%|99%|Non-2xx|Socket errors" || true)
  m1=$(machine_jiffies); s1=$(server_jiffies); t1=$(date +%s%N)
  times >"$DIR/times"; c1=$(tail -1 "$DIR/times" | cpu_ms)
  local cpu requests
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu=$(awk -v m=$((m1 - m0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v t=$(( (t1 - t0) / 1000000 )) -v r="${requests:-0}" \
      -v hz="$(getconf CLK_TCK)" -v n="$(nproc)" 'BEGIN {
    ms = 1000 / hz; total = m * ms; server = s * ms; other = total - server - c; if (other < 0) other = 0
    printf "%d|   CPU over the run (%% of one core, %d cores): server %.0f%%, wrk %.0f%%, other processes %.0f%%",
      100 * other / t, n, 100 * server / t, 100 * c / t, 100 * other / t
    if (r > 0) printf "\n   CPU per request: server %.1f us, wrk %.1f us -> %.0f requests/s with %d idle cores (projection)",
      1000 * server / r, 1000 * c / r, n * 1000 * r / (server + c), n }')
  OTHER=${cpu%%|*}
  printf '%s\n%s\n' "$(echo "$out" | grep -v 'requests in')" "${cpu#*|}"
}

# A figure is taken as quiet when other processes used at most this much CPU (% of one core).
QUIET_LIMIT=10

run() { # name, then wrk arguments: a 5 s warm-up (JIT), then the measured run
  local name="$1"; shift
  # KEYWARD_BENCH_ONLY=<regex> runs only the matching endpoints (e.g. 'refresh|introspect').
  [[ -z "${KEYWARD_BENCH_ONLY:-}" || "$name" =~ ${KEYWARD_BENCH_ONLY} ]] || return 0
  "${BEFORE_EACH_RUN:-true}"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$@" >/dev/null
  echo "== $name (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, after a 5 s warm-up)"
  # On a shared machine, KEYWARD_BENCH_ATTEMPTS=N repeats the measured run (up to N times) until
  # other processes stayed under QUIET_LIMIT, and reports that run or else the quietest one.
  local attempt best="" best_other=100000 result
  for attempt in $(seq 1 "${KEYWARD_BENCH_ATTEMPTS:-1}"); do
    "${BEFORE_EACH_RUN:-true}"
    result=$(measure "$@"; echo "$OTHER" >"$DIR/other")
    OTHER=$(cat "$DIR/other")
    if [ "$OTHER" -lt "$best_other" ]; then best="$result"; best_other=$OTHER; fi
    [ "$OTHER" -le "$QUIET_LIMIT" ] && break
  done
  echo "$best"
  [ "$best_other" -le "$QUIET_LIMIT" ] || echo "   ^ the machine was not quiet: this figure is not reliable"
}
