#!/usr/bin/env bash
# The API contract check: schemathesis (PyPI) drives every operation of /api/openapi.json against a real server with
# an editor's API token — coverage, fuzzing and stateful phases, every check. Any server error or any answer that the
# document does not describe fails the run.
#
#   bash scripts/api-contract.sh [path/to/kamae] [max examples per operation]
set -euo pipefail
BIN=${1:-.build/debug/kamae}
EXAMPLES=${2:-50}
WORK=$(mktemp -d /tmp/kamae-contract.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
SERVER=""
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

command -v st >/dev/null || python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore schemathesis >/dev/null
KAMAE_LOG_LEVEL=error KAMAE_DATABASE_URL="sqlite:$WORK/kamae.sqlite" "$BIN" serve --demo --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do curl -fsS -o /dev/null "$BASE/health" 2>/dev/null && break; sleep 0.1; done

# An editor's token, issued by the demo administrator (who signs in with the demo second factor).
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | cut -d'"' -f4; }
jar="$WORK/jar"
curl -sS -o /dev/null -c "$jar" --data-urlencode login=demo-admin --data-urlencode password=kamae-demo-2026 "$BASE/login"
page=$(curl -sS -b "$jar" "$BASE/login/mfa")
code=$(grep -o '<strong>[0-9]*</strong>' <<<"$page" | grep -o '[0-9]*')
curl -sS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "_csrf=$(csrf_of <<<"$page")" --data-urlencode "code=$code" "$BASE/login/mfa"
page=$(curl -sS -b "$jar" "$BASE/account/tokens")
editor=$(sed -n '/id="token-user"/,/<\/select>/p' <<<"$page" | grep -o 'value="[^"]*"[^>]*>[^<]*demo-editor' | head -1 | cut -d'"' -f2)
token=$(curl -sS -b "$jar" --data-urlencode "_csrf=$(csrf_of <<<"$page")" --data-urlencode name=contract --data-urlencode "user=$editor" \
  --data-urlencode days=1 "$BASE/account/tokens" | grep -o '<code id="new-token">[^<]*' | sed 's/.*>//')
[[ $token == kamae_* ]] || { echo "api-contract: could not issue a token" >&2; exit 1; }

# From the scratch folder: schemathesis keeps a cache of earlier failures in its working directory.
config="$(cd "$(dirname "$0")" && pwd)/schemathesis.toml"
cd "$WORK"
st --config-file "$config" run "$BASE/api/openapi.json" --url "$BASE" -H "Authorization: Bearer $token" --checks all \
  --max-examples "$EXAMPLES" --seed "${SEED:-20261126}" --workers 2 --no-color >"$WORK/st.txt" 2>&1 && status=0 || status=$?
grep -E "generated|passed|failed|❌" "$WORK/st.txt" | tail -5
if [[ $status != 0 ]]; then tail -80 "$WORK/st.txt" >&2; exit "$status"; fi
