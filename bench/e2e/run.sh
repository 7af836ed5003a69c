#!/usr/bin/env bash
# End-to-end benchmark: Fulcrum's data plane against HAProxy and nginx, each balancing round
# robin over the same two nginx backends, the same wrk scenarios against each, interleaved
# (A B C A B C ...). TCP: Fulcrum protocol tcp, HAProxy mode tcp, nginx stream. HTTP: Fulcrum
# protocol http, HAProxy mode http, nginx proxy_pass with upstream keepalive, all three adding
# X-Forwarded-For (as seed 003's nginx config does). Prints rps, p50/p99 latency and the proxy's
# own CPU time per request side by side with the ratio to HAProxy in the same mode, and rewrites
# the generated part of docs/BENCHMARKS.md.
#
#   bench/e2e/run.sh                              3 rounds × 10 s per scenario and proxy (~15 min)
#   ROUNDS=1 DURATION=5s bench/e2e/run.sh         a quick look
#   VARIANTS="fulcrum-http haproxy-http" ...      a subset of the proxies (fulcrum haproxy haproxy-splice
#                                                 nginx fulcrum-http haproxy-http nginx-http direct);
#                                                 haproxy-splice is HAProxy tcp splicing both ways
#                                                 (Fulcrum splices streams on its own)
#   ONLY="ka50 close50" ...                       a subset of the scenarios (ka50 ka200 close50 bulk;
#                                                 HTTP variants run ka50 and close50 only)
#   ONLY="bulk" ...                               64 MB responses only: copy throughput
#   NO_DOCS=1 ...                                 do not touch docs/BENCHMARKS.md
#
# Pinned as shared/reference/performance.md says: wrk on CPU 1, proxies and backends on CPU 0,
# so rps measures server-side CPU efficiency. Needs root for apt-get (only if something is missing).
# Benchmarks are not tests: never run this in CI.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
# per proxy, once with keep-alive and once with Connection: close; the JVM's compiler settles
# after about 15 s of HTTP traffic on this machine (more code to compile than the TCP relay)
WARMUP=${WARMUP:-10s}
PROXY_CPU=${PROXY_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
VARIANTS=${VARIANTS:-"fulcrum haproxy haproxy-splice nginx fulcrum-http haproxy-http nginx-http"}
FULCRUM_JAVA_OPTS=${FULCRUM_JAVA_OPTS:-"-Xms256m -Xmx256m"}
BACKEND1=18181
BACKEND2=18182
ADMIN_PORT=18290
declare -A PORT=([fulcrum]=18201 [haproxy]=18202 [nginx]=18203 [haproxy-splice]=18204 [direct]=$BACKEND1
  [fulcrum-http]=18211 [haproxy-http]=18212 [nginx-http]=18213)
declare -A LABEL=([fulcrum]="Fulcrum tcp" [haproxy]="HAProxy tcp" [nginx]="nginx stream" [direct]="direct"
  [haproxy-splice]="HAProxy tcp splice"
  [fulcrum-http]="Fulcrum http" [haproxy-http]="HAProxy http" [nginx-http]="nginx http")
# the variant whose rps and CPU the others are compared with
declare -A BASELINE=([fulcrum]=haproxy [haproxy]=haproxy [nginx]=haproxy [haproxy-splice]=haproxy [direct]=haproxy
  [fulcrum-http]=haproxy-http [haproxy-http]=haproxy-http [nginx-http]=haproxy-http)
declare -A PID=()
# key|connections|close|path|modes|title
ALL_SCENARIOS=("ka50|50||/|tcp http|keep-alive, 50 conns" "ka200|200||/|tcp|keep-alive, 200 conns"
  "close50|50|close|/|tcp http|Connection: close, 50 conns" "bulk|4||/big|tcp|bulk 64 MB responses, 4 conns (rps × 64 = MB/s)")
ONLY=${ONLY:-"ka50 ka200 close50 bulk"}
SCENARIOS=()
for s in "${ALL_SCENARIOS[@]}"; do
  [[ " $ONLY " == *" ${s%%|*} "* ]] && SCENARIOS+=("$s")
done

WORK=$(mktemp -d /tmp/fulcrum-e2e.XXXXXX)
STARTED=()

log() { echo "e2e: $*" >&2; }

cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

install_tools() {
  local stream=()
  [ -n "$(stream_module)" ] || stream=(nginx-stream-module:libnginx-mod-stream)
  install_missing haproxy:haproxy nginx:nginx wrk:wrk taskset:util-linux curl:curl "${stream[@]}"
}

stream_module() {
  local module
  for module in /usr/lib/nginx/modules/ngx_stream_module.so /usr/share/nginx/modules/ngx_stream_module.so; do
    if [ -f "$module" ]; then
      echo "load_module $module;"
      return
    fi
  done
}

# backends answer "hello" on / and 64 MB (when ONLY has bulk) on /big
start_backend_with_big() {
  local name=$1 port=$2
  start_backend "$name" "$port" "    location /big { alias $WORK/$name/big; }"
  if [[ " $ONLY " == *" bulk "* ]]; then
    head -c 67108864 /dev/zero >"$WORK/$name/big"
    chmod 755 "$WORK" "$WORK/$name"
    chmod 644 "$WORK/$name/big"
  fi
}

# start_haproxy VARIANT: haproxy (mode tcp), haproxy-splice (mode tcp, splicing both ways) or
# haproxy-http (mode http, adding X-Forwarded-For)
start_haproxy() {
  local variant=$1 defaults global=''
  if [ "$(mode "$variant")" = http ]; then
    defaults=$'  mode http\n  option forwardfor\n  timeout http-keep-alive 60s'
  elif [ "$variant" = haproxy-splice ]; then
    # splice-auto made no splice call at all here (strace): the streams are spliced from the start
    defaults=$'  mode tcp\n  option splice-request\n  option splice-response'
    # a pipe is two descriptors: HAProxy's default (maxconn / 4 pipes) needs more than the 20000 allowed here
    global='  maxpipes 1000'
  else
    defaults='  mode tcp'
  fi
  cat >"$WORK/$variant.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
$global
defaults
$defaults
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend fe
  bind 127.0.0.1:${PORT[$variant]}
  default_backend be
backend be
  balance roundrobin
  server b1 127.0.0.1:$BACKEND1 check inter 1s
  server b2 127.0.0.1:$BACKEND2 check inter 1s
EOF
  taskset -c "$PROXY_CPU" haproxy -db -f "$WORK/$variant.cfg" &
  PID[$variant]=$!
  STARTED+=($!)
}

start_nginx_stream() {
  mkdir -p "$WORK/stream"
  cat >"$WORK/stream/nginx.conf" <<EOF
$(stream_module)
worker_processes 1;
master_process off;
daemon off;
pid $WORK/stream/nginx.pid;
error_log $WORK/stream/error.log warn;
events { worker_connections 8000; }
stream {
  upstream be {
    server 127.0.0.1:$BACKEND1;
    server 127.0.0.1:$BACKEND2;
  }
  server {
    listen 127.0.0.1:${PORT[nginx]} backlog=4096;
    proxy_pass be;
  }
}
EOF
  taskset -c "$PROXY_CPU" nginx -p "$WORK/stream" -c "$WORK/stream/nginx.conf" &
  PID[nginx]=$!
  STARTED+=($!)
}

# mode VARIANT -> tcp or http
mode() {
  if [[ "$1" == *-http ]]; then echo http; else echo tcp; fi
}

# runs SCENARIO_MODES VARIANT -> true if the scenario is measured for the variant's mode
runs() {
  [[ " $1 " == *" $(mode "$2") "* ]]
}

start_nginx_http() {
  mkdir -p "$WORK/nginx-http"
  cat >"$WORK/nginx-http/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $WORK/nginx-http/nginx.pid;
error_log $WORK/nginx-http/error.log warn;
events { worker_connections 8000; }
http {
  access_log off;
  upstream be {
    server 127.0.0.1:$BACKEND1;
    server 127.0.0.1:$BACKEND2;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${PORT[nginx-http]} backlog=4096;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://be;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Real-IP \$remote_addr;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    }
  }
}
EOF
  taskset -c "$PROXY_CPU" nginx -p "$WORK/nginx-http" -c "$WORK/nginx-http/nginx.conf" &
  PID[nginx-http]=$!
  STARTED+=($!)
}

start_fulcrum() {
  local variant=$1 port=${PORT[$1]} admin=$ADMIN_PORT protocol
  protocol=$(mode "$variant")
  [ "$protocol" = http ] && admin=$((ADMIN_PORT + 1))
  cat >"$WORK/$variant.conf" <<EOF
# one event loop does everything, like the single HAProxy thread and nginx worker
add event-loop-group bench
add event-loop loop1 to event-loop-group bench
add server-group ngx timeout 1000 period 1000 up 2 down 3 method wrr event-loop-group bench
add server b1 to server-group ngx address 127.0.0.1:$BACKEND1
add server b2 to server-group ngx address 127.0.0.1:$BACKEND2
add upstream backends
add server-group ngx to upstream backends
add tcp-lb lb0 acceptor-elg bench event-loop-group bench address 127.0.0.1:$port upstream backends protocol $protocol
EOF
  local jar
  jar=$(ls "$ROOT"/data-plane/target/fulcrum-data-plane-*.jar | grep -v -- '-tests.jar' | head -n 1)
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPU" java -Dsofa.middleware.log.disable=true $FULCRUM_JAVA_OPTS \
    -cp "$jar:$ROOT/data-plane/target/lib/*" io.fulcrum.dataplane.DataPlaneMain \
    --id "$variant" --config "$WORK/$variant.conf" --worker-loops 1 --admin "127.0.0.1:$admin" \
    2>"$WORK/$variant.log" &
  PID[$variant]=$!
  STARTED+=($!)
  local i
  for i in $(seq 1 100); do
    if curl -fs --max-time 2 "http://127.0.0.1:$admin/ready" >/dev/null 2>&1; then
      return
    fi
    sleep 0.2
  done
  log "Fulcrum ($variant) did not become ready:"
  cat "$WORK/$variant.log" >&2
  exit 1
}

cpu_ticks() {
  # utime + stime of the whole process (all threads), fields 14 and 15 of /proc/PID/stat
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# run_wrk VARIANT CONNECTIONS CLOSE PATH DURATION -> "rps p50ms p99ms requests errors cpu_ticks"
run_wrk() {
  local variant=$1 conns=$2 close=$3 path=$4 duration=$5 port=${PORT[$1]} before=0 after=0 out
  local header=()
  [ -n "$close" ] && header=(-H "Connection: close")
  [ -n "${PID[$variant]:-}" ] && before=$(cpu_ticks "${PID[$variant]}")
  out=$(taskset -c "$CLIENT_CPU" wrk -t1 -c"$conns" -d"$duration" --latency "${header[@]}" "http://127.0.0.1:$port$path")
  [ -n "${PID[$variant]:-}" ] && after=$(cpu_ticks "${PID[$variant]}")
  local rps p50 p99 requests errors
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  errors=$(awk '/Socket errors|Non-2xx/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i} END {print s + 0}' <<<"$out")
  echo "$rps $p50 $p99 $requests $errors $((after - before))"
}

median() {
  sort -g | awk '{v[NR] = $1} END { if (NR == 0) { print "nan"; exit } if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

versions() {
  echo "$(java -version 2>&1 | head -n 1); $(haproxy -v 2>/dev/null | head -n 1 | awk '{print "HAProxy " $3}'); $(nginx -v 2>&1 | sed 's/.*: //'); wrk $(wrk -v 2>&1 | head -n 1 | awk '{print $2}')"
}

main() {
  install_tools
  build_fulcrum
  ulimit -n "$(ulimit -Hn)" || true
  local clk
  clk=$(getconf CLK_TCK)

  start_backend_with_big backend1 "$BACKEND1"
  start_backend_with_big backend2 "$BACKEND2"
  wait_port "$BACKEND1"
  wait_port "$BACKEND2"
  local variant
  for variant in $VARIANTS; do
    case "$variant" in
      fulcrum | fulcrum-http) start_fulcrum "$variant" ;;
      haproxy | haproxy-splice | haproxy-http) start_haproxy "$variant" ;;
      nginx) start_nginx_stream ;;
      nginx-http) start_nginx_http ;;
      direct) ;;
      *) log "unknown variant $variant"; exit 2 ;;
    esac
  done
  for variant in $VARIANTS; do
    wait_port "${PORT[$variant]}"
  done

  log "warming up ($WARMUP per proxy; the JVM compiles its hot paths)"
  for variant in $VARIANTS; do
    run_wrk "$variant" 50 "" / "$WARMUP" >/dev/null
    run_wrk "$variant" 50 close / "$WARMUP" >/dev/null
  done

  local results=$WORK/results.tsv scenario key conns close path modes round line
  : >"$results"
  for scenario in "${SCENARIOS[@]}"; do
    IFS='|' read -r key conns close path modes _ <<<"$scenario"
    for round in $(seq 1 "$ROUNDS"); do
      for variant in $VARIANTS; do
        runs "$modes" "$variant" || continue
        line=$(run_wrk "$variant" "$conns" "$close" "$path" "$DURATION")
        log "$key round $round $variant: $line"
        echo "$key $variant $round $line" >>"$results"
      done
    done
  done

  local table=$WORK/table.md
  {
    echo "| scenario | proxy | rps | p50 ms | p99 ms | proxy CPU µs/req | errors | rps vs HAProxy (same mode) | CPU vs HAProxy |"
    echo "|---|---|---|---|---|---|---|---|---|"
    local title modes base ha_rps ha_cpu rps p50 p99 cpu errors
    for scenario in "${SCENARIOS[@]}"; do
      IFS='|' read -r key _ _ _ modes title <<<"$scenario"
      for variant in $VARIANTS; do
        runs "$modes" "$variant" || continue
        base=${BASELINE[$variant]}
        ha_rps=$(awk -v k="$key" -v b="$base" '$1 == k && $2 == b {print $4}' "$results" | median)
        ha_cpu=$(awk -v k="$key" -v b="$base" -v c="$clk" '$1 == k && $2 == b && $7 > 0 {print $9 / c * 1e6 / $7}' "$results" | median)
        rps=$(awk -v k="$key" -v p="$variant" '$1 == k && $2 == p {print $4}' "$results" | median)
        p50=$(awk -v k="$key" -v p="$variant" '$1 == k && $2 == p {print $5}' "$results" | median)
        p99=$(awk -v k="$key" -v p="$variant" '$1 == k && $2 == p {print $6}' "$results" | median)
        cpu=$(awk -v k="$key" -v p="$variant" -v c="$clk" '$1 == k && $2 == p && $7 > 0 && $9 > 0 {print $9 / c * 1e6 / $7}' "$results" | median)
        errors=$(awk -v k="$key" -v p="$variant" '$1 == k && $2 == p {s += $8} END {print s + 0}' "$results")
        awk -v t="$title" -v l="${LABEL[$variant]}" -v r="$rps" -v a="$p50" -v b="$p99" -v c="$cpu" -v e="$errors" \
          -v hr="$ha_rps" -v hc="$ha_cpu" 'BEGIN {
            cpu = (c == "nan") ? "–" : sprintf("%.1f", c)
            rr = (hr == "nan" || hr == 0) ? "–" : sprintf("%.2f", r / hr)
            cr = (hc == "nan" || hc == 0 || c == "nan") ? "–" : sprintf("%.2f", c / hc)
            rs = (r < 100) ? sprintf("%.2f", r) : sprintf("%.0f", r)
            printf "| %s | %s | %s | %.2f | %.2f | %s | %d | %s | %s |\n", t, l, rs, a, b, cpu, e, rr, cr }'
      done
    done
  } >"$table"

  echo
  echo "Fulcrum e2e benchmark, $(date -u +%Y-%m-%d), $(machine)"
  echo "$(versions)"
  echo "rounds: $ROUNDS × $DURATION per scenario and proxy (medians); wrk -t1 on CPU $CLIENT_CPU, proxies and backends on CPU $PROXY_CPU"
  echo
  cat "$table"

  if [ -z "${NO_DOCS:-}" ]; then
    write_docs "$table"
  fi
}

write_docs() {
  local table=$1 doc=$ROOT/docs/BENCHMARKS.md generated=$WORK/generated.md
  {
    echo "<!-- e2e:begin (generated by bench/e2e/run.sh; edit outside these markers) -->"
    echo "### End to end, $(date -u +%Y-%m-%d)"
    echo
    echo "- machine: $(machine)"
    echo "- software: $(versions)"
    echo "- method: two nginx backends (\`return 200 \"hello\"\`, keep-alive); each proxy with one thread/worker/event loop,"
    echo "  round robin over both; wrk -t1 on CPU $CLIENT_CPU, proxies and backends pinned to CPU $PROXY_CPU;"
    echo "  $ROUNDS interleaved rounds of $DURATION per scenario (medians) after a $WARMUP keep-alive and a $WARMUP"
    echo "  Connection: close warm-up per proxy; proxy CPU = user+sys ticks of the proxy process from /proc/PID/stat"
    echo "  divided by requests. HTTP: HAProxy \`mode http\` with \`option forwardfor\` (default \`http-reuse safe\`),"
    echo "  nginx \`proxy_pass\` with \`keepalive 64\`, HTTP/1.1 and X-Forwarded-For/X-Real-IP (seed 003's headers),"
    echo "  Fulcrum \`protocol http\` with its defaults (pool of 64 idle connections per server)."
    echo "  TCP: Fulcrum splices a direction once it streams (its default); \"HAProxy tcp\" is HAProxy's default (copying),"
    echo "  \"HAProxy tcp splice\" adds \`option splice-request\` and \`option splice-response\` (splice-auto made no splice call here)."
    echo
    cat "$table"
    echo "<!-- e2e:end -->"
  } >"$generated"
  if [ -f "$doc" ] && grep -q '<!-- e2e:begin' "$doc"; then
    awk -v gen="$generated" '
      /<!-- e2e:begin/ { while ((getline line < gen) > 0) print line; skip = 1; next }
      /<!-- e2e:end -->/ { skip = 0; next }
      !skip { print }' "$doc" >"$doc.tmp"
    mv "$doc.tmp" "$doc"
  else
    { echo "# Benchmarks"; echo; cat "$generated"; } >"$doc"
  fi
  log "wrote $doc"
}

# sourcing the file (for experiments) defines the functions without running anything
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
