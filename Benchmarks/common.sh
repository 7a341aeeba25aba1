#!/usr/bin/env bash
# Shared by the benchmark scripts (sourced): logging, tools, the server's life cycle and signing in as a demo user.
# Callers set BIN (the kamae binary), PORT, BASE, WORK and DEMO_PASSWORD before using start_server or sign_in.

log() { printf '\n== %s\n' "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

need_apt() {  # command [package]
  local command=$1 package=${2:-$1}
  command -v "$command" >/dev/null && return 0
  log "installing $package"
  local sudo=""; [[ $(id -u) != 0 ]] && sudo=sudo
  $sudo apt-get install -y "$package" >/dev/null 2>&1 || { $sudo apt-get update >/dev/null && $sudo apt-get install -y "$package" >/dev/null; }
}

# ------------------------------------------------------------------ helpers

SERVER_PID=""
stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ns() { date +%s%N; }

# Launches `kamae serve` (extra arguments passed on) in this shell (not a subshell, so that SERVER_PID is kept)
# and sets STARTUP_MS to the milliseconds from launch until GET /health answers 200.
STARTUP_MS=""
start_server() {
  local logfile=$1; shift
  local t0 t1
  t0=$(now_ns)
  "$BIN" serve --hostname 127.0.0.1 --port "$PORT" "$@" >>"$logfile" 2>&1 &
  SERVER_PID=$!
  until curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/health" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$logfile" >&2; die "the server exited during start-up (log: $logfile)"; }
    (( ($(now_ns) - t0) / 1000000 < 120000 )) || die "no /health 200 within 120 s (log: $logfile)"
    sleep 0.005
  done
  t1=$(now_ns)
  STARTUP_MS=$(( (t1 - t0) / 1000000 ))
}

# Waits (at most 60 s) until the process uses less than 5% of a core over half a second.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wait_idle() {
  local pid=$1 before after
  for _ in $(seq 1 120); do
    before=$(cpu_ticks "$pid"); sleep 0.5; after=$(cpu_ticks "$pid")
    (( after - before <= 2 )) && return 0
  done
  echo "run.sh: the server was still busy after 60 s" >&2
}
rss_kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# Percentage of all cores busy during one second (other builds on a shared machine show up here).
cpu_busy_pct() {
  local a b
  a=$(head -1 /proc/stat); sleep 1; b=$(head -1 /proc/stat)
  python3 -c 'import sys
a, b = ([int(x) for x in line.split()[1:]] for line in sys.argv[1:])
d = [y - x for x, y in zip(a, b)]
print(round(100 * (sum(d) - d[3] - d[4]) / max(sum(d), 1)))' "$a" "$b"
}
csrf_of() { grep -o '<input[^>]*name="_csrf"[^>]*>' | sed -n 1p | grep -o 'value="[^"]*"' | cut -d'"' -f2; }

# Signs in and prints the session cookie's value. The demo administrator's second factor is the code that the demo
# accounts' MFA page shows (their TOTP secret is published with the demo password).
sign_in() {
  local login=$1 jar headers status location value page csrf code
  jar=$(mktemp "$WORK/jar.XXXXXX"); headers=$(mktemp "$WORK/headers.XXXXXX")
  status=$(curl -sS -o /dev/null -D "$headers" -w '%{http_code}' -c "$jar" --data-urlencode "login=$login" --data-urlencode "password=$DEMO_PASSWORD" "$BASE/login")
  [[ $status == 303 || $status == 302 || $status == 200 ]] || die "sign-in as $login answered $status"
  location=$(awk 'tolower($1) == "location:" { print $2 }' "$headers" | tr -d '\r')
  if [[ $location == /login/mfa* ]]; then
    page=$(curl -sS -b "$jar" "$BASE$location")
    csrf=$(csrf_of <<<"$page")
    code=$(grep -o '<p[^>]*id="demo-code"[^>]*>.*</strong>' <<<"$page" | grep -o '<strong>[0-9]*</strong>' | grep -o '[0-9]*')
    [[ -n "$csrf" && -n "$code" ]] || die "no demo code on the MFA page for $login"
    status=$(curl -sS -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "code=$code" "$BASE/login/mfa")
    [[ $status == 303 ]] || die "second factor for $login answered $status"
  fi
  value=$(awk '$6 == "kamae_session" { print $7 }' "$jar" | tail -1)
  [[ -n "$value" ]] || die "sign-in as $login set no kamae_session cookie"
  echo "$value"
}


# ------------------------------------------------------------------ set-up shared by the database benchmarks

# Builds the release binary into $SCRATCH unless SKIP_BUILD=1, and checks that $BIN exists.
build_release() {
  if [[ ${SKIP_BUILD:-0} == 0 ]]; then
    log "building the release binary"
    (cd "$ROOT" && swift build -c release --product kamae --scratch-path "$SCRATCH") >/tmp/kamae-bench-build.$$.log 2>&1 \
      || { tail -30 /tmp/kamae-bench-build.$$.log >&2; die "release build failed"; }
  fi
  [[ -x "$BIN" ]] || die "no release binary at $BIN (run without --skip-build)"
}

# Points Kamae at a wiped PostgreSQL database ($PG_URL) or a new SQLite file in $WORK; sets DB to the kind and
# exports the audit key and log level the benchmarks run with.
use_database() {
  if [[ -n "$PG_URL" ]]; then
    DB=postgres
    log "resetting the public schema of $(sed -E 's#//[^@]*@#//***@#' <<<"$PG_URL")"
    PGOPTIONS='-c client_min_messages=warning' psql "$PG_URL" -q -v ON_ERROR_STOP=1 -c 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;' >/dev/null
    export KAMAE_DATABASE_URL="$PG_URL"
  else
    DB=sqlite
    export KAMAE_DATABASE_URL="sqlite:$WORK/kamae.sqlite"
  fi
  export KAMAE_AUDIT_KEY_FILE="$WORK/audit.key"
  export KAMAE_LOG_LEVEL=warning
}
