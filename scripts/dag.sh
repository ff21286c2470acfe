#!/usr/bin/env bash
# `make dag DAG=<dag_id> CONF='<json>'`: one DAG once against the local stack, as
# `airflow dags test` does, connections from the environment. The Cortège sandbox
# is started for the run when the `cortege` connection points at it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
dag=$1; conf=${2:-"{}"}
started=no
if [[ "${AIRFLOW_CONN_CORTEGE:-}" == *"127.0.0.1:$TRQ_SANDBOX_PORT"* ]] && \
   ! python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 0.5; then
  "$root/scripts/sandbox.sh" start; started=yes
fi
trap '[ "$started" = yes ] && "$root/scripts/sandbox.sh" stop' EXIT
airflow dags test "$dag" --conf "$conf"
