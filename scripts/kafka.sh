#!/usr/bin/env bash
# Runs one real Apache Kafka broker (KRaft, broker+controller) without Docker.
#   scripts/kafka.sh fetch | start | stop | status
# Jars come from Maven Central (scripts/kafka/pom.xml); data lives in .kafka/ (git-ignored).
# KAFKA_PORT (9092) and KAFKA_CONTROLLER_PORT (KAFKA_PORT+1) select the listeners, so tests can
# run a second, private broker beside the one start-chat.sh uses.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
HEAP="${KAFKA_HEAP:-512m}"
KAFKA_DIR="$ROOT/.kafka"
LIBS="$KAFKA_DIR/libs"
NODE_DIR="$KAFKA_DIR/broker-$PORT"
PID_FILE="$NODE_DIR/broker.pid"
LOG_FILE="$NODE_DIR/broker.log"

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid; pid="$(cat "$PID_FILE")"
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

write_config() {
  mkdir -p "$NODE_DIR/data"
  if [ ! -s "$NODE_DIR/cluster-id" ]; then
    # 22 base64url characters; never starting with "-", which the storage tool would read as an
    # option (Kafka's own Uuid.randomUuid avoids it for the same reason).
    local id="-"
    while [ "${id#-}" != "$id" ]; do id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
    printf '%s' "$id" > "$NODE_DIR/cluster-id"
  fi
  cat > "$NODE_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$NODE_DIR/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
  cat > "$NODE_DIR/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$LOG_FILE
log4j.appender.file.MaxFileSize=10MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
PROPS
}

start() {
  if pid="$(running_pid)"; then info "Kafka already running on 127.0.0.1:$PORT (pid $pid)"; return 0; fi
  port_open "$PORT" && fail "port $PORT is in use by another program; stop it or set KAFKA_BROKERS to use that cluster"
  fetch
  write_config
  local java_opts=(-Xms256m "-Xmx$HEAP" -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$NODE_DIR/log4j.properties")
  java "${java_opts[@]}" -cp "$LIBS/*" kafka.tools.StorageTool format \
    -t "$(cat "$NODE_DIR/cluster-id")" -c "$NODE_DIR/server.properties" --ignore-formatted >/dev/null \
    || fail "formatting Kafka storage in $NODE_DIR failed"
  step "Starting Kafka on 127.0.0.1:$PORT"
  : > "$LOG_FILE"
  nohup java "${java_opts[@]}" -cp "$LIBS/*" kafka.Kafka "$NODE_DIR/server.properties" \
    > "$NODE_DIR/stdout.log" 2>&1 &
  echo $! > "$PID_FILE"
  local waited=0
  until grep -q 'Kafka Server started' "$LOG_FILE" 2>/dev/null && port_open "$PORT"; do
    if ! running_pid >/dev/null; then
      tail -n 30 "$LOG_FILE" "$NODE_DIR/stdout.log" >&2 || true
      fail "Kafka exited while starting (logs in $NODE_DIR)"
    fi
    [ "$waited" -ge 120 ] && fail "Kafka did not become ready in 120 s (logs in $NODE_DIR)"
    printf '\r    waiting for the broker... %ss' "$waited"; sleep 1; waited=$((waited + 1))
  done
  printf '\r    Kafka ready on 127.0.0.1:%s after %ss    \n' "$PORT" "$waited"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then info "Kafka on port $PORT is not running"; rm -f "$PID_FILE"; return 0; fi
  step "Stopping Kafka on 127.0.0.1:$PORT (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { info "still running after 30 s; killing"; kill -KILL "$pid"; }
  rm -f "$PID_FILE"
}

status() {
  if pid="$(running_pid)"; then echo "running on 127.0.0.1:$PORT (pid $pid)"; else echo "stopped"; return 3; fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 64 ;;
esac
