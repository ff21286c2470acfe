#!/usr/bin/env bash
# Start or stop the Cortège sandbox in the background (pid in .local/run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
run="$root/.local/run"; logs="$root/.local/logs"; mkdir -p "$run" "$logs"
pidfile="$run/cortege-sandbox.pid"
case "${1:-start}" in
  start)
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
    nohup python -m tranquillite.sandbox.cortege_server --port "$TRQ_SANDBOX_PORT" \
      --token-file "$root/.local/secrets/cortege_sandbox_token" ${TRQ_SANDBOX_ARGS:-} \
      >"$logs/cortege-sandbox.log" 2>&1 &
    echo $! >"$pidfile"
    if python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 15; then
      echo "sandbox: Cortège sandbox on http://127.0.0.1:$TRQ_SANDBOX_PORT"; exit 0
    fi
    echo "sandbox: did not start, see $logs/cortege-sandbox.log" >&2; exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
