#!/usr/bin/env bash
# Start or stop the sandboxes in the background (pids in .local/run): the Cortège
# export API, the municipal feeds and the geocoder (one server; the police's daily
# CSV files written into .local/feeds/pm_landing), the SMTP server that keeps mail
# in .local/mail, the alerts webhook.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=env.sh
. "$root/scripts/env.sh"
run="$root/.local/run"; logs="$root/.local/logs"; mkdir -p "$run" "$logs"

# shellcheck source=procs.sh
. "$root/scripts/procs.sh"

case "${1:-start}" in
  start)
    start_one cortege-sandbox python -m sandbox.cortege_server --port "$TRQ_SANDBOX_PORT" \
      --token-file "$root/.local/secrets/cortege_sandbox_token" ${TRQ_SANDBOX_ARGS:-}
    start_one municipal-sandbox python -m sandbox.municipal_server --port "$TRQ_FEEDS_PORT" \
      --pm-folder "$TRQ_PM_LANDING_DIR" ${TRQ_MUNICIPAL_SANDBOX_ARGS:-}
    start_one smtp-sandbox python -m sandbox.smtp_server --port "$TRQ_SMTP_PORT" \
      --maildir "$root/.local/mail"
    start_one webhook-sandbox python -m sandbox.webhook_server --port "$TRQ_WEBHOOK_PORT" \
      --out "$root/.local/webhook/alerts.jsonl"
    if python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_SANDBOX_PORT/api/v1/health" 60 \
      && python "$root/scripts/wait_http.py" "http://127.0.0.1:$TRQ_FEEDS_PORT/health" 60; then
      echo "sandbox: Cortège on http://127.0.0.1:$TRQ_SANDBOX_PORT, municipal feeds and geocoder on" \
        "http://127.0.0.1:$TRQ_FEEDS_PORT (police files in .local/feeds/pm_landing), SMTP on 127.0.0.1:$TRQ_SMTP_PORT (mail in .local/mail)," \
        "alerts webhook on 127.0.0.1:$TRQ_WEBHOOK_PORT (.local/webhook)"
      exit 0
    fi
    echo "sandbox: did not start, see $logs/cortege-sandbox.log and $logs/municipal-sandbox.log" >&2; exit 1
    ;;
  stop)
    stop_one cortege-sandbox
    stop_one municipal-sandbox
    stop_one smtp-sandbox
    stop_one webhook-sandbox
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
