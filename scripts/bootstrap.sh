#!/usr/bin/env bash
# One-time set-up of the local stack, idempotent: secrets, cluster, roles,
# databases, PostGIS, warehouse migrations, Airflow metadata, dbt manifest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sec="$root/.local/secrets"
mkdir -p "$sec" "$root/.local/airflow" "$root/.local/dbt/logs" "$root/.local/lineage"
chmod 700 "$sec"
gen() { # name generator-expression
  if [ ! -s "$sec/$1" ]; then (umask 077; "$root/.venv/bin/python" -c "$2" > "$sec/$1"); fi
}
gen pg_app 'import secrets; print(secrets.token_urlsafe(24))'
gen airflow_meta 'import secrets; print(secrets.token_urlsafe(24))'
gen cortege_sandbox_token 'import secrets; print(secrets.token_urlsafe(32))'
gen airflow_jwt_secret 'import secrets; print(secrets.token_urlsafe(32))'
gen airflow_secret_key 'import secrets; print(secrets.token_urlsafe(32))'
gen airflow_fernet_key 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'
# one password per run-time role of the warehouse (migration 009 says who may do what)
service_roles=(trq_loader trq_transformer trq_compliance trq_access_admin trq_bi_reader)
for r in "${service_roles[@]}"; do gen "pg_$r" 'import secrets; print(secrets.token_urlsafe(24))'; done

"$root/scripts/localdb.sh" start
# shellcheck source=env.sh
. "$root/scripts/env.sh"

export PGHOST=127.0.0.1 PGPORT=$TRQ_PG_PORT PGUSER=postgres PGPASSWORD
PGPASSWORD=$(cat "$sec/../secrets/pg_superuser" 2>/dev/null || cat "$root/.local/secrets/pg_superuser")
psql_su() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }
app_pw=$(cat "$sec/pg_app"); meta_pw=$(cat "$sec/airflow_meta")
psql_su -v app_pw="$app_pw" -v meta_pw="$meta_pw" <<'SQL'
select format('create role tranquillite login password %L', :'app_pw')
 where not exists (select from pg_roles where rolname = 'tranquillite') \gexec
select format('alter role tranquillite password %L', :'app_pw') \gexec
select format('create role airflow login password %L', :'meta_pw')
 where not exists (select from pg_roles where rolname = 'airflow') \gexec
select format('alter role airflow password %L', :'meta_pw') \gexec
select 'create database warehouse owner tranquillite' where not exists (select from pg_database where datname = 'warehouse') \gexec
select 'create database airflow owner airflow' where not exists (select from pg_database where datname = 'airflow') \gexec
-- the owner runs the migrations, which create the run-time roles and manage the
-- habilitated logins (ending their sessions too); it is never a superuser
alter role tranquillite createrole;
grant pg_signal_backend to tranquillite;
SQL
# extensions need the superuser; everything else is owned by the app role
PGOPTIONS='--client-min-messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d warehouse -c 'create extension if not exists postgis'

python -m tranquillite.warehouse migrate
python -m tranquillite.warehouse seed
# the run-time roles (made by the migrations) get the passwords their connections hold
python -m tranquillite.warehouse role-passwords

# Airflow's metadata DB: migrated again only when the locked stack changes.
stamp="$root/.local/airflow/.migrated-$(sha256sum "$root/requirements.lock" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  airflow db migrate >"$root/.local/airflow/db-migrate.log" 2>&1 || { tail -30 "$root/.local/airflow/db-migrate.log" >&2; exit 1; }
  rm -f "$root"/.local/airflow/.migrated-*; touch "$stamp"
fi

# The dbt manifest that Cosmos renders from: parsed again when the project changes.
manifest="$root/dbt_project/target/manifest.json"
if [ ! -f "$manifest" ] || [ -n "$(find "$root/dbt_project" -newer "$manifest" -type f \( -name '*.sql' -o -name '*.yml' \) -not -path '*/target/*' | head -1)" ]; then
  # parsed aside, then renamed into place: the DAG processor never reads half a file
  parsed="$root/.local/dbt/parse"
  (cd "$root/dbt_project" && DBT_TARGET_PATH="$parsed" python -m tranquillite.core.dbt_cli parse --quiet) \
    || { echo "bootstrap: dbt parse failed" >&2; exit 1; }
  mkdir -p "$(dirname "$manifest")" && mv -f "$parsed/manifest.json" "$manifest"
fi
echo "bootstrap: local stack ready"
