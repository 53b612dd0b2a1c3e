#!/usr/bin/env bash
# The benchmark, in one command:  bench/run.sh   (options: DURATION=10s CONNECTIONS=32 THREADS=2)
#
# On one machine, in one run: an nginx stub answering the three operations with static JSON, nginx as a
# plain reverse proxy in front of it (the floor for any proxy), Redis, an OIDC signing set-up served by
# the stub, and the packaged gateway with its full pipeline. wrk drives read-token and create-order
# (10-line orders, unique idempotency keys, limits too high to reject) against the stub, the proxy and
# the gateway, then the gateway and the proxy again at half the proxy's rate for the added latency.
# The gateway is warmed up until its figures stop rising before anything is measured.
# Writes bench/results/<time>.md and bench/results/latest.md. GATEWAY_JAVA_OPTS adds JVM options (a profiler);
# PROFILE_ONLY=1 (or =order) runs the gateway's read-token (create-order) scenario alone, after the warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
WORK=$ROOT/target/bench
STUB=18081 PROXY=18082 REDIS=18083 GATEWAY=18080 MANAGEMENT=19000
SUT_CPU=${SUT_CPU:-0} LOAD_CPU=${LOAD_CPU:-1}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
need() {
  local missing=()
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
  fi
}
need
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# Application class-data sharing: the archive is written by a build with appcds enabled.
[ -f target/quarkus-app/app-cds.jsa ] || ./mvnw -B -q -ntp package -DskipTests -Dquarkus.package.jar.appcds.enabled=true
rm -rf "$WORK" && mkdir -p "$WORK" "$ROOT/bench/results"
java "$ROOT/bench/BenchSetup.java" "$WORK" "http://127.0.0.1:$STUB/oidc"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for n in stub proxy; do "$NGINX" -p "$WORK/$n" -c "$WORK/$n/nginx.conf" -s stop 2>/dev/null || true; done
}
trap cleanup EXIT

# nginx_conf NAME SERVER-BLOCK: one nginx instance with its own pid, logs and a single worker.
nginx_conf() {
  mkdir -p "$WORK/$1"
  cat > "$WORK/$1/nginx.conf" <<CONF
worker_processes 1;
error_log $WORK/$1/error.log warn;
pid $WORK/$1/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  default_type application/json;
  upstream stub { server 127.0.0.1:$STUB; keepalive 64; }
  $2
}
CONF
}
# The provider stub: static answers for the three operations, and the OIDC documents.
nginx_conf stub "server {
    listen 127.0.0.1:$STUB;
    location = /oidc/.well-known/openid-configuration { alias $WORK/oidc/openid-configuration; }
    location = /oidc/jwks { alias $WORK/oidc/jwks; }
    location ~ ^/customer-token/v1/tokens/[^/]+/order\$ { return 200 '{\"order_id\":\"0b1d9815-165e-42e2-8867-35bc03789e00\",\"fraud_status\":\"ACCEPTED\",\"redirect_url\":\"https://example.invalid/r\"}'; }
    location ~ ^/customer-token/v1/tokens/[^/]+/status\$ { return 202; }
    location ~ ^/customer-token/v1/tokens/[^/]+\$ { return 200 '{\"status\":\"ACTIVE\",\"payment_method_type\":\"INVOICE\"}'; }
  }"
# A plain reverse proxy in front of the stub: what any proxy must at least cost.
nginx_conf proxy "server {
    listen 127.0.0.1:$PROXY;
    location / { proxy_pass http://stub; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"
# The server under test (the proxy, or the gateway) gets core $SUT_CPU to itself; the load generator,
# the stub and Redis share core $LOAD_CPU, so neither side starves the other.
taskset -c "$LOAD_CPU" "$NGINX" -p "$WORK/stub" -c "$WORK/stub/nginx.conf"
taskset -c "$SUT_CPU" "$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf"

taskset -c "$LOAD_CPU" redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$WORK" > "$WORK/redis.log" 2>&1 &
pids+=($!)

SEAL_KEY=$(head -c 32 /dev/urandom | base64)
# start_gateway [JVM options...]: starts the packaged gateway, waits until ready; sets GW and READY_MS.
start_gateway() {
  local start=$(date +%s%N)
  # The heap bound the Kubernetes manifest gives it (k8s/base: 448Mi limit x MaxRAMPercentage=45).
  # From the app directory, as the container's /deployments: the AppCDS archive names its classpath relative to it.
  # The seal on stored idempotency answers: production refuses to start without one (DESIGN section 4).
  (cd target/quarkus-app && GATEWAY_STATE_SEAL_KEY=$SEAL_KEY exec taskset -c "$SUT_CPU" java ${GATEWAY_HEAP:--Xmx200m} "$@" ${GATEWAY_JAVA_OPTS:-} \
       -Dgateway.audit.signing-key="$(cat "$WORK/audit-signing-key")" -Dquarkus.http.access-log.enabled=false \
       -Dquarkus.http.port=$GATEWAY -Dquarkus.http.host=127.0.0.1 \
       -Dquarkus.management.port=$MANAGEMENT \
       -Dquarkus.oidc.auth-server-url=http://127.0.0.1:$STUB/oidc -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS \
       -Dgateway.merchants.m1.base-url=http://127.0.0.1:$STUB -Dgateway.merchants.m1.username=bench \
       -Dgateway.merchants.m1.password=bench-secret -Dgateway.merchants.m1.rate-limit.per-second=1000000 \
       -Dgateway.merchants.m1.rate-limit.burst=1000000 -Dgateway.merchants.m1.order-limit.daily-amount=9000000000000000 \
       -Dgateway.callers.bench.merchants=m1 -Dgateway.callers.bench.operations=read-token,create-order,cancel-token \
       -jar quarkus-run.jar > "$WORK/gateway.log" 2>&1) &
  GW=$!
  pids+=($GW)
  until curl -sf "http://127.0.0.1:$MANAGEMENT/q/health/ready" >/dev/null; do
    kill -0 $GW 2>/dev/null || { cat "$WORK/gateway.log"; exit 1; }
    sleep 0.02
  done
  READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}
stop_gateway() { kill $GW; wait $GW 2>/dev/null || true; }

start_gateway
READY_PLAIN_MS=$READY_MS
stop_gateway
start_gateway -XX:SharedArchiveFile=app-cds.jsa -Xshare:auto
READY_CDS_MS=$READY_MS

export BENCH_TOKEN=$(cat "$WORK/token") BENCH_DIR=$ROOT/bench BENCH_WORK=$WORK BENCH_CONNECTIONS=$CONNECTIONS
cpu_ticks() { awk '{print $14 + $15}' /proc/$GW/stat; }
TOKEN_PATH=/customer-token/v1/tokens/kct-bench-1

# run NAME URL SCRIPT [RATE]: one wrk run; prints and records its RESULT line plus gateway CPU ticks.
declare -A RESULT CPU
run() {
  local name=$1 url=$2 script=$3 rate=${4:-0}
  local before=$(cpu_ticks)
  local line
  line=$(BENCH_RATE=$rate taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$ROOT/bench/wrk/$script" "$url" | grep '^RESULT')
  RESULT[$name]=$line
  CPU[$name]=$(( $(cpu_ticks) - before ))
  echo "$name: $line"
}
field() { echo "${RESULT[$1]}" | sed -E "s/.* $2=([0-9.]+).*/\1/"; }

# The JIT needs a long time on one core before the gateway runs compiled code (measured: 300 req/s in the first
# 10 s, still rising after 40 s). Warm each operation in 10 s rounds, at least WARMUP_MIN_ROUNDS, until a round is
# no more than 3 % above the one before (at most WARMUP_ROUNDS rounds): the figures are taken once they stop rising.
WARMUP_ROUNDS=${WARMUP_ROUNDS:-18} WARMUP_MIN_ROUNDS=${WARMUP_MIN_ROUNDS:-4}
warm() {
  local name=$1 url=$2 script=$3 previous=0 current i
  for i in $(seq 1 "$WARMUP_ROUNDS"); do
    DURATION=10s run "$name-$i" "$url" "$script" >/dev/null
    current=$(field "$name-$i" rps)
    echo "warm-up $name round $i: $current requests/s"
    if [ "$i" -ge "$WARMUP_MIN_ROUNDS" ] && awk -v now="$current" -v before="$previous" 'BEGIN { exit !(now <= before * 1.03) }'; then
      WARMED[$name]="$i rounds, last $current requests/s"
      return
    fi
    if awk -v now="$current" -v before="$previous" 'BEGIN { exit !(now > before) }'; then previous=$current; fi
  done
  WARMED[$name]="$WARMUP_ROUNDS rounds (still rising), last $current requests/s"
}
declare -A WARMED
warm read "http://127.0.0.1:$GATEWAY$TOKEN_PATH" read.lua
warm order "http://127.0.0.1:$GATEWAY$TOKEN_PATH/order" order.lua
warm read "http://127.0.0.1:$GATEWAY$TOKEN_PATH" read.lua

if [ -n "${PROFILE_ONLY:-}" ]; then
  case "$PROFILE_ONLY" in
    order) profiled=order; url="http://127.0.0.1:$GATEWAY$TOKEN_PATH/order" ;;
    *) profiled=read; url="http://127.0.0.1:$GATEWAY$TOKEN_PATH" ;;
  esac
  for i in 1 2 3; do run "gateway-$profiled-$i" "$url" "$profiled.lua"; done
  exit 0
fi
run stub-read    "http://127.0.0.1:$STUB$TOKEN_PATH"          read.lua
run proxy-read   "http://127.0.0.1:$PROXY$TOKEN_PATH"         read.lua
run gateway-read "http://127.0.0.1:$GATEWAY$TOKEN_PATH"       read.lua
run stub-order    "http://127.0.0.1:$STUB$TOKEN_PATH/order"    order.lua
run proxy-order   "http://127.0.0.1:$PROXY$TOKEN_PATH/order"   order.lua
run gateway-order "http://127.0.0.1:$GATEWAY$TOKEN_PATH/order" order.lua
HALF=$(awk -v r="$(field proxy-read rps)" 'BEGIN { printf "%d", r / 2 }')
run proxy-read-half   "http://127.0.0.1:$PROXY$TOKEN_PATH"   read.lua "$HALF"
run gateway-read-half "http://127.0.0.1:$GATEWAY$TOKEN_PATH" read.lua "$HALF"
PEAK_RSS_KB=$(awk '/VmHWM/ {print $2}' /proc/$GW/status)
TICKS=$(getconf CLK_TCK)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
cpu_per_1000() { awk -v t="${CPU[$1]}" -v hz="$TICKS" -v n="$(field $1 requests)" 'BEGIN { if (n > 0) printf "%.3f", t / hz / n * 1000; else print "-" }'; }
row() { echo "| $1 | $(field $1 rps) | $(ms $(field $1 p50)) | $(ms $(field $1 p99)) | $(ms $(field $1 p999)) | $(field $1 errors) | $2 |"; }

OUT=$ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "# tokengateway benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)."
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION. The server under test (nginx proxy or gateway) has core $SUT_CPU to itself;"
  echo "wrk, the nginx stub and Redis share core $LOAD_CPU. Gateway JVM: -Xmx200m (the Kubernetes manifest's bound), AppCDS."
  echo "Gateway configuration: defaults, audit trail on (stdout sink, redirected to a file), access log off."
  echo "Warm-up until a 10 s round is within 3 % of the one before: read ${WARMED[read]}; order ${WARMED[order]}."
  echo
  echo "| scenario | requests/s | p50 ms | p99 ms | p99.9 ms | errors | gateway CPU s / 1000 req |"
  echo "|---|---|---|---|---|---|---|"
  row stub-read -; row proxy-read -; row gateway-read "$(cpu_per_1000 gateway-read)"
  row stub-order -; row proxy-order -; row gateway-order "$(cpu_per_1000 gateway-order)"
  row proxy-read-half -; row gateway-read-half "$(cpu_per_1000 gateway-read-half)"
  echo
  echo "| budget (DESIGN.md section 11) | measured | target |"
  echo "|---|---|---|"
  echo "| read-token: gateway / nginx proxy requests/s | $(ratio $(field gateway-read rps) $(field proxy-read rps)) | >= 0.5 |"
  echo "| read-token: added p99 at half the proxy's rate ($HALF req/s) | $(ms $(( $(field gateway-read-half p99) - $(field proxy-read-half p99) ))) ms | < 2 ms |"
  echo "| create-order: gateway / nginx proxy requests/s | $(ratio $(field gateway-order rps) $(field proxy-order rps)) | >= 0.3 |"
  echo "| gateway peak resident memory | $(( PEAK_RSS_KB / 1024 )) MB | < 300 MB |"
  echo "| JVM start to ready (process start to /q/health/ready 200), plain / with AppCDS | $READY_PLAIN_MS ms / $READY_CDS_MS ms | < 1500 ms |"
} > "$OUT"
cp "$OUT" "$ROOT/bench/results/latest.md"
cat "$OUT"
