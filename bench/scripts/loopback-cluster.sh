#!/usr/bin/env bash
# The six-process clustered deployment on one machine, from the service jars, for the fault runs of
# docs/reliability.md: auth, room, message-1, message-2, gateway-a, gateway-b, joined by Hazelcast on
# loopback, the event bus on mutual TLS (a CA and one certificate made here with openssl, as in
# docs/deploy-k8s.md). The same layout as the multi-process tests (standalone's LoopbackCluster).
#
#   bench/scripts/loopback-cluster.sh start DIR JARS PG_URL REDIS_URL   # returns once all six print PARLEY READY
#   bench/scripts/loopback-cluster.sh stop DIR                          # SIGTERM to each, by its pid file
#
# DIR receives the keys, certificates, <name>.log and <name>.pid; JARS holds parley-auth.jar,
# parley-room.jar, parley-message.jar and parley-gateway.jar. Gateway a listens on TCP 18800, b on
# 18810; HTTP (health, metrics) on 18920 + the process's place in the list below. The limits are
# lifted as for the benchmarks (docs/benchmarks.md): the whole load comes from one address.
set -euo pipefail

NAMES=(auth room message-1 message-2 gateway-a gateway-b)
declare -A MAIN=([auth]=parley-auth.jar [room]=parley-room.jar [message-1]=parley-message.jar [message-2]=parley-message.jar
  [gateway-a]=parley-gateway.jar [gateway-b]=parley-gateway.jar)
declare -A TCP=([gateway-a]=18800 [gateway-b]=18810)

start() {
  local dir=$1 jars=$2 pg=$3 redis=$4
  mkdir -p "$dir"
  cd "$dir"
  [ -f identity-ed25519.pem ] || openssl genpkey -algorithm ed25519 -out identity-ed25519.pem
  [ -f token-signing-key.pem ] || openssl genpkey -algorithm ed25519 -out token-signing-key.pem
  if [ ! -f parley-bus.crt ]; then
    openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -days 30 -subj /CN=parley-bus-ca \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout parley-bus-ca.key -out parley-bus-ca.crt 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -noenc -subj /CN=parley-bus \
      -keyout parley-bus.key -out parley-bus.csr 2>/dev/null
    printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' > parley-bus.ext
    openssl x509 -req -in parley-bus.csr -CA parley-bus-ca.crt -CAkey parley-bus-ca.key -CAcreateserial -days 30 \
      -extfile parley-bus.ext -out parley-bus.crt 2>/dev/null
  fi
  local members="" i
  for i in "${!NAMES[@]}"; do members+="${members:+,}127.0.0.1:$((18900 + i))"; done
  for i in "${!NAMES[@]}"; do
    local name=${NAMES[$i]}
    env $(env | grep -o '^PARLEY_[A-Z_]*' | sed 's/^/-u /') \
      PARLEY_CLUSTER=true PARLEY_CLUSTER_HOST=127.0.0.1 PARLEY_CLUSTER_PORT=$((18900 + i)) PARLEY_CLUSTER_MEMBERS="$members" \
      PARLEY_EVENTBUS_PORT=$((18910 + i)) PARLEY_HTTP_PORT=$((18920 + i)) PARLEY_BIND_HOST=127.0.0.1 PARLEY_NODE_ID="$name" \
      PARLEY_CLUSTER_TLS_CA_FILE="$dir/parley-bus-ca.crt" PARLEY_CLUSTER_TLS_CERT_FILE="$dir/parley-bus.crt" \
      PARLEY_CLUSTER_TLS_KEY_FILE="$dir/parley-bus.key" \
      PARLEY_PG_URL="$pg" PARLEY_REDIS_URL="$redis" \
      PARLEY_IDENTITY_KEY_FILE="$dir/identity-ed25519.pem" PARLEY_TOKEN_KEY_FILE="$dir/token-signing-key.pem" \
      PARLEY_TCP_PORT="${TCP[$name]:-0}" PARLEY_WS_PORT=$((18930 + i)) \
      PARLEY_POW_DIFFICULTY_BITS=1 PARLEY_SIGNUPS_PER_ADDRESS=1000000 \
      PARLEY_PACKET_RATE_PER_SECOND=1000 PARLEY_PACKET_BURST=2000 \
      PARLEY_ADDRESS_PACKET_RATE_PER_SECOND=10000000 PARLEY_ADDRESS_PACKET_BURST=10000000 \
      PARLEY_MAX_CONNECTIONS_PER_ADDRESS=100000 PARLEY_MAX_HANDSHAKES_PER_ADDRESS=100000 PARLEY_MAX_CONNECTIONS_PER_DEVICE=16 \
      nohup java -Xmx384m -jar "$jars/${MAIN[$name]}" > "$dir/$name.log" 2>&1 &
    echo $! > "$dir/$name.pid"
  done
  for name in "${NAMES[@]}"; do
    local waited=0
    until grep -q '^PARLEY READY' "$dir/$name.log"; do
      if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null || [ $waited -ge 300 ]; then
        echo "$name did not become ready; its log:" >&2
        tail -20 "$dir/$name.log" >&2
        exit 1
      fi
      sleep 1
      waited=$((waited + 1))
    done
    echo "$name ready (pid $(cat "$dir/$name.pid"))"
  done
}

stop() {
  local dir=$1 name
  for name in "${NAMES[@]}"; do
    if [ -f "$dir/$name.pid" ]; then
      kill -TERM "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
}

case "${1:-}" in
  start) [ $# -eq 5 ] || { echo "usage: $0 start DIR JARS PG_URL REDIS_URL" >&2; exit 2; }; start "$(realpath -m "$2")" "$(realpath "$3")" "$4" "$5" ;;
  stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }; stop "$(realpath -m "$2")" ;;
  *) echo "usage: $0 start DIR JARS PG_URL REDIS_URL | stop DIR" >&2; exit 2 ;;
esac
