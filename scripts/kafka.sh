#!/usr/bin/env bash
# Runs real Apache Kafka (KRaft, each node broker+controller) without Docker: one broker, or a
# replicated cluster of several nodes on loopback for fault drills.
#   scripts/kafka.sh fetch | start | stop | status | brokers
#   scripts/kafka.sh start-node N | stop-node N | kill-node N      (one node of a cluster)
# Jars come from Maven Central (scripts/kafka/pom.xml); data lives in .kafka/ (git-ignored).
# KAFKA_PORT (9092) is the first node's client port; KAFKA_NODES (1) how many nodes. Node i
# listens for clients on KAFKA_PORT + 2(i-1) and for its controller quorum on the port after:
# three nodes from 9092 use 9092/9093, 9094/9095 and 9096/9097. One node keeps the controller
# port KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), so tests can run a private broker beside the one
# start-chat.sh uses. A cluster of three or more replicates the internal topics three times
# with min.insync.replicas=2, the setting the chat topic gets there too.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PORT="${KAFKA_PORT:-9092}"
NODES="${KAFKA_NODES:-1}"
HEAP="${KAFKA_HEAP:-512m}"
KAFKA_DIR="$ROOT/.kafka"
LIBS="$KAFKA_DIR/libs"
[[ "$NODES" =~ ^[1-9]$ ]] || fail "KAFKA_NODES must be 1 to 9"

client_port() { echo $((PORT + 2 * ($1 - 1))); }
controller_port() {
  if [ "$NODES" = 1 ]; then echo "${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"; else echo $(($(client_port "$1") + 1)); fi
}
# One node keeps its old place, so existing data and docs stay valid.
node_dir() {
  if [ "$NODES" = 1 ]; then echo "$KAFKA_DIR/broker-$PORT"; else echo "$KAFKA_DIR/cluster-$PORT/node-$1"; fi
}
cluster_id_file() {
  if [ "$NODES" = 1 ]; then echo "$KAFKA_DIR/broker-$PORT/cluster-id"; else echo "$KAFKA_DIR/cluster-$PORT/cluster-id"; fi
}
pid_file() { echo "$(node_dir "$1")/broker.pid"; }
log_file() { echo "$(node_dir "$1")/broker.log"; }
brokers() {
  local list="" i
  for i in $(seq 1 "$NODES"); do list="$list${list:+,}127.0.0.1:$(client_port "$i")"; done
  echo "$list"
}
running_pid() { # node
  local file; file="$(pid_file "$1")"
  [ -f "$file" ] || return 1
  local pid; pid="$(cat "$file")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch() {
  [ -f "$LIBS/.complete" ] && return 0
  command -v java >/dev/null 2>&1 || fail "Java 17+ is needed to run Kafka (apt-get install -y openjdk-17-jre-headless)"
  command -v mvn >/dev/null 2>&1 || fail "Maven is needed to fetch Kafka (apt-get install -y maven)"
  step "Fetching Apache Kafka jars with Maven (first run only, about 50 MB)"
  rm -rf "$LIBS"; mkdir -p "$LIBS"
  mvn -B -q -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS" &
  local mvn_pid=$!
  while kill -0 "$mvn_pid" 2>/dev/null; do
    printf '\r    %s jars so far' "$(find "$LIBS" -name '*.jar' | wc -l)"; sleep 2
  done
  wait "$mvn_pid" || fail "Maven could not fetch Kafka"
  printf '\r    %s jars fetched      \n' "$(find "$LIBS" -name '*.jar' | wc -l)"
  touch "$LIBS/.complete"
}

write_config() { # node
  local node="$1" dir id_file
  dir="$(node_dir "$node")"; id_file="$(cluster_id_file)"
  mkdir -p "$dir/data" "$(dirname "$id_file")"
  if [ ! -s "$id_file" ]; then
    # 22 base64url characters; never starting with "-", which the storage tool would read as an
    # option (Kafka's own Uuid.randomUuid avoids it for the same reason).
    local id="-"
    while [ "${id#-}" != "$id" ]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
    printf '%s' "$id" > "$id_file"
  fi
  local voters="" i
  for i in $(seq 1 "$NODES"); do voters="$voters${voters:+,}$i@127.0.0.1:$(controller_port "$i")"; done
  local replicas=1 isr=1
  if [ "$NODES" -ge 3 ]; then replicas=3; isr=2; fi
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$node
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(client_port "$node"),CONTROLLER://127.0.0.1:$(controller_port "$node")
advertised.listeners=PLAINTEXT://127.0.0.1:$(client_port "$node")
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
default.replication.factor=$replicas
min.insync.replicas=$isr
offsets.topic.replication.factor=$replicas
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$isr
group.initial.rebalance.delay.ms=0
PROPS
  cat > "$dir/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$(log_file "$node")
log4j.appender.file.MaxFileSize=10MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPS
}

set_java_opts() { # node: fills JAVA_OPTS
  JAVA_OPTS=(-Xms256m "-Xmx$HEAP" -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$(node_dir "$1")/log4j.properties")
}

# launch NODE: formats the node's storage if needed and starts its JVM in the background.
launch() {
  local node="$1" dir pid
  dir="$(node_dir "$node")"
  if pid="$(running_pid "$node")"; then info "node $node already running on 127.0.0.1:$(client_port "$node") (pid $pid)"; return 0; fi
  port_open "$(client_port "$node")" && fail "port $(client_port "$node") is in use by another program; stop it or set KAFKA_BROKERS to use that cluster"
  write_config "$node"
  set_java_opts "$node"
  java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
    -t "$(cat "$(cluster_id_file)")" -c "$dir/server.properties" --ignore-formatted >/dev/null \
    || fail "formatting Kafka storage in $dir failed"
  : > "$(log_file "$node")"
  nohup java "${JAVA_OPTS[@]}" -cp "$LIBS/*" kafka.Kafka "$dir/server.properties" \
    > "$dir/stdout.log" 2>&1 &
  echo $! > "$(pid_file "$node")"
}

# wait_ready NODE...: until every node logged its start and accepts connections.
wait_ready() {
  local waited=0 node pending
  while :; do
    pending=""
    for node in "$@"; do
      if ! running_pid "$node" >/dev/null; then
        tail -n 30 "$(log_file "$node")" "$(node_dir "$node")/stdout.log" >&2 || true
        fail "Kafka node $node exited while starting (logs in $(node_dir "$node"))"
      fi
      grep -q 'Kafka Server started' "$(log_file "$node")" 2>/dev/null && port_open "$(client_port "$node")" || pending="$pending $node"
    done
    [ -z "$pending" ] && break
    [ "$waited" -ge 120 ] && fail "Kafka did not become ready in 120 s (waiting for node(s)$pending; logs in $KAFKA_DIR)"
    printf '\r    waiting for the broker... %ss' "$waited"; sleep 1; waited=$((waited + 1))
  done
  printf '\r    Kafka ready on %s after %ss    \n' "$(brokers)" "$waited"
}

start() {
  fetch
  step "Starting Kafka on $(brokers)"
  local node
  # The nodes of a cluster start together: each waits for a quorum of controllers.
  for node in $(seq 1 "$NODES"); do launch "$node"; done
  wait_ready $(seq 1 "$NODES")
}

# halt NODE SIGNAL: TERM waits up to 30 s for a clean stop (then kills); KILL is a crash.
halt() {
  local node="$1" signal="$2" pid
  if ! pid="$(running_pid "$node")"; then info "Kafka node $node on port $(client_port "$node") is not running"; rm -f "$(pid_file "$node")"; return 0; fi
  step "Stopping Kafka node $node on 127.0.0.1:$(client_port "$node") (pid $pid, SIG$signal)"
  kill "-$signal" "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { info "still running after 30 s; killing"; kill -KILL "$pid"; }
  rm -f "$(pid_file "$node")"
}

stop() {
  local node pids=()
  for node in $(seq 1 "$NODES"); do halt "$node" TERM & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

# Exit 3 when any node is down.
status() {
  local node pid down=0 label=""
  for node in $(seq 1 "$NODES"); do
    [ "$NODES" = 1 ] || label="node $node "
    if pid="$(running_pid "$node")"; then echo "${label}running on 127.0.0.1:$(client_port "$node") (pid $pid)"
    else echo "${label}stopped"; down=1; fi
  done
  [ "$down" = 0 ] || return 3
}

node_arg() {
  [[ "${1:-}" =~ ^[1-9]$ ]] && [ "$1" -le "$NODES" ] || fail "give a node number from 1 to $NODES (KAFKA_NODES=$NODES)"
  echo "$1"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  brokers) brokers ;;
  start-node) n="$(node_arg "${2:-}")"; fetch; launch "$n"; wait_ready "$n" ;;
  stop-node) halt "$(node_arg "${2:-}")" TERM ;;
  kill-node) halt "$(node_arg "${2:-}")" KILL ;;
  *) echo "usage: $0 fetch|start|stop|status|brokers|start-node N|stop-node N|kill-node N" >&2; exit 64 ;;
esac
