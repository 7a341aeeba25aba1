#!/usr/bin/env bash
# The supervision benchmark of issue 8: a synthetic sector of 2,000 institutions × 3 fiscal years (every submission a
# signed package that goes through verification), the sector analysis page (first, after every change, and warm),
# and all 2,000 feedback reports — on PostgreSQL (the production database) or, without --postgres, on SQLite.
#
#   bash Benchmarks/supervision/run.sh [--postgres postgres://user:pw@127.0.0.1:5432/db] [--institutions 2000] [--skip-build]
#
# The PostgreSQL database given is wiped (DROP SCHEMA public CASCADE). Results: Benchmarks/supervision/results-<db>.json.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRATCH="$ROOT/.build-release"
BIN="$SCRATCH/release/kamae"
PG_URL=""
SKIP_BUILD=0
INSTITUTIONS=2000
DEMO_PASSWORD=kamae-demo-2026

while [[ $# -gt 0 ]]; do
  case "$1" in
    --postgres) PG_URL="${2:?--postgres needs a URL}"; shift 2 ;;
    --institutions) INSTITUTIONS="${2:?--institutions needs a number}"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$HERE/../common.sh"
need_apt curl
need_apt wrk
if [[ -n "$PG_URL" ]]; then need_apt psql postgresql-client; fi

build_release

WORK=$(mktemp -d /tmp/kamae-bench-supervision.XXXXXX)
use_database

year=$(date +%Y); month=$((10#$(date +%m)))
FY=$(( month >= 4 ? year - 1 : year - 2 ))   # the last completed fiscal year
YEARS="$((FY - 2)),$((FY - 1)),$FY"

log "[$DB] demo data, then a synthetic sector of $INSTITUTIONS institutions for fiscal years $YEARS"
"$BIN" demo >/dev/null
t0=$(now_ns)
"$BIN" supervision generate --institutions "$INSTITUTIONS" --years "$YEARS" --seed 42 | tee "$WORK/generate.txt" >&2
GENERATE_MS=$(( ($(now_ns) - t0) / 1000000 ))

log "[$DB] all feedback reports for $FY"
t0=$(now_ns)
"$BIN" supervision feedback --year "$FY" -o "$WORK/feedback" | tee "$WORK/feedback.txt" >&2
FEEDBACK_MS=$(( ($(now_ns) - t0) / 1000000 ))
REPORTS=$(ls "$WORK/feedback" | grep -c '\.json$')

log "[$DB] the sector analysis page"
PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
start_server "$WORK/server.log"
session=$(sign_in demo-supervisor)
page() { curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -b "kamae_session=$session" "$BASE/supervision/analysis?year=$FY&grouping=$1"; }
FIRST=$(page institution_type)
[[ ${FIRST%% *} == 200 ]] || die "the analysis page answered ${FIRST%% *}"
for grouping in all size_band region institution_type; do
  for _ in $(seq 1 10); do page "$grouping"; done
done >"$WORK/warm.txt"
CSV=$(curl -sS -o /dev/null -w '%{time_total}' -b "kamae_session=$session" "$BASE/supervision/analysis.csv?year=$FY&table=heatmap")
XLSX=$(curl -sS -o /dev/null -w '%{time_total}' -b "kamae_session=$session" "$BASE/supervision/analysis.xlsx?year=$FY")
# A new submission changes the analysis: the next page view rebuilds it from the database.
"$BIN" supervision generate --institutions 1 --years "$FY" --seed 7 >/dev/null
AFTER_CHANGE=$(page institution_type)
cat >"$WORK/wrk.lua" <<LUA
wrk.headers["Cookie"] = "kamae_session=$session"
LUA
wrk -t2 -c16 -d10s --latency -s "$WORK/wrk.lua" "$BASE/supervision/analysis?year=$FY&grouping=region" >"$WORK/wrk.txt" 2>&1 || true
stop_server

python3 - "$HERE/results-$DB.json" "$DB" "$INSTITUTIONS" "$YEARS" "$GENERATE_MS" "$FEEDBACK_MS" "$REPORTS" "$FIRST" "$AFTER_CHANGE" "$CSV" "$XLSX" "$WORK" \
  "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" <<'PY'
import json, sys, re, statistics, datetime
out, db, n, years, generate_ms, feedback_ms, reports, first, after, csv, xlsx, work, commit = sys.argv[1:]
warm = sorted(float(line.split()[1]) * 1000 for line in open(f"{work}/warm.txt") if line.startswith("200"))
wrk = open(f"{work}/wrk.txt").read()
def wrk_value(pattern):
    match = re.search(pattern, wrk)
    return match.group(1) if match else None
result = {
    "database": db, "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "commit": commit,
    "institutions": int(n), "fiscal_years": years, "submissions_generated_and_verified_ms": int(generate_ms),
    "feedback_reports": int(reports), "feedback_all_ms": int(feedback_ms), "feedback_goal_ms": 60000,
    "analysis_page_first_ms": round(float(first.split()[1]) * 1000, 1),
    "analysis_page_after_new_submission_ms": round(float(after.split()[1]) * 1000, 1),
    "analysis_page_warm_p50_ms": round(statistics.median(warm), 1), "analysis_page_warm_max_ms": round(max(warm), 1),
    "analysis_page_goal_ms": 500,
    "analysis_csv_heatmap_ms": round(float(csv) * 1000, 1), "analysis_xlsx_ms": round(float(xlsx) * 1000, 1),
    "wrk_16_connections_requests_per_s": wrk_value(r"Requests/sec:\s+([\d.]+)"), "wrk_16_connections_p99": wrk_value(r"(?m)^\s+99%\s+(\S+)"),
}
json.dump(result, open(out, "w"), indent=2, ensure_ascii=False)
print(json.dumps(result, indent=2, ensure_ascii=False))
PY
echo "(raw files: $WORK)" >&2
