# shellcheck shell=bash
# Background processes of the local stack, one pid file each in $run, logs in $logs
# (both set by the caller). Sourced by stack.sh and sandbox.sh.

start_one() { # name, then the command
  local name=$1; shift
  local pidfile="$run/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then return 0; fi
  setsid nohup "$@" >"$logs/$name.log" 2>&1 &
  echo $! >"$pidfile"
}

stop_one() { # name: the whole process group, gently then firmly
  local pidfile="$run/$1.pid"
  [ -f "$pidfile" ] || return 0
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}
