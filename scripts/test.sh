#!/usr/bin/env bash
# `make test`: the whole suite. The benchmark's end-to-end test has a warehouse, an Airflow
# metadata database and folders of its own (bench/pipeline_bench.py), and spends its time
# in dbt and Airflow processes while the rest of the suite mostly waits on servers: it runs
# in a second pytest process beside the others. Arguments naming tests run them alone.
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
python -m pytest -q -p no:cacheprovider "$bench_test" >"$logs/test-bench.log" 2>&1 &
bench_pid=$!
python -m pytest --deselect "$bench_test" "$@"
main=$?
wait "$bench_pid"
bench=$?
echo "--- $bench_test (run beside the suite; its output: $logs/test-bench.log)"
tail -25 "$logs/test-bench.log"
[ "$main" -eq 0 ] && [ "$bench" -eq 0 ]
