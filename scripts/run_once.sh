#!/usr/bin/env bash
# `make run`: the whole pipeline once, end to end, the way the scheduler would run it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
logs="${TRQ_RUN_LOG_DIR:-$root/.local/logs}"; mkdir -p "$logs"  # the purge cleans it (compliance/purge.py)
# the sandbox serves this run, unless one is already up (make up): then leave it be
if ! python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 0.3 \
  || ! python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_FEEDS_PORT/health" 0.3; then
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

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ingest_dags=$(python -c "from tranquillite.sources.feeds.registry import FEEDS; from tranquillite.ingestion.naming import ingest_dag_id
print(' '.join(ingest_dag_id(s) for s in ['cortege', *FEEDS]))")
for dag in $ingest_dags; do
  dag_test "$dag"
done
# an ingestion DAG announces its Asset only when something new landed (or a file
# replaced an earlier one); that is what triggers warehouse_build under the
# scheduler, so do the same here.
new_or_missing=$(python - "$started" <<'PY'
import sys
from tranquillite.warehouse import connect
with connect() as c:
    changed = c.execute(
        "select count(*) from ops.ingest_batches b where b.started_at >= %s and (b.new_rows > 0 or exists"
        " (select 1 from ops.feed_deliveries d where d.batch_id = b.batch_id))", (sys.argv[1],)
    ).fetchone()[0]
    mart = c.execute("select to_regclass('marts.fct_events') is not null").fetchone()[0]
print("yes" if changed or not mart else "no")
PY
)
map_dir=${TRQ_MAP_DIR:-$root/.local/map}
if [ "$new_or_missing" = yes ]; then
  dag_test warehouse_build
  # the scheduler runs tension_map on the Asset that warehouse_build announces
  dag_test tension_map
else
  echo "run: nothing new landed, warehouse_build not triggered"
  [ -f "$map_dir/tension_map.html" ] || dag_test tension_map
fi
python -m tranquillite.ingestion.report
echo "map: $map_dir/tension_map.html"
