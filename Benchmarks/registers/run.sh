#!/usr/bin/env bash
# The registers benchmark of issue 7: an institution with 2,000 systems and 100,000 components (imported from CSV as a
# bank would), a new feed of 5,000 OSV advisories matched and turned into findings (goal ≤ 5 s), a KEV file applied,
# half the findings made overdue, then the overdue page under wrk (goal p99 ≤ 50 ms) and "which systems does CVE-X
# reach?" (goal < 1 s) — on PostgreSQL (the production database) or, without --postgres, on SQLite.
#
#   bash Benchmarks/registers/run.sh [--postgres postgres://user:pw@127.0.0.1:5432/db] [--components 100000] [--skip-build]
#
# The PostgreSQL database given is wiped (DROP SCHEMA public CASCADE). Results: Benchmarks/registers/results-<db>.json.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCRATCH="$ROOT/.build-release"
BIN="$SCRATCH/release/kamae"
PG_URL=""
SKIP_BUILD=0
SYSTEMS=2000
COMPONENTS=100000
ADVISORIES=5000
DEMO_PASSWORD=kamae-demo-2026

while [[ $# -gt 0 ]]; do
  case "$1" in
    --postgres) PG_URL="${2:?--postgres needs a URL}"; shift 2 ;;
    --components) COMPONENTS="${2:?--components needs a number}"; shift 2 ;;
    --skip-build) SKIP_BUILD=1; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

source "$HERE/../common.sh"
need_apt curl
need_apt wrk
if [[ -n "$PG_URL" ]]; then need_apt psql postgresql-client; fi

build_release

WORK=$(mktemp -d /tmp/kamae-bench-registers.XXXXXX)
use_database
if [[ $DB == postgres ]]; then
  sql() { psql "$PG_URL" -q -v ON_ERROR_STOP=1 -At -c "$1"; }
else
  sql() { python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchall(); c.commit(); print("\n".join("|".join(map(str, x)) for x in r))' "$WORK/kamae.sqlite" "$1"; }
fi
BANK=デモ銀行

log "[$DB] demo data and $SYSTEMS systems, $COMPONENTS components, $ADVISORIES advisories"
"$BIN" demo >/dev/null
python3 "$HERE/generate.py" "$WORK/data" "$SYSTEMS" "$COMPONENTS" "$ADVISORIES" 42 >&2
timed() { local t0; t0=$(now_ns); "$@" >&2; echo $(( ($(now_ns) - t0) / 1000000 )); }
SYSTEMS_MS=$(timed "$BIN" register import --institution "$BANK" systems "$WORK/data/systems.csv")
COMPONENTS_MS=$(timed "$BIN" register import --institution "$BANK" components "$WORK/data/components.csv")

log "[$DB] a new feed of $ADVISORIES advisories against the whole inventory"
"$BIN" vuln import --institution "$BANK" "$WORK/data/advisories.json" | tee "$WORK/feed.txt" >&2
FEED_S=$(cut -f6 "$WORK/feed.txt"); FINDINGS=$(cut -f4 "$WORK/feed.txt")
"$BIN" vuln import --institution "$BANK" "$WORK/data/kev.json" | tee "$WORK/kev.txt" >&2
KEV_S=$(cut -f6 "$WORK/kev.txt"); KEV_CHANGED=$(cut -f5 "$WORK/kev.txt")
# Half of the findings were found two months ago and are past their deadline now.
sql "UPDATE findings SET discovered_on = '2026-09-01', deadline = '2026-10-01' WHERE vulnerability_id < 'CVE-2026-92500'" >/dev/null
OVERDUE=$(sql "SELECT COUNT(*) FROM findings WHERE deadline < '2026-11-01' AND status = 'open'")

log "[$DB] the overdue page and 'which systems does it reach?'"
PORT=$(free_port); BASE="http://127.0.0.1:$PORT"
start_server "$WORK/server.log"
session=$(sign_in demo-viewer)
page() { curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -b "kamae_session=$session" "$BASE$1"; }
FIRST=$(page /vulnerabilities/overdue)
[[ ${FIRST%% *} == 200 ]] || die "the overdue page answered ${FIRST%% *}"
for p in 1 2 3 50 200; do page "/vulnerabilities/overdue?page=$p"; done >"$WORK/pages.txt"
REACH=$(page "/vulnerabilities/reach?id=CVE-2026-90001")
SEARCH=$(page "/registers/components?q=bench-pkg-1234")
DASHBOARD=$(page "/vulnerabilities")
cat >"$WORK/wrk.lua" <<LUA
wrk.headers["Cookie"] = "kamae_session=$session"
LUA
wrk -t2 -c16 -d15s --latency -s "$WORK/wrk.lua" "$BASE/vulnerabilities/overdue" >"$WORK/wrk.txt" 2>&1 || true
wrk -t1 -c1 -d10s --latency -s "$WORK/wrk.lua" "$BASE/vulnerabilities/overdue" >"$WORK/wrk1.txt" 2>&1 || true
stop_server

python3 - "$HERE/results-$DB.json" "$DB" "$SYSTEMS" "$COMPONENTS" "$ADVISORIES" "$SYSTEMS_MS" "$COMPONENTS_MS" "$FEED_S" "$FINDINGS" "$KEV_S" "$KEV_CHANGED" \
  "$OVERDUE" "$FIRST" "$REACH" "$SEARCH" "$DASHBOARD" "$WORK" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" <<'PY'
import json, sys, re, datetime
(out, db, systems, components, advisories, systems_ms, components_ms, feed_s, findings, kev_s, kev_changed, overdue, first, reach, search,
 dashboard, work, commit) = sys.argv[1:]
def ms(line): return round(float(line.split()[1]) * 1000, 1)
def wrk(name):
    text = open(f"{work}/{name}").read()
    get = lambda p: (re.search(p, text) or [None, None])[1]
    return {"requests_per_s": get(r"Requests/sec:\s+([\d.]+)"), "p50": get(r"(?m)^\s+50%\s+(\S+)"), "p99": get(r"(?m)^\s+99%\s+(\S+)")}
result = {
    "database": db, "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "commit": commit,
    "systems": int(systems), "components": int(components), "advisories": int(advisories),
    "import_systems_csv_ms": int(systems_ms), "import_components_csv_ms": int(components_ms),
    "feed_match_and_findings_s": float(feed_s), "feed_goal_s": 5, "findings_created": int(findings),
    "kev_import_s": float(kev_s), "kev_deadlines_changed": int(kev_changed), "overdue_findings": int(overdue),
    "overdue_page_first_ms": ms(first), "overdue_pages_ms": [ms(l) for l in open(f"{work}/pages.txt")],
    "overdue_page_wrk_16_connections": wrk("wrk.txt"), "overdue_page_wrk_1_connection": wrk("wrk1.txt"), "overdue_goal_p99_ms": 50,
    "reach_cve_ms": ms(reach), "reach_goal_ms": 1000, "components_search_page_ms": ms(search), "dashboard_ms": ms(dashboard),
}
json.dump(result, open(out, "w"), indent=2, ensure_ascii=False)
print(json.dumps(result, indent=2, ensure_ascii=False))
PY
echo "(raw files: $WORK)" >&2
