#!/usr/bin/env bash
# `make test`: the whole suite, in three pytest processes side by side.
#
# - the end-to-end tier (Airflow processes: `make dag`, the api-server, `make run`), in the
#   foreground: it is the longest, and mostly waits on the processes it starts; the tests
#   that change what the whole cluster shares (habilitated logins, marked `cluster`) run in
#   it too, so that two of them never run at once;
# - the unit and integration tiers, beside it, with folders of their own (GX results, the
#   map, certificates, dbt's target) so that nothing they write meets what the DAG runs write;
# - the benchmark's end-to-end test, which has a warehouse, an Airflow metadata database and
#   folders of its own (bench/pipeline_bench.py) and spends its time in dbt and Airflow.
# Each pytest process has its own warehouse and Airflow metadata database (tests/conftest.py).
# Arguments naming tests run them alone, in one process.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=env.sh
. "$root/scripts/env.sh"
bench_test=tests/bench/test_pipeline_bench.py::test_make_bench_runs_every_stage_through_the_real_stack
for arg in "$@"; do
  case "$arg" in
    tests|tests/*|*.py|*::*) exec python -m pytest "$@" ;;
  esac
done
logs="$root/.local/logs"; mkdir -p "$logs"
own="$root/.local/test/unit-integration"; rm -rf "$own"; mkdir -p "$own"
# exit 5 is "nothing selected" (arguments such as -k that pick tests of one tier only)
ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }
python -m pytest -q -p no:cacheprovider "$bench_test" >"$logs/test-bench.log" 2>&1 &
bench_pid=$!
# an interrupted run stops the processes beside it too
trap 'kill "$bench_pid" ${fast_pid:+"$fast_pid"} 2>/dev/null; exit 130' INT TERM
TRQ_GX_ROOT="$own/gx" TRQ_MAP_DIR="$own/map" TRQ_CERTIFICATE_DIR="$own/certificates" \
  TRQ_RUN_LOG_DIR="$own/run-logs" DBT_TARGET_PATH="$own/dbt-target" \
  AIRFLOW__LOGGING__BASE_LOG_FOLDER="$own/airflow-logs" \
  python -m pytest -p no:cacheprovider -m "not e2e and not cluster" --durations=10 "$@" \
  >"$logs/test-unit-integration.log" 2>&1 &
fast_pid=$!
python -m pytest -p no:cacheprovider -m "e2e or cluster" --deselect "$bench_test" --durations=10 "$@"
e2e=$?
wait "$fast_pid"
fast=$?
wait "$bench_pid"
bench=$?
echo "--- the unit and integration tiers but the cluster-wide tests (run beside the rest; their output: $logs/test-unit-integration.log)"
cat "$logs/test-unit-integration.log"
echo "--- $bench_test (run beside the suite; its output: $logs/test-bench.log)"
tail -25 "$logs/test-bench.log"
ok "$e2e" && ok "$fast" && [ "$bench" -eq 0 ]
