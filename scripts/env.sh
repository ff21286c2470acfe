# shellcheck shell=bash
# Sourced by every make recipe: the local stack's settings, computed from the
# generated secrets in .local/secrets (git-ignored). Anything already set in the
# environment wins, so AIRFLOW_CONN_* pointed elsewhere are honoured.
# always this checkout: a root inherited from another checkout would run its code
TRQ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_sec="$TRQ_ROOT/.local/secrets"
_read() { [ -s "$_sec/$1" ] && cat "$_sec/$1"; }
export TRQ_ROOT
export TRQ_PG_PORT=${TRQ_PG_PORT:-54329}
export TRQ_SANDBOX_PORT=${TRQ_SANDBOX_PORT:-18765}
export PATH="$TRQ_ROOT/.venv/bin:$PATH"
# the package the DAGs import, and the checkout itself for the test servers (sandbox/, never
# in the production image) and the benchmarks (bench/)
export PYTHONPATH="$TRQ_ROOT/plugins:$TRQ_ROOT${PYTHONPATH:+:$PYTHONPATH}"
export AIRFLOW_HOME=${AIRFLOW_HOME:-$TRQ_ROOT/.local/airflow}
export AIRFLOW__CORE__DAGS_FOLDER=${AIRFLOW__CORE__DAGS_FOLDER:-$TRQ_ROOT/dags}
export AIRFLOW__CORE__PLUGINS_FOLDER=${AIRFLOW__CORE__PLUGINS_FOLDER:-$TRQ_ROOT/plugins}
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__EXECUTOR=${AIRFLOW__CORE__EXECUTOR:-LocalExecutor}
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=${AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION:-False}
export AIRFLOW__LOGGING__BASE_LOG_FOLDER=${AIRFLOW__LOGGING__BASE_LOG_FOLDER:-$TRQ_ROOT/.local/airflow/logs}
export AIRFLOW__API__PORT=${AIRFLOW__API__PORT:-18080}
export AIRFLOW__API__BASE_URL=${AIRFLOW__API__BASE_URL:-http://127.0.0.1:$AIRFLOW__API__PORT}
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL=${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$AIRFLOW__API__PORT/execution/}
export DBT_PROJECT_DIR=${DBT_PROJECT_DIR:-$TRQ_ROOT/dbt_project}
export DBT_PROFILES_DIR=${DBT_PROFILES_DIR:-$TRQ_ROOT/dbt_project}
export DBT_SEND_ANONYMOUS_USAGE_STATS=False
export DO_NOT_TRACK=1
export GX_ANALYTICS_ENABLED=False
export SCARF_ANALYTICS=false

# TLS to PostgreSQL, checked against the CA made at set-up (scripts/localdb.sh):
# every libpq client of this stack (psql, psycopg, dbt, Airflow's metadata DB)
export TRQ_PG_CA=${TRQ_PG_CA:-$TRQ_ROOT/.local/tls/ca.crt}
export PGSSLMODE=${PGSSLMODE:-verify-full}
export PGSSLROOTCERT=${PGSSLROOTCERT:-$TRQ_PG_CA}
_tls="sslmode=verify-full&sslrootcert=$TRQ_PG_CA"
if _pw=$(_read airflow_meta); then
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=${AIRFLOW__DATABASE__SQL_ALCHEMY_CONN:-postgresql+psycopg2://airflow:$_pw@127.0.0.1:$TRQ_PG_PORT/airflow?$_tls}
fi
# the warehouse's owner: migrations and set-up only
if _pw=$(_read pg_app); then
  export AIRFLOW_CONN_WAREHOUSE=${AIRFLOW_CONN_WAREHOUSE:-postgresql://tranquillite:$_pw@127.0.0.1:$TRQ_PG_PORT/warehouse?$_tls}
fi
# one connection per run-time role (migration 009): ingestion, dbt, purges, the sync of
# logins; and the BI tools' reader (`make psql-bi`)
for _r in loader transformer compliance access_admin bi_reader; do
  _var="AIRFLOW_CONN_WAREHOUSE_$(echo "$_r" | tr a-z A-Z)"
  if [ -z "${!_var:-}" ] && _pw=$(_read "pg_trq_$_r"); then
    export "$_var=postgresql://trq_$_r:$_pw@127.0.0.1:$TRQ_PG_PORT/warehouse?$_tls"
  fi
done
if _tok=$(_read cortege_sandbox_token); then
  export TRQ_SANDBOX_TOKEN=$_tok
  export AIRFLOW_CONN_CORTEGE=${AIRFLOW_CONN_CORTEGE:-"{\"conn_type\": \"http\", \"host\": \"http://127.0.0.1:$TRQ_SANDBOX_PORT\", \"password\": \"$_tok\"}"}
fi
# the municipal feeds and the geocoder: one local sandbox speaking the three contracts
export TRQ_FEEDS_PORT=${TRQ_FEEDS_PORT:-18766}
export AIRFLOW_CONN_OPENDATA_MARSEILLE=${AIRFLOW_CONN_OPENDATA_MARSEILLE:-"{\"conn_type\": \"http\", \"host\": \"http://127.0.0.1:$TRQ_FEEDS_PORT\"}"}
export AIRFLOW_CONN_TRAVAUX_VOIRIE=${AIRFLOW_CONN_TRAVAUX_VOIRIE:-"{\"conn_type\": \"http\", \"host\": \"http://127.0.0.1:$TRQ_FEEDS_PORT\"}"}
export AIRFLOW_CONN_GEOCODER=${AIRFLOW_CONN_GEOCODER:-"{\"conn_type\": \"http\", \"host\": \"http://127.0.0.1:$TRQ_FEEDS_PORT\", \"extra\": {\"provider\": \"addok sandbox\"}}"}
export TRQ_PM_LANDING_DIR=${TRQ_PM_LANDING_DIR:-$TRQ_ROOT/.local/feeds/pm_landing}
export AIRFLOW_CONN_PM_LANDING=${AIRFLOW_CONN_PM_LANDING:-"{\"conn_type\": \"fs\", \"extra\": {\"path\": \"$TRQ_PM_LANDING_DIR\"}}"}
# the DPO's mail goes to the local SMTP sandbox (make run / make up) unless set elsewhere
export TRQ_SMTP_PORT=${TRQ_SMTP_PORT:-18025}
export TRQ_DPO_EMAIL=${TRQ_DPO_EMAIL:-dpo@localhost}
export AIRFLOW_CONN_DPO_SMTP=${AIRFLOW_CONN_DPO_SMTP:-"{\"conn_type\": \"smtp\", \"host\": \"127.0.0.1\", \"port\": $TRQ_SMTP_PORT, \"extra\": {\"disable_tls\": true, \"disable_ssl\": true, \"from_email\": \"plateforme-tranquillite@localhost\"}}"}
# alerts to the data engineers: the same SMTP sandbox, and a local webhook receiver
export TRQ_WEBHOOK_PORT=${TRQ_WEBHOOK_PORT:-18090}
export TRQ_OPS_EMAIL=${TRQ_OPS_EMAIL:-data-engineering@localhost}
# the compliance officers (Airflow users) who may approve a purge: never the one who asked
export TRQ_COMPLIANCE_OFFICERS=${TRQ_COMPLIANCE_OFFICERS:-conformite1,conformite2,conformite3}
# the Airflow logins who decide schema changes for the DPO (schema_change_approval)
export TRQ_DPO_USERS=${TRQ_DPO_USERS:-dpo}
# who may habilitate people to consult the warehouse (article 7): the City's Deputy
# Director General for Security and the delegates named here (Airflow users)
export TRQ_HABILITATION_GRANTORS=${TRQ_HABILITATION_GRANTORS:-dga_securite}
# the prefecture's logins who validate its people before they may consult (article 7)
export TRQ_PREFECTURE_VALIDATORS=${TRQ_PREFECTURE_VALIDATORS:-pref_validation}
export TRQ_COMPLIANCE_EMAIL=${TRQ_COMPLIANCE_EMAIL:-conformite@localhost}
export AIRFLOW_CONN_COMPLIANCE_SMTP=${AIRFLOW_CONN_COMPLIANCE_SMTP:-$AIRFLOW_CONN_DPO_SMTP}
export AIRFLOW_CONN_OPS_SMTP=${AIRFLOW_CONN_OPS_SMTP:-$AIRFLOW_CONN_DPO_SMTP}
export AIRFLOW_CONN_OPS_WEBHOOK=${AIRFLOW_CONN_OPS_WEBHOOK:-"{\"conn_type\": \"http\", \"host\": \"127.0.0.1\", \"port\": $TRQ_WEBHOOK_PORT, \"schema\": \"http\"}"}
# lineage: OpenLineage events from Airflow and Cosmos, to a file Marquez can read
export AIRFLOW__OPENLINEAGE__NAMESPACE=${AIRFLOW__OPENLINEAGE__NAMESPACE:-tranquillite}
export AIRFLOW__OPENLINEAGE__TRANSPORT=${AIRFLOW__OPENLINEAGE__TRANSPORT:-"{\"type\": \"file\", \"log_file_path\": \"$TRQ_ROOT/.local/lineage/events.jsonl\", \"append\": true}"}
if _k=$(_read airflow_fernet_key); then export AIRFLOW__CORE__FERNET_KEY=${AIRFLOW__CORE__FERNET_KEY:-$_k}; fi
# Airflow's users and roles: the FAB auth manager (roles in tranquillite.access.airflow_roles),
# which also knows the purge's approvers by login (tranquillite.access.auth_manager)
export AIRFLOW__CORE__AUTH_MANAGER=${AIRFLOW__CORE__AUTH_MANAGER:-tranquillite.access.auth_manager.TranquilliteAuthManager}
if _k=$(_read airflow_secret_key); then export AIRFLOW__API__SECRET_KEY=${AIRFLOW__API__SECRET_KEY:-$_k}; fi
if _k=$(_read airflow_jwt_secret); then export AIRFLOW__API_AUTH__JWT_SECRET=${AIRFLOW__API_AUTH__JWT_SECRET:-$_k}; fi
unset _pw _tok _k _sec _tls _r _var
unset -f _read
