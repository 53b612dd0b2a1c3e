#!/usr/bin/env bash
# Start-to-ready of the packaged gateway, several starts in a row:  bench/startup.sh [JVM options...]
#   RUNS=3 CPUS=0,1 JAVA=java bench/startup.sh -Xmx200m -XX:SharedArchiveFile=app-cds.jsa -Xshare:auto
#   CPUS=0 bench/startup.sh ...                       # one core (taskset)
# Process start to /q/health/ready 200 on the management port, with a real Redis and the OIDC discovery
# document and JWKS served over HTTP (python3's http.server), as bench/run.sh does. Prints one line per start
# and the median; PEAK_RSS=1 adds the process's peak resident memory at ready (VmHWM).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-3} CPUS=${CPUS:-0-$(($(nproc) - 1))} JAVA=${JAVA:-java}
WORK=$ROOT/target/startup
OIDC=18181 REDIS=18183 GATEWAY=18180 MANAGEMENT=19100
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests -Dquarkus.package.jar.appcds.enabled=true
rm -rf "$WORK" && mkdir -p "$WORK/www"
java "$ROOT/bench/BenchSetup.java" "$WORK" "http://127.0.0.1:$OIDC/oidc" >/dev/null
mkdir -p "$WORK/www/oidc/.well-known"
cp "$WORK/oidc/jwks" "$WORK/www/oidc/jwks"
cp "$WORK/oidc/openid-configuration" "$WORK/www/oidc/.well-known/openid-configuration"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
(cd "$WORK/www" && exec python3 -m http.server $OIDC --bind 127.0.0.1 >"$WORK/oidc.log" 2>&1) &
pids+=($!)
redis-server --port $REDIS --bind 127.0.0.1 --save "" --appendonly no --daemonize no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$OIDC/oidc/jwks" >/dev/null && redis-cli -p $REDIS ping >/dev/null 2>&1; do sleep 0.05; done

SEAL_KEY=$(head -c 32 /dev/urandom | base64)
times=()
for run in $(seq "$RUNS"); do
  start=$(date +%s%N)
  # From the app directory, as the container's /deployments: an AppCDS archive names its classpath relative to it.
  (cd target/quarkus-app && GATEWAY_STATE_SEAL_KEY=$SEAL_KEY exec taskset -c "$CPUS" "$JAVA" "$@" \
     -Dgateway.audit.signing-key="$(cat "$WORK/audit-signing-key")" \
     -Dquarkus.http.port=$GATEWAY -Dquarkus.http.host=127.0.0.1 -Dquarkus.management.port=$MANAGEMENT \
     -Dquarkus.oidc.auth-server-url=http://127.0.0.1:$OIDC/oidc -Dquarkus.redis.hosts=redis://127.0.0.1:$REDIS \
     -Dgateway.merchants.m1.base-url=http://127.0.0.1:$OIDC -Dgateway.merchants.m1.username=bench \
     -Dgateway.merchants.m1.password=bench-secret \
     -Dgateway.callers.bench.merchants=m1 -Dgateway.callers.bench.operations=read-token \
     -jar quarkus-run.jar >"$WORK/gateway-$run.log" 2>&1) &
  gw=$!
  until curl -sf "http://127.0.0.1:$MANAGEMENT/q/health/ready" >/dev/null; do
    kill -0 $gw 2>/dev/null || { tail -30 "$WORK/gateway-$run.log"; exit 1; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  jvm=$(pgrep -P $gw -f quarkus-run.jar || echo $gw)
  rss=""
  [ -n "${PEAK_RSS:-}" ] && rss=" peak RSS $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$jvm/status)"
  echo "start $run: ${ms} ms to ready$rss"
  times+=($ms)
  kill $gw; wait $gw 2>/dev/null || true
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms (" NR " starts, cpus '"$CPUS"')"}'
