#!/usr/bin/env bash
# Upgrade benchmark: what replacing the running proxy costs, under load. Fulcrum's takeover (a new
# data-plane process started with --takeover, as `bin/fulcrum upgrade` does: it receives the
# listening sockets over STATE_DIR/takeover.sock, the old process drains and exits) against
# HAProxy's seamless reload (master-worker, `-W -S`, `expose-fd listeners`, `kill -USR2 MASTER`)
# and nginx's reload (`kill -HUP MASTER`: new workers, the old ones finish). Each proxy balances
# HTTP round robin over the same two nginx backends; the proxies take turns (F H N F H N ...).
#
# Per round and proxy: bench/src/main/java/io/fulcrum/bench/upgrade/UpgradeLoad.java runs two loads
# at once, 50 keep-alive connections and 10 threads opening a connection per request, WARMUP s
# unmeasured, 5 s of baseline, then the reload, then DURATION s more; it counts completed and
# failed requests per 100 ms. Reported per reload:
#   - reload time. Fulcrum: from starting the new JVM to the old process logging "taken over by
#     pid", and the protocol part (the new one's "taking over from pid" to that line). HAProxy and
#     nginx: from the signal to the first response from a new worker (an X-Worker response header
#     they are configured to add: nginx's worker pid; HAProxy 2.6 has no pid fetch, so the time the
#     worker's config was parsed). For all three also: until the old process/worker exited.
#   - the dip: the lowest 100 ms bucket in the 3 s after the reload started, as a fraction of the
#     baseline (the median bucket of the 5 s before), per load; also the lowest until 3 s after the
#     switch, and the mean over the 10 s after the start.
#   - failed requests (connect errors, resets, early ends, 5 s timeouts, non-2xx), by kind.
# Prints the tables and rewrites the generated part of docs/BENCHMARKS.md (unless NO_DOCS=1).
#
#   bench/upgrade/run.sh                          5 rounds (~8 min)
#   ROUNDS=1 DURATION=5 WARMUP=5 bench/upgrade/run.sh   a quick look
#   PROXIES="fulcrum nginx" ...                   a subset (fulcrum haproxy nginx)
#   KA_CONNS=50 NEW_CONNS=10                      the two loads' threads
#   NO_DOCS=1 ...                                 do not touch docs/BENCHMARKS.md
#   KEEP_WORK=1 ...                               keep the logs and bucket files (in /tmp/fulcrum-upgrade.*)
#   WAIT_IDLE=0 ...                               do not wait for maven/surefire/failsafe to finish
#                                                 before each measurement, nor measure again one
#                                                 during which they ran (default: wait, up to 3 tries)
#
# Pinned like bench/e2e/run.sh: the load and this script on CPU 1, proxies (the new Fulcrum JVM
# too) and backends on CPU 0. Runs Fulcrum from a copy of data-plane/target taken at the start, so
# a build during the run changes nothing. Needs root for apt-get (only if something is missing).
# Benchmarks are not tests: never run this in CI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
BASELINE=5
KA_CONNS=${KA_CONNS:-50}
NEW_CONNS=${NEW_CONNS:-10}
PROXY_CPU=${PROXY_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PROXIES=${PROXIES:-"fulcrum haproxy nginx"}
WAIT_IDLE=${WAIT_IDLE:-1}
FULCRUM_JAVA_OPTS=${FULCRUM_JAVA_OPTS:-"-Xms256m -Xmx256m"}
BACKEND1=18381
BACKEND2=18382
ADMIN_PORT=18390
declare -A PORT=([fulcrum]=18301 [haproxy]=18302 [nginx]=18303)
declare -A LABEL=([fulcrum]="Fulcrum takeover" [haproxy]="HAProxy seamless reload (USR2)" [nginx]="nginx reload (HUP)")
declare -A PID=()
BUSY_PATTERN='maven|surefire|failsafe'

WORK=$(mktemp -d /tmp/fulcrum-upgrade.XXXXXX)
chmod 755 "$WORK"
STARTED=()
FULCRUM_GENERATION=0
RESTARTS=0
REPEATED=0
MEASURED_BUSY=0
MEASURED_LINE=

log() { echo "upgrade: $*" >&2; }

now_ms() {
  local t=${EPOCHREALTIME/./}
  echo $((t / 1000))
}

# alive PID: the process exists and is not a zombie
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $1}') || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

cleanup() {
  local pid child
  set +e
  # STARTED holds only processes not yet reaped (see forget), so no pid here is someone else's
  for pid in "${STARTED[@]}"; do
    # HAProxy's and nginx's masters stop their workers; a stray worker is the master's child
    for child in $(pgrep -P "$pid" 2>/dev/null); do
      kill "$child" 2>/dev/null
    done
    kill "$pid" 2>/dev/null
  done
  for pid in "${STARTED[@]}"; do
    wait "$pid" 2>/dev/null
  done
  if [ -n "${KEEP_WORK:-}" ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# forget PID: a child this script reaped (waited for); its pid may be reused, so never signal it
forget() {
  local pid kept=()
  for pid in "${STARTED[@]}"; do
    [ "$pid" = "$1" ] || kept+=("$pid")
  done
  STARTED=("${kept[@]}")
}

busy() {
  if pgrep -f "$BUSY_PATTERN" >/dev/null; then echo 1; else echo 0; fi
}

wait_idle() {
  [ "$WAIT_IDLE" = 1 ] || return 0
  local said=0
  while pgrep -f "$BUSY_PATTERN" >/dev/null; do
    if [ $said = 0 ]; then
      log "waiting for maven/surefire/failsafe to finish (WAIT_IDLE=0 to measure anyway)"
      said=1
    fi
    sleep 5
  done
  [ $said = 0 ] || sleep 5
}

install_tools() {
  install_missing haproxy:haproxy nginx:nginx taskset:util-linux curl:curl
}

prepare_fulcrum() {
  build_fulcrum
  local jar
  jar=$(ls "$ROOT"/data-plane/target/fulcrum-data-plane-*-SNAPSHOT.jar | head -n 1)
  mkdir -p "$WORK/fulcrum/lib" "$WORK/fulcrum/state"
  cp "$jar" "$WORK/fulcrum/"
  cp "$ROOT"/data-plane/target/lib/*.jar "$WORK/fulcrum/lib/"
  # the jar is whatever was built last; HEAD may have moved since
  FULCRUM_COMMIT="HEAD $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown), data-plane jar built $(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC')"
}

compile_load() {
  mkdir -p "$WORK/classes"
  javac -d "$WORK/classes" "$ROOT/bench/src/main/java/io/fulcrum/bench/upgrade/UpgradeLoad.java"
}

start_haproxy() {
  mkdir -p "$WORK/haproxy"
  cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
  stats socket $WORK/haproxy/stats.sock mode 600 level admin expose-fd listeners
  # HAProxy 2.6 has no pid fetch: the time this worker's config was parsed names the worker
  set-var proc.worker date(0,us)
defaults
  mode http
  option forwardfor
  timeout http-keep-alive 60s
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:${PORT[haproxy]}
  http-after-response set-header X-Worker %[var(proc.worker)]
  default_backend be
backend be
  balance roundrobin
  server b1 127.0.0.1:$BACKEND1 check inter 1s
  server b2 127.0.0.1:$BACKEND2 check inter 1s
EOF
  # -W master-worker, -S the master CLI, -db the master in the foreground
  taskset -c "$PROXY_CPU" haproxy -W -db -S "$WORK/haproxy/master.sock" -f "$WORK/haproxy/haproxy.cfg" \
    2>"$WORK/haproxy/haproxy.log" &
  PID[haproxy]=$!
  STARTED+=($!)
}

start_nginx() {
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log notice;
events { worker_connections 8000; }
http {
  access_log off;
  upstream be {
    server 127.0.0.1:$BACKEND1;
    server 127.0.0.1:$BACKEND2;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]} backlog=4096;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      add_header X-Worker \$pid always;
    }
  }
}
EOF
  # the master in the foreground (daemon off), one worker
  taskset -c "$PROXY_CPU" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
  PID[nginx]=$!
  STARTED+=($!)
}

write_fulcrum_config() {
  cat >"$WORK/fulcrum/fulcrum.conf" <<EOF
# one event loop does everything, like the single HAProxy thread and nginx worker
add event-loop-group bench
add event-loop loop1 to event-loop-group bench
add server-group ngx timeout 1000 period 1000 up 2 down 3 method wrr event-loop-group bench
add server b1 to server-group ngx address 127.0.0.1:$BACKEND1
add server b2 to server-group ngx address 127.0.0.1:$BACKEND2
add upstream backends
add server-group ngx to upstream backends
add tcp-lb lb0 acceptor-elg bench event-loop-group bench address 127.0.0.1:${PORT[fulcrum]} upstream backends protocol http
EOF
}

# fulcrum_process [--takeover]: starts a data-plane process (the flags bin/fulcrum upgrade gets),
# its output in $WORK/fulcrum/N.log; sets FULCRUM_NEW to its pid
fulcrum_process() {
  FULCRUM_GENERATION=$((FULCRUM_GENERATION + 1))
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPU" java -Dsofa.middleware.log.disable=true -Dcom.google.protobuf.use_unsafe_pre22_gencode=true \
    $FULCRUM_JAVA_OPTS -cp "$WORK/fulcrum/$(cd "$WORK/fulcrum" && ls fulcrum-data-plane-*.jar):$WORK/fulcrum/lib/*" \
    io.fulcrum.dataplane.DataPlaneMain --id upgrade-bench --config "$WORK/fulcrum/fulcrum.conf" \
    --state-dir "$WORK/fulcrum/state" --pid-file "$WORK/fulcrum/pid" --admin "127.0.0.1:$ADMIN_PORT" \
    --worker-loops 1 "$@" </dev/null >"$WORK/fulcrum/$FULCRUM_GENERATION.log" 2>&1 &
  FULCRUM_NEW=$!
  STARTED+=($!)
}

start_fulcrum() {
  [ -f "$WORK/fulcrum/fulcrum.conf" ] || write_fulcrum_config
  fulcrum_process
  PID[fulcrum]=$FULCRUM_NEW
  local i
  for i in $(seq 1 150); do
    if curl -fs --max-time 2 "http://127.0.0.1:$ADMIN_PORT/ready" >/dev/null 2>&1; then
      return
    fi
    sleep 0.2
  done
  log "Fulcrum did not become ready:"
  cat "$WORK/fulcrum/$FULCRUM_GENERATION.log" >&2
  exit 1
}

# log_ms FILE PATTERN: the epoch ms of the first line of a Fulcrum log matching PATTERN (its
# HH:mm:ss.SSS local time, on the day of the run), or nothing
log_ms() {
  local hms midnight ms
  hms=$(grep -m 1 -- "$2" "$1" 2>/dev/null | awk '{print $1}') || true
  [ -n "$hms" ] || return 0
  midnight=$(date -d 'today 00:00:00' +%s)
  ms=$(awk -v t="$hms" -v m="$midnight" 'BEGIN { split(t, a, /[:.]/); printf "%.0f", m * 1000 + ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }')
  # a run across midnight: the log's time is of the next day
  [ "$ms" -lt $(($(now_ms) - 43200000)) ] && ms=$((ms + 86400000))
  echo "$ms"
}

# wait_until TIMEOUT_S COMMAND...: polls every 10 ms; prints the epoch ms it first held, or fails
wait_until() {
  local deadline=$(($(now_ms) + $1 * 1000))
  shift
  while ! "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.01
  done
  now_ms
}

pid_file_is() { [ "$(cat "$WORK/fulcrum/pid" 2>/dev/null)" = "$1" ]; }
served_or_gone() { pid_file_is "$1" || ! alive "$1"; }
log_has() { grep -q -- "$2" "$1" 2>/dev/null; }
gone() { ! alive "$1"; }
new_child() {
  local child
  for child in $(pgrep -P "$1"); do
    [ "$child" != "$2" ] && return 0
  done
  return 1
}

# reload_PROXY T0_VAR: does the reload and sets R_T0, R_DONE (the switch), R_PROTOCOL (ms or -),
# R_EXIT (the old process/worker gone), R_OLD (the old pid)
reload_fulcrum() {
  local old=${PID[fulcrum]} old_log="$WORK/fulcrum/$FULCRUM_GENERATION.log" new_log taken taking
  R_OLD=$old
  R_T0=$(now_ms)
  fulcrum_process --takeover
  new_log="$WORK/fulcrum/$FULCRUM_GENERATION.log"
  wait_until 60 served_or_gone "$FULCRUM_NEW" >/dev/null || true
  if ! pid_file_is "$FULCRUM_NEW"; then
    log "the new Fulcrum process did not take over:"
    cat "$new_log" >&2
    exit 1
  fi
  wait_until 10 log_has "$old_log" "taken over by pid" >/dev/null || true
  R_EXIT=$(wait_until 60 gone "$old") || R_EXIT=-
  local rc=0
  wait "$old" 2>/dev/null || rc=$?
  forget "$old"
  [ "$rc" = 0 ] || log "the old Fulcrum process (pid $old) exited $rc"
  taken=$(log_ms "$old_log" "taken over by pid")
  taking=$(log_ms "$new_log" "taking over from pid")
  R_DONE=${taken:-$R_T0}
  if [ -n "$taken" ] && [ -n "$taking" ]; then R_PROTOCOL=$((taken - taking)); else R_PROTOCOL=-; fi
  [ -n "$taken" ] || log "no \"taken over by pid\" in $old_log"
  PID[fulcrum]=$FULCRUM_NEW
}

# HAProxy and nginx: signal the master, then wait for the old worker to go
reload_master() {
  local proxy=$1 signal=$2 master=${PID[$1]} old
  old=$(pgrep -P "$master" | head -n 1)
  R_OLD=$old
  R_T0=$(now_ms)
  kill "-$signal" "$master"
  wait_until 30 new_child "$master" "$old" >/dev/null || log "$proxy: no new worker within 30 s"
  R_EXIT=$(wait_until 60 gone "$old") || R_EXIT=-
  R_PROTOCOL=-
  R_DONE=
}

reload_haproxy() { reload_master haproxy USR2; }
reload_nginx() { reload_master nginx HUP; }

# measure PROXY ROUND: one loaded reload; appends a line to $WORK/results.tsv. A measurement
# during which a maven/surefire/failsafe process ran (checked every second) is done again once the
# machine is idle (WAIT_IDLE=1, up to 3 tries; the last one counts whatever happened)
measure() {
  local try
  for try in 1 2 3; do
    measure_once "$1" "$2"
    [ "$WAIT_IDLE" = 1 ] && [ "$MEASURED_BUSY" = 1 ] && [ $try -lt 3 ] || break
    log "round $2 $1: something else ran during it; measuring again"
    REPEATED=$((REPEATED + 1))
  done
  echo "$MEASURED_LINE" >>"$WORK/results.tsv"
}

measure_once() {
  local proxy=$1 round=$2 dir="$WORK/r$2-$1" total load busy_file watcher first
  rm -rf "$dir"
  mkdir -p "$dir"
  wait_idle
  if ! alive "${PID[$proxy]}"; then
    # nothing in this script stops it between rounds: something else on the machine did
    log "$proxy (pid ${PID[$proxy]}) is gone before round $round; starting it again"
    wait "${PID[$proxy]}" 2>/dev/null || true
    forget "${PID[$proxy]}"
    RESTARTS=$((RESTARTS + 1))
    "start_$proxy"
    wait_port "${PORT[$proxy]}"
  fi
  busy_file=$dir/busy
  busy >"$busy_file"
  total=$((WARMUP + BASELINE + DURATION))
  java -Xms256m -Xmx256m -Xlog:gc:file="$dir/gc.log" -cp "$WORK/classes" io.fulcrum.bench.upgrade.UpgradeLoad run \
    --port "${PORT[$proxy]}" --keep-alive "$KA_CONNS" --new-connection "$NEW_CONNS" --seconds "$total" --out "$dir" &
  load=$!
  STARTED+=($load)
  (while alive "$load"; do [ "$(busy)" = 0 ] || echo 1 >"$busy_file"; sleep 1; done) &
  watcher=$!
  STARTED+=($watcher)
  sleep $((WARMUP + BASELINE))
  "reload_$proxy"
  wait "$load"
  forget "$load"
  wait "$watcher" || true
  forget "$watcher"
  [ "$(busy)" = 0 ] || echo 1 >"$busy_file"
  MEASURED_BUSY=$(cat "$busy_file")
  if [ -z "$R_DONE" ]; then
    # the first response from a worker not seen before the signal
    first=$(awk -v t0="$R_T0" '$2 >= t0 {print $2}' "$dir/workers.tsv" | sort -n | head -n 1)
    R_DONE=${first:-$R_T0}
    [ -n "$first" ] || log "$proxy: no response from a new worker"
  fi
  local reload=$((R_DONE - R_T0)) exit_ms=-
  [ "$R_EXIT" != - ] && exit_ms=$((R_EXIT - R_T0))
  local summary ka new
  summary=$(java -cp "$WORK/classes" io.fulcrum.bench.upgrade.UpgradeLoad summarize --dir "$dir" --t0 "$R_T0" --done "$R_DONE")
  ka=$(awk -F'\t' '$1 == "keep-alive"' <<<"$summary")
  new=$(awk -F'\t' '$1 == "new-connection"' <<<"$summary")
  # proxy round reload protocol exit ka(base low3 lowsw mean10 failed kinds) new(...) busy
  MEASURED_LINE=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$proxy" "$round" "$reload" "$R_PROTOCOL" "$exit_ms" \
    "$(cut -f2- <<<"$ka")" "$(cut -f2- <<<"$new")" "$MEASURED_BUSY")
  log "round $round $proxy: reload ${reload} ms (protocol ${R_PROTOCOL} ms), old gone after ${exit_ms} ms;" \
    "keep-alive $(cut -f2- <<<"$ka" | tr '\t' ' '); new-connection $(cut -f2- <<<"$new" | tr '\t' ' ')"
}

versions() {
  echo "$(java -version 2>&1 | head -n 1); $(haproxy -v 2>/dev/null | head -n 1 | awk '{print "HAProxy " $3}'); $(nginx -v 2>&1 | sed 's/.*: //')"
}

# columns of results.tsv: 1 proxy 2 round 3 reload 4 protocol 5 exit 6 ka-base 7 ka-low3 8 ka-lowsw
# 9 ka-mean10 10 ka-failed 11 ka-kinds 12 new-base 13 new-low3 14 new-lowsw 15 new-mean10
# 16 new-failed 17 new-kinds 18 busy
stat_col() { # stat_col PROXY COLUMN median|max|min
  awk -F'\t' -v p="$1" -v c="$2" '$1 == p && $c != "-" {print $c}' "$WORK/results.tsv" | sort -g |
    awk -v how="$3" '{v[NR] = $1} END {
      if (NR == 0) { print "–"; exit }
      if (how == "max") x = v[NR]; else if (how == "min") x = v[1];
      else if (NR % 2) x = v[(NR + 1) / 2]; else x = (v[NR / 2] + v[NR / 2 + 1]) / 2
      print x }'
}

tables() {
  local proxy n failed kinds busy_rounds
  echo "| proxy | rounds | reload time, median (max) | old process/worker gone, median (max) | keep-alive: baseline per 100 ms | keep-alive: lowest bucket in the 3 s after the start / baseline, median (worst) | keep-alive: lowest until 3 s after the switch / baseline, median (worst) | new-connection: baseline per 100 ms | new-connection: lowest in 3 s / baseline, median (worst) | new-connection: lowest until switch + 3 s / baseline, median (worst) | mean over the 10 s after the start / baseline (keep-alive, new-connection) | failed requests (keep-alive + new-connection) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for proxy in $PROXIES; do
    n=$(awk -F'\t' -v p="$proxy" '$1 == p' "$WORK/results.tsv" | wc -l)
    failed=$(awk -F'\t' -v p="$proxy" '$1 == p {k += $10; c += $16} END {printf "%d + %d", k, c}' "$WORK/results.tsv")
    local reload="$(stat_col "$proxy" 3 median) ms ($(stat_col "$proxy" 3 max))"
    [ "$proxy" = fulcrum ] && reload="$reload; protocol part $(stat_col "$proxy" 4 median) ms ($(stat_col "$proxy" 4 max))"
    printf '| %s | %s | %s | %s ms (%s) | %s | %s (%s) | %s (%s) | %s | %s (%s) | %s (%s) | %s, %s | %s |\n' "${LABEL[$proxy]}" "$n" "$reload" \
      "$(stat_col "$proxy" 5 median)" "$(stat_col "$proxy" 5 max)" \
      "$(stat_col "$proxy" 6 median)" "$(stat_col "$proxy" 7 median)" "$(stat_col "$proxy" 7 min)" \
      "$(stat_col "$proxy" 8 median)" "$(stat_col "$proxy" 8 min)" \
      "$(stat_col "$proxy" 12 median)" "$(stat_col "$proxy" 13 median)" "$(stat_col "$proxy" 13 min)" \
      "$(stat_col "$proxy" 14 median)" "$(stat_col "$proxy" 14 min)" \
      "$(stat_col "$proxy" 9 median)" "$(stat_col "$proxy" 15 median)" "$failed"
  done
  for proxy in $PROXIES; do
    echo
    echo "${LABEL[$proxy]}, per round:"
    echo
    echo "| round | reload ms | protocol ms | old gone ms | keep-alive: baseline, lowest 3 s, lowest until switch + 3 s, mean 10 s | keep-alive failed | new-connection: baseline, lowest 3 s, lowest until switch + 3 s, mean 10 s | new-connection failed | other builds running |"
    echo "|---|---|---|---|---|---|---|---|---|"
    awk -F'\t' -v p="$proxy" '$1 == p {
      kf = $10; if ($11 != "-") kf = kf " (" $11 ")"
      nf = $16; if ($17 != "-") nf = nf " (" $17 ")"
      printf "| %s | %s | %s | %s | %s, %s, %s, %s | %s | %s, %s, %s, %s | %s | %s |\n",
        $2, $3, $4, $5, $6, $7, $8, $9, kf, $12, $13, $14, $15, nf, ($18 == 1 ? "yes" : "no") }' "$WORK/results.tsv"
  done
  busy_rounds=$(awk -F'\t' '$18 == 1' "$WORK/results.tsv" | wc -l)
  echo
  echo "Measurements during which a maven/surefire/failsafe process ran (checked every second): $busy_rounds of $(wc -l <"$WORK/results.tsv") kept; $REPEATED discarded and measured again."
  [ "$RESTARTS" = 0 ] || echo "A proxy was found stopped between rounds (by something outside this script) and started again $RESTARTS time(s)."
}

main() {
  install_tools
  prepare_fulcrum
  compile_load
  ulimit -n "$(ulimit -Hn)" || true
  # this script and the loads on the client CPU; the servers pin themselves to PROXY_CPU
  taskset -pc "$CLIENT_CPU" $$ >/dev/null

  start_backend backend1 "$BACKEND1" "    keepalive_requests 1000000;"
  start_backend backend2 "$BACKEND2" "    keepalive_requests 1000000;"
  wait_port "$BACKEND1"
  wait_port "$BACKEND2"
  local proxy round
  for proxy in $PROXIES; do
    case "$proxy" in
      fulcrum) start_fulcrum ;;
      haproxy) start_haproxy ;;
      nginx) start_nginx ;;
      *) log "unknown proxy $proxy"; exit 2 ;;
    esac
  done
  for proxy in $PROXIES; do
    wait_port "${PORT[$proxy]}"
  done

  : >"$WORK/results.tsv"
  local started_at
  started_at=$(date -u '+%Y-%m-%d %H:%M UTC')
  for round in $(seq 1 "$ROUNDS"); do
    for proxy in $PROXIES; do
      measure "$proxy" "$round"
    done
  done
  # anything odd the proxies said about their reloads
  grep -h -i -E 'warn|alert|fail|error' "$WORK/haproxy/haproxy.log" 2>/dev/null | sort | uniq -c | head -n 20 >&2 || true
  grep -h -E '\[(warn|error|alert|crit|emerg)\]' "$WORK/nginx/error.log" 2>/dev/null | head -n 20 >&2 || true
  grep -h -E ' (WARN|ERROR) ' "$WORK"/fulcrum/*.log 2>/dev/null | head -n 20 >&2 || true

  tables >"$WORK/table.md"
  echo
  echo "Fulcrum upgrade benchmark, $started_at, $(machine), Fulcrum $FULCRUM_COMMIT"
  versions
  echo "rounds: $ROUNDS; per round and proxy ${WARMUP} s warm-up, ${BASELINE} s baseline, reload, ${DURATION} s; $KA_CONNS keep-alive + $NEW_CONNS new-connection threads on CPU $CLIENT_CPU, proxies and backends on CPU $PROXY_CPU"
  echo
  cat "$WORK/table.md"
  if [ -z "${NO_DOCS:-}" ]; then
    write_docs "$started_at"
  fi
}

write_docs() {
  local doc=$ROOT/docs/BENCHMARKS.md generated=$WORK/generated.md
  {
    echo "<!-- upgrade:begin (generated by bench/upgrade/run.sh; edit outside these markers) -->"
    echo "### Upgrades and reloads, $1"
    echo
    echo "- machine: $(machine)"
    echo "- software: $(versions); Fulcrum: $FULCRUM_COMMIT"
    echo "- method: $ROUNDS interleaved rounds (Fulcrum, HAProxy, nginx, Fulcrum, ...); per round and proxy"
    echo "  $WARMUP s of load unmeasured, $BASELINE s of baseline, the reload, $DURATION s more. Loads (UpgradeLoad, one JVM on"
    echo "  CPU $CLIENT_CPU): $KA_CONNS keep-alive connections and $NEW_CONNS threads with a new connection per request, at once,"
    echo "  closed loop, 100 ms buckets. Proxies, the new Fulcrum JVM and the two nginx backends on CPU $PROXY_CPU."
    echo
    cat "$WORK/table.md"
    echo "<!-- upgrade:end -->"
  } >"$generated"
  if grep -q '<!-- upgrade:begin' "$doc"; then
    awk -v gen="$generated" '
      /<!-- upgrade:begin/ { while ((getline line < gen) > 0) print line; skip = 1; next }
      /<!-- upgrade:end -->/ { skip = 0; next }
      !skip { print }' "$doc" >"$doc.tmp"
    mv "$doc.tmp" "$doc"
  else
    { echo; echo "## Upgrades and reloads"; echo; cat "$generated"; } >>"$doc"
  fi
  log "wrote $doc"
}

# sourcing the file (for experiments) defines the functions without running anything
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
