#!/usr/bin/env bash
# `make run`: the whole pipeline once, end to end, the way the scheduler would run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
logs="$root/.local/logs"; mkdir -p "$logs"
# the sandbox serves this run, unless one is already up (make up): then leave it be
if ! python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 0.3; then
  "$root/scripts/sandbox.sh" start
  trap '"$root/scripts/sandbox.sh" stop' EXIT
fi

dag_test() {
  local dag=$1
  echo "run: $dag ..."
  if ! airflow dags test "$dag" >"$logs/run-$dag.log" 2>&1; then
    echo "run: $dag failed; its log: $logs/run-$dag.log" >&2
    tail -30 "$logs/run-$dag.log" >&2
    exit 1
  fi
  grep -q "state=success" "$logs/run-$dag.log" || { echo "run: $dag did not succeed, see $logs/run-$dag.log" >&2; exit 1; }
}

dag_test cortege_ingest
# cortege_ingest announces its Asset only when new rows landed; that is what
# triggers warehouse_build under the scheduler, so do the same here.
new_or_missing=$(python - <<'PY'
from tranquillite.warehouse import connect
with connect() as c:
    new = c.execute("select new_rows from ops.ingest_batches where source = 'cortege' order by started_at desc limit 1").fetchone()
    mart = c.execute("select to_regclass('marts.fct_events') is not null").fetchone()[0]
print("yes" if (new and new[0] > 0) or not mart else "no")
PY
)
if [ "$new_or_missing" = yes ]; then
  dag_test warehouse_build
else
  echo "run: nothing new landed, warehouse_build not triggered"
fi
python -m tranquillite.report
