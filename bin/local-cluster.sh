# bin/fulcrum up | down | demo: a local cluster of real processes on loopback, state in ./.fulcrum/
# shellcheck shell=bash

STATE_DIR="$PWD/.fulcrum"
# FULCRUM_PORT_OFFSET moves every port below (tests run the demo beside other things)
PORT_OFFSET=${FULCRUM_PORT_OFFSET:-0}
CP_RAFT_BASE=$((7000 + PORT_OFFSET))
CP_API_BASE=$((9000 + PORT_OFFSET))
CP_RESP_BASE=$((16308 + PORT_OFFSET))
CP_REST_BASE=$((9050 + PORT_OFFSET))
DP_ADMIN_BASE=$((9100 + PORT_OFFSET))
DEMO_LISTENER=127.0.0.1:$((8080 + PORT_OFFSET))
DEMO_BACKEND_BASE=$((9080 + PORT_OFFSET))

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

random_token() {
  head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43
}

# start_process NAME MODULE MAIN ARGS...: background process with pid and log files
start_process() {
  local name=$1 module=$2 main=$3
  shift 3
  local cp
  cp=$(fulcrum_classpath "$module")
  nohup java "${FULCRUM_JAVA_FLAGS[@]}" -Xmx256m -Dfulcrum.process="$name" -cp "$cp" "$main" "$@" \
      >"$STATE_DIR/logs/$name.log" 2>&1 &
  echo $! >"$STATE_DIR/pids/$name.pid"
}

# running NAME: true if the pid file names a live process that is ours
running() {
  local file="$STATE_DIR/pids/$1.pid" pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "-Dfulcrum.process=$1 "
}

fctl_local() {
  "$FULCRUM_ROOT/bin/fctl" "$@"
}

wait_for() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "fulcrum: timed out waiting for $what (logs: $STATE_DIR/logs)" >&2
  return 1
}

cluster_ready() {
  local expected=$1
  fctl_local status -o json | grep -c '"apiAddress": "127' | grep -qx "$expected"
}

nodes_connected() {
  local expected=$1
  [ "$(fctl_local nodes -o json | grep -c '"state": "SYNC_STATE_\(SYNCED\|STALE\)"')" -ge "$expected" ]
}

local_up() {
  local cps=3 dps=2
  while [ $# -gt 0 ]; do
    case "$1" in
      --control-planes) cps=$2; shift 2 ;;
      --data-planes) dps=$2; shift 2 ;;
      *) echo "fulcrum up: unknown option $1 (allowed: --control-planes N, --data-planes N)" >&2; return 2 ;;
    esac
  done
  case "$cps" in 1|3|5) ;; *) echo "fulcrum up: --control-planes must be 1, 3 or 5" >&2; return 2 ;; esac
  mkdir -p "$STATE_DIR/logs" "$STATE_DIR/pids"
  for f in "$STATE_DIR"/pids/*.pid; do
    [ -e "$f" ] || continue
    if running "$(basename "$f" .pid)"; then
      echo "fulcrum: a local cluster is already running here ($STATE_DIR); bin/fulcrum down first" >&2
      return 1
    fi
  done
  fulcrum_classpath control-plane >/dev/null
  fulcrum_classpath data-plane >/dev/null
  fulcrum_classpath ctl >/dev/null
  local port peers="" servers="" i
  for i in $(seq 1 "$cps"); do
    for port in $((CP_RAFT_BASE + i)) $((CP_API_BASE + i)) $((CP_RESP_BASE + i)) $((CP_REST_BASE + i)); do
      port_free "$port" || { echo "fulcrum up: port $port is in use" >&2; return 1; }
    done
    peers="${peers:+$peers,}cp$i=127.0.0.1:$((CP_RAFT_BASE + i))"
    servers="${servers:+$servers,}127.0.0.1:$((CP_API_BASE + i))"
  done
  if [ ! -f "$STATE_DIR/auth.conf" ]; then
    umask 077
    printf 'operator %s operator\nviewer %s viewer\ndata-plane %s data-plane\n' \
        "$(random_token)" "$(random_token)" "$(random_token)" >"$STATE_DIR/auth.conf"
  fi
  printf 'servers=%s\ntoken-file=auth.conf\n' "$servers" >"$STATE_DIR/fctl.conf"
  # the RESP password is the operator token, handed over in a file (a flag would show it in ps)
  (umask 077 && awk '/^operator/{print $2}' "$STATE_DIR/auth.conf" >"$STATE_DIR/resp-password")
  for i in $(seq 1 "$cps"); do
    start_process "cp$i" control-plane io.fulcrum.controlplane.ControlPlaneMain --id "cp$i" --data-dir "$STATE_DIR/cp$i" \
        --raft "127.0.0.1:$((CP_RAFT_BASE + i))" --api "127.0.0.1:$((CP_API_BASE + i))" --peers "$peers" \
        --auth-file "$STATE_DIR/auth.conf" --resp "127.0.0.1:$((CP_RESP_BASE + i))" --resp-password-file "$STATE_DIR/resp-password" \
        --rest "127.0.0.1:$((CP_REST_BASE + i))"
  done
  echo "starting $cps control-plane node(s)..."
  wait_for "the control plane" 90 cluster_ready "$cps" || return 1
  for i in $(seq 1 "$dps"); do
    start_process "dp$i" data-plane io.fulcrum.dataplane.DataPlaneMain --id "dp$i" --control-plane "$servers" \
        --token-file "$STATE_DIR/auth.conf" --admin "127.0.0.1:$((DP_ADMIN_BASE + i))" --state-dir "$STATE_DIR/dp$i"
  done
  if [ "$dps" -gt 0 ]; then
    echo "starting $dps data-plane node(s)..."
    wait_for "the data planes" 90 nodes_connected "$dps" || return 1
  fi
  echo
  echo "Fulcrum is up (state and logs in $STATE_DIR):"
  for i in $(seq 1 "$cps"); do
    echo "  control plane cp$i  api 127.0.0.1:$((CP_API_BASE + i))  raft 127.0.0.1:$((CP_RAFT_BASE + i))  resp 127.0.0.1:$((CP_RESP_BASE + i))  rest 127.0.0.1:$((CP_REST_BASE + i))"
  done
  echo "  status page         http://127.0.0.1:$((CP_REST_BASE + 1))/status  (give it the viewer token of $STATE_DIR/auth.conf)"
  for i in $(seq 1 "$dps"); do
    echo "  data plane dp$i     admin http://127.0.0.1:$((DP_ADMIN_BASE + i))/metrics"
  done
  echo
  echo "Try:  bin/fctl status     (fctl finds this cluster and its token by itself)"
}

local_down() {
  local stopped=0 f name pid
  for f in "$STATE_DIR"/pids/*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    if running "$name"; then
      pid=$(cat "$f")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do running "$name" || break; sleep 0.25; done
      running "$name" && kill -9 "$pid" 2>/dev/null || true
      stopped=$((stopped + 1))
    fi
    rm -f "$f"
  done
  echo "stopped $stopped process(es) started from $STATE_DIR"
}

# three small HTTP backends answering "hello from backendN" on 127.0.0.1:9081..9083
local_backends() {
  local i port
  mkdir -p "$STATE_DIR/logs" "$STATE_DIR/pids"
  for i in 1 2 3; do
    running "backend$i" && continue
    port=$((DEMO_BACKEND_BASE + i))
    port_free "$port" || { echo "fulcrum: port $port is in use" >&2; return 1; }
    start_process "backend$i" ctl io.fulcrum.ctl.demo.DemoBackend "backend$i" "127.0.0.1:$port"
  done
  for i in 1 2 3; do
    wait_for "backend$i" 30 curl -sf "http://127.0.0.1:$((DEMO_BACKEND_BASE + i))/" || return 1
  done
  echo "demo backends: http://127.0.0.1:$((DEMO_BACKEND_BASE + 1))/ .. http://127.0.0.1:$((DEMO_BACKEND_BASE + 3))/"
}

local_demo() {
  local_up "$@" || return 1
  port_free "${DEMO_LISTENER##*:}" || { echo "fulcrum demo: port ${DEMO_LISTENER##*:} is in use" >&2; return 1; }
  local_backends || return 1
  fctl_local -f /dev/stdin >/dev/null <<SCRIPT
add event-loop-group acceptor
add event-loop-group worker
add event-loop acceptor1 to event-loop-group acceptor
add event-loop worker1 to event-loop-group worker
add event-loop worker2 to event-loop-group worker
add server-group ngx timeout 500 period 1000 up 2 down 3 method wrr event-loop-group worker
add server backend1 to server-group ngx address 127.0.0.1:$((DEMO_BACKEND_BASE + 1)) weight 10
add server backend2 to server-group ngx address 127.0.0.1:$((DEMO_BACKEND_BASE + 2)) weight 10
add server backend3 to server-group ngx address 127.0.0.1:$((DEMO_BACKEND_BASE + 3)) weight 10
add upstream backend-groups
add server-group ngx to upstream backend-groups
add tcp-lb lb0 acceptor-elg acceptor event-loop-group worker address $DEMO_LISTENER upstream backend-groups in-buffer-size 16384 out-buffer-size 16384
SCRIPT
  wait_for "traffic through $DEMO_LISTENER" 30 curl -sf "http://$DEMO_LISTENER/" || return 1
  echo
  echo "The demo config (vproxy's load-balancer walkthrough on loopback) is applied:"
  echo "  curl http://$DEMO_LISTENER/                 # hello from backend1, 2, 3 in turn"
  echo "  bin/fctl list-detail server in server-group ngx"
  echo "  bin/fctl nodes"
  echo "  bin/fulcrum down                           # stops everything started here"
}
