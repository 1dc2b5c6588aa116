#!/usr/bin/env bash
# Parley clustered on one machine: embedded PostgreSQL and Redis (parley-standalone.jar infra), then
# auth, room, two message services and two gateways, each its own JVM with its own ports, joined by
# Hazelcast on loopback with the event bus on mutual TLS. Keys and certificates are generated on the
# first `up` and kept. Walkthrough: docs/operations.md, "A local cluster".
#
#   scripts/local-cluster.sh up       build first: mvn -B -q -DskipTests package
#   scripts/local-cluster.sh status
#   scripts/local-cluster.sh down
#
# LOCAL_CLUSTER_DIR (default target/local-cluster) holds keys, data, logs and pid files;
# LOCAL_CLUSTER_PORT_BASE (default 17400) places every port: gateway-a TCP base, WebSocket base+1,
# gateway-b base+10/base+11, HTTP (health, metrics) base+80.., Hazelcast base+100.., event bus base+110..
# LOCAL_CLUSTER_HEAP (default 256m) is each service's -Xmx. LOCAL_CLUSTER_JARS (default: the build's
# target directories) is a directory holding parley-auth.jar, parley-room.jar, parley-message.jar and
# parley-gateway.jar (and parley-standalone.jar unless the next two are set), e.g. copies of a build
# being measured. LOCAL_CLUSTER_PG_URL and LOCAL_CLUSTER_REDIS_URL, both set, use those servers
# instead of starting the embedded ones (the fault runs of docs/reliability.md). Any other PARLEY_*
# variable set when calling `up` goes to every service (e.g. PARLEY_POW_DIFFICULTY_BITS=8 for quick
# bench sign-ups).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mkdir -p "${LOCAL_CLUSTER_DIR:-$root/target/local-cluster}" && cd "${LOCAL_CLUSTER_DIR:-$root/target/local-cluster}" && pwd)"
base="${LOCAL_CLUSTER_PORT_BASE:-17400}"
heap="${LOCAL_CLUSTER_HEAP:-256m}"
jars="${LOCAL_CLUSTER_JARS:-}"
external_pg="${LOCAL_CLUSTER_PG_URL:-}"
external_redis="${LOCAL_CLUSTER_REDIS_URL:-}"

# name | jar | index (for ports)
processes=(
  "auth|auth-service/target/parley-auth.jar|0"
  "room|room-service/target/parley-room.jar|1"
  "message-1|message-service/target/parley-message.jar|2"
  "message-2|message-service/target/parley-message.jar|3"
  "gateway-a|gateway/target/parley-gateway.jar|4"
  "gateway-b|gateway/target/parley-gateway.jar|5"
)
# Hazelcast reaches into JDK internals for its metrics and networking; without these it warns at
# every start and falls back to slower paths (the same flags are in the container images).
hazelcast_opens=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)

# The jar to run: from LOCAL_CLUSTER_JARS when set, else from the build's tree.
jar_path() { if [[ -n "$jars" ]]; then echo "$jars/$(basename "$1")"; else echo "$root/$1"; fi; }

alive() { [[ -f "$dir/$1.pid" ]] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

# Waits up to $3 seconds for $2 to appear in the log of $1.
await_line() {
  local name="$1" marker="$2" seconds="$3" waited=0
  until grep -q "^$marker" "$dir/logs/$name.log" 2>/dev/null; do
    if ! alive "$name"; then
      echo "$name exited; the end of $dir/logs/$name.log:" >&2
      tail -20 "$dir/logs/$name.log" >&2
      return 1
    fi
    if (( waited >= seconds )); then
      echo "$name not ready after ${seconds}s; see $dir/logs/$name.log" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

keys() {
  mkdir -p "$dir/keys" && cd "$dir/keys"
  [[ -f identity-ed25519.pem ]] || openssl genpkey -algorithm ed25519 -out identity-ed25519.pem 2>/dev/null
  if [[ ! -f token-signing-key.pem ]]; then
    openssl genpkey -algorithm ed25519 -out token-signing-key.pem 2>/dev/null
    openssl pkey -in token-signing-key.pem -pubout -out token-public-key.pem
  fi
  if [[ ! -f parley-bus.crt ]]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj /CN=parley-bus-ca -addext basicConstraints=critical,CA:TRUE \
      -addext keyUsage=critical,keyCertSign,cRLSign -keyout parley-bus-ca.key -out parley-bus-ca.crt 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=parley-bus \
      -keyout parley-bus.key -out parley-bus.csr 2>/dev/null
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > parley-bus.ext
    openssl x509 -req -in parley-bus.csr -CA parley-bus-ca.crt -CAkey parley-bus-ca.key -CAcreateserial \
      -days 397 -extfile parley-bus.ext -out parley-bus.crt 2>/dev/null
  fi
  # The secret parley-admin signs with (docs/operations.md, "Administration"); every process gets it.
  [[ -f admin.key ]] || openssl rand -base64 48 > admin.key
  chmod 600 ./*.key ./*.pem
  cd "$root"
}

up() {
  if [[ -n "$external_pg" && -z "$external_redis" || -z "$external_pg" && -n "$external_redis" ]]; then
    echo "set both LOCAL_CLUSTER_PG_URL and LOCAL_CLUSTER_REDIS_URL, or neither" >&2; exit 2
  fi
  local needed=("${processes[@]}")
  [[ -n "$external_pg" ]] || needed+=("infra|standalone/target/parley-standalone.jar|")
  for entry in "${needed[@]}"; do
    IFS='|' read -r _ jar _ <<< "$entry"
    [[ -f "$(jar_path "$jar")" ]] || { echo "missing $(jar_path "$jar"): run 'mvn -B -q -DskipTests package' first" >&2; exit 1; }
  done
  for entry in "${processes[@]}"; do
    IFS='|' read -r name _ _ <<< "$entry"
    if alive "$name"; then echo "$name is already running (pid $(cat "$dir/$name.pid")); '$0 down' first" >&2; exit 1; fi
  done
  mkdir -p "$dir/logs" "$dir/data"
  keys
  cd "$dir"   # each JVM's working directory: nothing is written beside the sources

  if [[ -n "$external_pg" ]]; then
    pg_url="$external_pg"
    redis_url="$external_redis"
  else
    if ! alive infra; then
      PARLEY_DATA_DIR="$dir/data" nohup java -Xmx128m -jar "$(jar_path standalone/target/parley-standalone.jar)" infra \
        > "$dir/logs/infra.log" 2>&1 < /dev/null &
      echo $! > "$dir/infra.pid"
    fi
    await_line infra "PARLEY READY infra" 120
    pg_url="$(grep '^PARLEY_PG_URL=' "$dir/logs/infra.log" | tail -1 | cut -d= -f2-)"
    redis_url="$(grep '^PARLEY_REDIS_URL=' "$dir/logs/infra.log" | tail -1 | cut -d= -f2-)"
  fi

  # The caller's own settings first: the assignments below (ports, keys, URLs) must win.
  mapfile -t settings < <(env | grep '^PARLEY_' | grep -v '^PARLEY_DATA_DIR=' || true)
  members=""
  for i in 0 1 2 3 4 5; do members+="${members:+,}127.0.0.1:$((base + 100 + i))"; done
  for entry in "${processes[@]}"; do
    IFS='|' read -r name jar i <<< "$entry"
    gateway_port=$base
    [[ "$name" == gateway-b ]] && gateway_port=$((base + 10))
    env -i PATH="$PATH" HOME="$dir" "${settings[@]}" \
      PARLEY_PG_URL="$pg_url" PARLEY_REDIS_URL="$redis_url" \
      PARLEY_CLUSTER=true PARLEY_CLUSTER_HOST=127.0.0.1 PARLEY_CLUSTER_MEMBERS="$members" \
      PARLEY_CLUSTER_PORT=$((base + 100 + i)) PARLEY_EVENTBUS_PORT=$((base + 110 + i)) \
      PARLEY_CLUSTER_TLS_CA_FILE="$dir/keys/parley-bus-ca.crt" PARLEY_CLUSTER_TLS_CERT_FILE="$dir/keys/parley-bus.crt" \
      PARLEY_CLUSTER_TLS_KEY_FILE="$dir/keys/parley-bus.key" \
      PARLEY_NODE_ID="$name" PARLEY_BIND_HOST=127.0.0.1 PARLEY_HTTP_PORT=$((base + 80 + i)) \
      PARLEY_TCP_PORT="$gateway_port" PARLEY_WS_PORT=$((gateway_port + 1)) \
      PARLEY_IDENTITY_KEY_FILE="$dir/keys/identity-ed25519.pem" PARLEY_TOKEN_KEY_FILE="$dir/keys/token-signing-key.pem" \
      PARLEY_TOKEN_PUBLIC_KEY_FILE="$dir/keys/token-public-key.pem" PARLEY_DATA_DIR="$dir/data" \
      PARLEY_ADMIN_KEY_FILE="$dir/keys/admin.key" \
      nohup java -Xmx"$heap" "${hazelcast_opens[@]}" -jar "$(jar_path "$jar")" > "$dir/logs/$name.log" 2>&1 < /dev/null &
    echo $! > "$dir/$name.pid"
  done
  for entry in "${processes[@]}"; do
    IFS='|' read -r name _ _ <<< "$entry"
    await_line "$name" "PARLEY READY" 180
  done
  fingerprint="$(grep -o 'identity fingerprint [0-9a-f]*' "$dir/logs/gateway-a.log" | head -1 | awk '{print $3}')"
  echo "$fingerprint" > "$dir/fingerprint"
  status
  echo
  echo "Gateways: 127.0.0.1:$base and 127.0.0.1:$((base + 10)) (TCP), ws://127.0.0.1:$((base + 1))/ws and ws://127.0.0.1:$((base + 11))/ws"
  echo "Fingerprint: $fingerprint"
  echo "PostgreSQL: $pg_url   Redis: $redis_url"
  echo "Admin: PARLEY_ADMIN_URL=http://127.0.0.1:$((base + 80)) PARLEY_ADMIN_KEY_FILE=$dir/keys/admin.key scripts/parley-admin connections"
  echo "Try: java -jar bench/target/parley-bench.jar direct --port $base --fingerprint $fingerprint --pg-url $pg_url"
}

status() {
  printf '%-10s %-8s %-6s %s\n' process pid http ready
  for entry in "infra||" "${processes[@]}"; do
    IFS='|' read -r name _ i <<< "$entry"
    pid="-"; state="stopped"; http="-"
    if alive "$name"; then
      pid="$(cat "$dir/$name.pid")"
      state="running"
      if [[ -n "$i" ]]; then
        http=$((base + 80 + i))
        state="$(curl -s -m 5 "http://127.0.0.1:$http/health/ready" || echo 'no answer')"
      fi
    fi
    printf '%-10s %-8s %-6s %s\n' "$name" "$pid" "$http" "$state"
  done
}

# SIGTERM, as a supervisor would: gateways tell clients to reconnect, services finish in-flight work.
stop() {
  local name="$1"
  if alive "$name"; then
    local pid; pid="$(cat "$dir/$name.pid")"
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then echo "$name (pid $pid) ignored SIGTERM for 60s; killing it" >&2; kill -9 "$pid"; fi
  fi
  rm -f "$dir/$name.pid"
}

down() {
  for name in gateway-a gateway-b message-1 message-2 room auth; do stop "$name" & done
  wait
  stop infra
  echo "stopped; keys, data and logs stay in $dir (delete it for a fresh start)"
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|status|down" >&2; exit 2 ;;
esac
