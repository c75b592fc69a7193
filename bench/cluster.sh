#!/usr/bin/env bash
# Several servers on this one machine, for real (make cluster; docs/scaling.md):
#   the PostgreSQL primary at 127.0.0.1:5432 (the machine's) and a streaming replica of it made
#   here with pg_createcluster + pg_basebackup -R on REPLICA_PORT; a Redis of its own on
#   REDIS_PORT; two gunicorn servers, A and B, sharing them. bench/cluster_check.py then checks
#   what a reader and an editor see, with the replica and Redis stopped and started again.
# Needs root (pg_createcluster, pg_hba.conf). Everything it adds is removed at the end, also
# on failure: the replica cluster, the replication line in the primary's pg_hba.conf, the
# database, Redis and the servers. Only 127.0.0.1 is contacted.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
PG_VERSION=15
PRIMARY_PORT=5432
REPLICA=ministry_replica
REPLICA_PORT=${REPLICA_PORT:-5439}
REDIS_PORT=${REDIS_PORT:-6396}
REDIS_DB=6
DATABASE=ministry_cluster
RELEASES=${CLUSTER_RELEASES:-300}
HBA=/etc/postgresql/$PG_VERSION/main/pg_hba.conf
MARK="# added by bench/cluster.sh (removed at its end)"
WORK=$(mktemp -d)
PIDS=()
started=$(date +%s)

say() { printf '\n== %s\n' "$*"; }
psql_primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

cleanup() {
    set +e
    say "Cleaning up"
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
    if pg_lsclusters -h | awk '{print $2}' | grep -qx "$REPLICA"; then
        pg_dropcluster --stop "$PG_VERSION" "$REPLICA"
    fi
    if grep -qF "$MARK" "$HBA"; then
        sed -i "\|$MARK|d" "$HBA"
        psql_primary -c "SELECT pg_reload_conf()" >/dev/null
    fi
    psql_primary -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null
    rm -rf "$WORK"
    echo "Run time: $(( $(date +%s) - started )) s"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

say "Primary: replication from 127.0.0.1 allowed, database $DATABASE with $RELEASES releases"
if ! grep -qF "$MARK" "$HBA"; then
    # Before the other lines: pg_hba.conf is read top down. 'replication' is not matched by 'all'.
    sed -i "1i host replication postgres 127.0.0.1/32 trust $MARK" "$HBA"
fi
psql_primary -c "SELECT pg_reload_conf()" >/dev/null
[ "$(psql_primary -c 'SHOW wal_level')" != minimal ] || { echo "wal_level is minimal" >&2; exit 1; }
psql_primary -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" -c "CREATE DATABASE $DATABASE"

export DEBUG=0 SECRET_KEY="cluster-$(date +%s%N)" ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0 \
    SECURE_HSTS_SECONDS=0 LOG_LEVEL=WARNING ENV_FILE= \
    MEDIA_ROOT="$WORK/media" \
    DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DATABASE"
cd "$ROOT"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo --no-admin -v0 >/dev/null
"$PY" manage.py generate_releases "$RELEASES" --seed 1 >/dev/null
"$PY" manage.py collectstatic --noinput -v0

say "Replica: cluster $PG_VERSION/$REPLICA on port $REPLICA_PORT, from pg_basebackup -R"
if pg_lsclusters -h | awk '{print $2}' | grep -qx "$REPLICA"; then
    pg_dropcluster --stop "$PG_VERSION" "$REPLICA"
fi
pg_createcluster "$PG_VERSION" "$REPLICA" -p "$REPLICA_PORT" >/dev/null
REPLICA_DATA=/var/lib/postgresql/$PG_VERSION/$REPLICA
rm -rf "${REPLICA_DATA:?}"/*
# The whole primary (every database on it), streamed; no fsync: the replica is thrown away.
runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$REPLICA_DATA" -R -X stream -c fast --no-sync
printf '%s\n' "local all all trust" "host all all 127.0.0.1/32 trust" \
    > "/etc/postgresql/$PG_VERSION/$REPLICA/pg_hba.conf"
echo "fsync = off" >> "/etc/postgresql/$PG_VERSION/$REPLICA/postgresql.conf"
pg_ctlcluster "$PG_VERSION" "$REPLICA" start -- -t 300
for _ in $(seq 50); do
    psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d "$DATABASE" -qtAc "SELECT 1" \
        >/dev/null 2>&1 && break
    sleep 0.2
done
echo "in recovery: $(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -qtAc 'SELECT pg_is_in_recovery()')"

say "Redis on port $REDIS_PORT (database $REDIS_DB)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"

export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$REPLICA_PORT/$DATABASE" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT/$REDIS_DB"
PORT_A=$(free_port)
PORT_B=$(free_port)
say "Servers: A on $PORT_A, B on $PORT_B (gunicorn, 2 workers each)"
for port in "$PORT_A" "$PORT_B"; do
    "$ROOT/.venv/bin/gunicorn" ministry.wsgi --bind "127.0.0.1:$port" --workers 2 \
        --forwarded-allow-ips 127.0.0.1 >"$WORK/gunicorn-$port.log" 2>&1 &
    PIDS+=($!)
done
for port in "$PORT_A" "$PORT_B"; do
    for _ in $(seq 100); do
        curl -sf "http://127.0.0.1:$port/health/live/" >/dev/null && break
        sleep 0.2
    done
done

"$PY" bench/cluster_check.py --a "http://127.0.0.1:$PORT_A" --b "http://127.0.0.1:$PORT_B" \
    --database "$DATABASE" --replica "$PG_VERSION/$REPLICA" --replica-port "$REPLICA_PORT" \
    --redis-port "$REDIS_PORT" --redis-db "$REDIS_DB" --redis-dir "$WORK" || {
    status=$?
    for port in "$PORT_A" "$PORT_B"; do
        echo "--- gunicorn on $port: warnings and errors (last 40)"
        grep -v " INFO " "$WORK/gunicorn-$port.log" | tail -40
    done
    exit "$status"
}
