# shellcheck shell=bash
# bin/fulcrum upgrade DATA-PLANE-FLAGS...: replaces the running data-plane process of a node by a
# new one (a new binary, the same flags) that takes its listening sockets and config over, so that
# no connection is dropped (docs/operations.md, "Upgrade"). The flags must include --pid-file: the
# new process writes it once it serves. Returns 0 then; 1 when the new process could not take over
# (the running one keeps serving and says why in its log). systemd's ExecReload calls this.

fulcrum_upgrade() {
  local pid_file="" arg previous=""
  for arg in "$@"; do
    [ "$previous" = "--pid-file" ] && pid_file=$arg
    case "$arg" in --pid-file=*) pid_file=${arg#--pid-file=} ;; --takeover)
      echo "fulcrum upgrade: give the data plane's own flags, without --takeover" >&2; return 2 ;;
    esac
    previous=$arg
  done
  if [ -z "$pid_file" ]; then
    echo "fulcrum upgrade: the flags need --pid-file FILE (the new process writes it once it serves)" >&2
    return 2
  fi
  local old
  old=$(cat "$pid_file" 2>/dev/null || true)
  # setsid: the new process outlives this command; its output goes where this command's goes
  setsid "$FULCRUM_ROOT/bin/fulcrum" data-plane "$@" --takeover < /dev/null &
  local new=$! deadline=$((SECONDS + ${FULCRUM_UPGRADE_TIMEOUT:-60})) pid
  while [ $SECONDS -lt $deadline ]; do
    pid=$(cat "$pid_file" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$pid" != "$old" ] && kill -0 "$pid" 2>/dev/null; then
      echo "fulcrum upgrade: pid $pid serves; pid ${old:-?} drains and exits" >&2
      return 0
    fi
    if ! kill -0 "$new" 2>/dev/null; then
      echo "fulcrum upgrade: the new process could not take over (see its output above); pid ${old:-?} keeps serving" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "fulcrum upgrade: no takeover within ${FULCRUM_UPGRADE_TIMEOUT:-60} s; pid ${old:-?} keeps serving" >&2
  return 1
}
