#!/usr/bin/env bash
# The embedded default warehouse: a PostgreSQL 15 + PostGIS 3 cluster in .local/pg,
# on a non-default port, run by an unprivileged user (initdb refuses root).
# Usage: scripts/localdb.sh start|stop|status|dsn
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
local_dir="$here/.local"
pgdir="$local_dir/pg"
data="$pgdir/data"
port="${TRQ_PG_PORT:-54329}"
bindir="${TRQ_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
secret="$local_dir/secrets/pg_superuser"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_packages() {
  if [ ! -x "$bindir/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ] || ! command -v psql >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
      echo "localdb: installing PostgreSQL 15 and PostGIS 3 (Debian packages)" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-client-15 postgresql-15-postgis-3 >/dev/null
    else
      echo "localdb: PostgreSQL 15 with PostGIS 3 is missing; install postgresql-15-postgis-3 (needs root)" >&2
      exit 1
    fi
  fi
}

init_cluster() {
  [ -f "$data/PG_VERSION" ] && return 0
  mkdir -p "$pgdir" "$local_dir/secrets"
  chmod 700 "$local_dir/secrets"
  if [ ! -s "$secret" ]; then
    python3 -c 'import secrets; print(secrets.token_urlsafe(24))' > "$secret"
    chmod 600 "$secret"
  fi
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown -R postgres: "$pgdir"
    # the unprivileged owner must be able to reach the folder
    p="$pgdir"; while [ "$p" != "/" ]; do p=$(dirname "$p"); chmod o+x "$p" 2>/dev/null || true; done
  fi
  pwfile=$(mktemp); cp "$secret" "$pwfile"; chmod 644 "$pwfile"
  as_owner "$bindir/initdb" -D "$data" -U postgres --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdir'
max_connections = 100
shared_buffers = 256MB
fsync = on
timezone = 'UTC'
log_timezone = 'UTC'
CONF
  cat > "$data/pg_hba.conf" <<HBA
# TYPE  DATABASE USER ADDRESS       METHOD
local   all      all                scram-sha-256
host    all      all  127.0.0.1/32  scram-sha-256
HBA
}

is_running() { as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

cmd=${1:-status}
case "$cmd" in
  start)
    ensure_packages
    init_cluster
    if ! is_running; then
      as_owner "$bindir/pg_ctl" -D "$data" -l "$pgdir/server.log" -w -t 60 start >/dev/null
    fi
    echo "localdb: PostgreSQL running on 127.0.0.1:$port (data in .local/pg)"
    ;;
  stop)
    if [ -f "$data/PG_VERSION" ] && is_running; then
      as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
      echo "localdb: stopped"
    else
      echo "localdb: not running"
    fi
    ;;
  status)
    if [ -f "$data/PG_VERSION" ] && is_running; then echo "running on port $port"; else echo "stopped"; exit 3; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
