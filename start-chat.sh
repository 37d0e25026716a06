#!/usr/bin/env bash
# Runs Anime Universe with one command. With a Docker engine it starts the Docker stack (Kafka,
# Control Center, the chat); without one it installs what is missing (Bun, packages), builds
# the client, starts a local Kafka broker unless KAFKA_BROKERS is set, ensures the topic and
# starts the chat server.
#   ./start-chat.sh [--detach] [--docker|--local]   start (foreground unless --detach)
#   ./start-chat.sh stop                            stop what a detached run started
#   --docker / --local force the Docker stack / the local broker (default: Docker if it answers)
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$ROOT"

PORT="${PORT:-3000}"
export PORT
KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_PORT
TOPIC="${KAFKA_TOPIC:-anonymous-anime-universe}"
RUN_DIR="${CHAT_RUN_DIR:-$ROOT/.run}"
SERVER_PID="$RUN_DIR/server.pid"
BROKER_MARK="$RUN_DIR/broker-started"
DOCKER_MARK="$RUN_DIR/docker-started"
mkdir -p "$RUN_DIR"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

server_pid() {
  [ -f "$SERVER_PID" ] || return 1
  local pid; pid="$(cat "$SERVER_PID")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

stop_all() {
  local pid
  if pid="$(server_pid)"; then
    step "Stopping the chat server (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$SERVER_PID"
  if [ -f "$BROKER_MARK" ]; then
    KAFKA_PORT="$(cat "$BROKER_MARK")" scripts/kafka.sh stop
    rm -f "$BROKER_MARK"
  fi
  if [ -f "$DOCKER_MARK" ]; then
    step "Stopping the Docker stack"
    docker compose down
    rm -f "$DOCKER_MARK"
  fi
}

# A secret kept in .data/ so every run (and every restart) uses the same one.
stable_secret() {
  mkdir -p .data
  [ -s ".data/$1" ] || head -c 48 /dev/urandom | base64 | tr -d '\n=+/' > ".data/$1"
  cat ".data/$1"
}

detach=false
runtime=auto
for arg in "$@"; do
  case "$arg" in
    -d|--detach) detach=true ;;
    --docker) runtime=docker ;;
    --local) runtime=local ;;
    stop) stop_all; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 64 ;;
  esac
done
docker_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
if [ "$runtime" = auto ]; then
  # KAFKA_BROKERS names a cluster to use, so it means the local path (no Docker stack).
  if [ -z "${KAFKA_BROKERS:-}" ] && docker_answers; then runtime=docker; else runtime=local; fi
elif [ "$runtime" = docker ]; then
  docker_answers || fail "--docker: no Docker engine answers (docker info failed); run without --docker to use the local broker"
  docker compose version >/dev/null 2>&1 || fail "--docker: the Docker Compose plugin is missing (docker compose version failed)"
fi

if pid="$(server_pid)" || [ -f "$DOCKER_MARK" ]; then
  info "Anime Universe is already running: http://localhost:$PORT"
  info "stop it with: ./start-chat.sh stop"
  exit 0
fi
port_open "$PORT" && fail "port $PORT is in use by another program; free it or run with PORT=<other port>"
[ -n "${TOKEN_SECRET:-}" ] || { TOKEN_SECRET="$(stable_secret token-secret)"; export TOKEN_SECRET; }

print_ready() {
  cat <<MSG

  Anime Universe is ready
    Chat            http://localhost:$PORT
    Kafka monitor   $1
    Metrics         http://localhost:$PORT/metrics
    Health          http://localhost:$PORT/health
    WebSocket       ws://localhost:$PORT/ws/chat
    Send (HTTP)     curl -X POST localhost:$PORT/chat/send -H 'content-type: application/json' -d '{"text":"hello"}'
    Kafka           $2  topic $TOPIC
    Watch it        kcat -b $3 -t $TOPIC -C -f '%k %o %s\\n'
    Control Center  $4

MSG
}

if [ "$runtime" = docker ]; then
  docker compose version >/dev/null 2>&1 || fail "the Docker Compose plugin is missing (docker compose version failed); run with --local"
  [ "$PORT" = 3000 ] || info "the Docker stack publishes the chat on port 3000 (PORT is ignored)"
  PORT=3000
  [ -n "${MONITOR_TOKEN:-}" ] || { MONITOR_TOKEN="$(stable_secret monitor-token)"; export MONITOR_TOKEN; }
  step "Starting the Docker stack (Kafka, topic, Control Center, chat); the first run downloads images"
  docker compose up -d --build
  touch "$DOCKER_MARK"
  waited=0
  until health_ok "$PORT"; do
    [ "$waited" -ge 240 ] && { docker compose logs --tail 30 chat >&2 || true; fail "the chat service was not healthy after 120 s"; }
    sleep 0.5; waited=$((waited + 1))
  done
  print_ready "http://localhost:$PORT/monitor#token=$MONITOR_TOKEN" "localhost:9092 (containers: kafka:29092)" "localhost:9092" \
    "http://localhost:9021 (starts in about a minute)"
  if [ "$detach" = true ]; then info "running in the background; stop with ./start-chat.sh stop"; exit 0; fi
  info "press Ctrl-C to stop"
  trap 'echo; stop_all; exit 0' INT TERM
  docker compose logs -f chat &
  wait
  stop_all
  exit 0
fi

ensure_bun
ensure_packages
if grep -q '"build"' client/package.json 2>/dev/null; then
  step "Building the web client"
  (cd client && bun --bun run --silent build > "$RUN_DIR/client-build.log" 2>&1) \
    || { cat "$RUN_DIR/client-build.log" >&2; fail "the client build failed (log: $RUN_DIR/client-build.log)"; }
fi

if [ -z "${KAFKA_BROKERS:-}" ]; then
  if port_open "$KAFKA_PORT" && ! scripts/kafka.sh status >/dev/null; then
    info "using the Kafka broker already listening on 127.0.0.1:$KAFKA_PORT"
  elif scripts/kafka.sh status >/dev/null; then
    info "local Kafka already running on 127.0.0.1:$KAFKA_PORT"
  else
    scripts/kafka.sh start
    echo "$KAFKA_PORT" > "$BROKER_MARK"
  fi
  export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
else
  info "using Kafka at $KAFKA_BROKERS (KAFKA_BROKERS is set; no local broker)"
fi

step "Ensuring the Kafka topic"
bun scripts/ensure-topic.ts || { [ "$detach" = false ] && stop_all; exit 1; }

step "Starting the chat server"
LOG="$RUN_DIR/server.log"
if [ "$detach" = true ]; then
  nohup bun server/src/main.ts >> "$LOG" 2>&1 &
else
  trap 'echo; stop_all; exit 0' INT TERM
  bun server/src/main.ts &   # logs to this terminal
fi
echo $! > "$SERVER_PID"

waited=0
until health_ok "$PORT"; do
  server_pid >/dev/null || { [ "$detach" = true ] && tail -n 20 "$LOG" >&2; stop_all; fail "the chat server stopped before it was ready"; }
  [ "$waited" -ge 120 ] && { stop_all; fail "the chat server was not healthy after 60 s"; }
  sleep 0.5; waited=$((waited + 1))
done

monitor="http://localhost:$PORT/monitor"
[ -n "${MONITOR_TOKEN:-}" ] && monitor="$monitor#token=$MONITOR_TOKEN"
print_ready "$monitor" "$KAFKA_BROKERS" "${KAFKA_BROKERS%%,*}" \
  "not running: it needs the Docker stack (no Docker engine here); use the Kafka monitor above"
if [ "$detach" = true ]; then
  info "running in the background (log: $LOG); stop with ./start-chat.sh stop"
  exit 0
fi
info "press Ctrl-C to stop"
wait
stop_all
