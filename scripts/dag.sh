#!/usr/bin/env bash
# `make dag DAG=<dag_id> CONF='<json>'`: one DAG once against the local stack, as
# `airflow dags test` does, connections from the environment. The local sandboxes
# (Cortège API, municipal feeds and geocoder, SMTP for the DPO) are started for the run when the connections
# point at them and they are not already up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
dag=$1; conf=${2:-"{}"}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
need=no
if [[ "${AIRFLOW_CONN_CORTEGE:-}" == *"127.0.0.1:$TRQ_SANDBOX_PORT"* ]] && ! listening "$TRQ_SANDBOX_PORT"; then need=yes; fi
for c in "${AIRFLOW_CONN_OPENDATA_MARSEILLE:-}" "${AIRFLOW_CONN_TRAVAUX_VOIRIE:-}" "${AIRFLOW_CONN_GEOCODER:-}"; do
  if [[ "$c" == *"127.0.0.1:$TRQ_FEEDS_PORT"* ]] && ! listening "$TRQ_FEEDS_PORT"; then need=yes; fi
done
if [[ "${AIRFLOW_CONN_PM_LANDING:-}" == *"$TRQ_PM_LANDING_DIR"* ]] && [ ! -d "$TRQ_PM_LANDING_DIR" ]; then need=yes; fi
if [[ "${AIRFLOW_CONN_DPO_SMTP:-}" == *"\"port\": $TRQ_SMTP_PORT"* ]] && ! listening "$TRQ_SMTP_PORT"; then need=yes; fi
if [[ "${AIRFLOW_CONN_OPS_WEBHOOK:-}" == *"\"port\": $TRQ_WEBHOOK_PORT"* ]] && ! listening "$TRQ_WEBHOOK_PORT"; then need=yes; fi
if [ "$need" = yes ]; then
  "$root/scripts/sandbox.sh" start
  trap '"$root/scripts/sandbox.sh" stop' EXIT
fi
airflow dags test "$dag" --conf "$conf"
