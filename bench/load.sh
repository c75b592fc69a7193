#!/usr/bin/env bash
# Load test of the production server on loopback: 60 s, 50 clients, mixed public pages.
#
#   bash bench/load.sh                # the plain run: expects zero 5xx and zero socket errors
#   bash bench/load.sh --restart-db   # PostgreSQL restarts 20 s in; the site must recover alone
#
# It makes a fresh PostgreSQL database (ministry_load) with the demo content and N generated
# releases (RELEASES, default 5000), serves it with gunicorn as `make serve` does, and drives it
# with wrk from a second process. Only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."

RESTART_DB=0
[[ "${1:-}" == "--restart-db" ]] && RESTART_DB=1
PORT=${PORT:-8790}
DURATION=${DURATION:-60}
CLIENTS=${CLIENTS:-50}
RELEASES=${RELEASES:-5000}
PG_VERSION=$(ls /etc/postgresql | sort -n | tail -1)
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/ministry_load"
export DEBUG=0 SECRET_KEY="load-test-$(date +%s)-not-for-production" ALLOWED_HOSTS=127.0.0.1
export SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 LOG_LEVEL=WARNING
PY=.venv/bin/python
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK/gunicorn.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { apt-get update -q >/dev/null; apt-get install -y -q wrk >/dev/null; }
make --no-print-directory install >/dev/null

echo "Preparing ministry_load with $RELEASES releases..."
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS ministry_load" \
    -c "CREATE DATABASE ministry_load"
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo --no-admin >/dev/null
$PY manage.py generate_releases "$RELEASES" >/dev/null
$PY manage.py collectstatic --noinput -v0

# The mix: listings and their pages, release pages, feeds, entity pages, static files.
PATHS_FILE="$WORK/paths.txt"
$PY manage.py shell -v0 -c "
from news.models import Release, Official, Organisation
paths = ['/', '/?page=2', '/?page=10', '/feeds/rss/', '/feeds/atom/', '/en/', '/be/']
paths += [r.get_absolute_url() for r in Release.objects.published().order_by('?')[:300]]
paths += [o.get_absolute_url() for o in Official.objects.all()[:50]]
paths += [o.get_absolute_url() for o in Organisation.objects.all()[:30]]
print('\n'.join(paths))
" > "$PATHS_FILE"

WORKERS=$(( 2 * $(nproc) + 1 ))
.venv/bin/gunicorn ministry.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --pid "$WORK/gunicorn.pid" --daemon --error-logfile "$WORK/gunicorn.log"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null && break; sleep 0.2; done

if [[ $RESTART_DB == 1 ]]; then
    (
        sleep 20
        echo "$(date +%T) restarting PostgreSQL $PG_VERSION..."
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
        echo "$(date +%T) PostgreSQL is back"
    ) &
fi

echo "wrk: ${DURATION}s, $CLIENTS clients, $(wc -l < "$PATHS_FILE") paths, $WORKERS gunicorn workers"
PATHS_FILE="$PATHS_FILE" wrk -t2 -c"$CLIENTS" -d"${DURATION}s" --timeout 10s \
    -s bench/mixed.lua "http://127.0.0.1:$PORT" | tee "$WORK/wrk.txt"
wait

# After the run (and any restart): how soon does the site answer again?
tries=0
until curl -sf "http://127.0.0.1:$PORT/health/" >/dev/null; do
    tries=$((tries + 1))
    (( tries < 150 )) || { echo "FAIL: the site did not recover within 30 s"; exit 1; }
    sleep 0.2
done
echo "health after the run: ok after $tries retries of 0.2 s"

result=$(grep '^RESULT' "$WORK/wrk.txt")
server=$(sed -E 's/.* 5xx=([0-9]+).*/\1/' <<< "$result")
sockets=$(sed -E 's/.*socket_errors=([0-9]+).*/\1/' <<< "$result")
if [[ $RESTART_DB == 0 && ( $server != 0 || $sockets != 0 ) ]]; then
    echo "FAIL: $server server errors, $sockets socket errors"; exit 1
fi
echo "PASS"
