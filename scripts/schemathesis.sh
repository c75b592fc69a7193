#!/usr/bin/env bash
# Property-based test of the JSON API against its own OpenAPI description, as served live.
#
# Starts the development server on a free loopback port with a throwaway SQLite database (the
# demo content and some generated releases), runs schemathesis with a bounded number of examples
# per operation, and stops the server. Exits non-zero when schemathesis finds a failure, above
# all any 5xx. Takes well under two minutes. Usage: scripts/schemathesis.sh [EXTRA st ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
ST="$PWD/.venv/bin/st"
EXAMPLES="${SCHEMATHESIS_EXAMPLES:-25}"

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DEBUG=0 \
    SECRET_KEY="schemathesis-$(date +%s)-$RANDOM" \
    ALLOWED_HOSTS=127.0.0.1 \
    SECURE_COOKIES=0 \
    DATABASE_URL="sqlite:///$work/db.sqlite3" \
    MEDIA_ROOT="$work/media" \
    SITE_URL="http://127.0.0.1:$port" \
    NEWS_API_RATE="100000/m" \
    LOG_LEVEL=WARNING

echo "=== schemathesis: preparing a database in $work ==="
"$PY" manage.py migrate --noinput -v0
# Production settings serve hashed static names from the manifest: pages 500 without it.
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py load_demo --no-admin -v0 >/dev/null
"$PY" manage.py shell -v0 -c '
import json, tempfile
from django.core.management import call_command
from news.synthetic import generate_records
with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
    for record in generate_records(120):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
call_command("import_release", out.name, verbosity=0)
'

echo "=== schemathesis: server on 127.0.0.1:$port ==="
"$PY" manage.py runserver "127.0.0.1:$port" --noreload --skip-checks >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 50); do
    if "$PY" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
        "http://127.0.0.1:$port/api/v1/openapi.json" 2>/dev/null; then
        break
    fi
    sleep 0.2
done

echo "=== schemathesis: $EXAMPLES examples per operation ==="
status=0
# From the scratch folder: schemathesis keeps a cache of crashes in ./.schemathesis.
(cd "$work" && timeout 110 "$ST" run "http://127.0.0.1:$port/api/v1/openapi.json" \
    --checks all \
    --max-examples "$EXAMPLES" \
    --seed 2024 \
    --generation-database none \
    --request-timeout 10 \
    "$@") || status=$?
if grep -q "Internal Server Error\|Traceback" "$work/server.log"; then
    echo "The server logged errors:" >&2
    # The last traceback in full (a pipe into head would trip pipefail with SIGPIPE).
    awk '/^Traceback/ { block = "" } { block = block $0 "\n" } END { printf "%s", block }' \
        "$work/server.log" | tail -n 80 >&2
    cp "$work/server.log" "${SCHEMATHESIS_SERVER_LOG:-/dev/null}"
    status=1
fi
exit "$status"
