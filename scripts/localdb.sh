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
}

# TLS (convention, article 6): a CA made here at set-up signs the server's
# certificate (localhost, 127.0.0.1); clients check it with sslmode=verify-full.
# TCP is accepted over TLS only, with scram-sha-256; written again at each start,
# so a cluster made before this rule gets it too.
tls_dir="$local_dir/tls"
ensure_tls() {
  mkdir -p "$tls_dir"
  if [ ! -s "$tls_dir/ca.crt" ] || [ ! -s "$tls_dir/ca.key" ]; then
    (umask 077; openssl req -x509 -new -nodes -newkey rsa:2048 -sha256 -days 3650 \
      -subj "/CN=Tranquillite local CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$tls_dir/ca.key" -out "$tls_dir/ca.crt" 2>/dev/null)
    rm -f "$tls_dir/server.crt"
  fi
  if [ ! -s "$tls_dir/server.crt" ]; then
    (umask 077
     openssl req -new -nodes -newkey rsa:2048 -sha256 -subj "/CN=localhost" \
       -keyout "$tls_dir/server.key" -out "$tls_dir/server.csr" 2>/dev/null
     printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
       "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" > "$tls_dir/server.ext"
     openssl x509 -req -sha256 -days 825 -in "$tls_dir/server.csr" -CA "$tls_dir/ca.crt" -CAkey "$tls_dir/ca.key" \
       -CAcreateserial -extfile "$tls_dir/server.ext" -out "$tls_dir/server.crt" 2>/dev/null)
    rm -f "$tls_dir/server.csr" "$tls_dir/server.ext"
  fi
  chmod 644 "$tls_dir/ca.crt"
  install -m 600 "$tls_dir/server.key" "$data/server.key"
  install -m 644 "$tls_dir/server.crt" "$data/server.crt"
  cat > "$data/tranquillite.conf" <<CONF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
ssl_min_protocol_version = 'TLSv1.2'
password_encryption = 'scram-sha-256'
CONF
  grep -q "^include_if_exists = 'tranquillite.conf'" "$data/postgresql.conf" \
    || echo "include_if_exists = 'tranquillite.conf'" >> "$data/postgresql.conf"
  cat > "$data/pg_hba.conf" <<HBA
# TYPE    DATABASE USER ADDRESS       METHOD
local     all      all                scram-sha-256
hostssl   all      all  127.0.0.1/32  scram-sha-256
hostnossl all      all  0.0.0.0/0     reject
hostnossl all      all  ::/0          reject
HBA
  if [ "$(id -u)" = 0 ]; then chown postgres: "$data/server.key" "$data/server.crt" "$data/tranquillite.conf" "$data/pg_hba.conf"; fi
}

is_running() { as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

cmd=${1:-status}
case "$cmd" in
  start)
    ensure_packages
    init_cluster
    ensure_tls
    if ! is_running; then
      as_owner "$bindir/pg_ctl" -D "$data" -l "$pgdir/server.log" -w -t 60 start >/dev/null
    else
      as_owner "$bindir/pg_ctl" -D "$data" reload >/dev/null
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
