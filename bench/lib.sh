# shellcheck shell=bash
# Shared by the benchmark scripts (bench/e2e/run.sh, bench/upgrade/run.sh). The caller defines
# log() and WORK (its scratch directory) before using these.

# install_missing COMMAND:PACKAGE ...: installs (Debian) the packages whose command is missing; the
# packages' own nginx and haproxy services are stopped (the benchmarks run their own instances).
install_missing() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
    service nginx stop >/dev/null 2>&1 || true
    service haproxy stop >/dev/null 2>&1 || true
  fi
}

# Builds the data plane's jar and target/lib when they are missing: package, not install (the jars
# in ~/.m2 may belong to another checkout's build).
build_fulcrum() {
  if ! ls "$ROOT"/data-plane/target/fulcrum-data-plane-*.jar >/dev/null 2>&1 || [ ! -d "$ROOT/data-plane/target/lib" ]; then
    log "building Fulcrum (mvn -q -pl data-plane -am -DskipTests package)"
    (cd "$ROOT" && mvn -B -ntp -q -pl data-plane -am -DskipTests package) >&2
  fi
}

# One line about the machine, for the reports.
machine() {
  local cpu
  cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
  echo "$(getconf _NPROCESSORS_ONLN) cores ($cpu), $(free -g | awk '/Mem:/ {print $2}') GB RAM, Linux $(uname -r)"
}

# Waits until an HTTP GET / on 127.0.0.1:PORT answers 2xx (10 s), else logs and exits.
wait_port() {
  local port=$1 i
  for i in $(seq 1 100); do
    if curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$port/"; then
      return
    fi
    sleep 0.1
  done
  log "nothing answers on port $port"
  exit 1
}

# start_backend NAME PORT [NGINX-SERVER-LINES]: a one-process nginx on 127.0.0.1:PORT, pinned to
# $PROXY_CPU, answering "hello" (plus whatever the extra server lines add), its state in
# $WORK/NAME; its pid is added to STARTED.
start_backend() {
  local name=$1 port=$2 extra=${3:-}
  mkdir -p "$WORK/$name"
  cat >"$WORK/$name/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
pid $WORK/$name/nginx.pid;
error_log $WORK/$name/error.log warn;
events { worker_connections 8000; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$port reuseport backlog=4096;
    location / { return 200 "hello"; }
$extra
  }
}
CONF
  taskset -c "$PROXY_CPU" nginx -p "$WORK/$name" -c "$WORK/$name/nginx.conf" &
  STARTED+=($!)
}
