#!/usr/bin/env bash
# `make up` / `make down`: the local stack with the Airflow UI and scheduler, so that
# the DAGs run on their schedules. Processes and logs live in .local/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
run="$root/.local/run"; logs="$root/.local/logs"; mkdir -p "$run" "$logs"
# The FAB auth manager: roles from tranquillite.access.airflow_roles; the first `make up`
# creates the users below with generated passwords, printed once and stored nowhere.
# No default password exists anywhere.
first_users=(admin:Admin conformite1:ComplianceOfficer conformite2:ComplianceOfficer
             dga_securite:ComplianceOfficer dpo:DPO pref_validation:PrefectureValidator)
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
    python -m tranquillite.access.airflow_roles sync
    echo "Airflow UI:   $url"
    for pair in "${first_users[@]}"; do
      # exit 3: the user exists already (its password was shown the first time)
      python -m tranquillite.access.airflow_roles user "${pair%%:*}" "${pair#*:}" 2>/dev/null || [ $? = 3 ]
    done
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
