#!/usr/bin/env bash
# The self-assessment benchmark of issue 4: cold start, export/import, the answers API under wrk, audited updates,
# the assessment page with 200 connections, and memory — on SQLite and, with --postgres URL, on PostgreSQL.
#
#   bash Benchmarks/assessment/run.sh [--postgres postgres://user:pw@127.0.0.1:5432/db] [--skip-build] [--quick]
#
# The PostgreSQL database given is wiped (DROP SCHEMA public CASCADE). Everything runs on 127.0.0.1; every load
# run is bounded in time. Results: Benchmarks/assessment/results-<db>.json and a table on stdout.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRATCH="$ROOT/.build-release"
BIN="$SCRATCH/release/kamae"
PG_URL=""
SKIP_BUILD=0
QUICK=0  # shorter runs, for checking the script itself; figures from --quick are not the benchmark

while [[ $# -gt 0 ]]; do
  case "$1" in
    --postgres) PG_URL="${2:?--postgres needs a URL}"; shift 2 ;;
    --postgres=*) PG_URL="${1#--postgres=}"; shift ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -n "$PG_URL" && ! "$PG_URL" =~ ^postgres(ql)?:// ]]; then
  echo "run.sh: --postgres expects postgres://user:password@host:port/database" >&2; exit 2
fi

if [[ $QUICK == 1 ]]; then
  N_EXPORT=10; N_IMPORT=4; N_UPDATE=40; WRK_SECONDS=3; WRK_SHORT=2
else
  N_EXPORT=50; N_IMPORT=20; N_UPDATE=300; WRK_SECONDS=15; WRK_SHORT=5
fi
DEMO_PASSWORD=kamae-demo-2026

source "$HERE/../common.sh"

# ------------------------------------------------------------------ tools and binary

need_apt wrk
need_apt curl
command -v python3 >/dev/null || die "python3 is required"
python3 -c 'import requests' 2>/dev/null || die "python3 needs the requests package (pip install requests)"
HAVE_HYPERFINE=0; command -v hyperfine >/dev/null && HAVE_HYPERFINE=1
if [[ -n "$PG_URL" ]]; then need_apt psql postgresql-client; fi

if [[ $SKIP_BUILD == 0 ]]; then
  log "building the release binary (incremental; the first build takes ~10 minutes on 2 cores)"
  if ! (cd "$ROOT" && swift build -c release --product kamae --scratch-path "$SCRATCH") >/tmp/kamae-bench-build.$$.log 2>&1; then
    tail -30 /tmp/kamae-bench-build.$$.log >&2; die "release build failed (log: /tmp/kamae-bench-build.$$.log)"
  fi
  tail -1 /tmp/kamae-bench-build.$$.log >&2
fi
[[ -x "$BIN" ]] || die "no release binary at $BIN (run without --skip-build)"

# ------------------------------------------------------------------ one database

bench_db() {
  local db=$1 url=$2
  WORK=$(mktemp -d "/tmp/kamae-bench-$db.XXXXXX")
  local serverlog="$WORK/server.log"
  export KAMAE_DATABASE_URL="$url"
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  local busy; busy=$(cpu_busy_pct)
  log "[$db] work directory $WORK, port $PORT, load average $(loadavg), CPU busy before start ${busy}%"

  python3 - "$WORK/env.json" "$db" "$(loadavg)" "$busy" "$(nproc)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "$(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)" "$("$BIN" --version 2>&1 | head -1)" "$QUICK" <<'EOF'
import json, sys, datetime, platform
out, db, load, busy, nproc, commit, dirty, version, quick = sys.argv[1:]
json.dump({"database": db, "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
           "load_before": load, "cpu_busy_before_pct": int(busy), "nproc": int(nproc), "commit": commit, "uncommitted_paths": int(dirty),
           "kamae_version": version, "kernel": platform.release(), "quick": quick == "1"}, open(out, "w"), indent=2)
EOF

  # --- CLI start-up (hyperfine)
  if [[ $HAVE_HYPERFINE == 1 ]]; then
    log "[$db] hyperfine: kamae --version, kamae catalog list --json"
    timeout 300 hyperfine -N --warmup 3 --runs 20 --export-json "$WORK/hyperfine.json" \
      "$BIN --version" "$BIN catalog list --json" >"$WORK/hyperfine.txt" 2>&1 || echo "hyperfine failed (see $WORK/hyperfine.txt)" >&2
  fi

  # --- cold start: first launch on the empty database, then restarts
  log "[$db] cold start"
  local fresh restarts="" plain=""
  start_server "$serverlog" --demo; fresh=$STARTUP_MS; stop_server
  for _ in 1 2 3; do start_server "$serverlog"; plain+="$STARTUP_MS,"; stop_server; done
  for i in 1 2 3; do
    start_server "$serverlog" --demo; restarts+="$STARTUP_MS,"
    [[ $i == 3 ]] || stop_server
  done
  # The last server stays up for the rest of the run.
  local rss_idle; rss_idle=$(rss_kb "$SERVER_PID" VmRSS)
  printf '{"fresh_ms": %s, "restart_ms": [%s], "restart_demo_ms": [%s]}\n' "$fresh" "${plain%,}" "${restarts%,}" >"$WORK/coldstart.json"
  echo "fresh ${fresh} ms; restarts ${plain%,} ms; restarts with --demo ${restarts%,} ms" >&2

  # --- sign in, API token for demo-editor
  log "[$db] signing in, creating an API token"
  local admin editor csrf_admin editor_id token page
  admin=$(sign_in demo-admin)
  page=$(curl -sS -f -b "kamae_session=$admin" "$BASE/account/tokens")
  csrf_admin=$(csrf_of <<<"$page")
  [[ -n "$csrf_admin" ]] || die "no _csrf on /account/tokens"
  editor_id=$(sed -n '/id="token-user"/,/<\/select>/p' <<<"$page" | grep -o '<option[^>]*value="[^"]*"[^>]*>[^<]*demo-editor' | grep -o 'value="[^"]*"' | cut -d'"' -f2 | sed -n 1p)
  [[ -n "$editor_id" ]] || die "demo-editor not found in <select id=\"token-user\">"
  page=$(curl -sS -f -b "kamae_session=$admin" --data-urlencode "_csrf=$csrf_admin" --data-urlencode "name=benchmark $(date +%s)" \
    --data-urlencode "user=$editor_id" --data-urlencode "days=30" "$BASE/account/tokens")
  token=$(grep -o '<code id="new-token">[^<]*</code>' <<<"$page" | sed 's/<[^>]*>//g')
  [[ $token == kamae_* ]] || die "no new token in the /account/tokens answer"
  editor=$(sign_in demo-editor)
  local csrf_editor
  csrf_editor=$(curl -sS -f -b "kamae_session=$editor" "$BASE/assessments" | csrf_of)
  [[ -n "$csrf_editor" ]] || die "no _csrf on /assessments for demo-editor"

  # --- the current Japanese fiscal year (April to March), checked against the API
  local year month fy
  year=$(date +%Y); month=$((10#$(date +%m)))
  fy=$(( month >= 4 ? year : year - 1 ))
  if [[ $(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/assessments/$fy") != 200 ]]; then
    fy=$(curl -sS -f -H "Authorization: Bearer $token" "$BASE/api/v1/assessments" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["fiscal_year"])')
  fi
  echo "fiscal year $fy" >&2
  local api="$BASE/api/v1/assessments/$fy"

  # --- export and import
  log "[$db] export xlsx and json, ${N_EXPORT}× each"
  timeout 600 python3 "$HERE/bench.py" get "$api/export/xlsx" --token "$token" -n "$N_EXPORT" --save "$WORK/a.xlsx" --out "$WORK/export-xlsx.json"
  timeout 600 python3 "$HERE/bench.py" get "$api/export/json" --token "$token" -n "$N_EXPORT" --save "$WORK/a.json" --out "$WORK/export-json.json"
  log "[$db] import xlsx as demo-editor, ${N_IMPORT}×: the exported file (no change), then two files that differ"
  timeout 600 python3 "$HERE/bench.py" import "$BASE/assessments/$fy/import" --cookie "$editor" --csrf "$csrf_editor" \
    --file "$WORK/a.xlsx" -n "$N_IMPORT" --out "$WORK/import-same.json"
  # A second workbook in which every implemented/partial answer is flipped, so that each import writes and audits.
  timeout 600 python3 "$HERE/bench.py" toggle "$BASE" --token "$token" --year "$fy" --out "$WORK/toggle.json"
  curl -sS -f -H "Authorization: Bearer $token" -o "$WORK/b.xlsx" "$api/export/xlsx"
  timeout 600 python3 "$HERE/bench.py" import "$BASE/assessments/$fy/import" --cookie "$editor" --csrf "$csrf_editor" \
    --file "$WORK/a.xlsx" --file "$WORK/b.xlsx" -n "$N_IMPORT" --out "$WORK/import-changing.json"

  # --- the answers list under wrk, 8 connections
  log "[$db] wrk -t2 -c8 -d${WRK_SECONDS}s GET /api/v1/assessments/$fy/answers?per_page=200"
  local status
  status=$(curl -sS -o "$WORK/answers.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$api/answers?per_page=200")
  [[ $status == 200 ]] || die "answers list answered $status"
  timeout $((WRK_SECONDS + 60)) wrk -t2 -c8 -d"${WRK_SECONDS}s" --timeout 10s -s "$HERE/report.lua" \
    -H "Authorization: Bearer $token" "$api/answers?per_page=200" >"$WORK/wrk-answers.txt"
  grep -E 'Requests/sec|Latency|Non-2xx' "$WORK/wrk-answers.txt" >&2 || true
  # The same with one connection: the time one request takes, without queueing behind the others.
  timeout 60 wrk -t1 -c1 -d"$WRK_SHORT"s --timeout 10s -s "$HERE/report.lua" \
    -H "Authorization: Bearer $token" "$api/answers?per_page=200" >"$WORK/wrk-answers-1.txt"

  # --- audited updates of one answer
  log "[$db] ${N_UPDATE} sequential PUT /api/v1/assessments/$fy/answers/2.1.1-B5"
  timeout 600 python3 "$HERE/bench.py" update "$BASE" --token "$token" --year "$fy" --item 2.1.1-B5 -n "$N_UPDATE" --out "$WORK/update.json"

  # --- the assessment page, 200 connections
  log "[$db] wrk -t2 -c200 -d${WRK_SECONDS}s GET /assessments/$fy (demo-editor's session)"
  status=$(curl -sS -o "$WORK/page.html" -w '%{http_code}' -H "Cookie: kamae_session=$editor" "$BASE/assessments/$fy")
  [[ $status == 200 ]] || die "assessment page answered $status"
  timeout $((WRK_SECONDS + 60)) wrk -t2 -c200 -d"${WRK_SECONDS}s" --timeout 10s -s "$HERE/report.lua" \
    -H "Cookie: kamae_session=$editor" "$BASE/assessments/$fy" >"$WORK/wrk-page.txt"
  grep -E 'Requests/sec|Latency|Non-2xx|Socket errors' "$WORK/wrk-page.txt" >&2 || true
  wait_idle "$SERVER_PID"
  timeout 60 wrk -t1 -c1 -d"$WRK_SHORT"s --timeout 10s -s "$HERE/report.lua" \
    -H "Cookie: kamae_session=$editor" "$BASE/assessments/$fy" >"$WORK/wrk-page-1.txt"

  # --- memory after warm-up, once the server has finished the requests still queued when wrk stopped
  wait_idle "$SERVER_PID"
  printf '{"rss_kb": %s, "hwm_kb": %s, "rss_idle_kb": %s, "pid": %s}\n' \
    "$(rss_kb "$SERVER_PID" VmRSS)" "$(rss_kb "$SERVER_PID" VmHWM)" "$rss_idle" "$SERVER_PID" >"$WORK/memory.json"
  stop_server

  python3 - "$WORK/env.json" "$(loadavg)" "$(cpu_busy_pct)" "$(wc -l <"$serverlog")" <<'EOF'
import json, sys
path, load, busy, lines = sys.argv[1:]
env = json.load(open(path)); env["load_after"] = load; env["cpu_busy_after_pct"] = int(busy); env["server_log_lines"] = int(lines)
json.dump(env, open(path, "w"), indent=2)
EOF
  local suffix=""; [[ $QUICK == 1 ]] && suffix="-quick"
  python3 "$HERE/bench.py" report --db "$db" --work "$WORK" --out "$HERE/results-$db$suffix.json"
  echo "(raw files and the server log: $WORK)"
}

# ------------------------------------------------------------------ run

bench_db sqlite "sqlite:$(mktemp -d /tmp/kamae-bench-db.XXXXXX)/kamae.sqlite"

if [[ -n "$PG_URL" ]]; then
  log "resetting the public schema of $(sed -E 's#//[^@]*@#//***@#' <<<"$PG_URL")"
  PGOPTIONS='-c client_min_messages=warning' psql "$PG_URL" -q -v ON_ERROR_STOP=1 \
    -c 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;' >/dev/null
  bench_db postgres "$PG_URL"
fi
