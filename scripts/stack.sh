#!/usr/bin/env bash
# `make up` / `make down`: the local stack with the Airflow UI and scheduler, so that
# the DAGs run on their schedules. Processes and logs live in .local/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
run="$root/.local/run"; logs="$root/.local/logs"; mkdir -p "$run" "$logs"
# The simple auth manager generates the admin's password on first start and keeps it
# in AIRFLOW_HOME; no default password exists anywhere.
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS:-admin:admin,conformite1:user,conformite2:user}
components=(api-server scheduler dag-processor triggerer)

# shellcheck source=procs.sh
. "$root/scripts/procs.sh"

case "${1:-up}" in
  up)
    # agents keep editing entries while the stack runs, so scheduled pulls find news
    TRQ_SANDBOX_ARGS=${TRQ_SANDBOX_ARGS:---live-every 120} "$root/scripts/sandbox.sh" start
    start_one api-server airflow api-server --port "$AIRFLOW__API__PORT" --host 127.0.0.1
    start_one scheduler airflow scheduler
    start_one dag-processor airflow dag-processor
    start_one triggerer airflow triggerer
    url="http://127.0.0.1:$AIRFLOW__API__PORT"
    python "$root/scripts/wait_http.py" "$url/api/v2/monitor/health" 180 || {
      echo "up: the API server did not answer, see $logs/api-server.log" >&2; exit 1; }
    pwfile="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
    for _ in $(seq 1 30); do [ -s "$pwfile" ] && break; sleep 1; done
    echo "Airflow UI:   $url"
    if [ -s "$pwfile" ]; then
      python - "$pwfile" <<'PY'
import json, sys
for user, password in json.load(open(sys.argv[1])).items():
    print(f"Login:        {user} / {password}   (generated; kept in {sys.argv[1]})")
PY
    fi
    echo "Warehouse:    make psql   (or make dsn)"
    echo "Data Docs:    $root/.local/gx/uncommitted/data_docs/local_site/index.html  (after the first pull)"
    echo "DPO mail:     $root/.local/mail  (the local SMTP sandbox)"
    echo "Logs:         $logs"
    echo "Stop with:    make down"
    ;;
  down)
    for name in "${components[@]}"; do stop_one "$name"; done
    "$root/scripts/sandbox.sh" stop
    "$root/scripts/localdb.sh" stop
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
