#!/usr/bin/env bash
# Start or stop the sandboxes in the background (pids in .local/run): the Cortège
# export API, and the SMTP server that keeps the DPO's mail in .local/mail.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
run="$root/.local/run"; logs="$root/.local/logs"; mkdir -p "$run" "$logs"

start_one() { # name, then the command
  local name=$1; shift
  local pidfile="$run/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return 0; fi
  nohup "$@" >"$logs/$name.log" 2>&1 &
  echo $! >"$pidfile"
}

stop_one() {
  local pidfile="$run/$1.pid"
  if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
}

case "${1:-start}" in
  start)
    start_one cortege-sandbox python -m tranquillite.sandbox.cortege_server --port "$TRQ_SANDBOX_PORT" \
      --token-file "$root/.local/secrets/cortege_sandbox_token" ${TRQ_SANDBOX_ARGS:-}
    start_one smtp-sandbox python -m tranquillite.sandbox.smtp_server --port "$TRQ_SMTP_PORT" \
      --maildir "$root/.local/mail"
    start_one webhook-sandbox python -m tranquillite.sandbox.webhook_server --port "$TRQ_WEBHOOK_PORT" \
      --out "$root/.local/webhook/alerts.jsonl"
    if python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 15; then
      echo "sandbox: Cortège on http://127.0.0.1:$TRQ_SANDBOX_PORT, SMTP on 127.0.0.1:$TRQ_SMTP_PORT (mail in .local/mail)," \
        "alerts webhook on 127.0.0.1:$TRQ_WEBHOOK_PORT (.local/webhook)"
      exit 0
    fi
    echo "sandbox: did not start, see $logs/cortege-sandbox.log" >&2; exit 1
    ;;
  stop)
    stop_one cortege-sandbox
    stop_one smtp-sandbox
    stop_one webhook-sandbox
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
