#!/usr/bin/env bash
# Runs Anime Universe with one command: installs what is missing (Bun, packages), builds the
# client, starts a local Kafka broker unless KAFKA_BROKERS is set, ensures the topic and starts
# the chat server on http://localhost:${PORT:-3000}.
#   ./start-chat.sh            in the foreground; Ctrl-C stops everything it started
#   ./start-chat.sh --detach   in the background; returns once /health answers 200
#   ./start-chat.sh stop       stops what a detached run started
set -euo pipefail
source "$(dirname "$0")/scripts/lib.sh"
cd "$ROOT"

PORT="${PORT:-3000}"
export PORT
KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_PORT
RUN_DIR="${CHAT_RUN_DIR:-$ROOT/.run}"
SERVER_PID="$RUN_DIR/server.pid"
BROKER_MARK="$RUN_DIR/broker-started"
mkdir -p "$RUN_DIR"

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }

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
}

mode=foreground
case "${1:-}" in
  "") ;;
  -d|--detach) mode=detach ;;
  stop) stop_all; exit 0 ;;
  -h|--help) usage; exit 0 ;;
  *) usage >&2; exit 64 ;;
esac

if pid="$(server_pid)"; then
  info "Anime Universe is already running (pid $pid): http://localhost:$PORT"
  info "stop it with: ./start-chat.sh stop"
  exit 0
fi
port_open "$PORT" && fail "port $PORT is in use by another program; free it or run with PORT=<other port>"

ensure_bun
ensure_packages
if grep -q '"build"' client/package.json 2>/dev/null; then
  step "Building the web client"
  (cd client && bun run --silent build > "$RUN_DIR/client-build.log" 2>&1) \
    || { cat "$RUN_DIR/client-build.log" >&2; fail "the client build failed (log: $RUN_DIR/client-build.log)"; }
fi

# Names survive restarts only if every run signs tokens with the same secret.
if [ -z "${TOKEN_SECRET:-}" ]; then
  mkdir -p .data
  [ -s .data/token-secret ] || head -c 48 /dev/urandom | base64 | tr -d '\n=' > .data/token-secret
  TOKEN_SECRET="$(cat .data/token-secret)"
  export TOKEN_SECRET
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
bun scripts/ensure-topic.ts || { [ "$mode" = foreground ] && stop_all; exit 1; }

step "Starting the chat server"
LOG="$RUN_DIR/server.log"
if [ "$mode" = detach ]; then
  nohup bun server/src/main.ts >> "$LOG" 2>&1 &
else
  trap 'echo; stop_all; exit 0' INT TERM
  bun server/src/main.ts &   # logs to this terminal
fi
echo $! > "$SERVER_PID"

waited=0
until health_ok "$PORT"; do
  server_pid >/dev/null || { [ "$mode" = detach ] && tail -n 20 "$LOG" >&2; stop_all; fail "the chat server stopped before it was ready"; }
  [ "$waited" -ge 120 ] && { stop_all; fail "the chat server was not healthy after 60 s"; }
  sleep 0.5; waited=$((waited + 1))
done

cat <<MSG

  Anime Universe is ready
    Chat         http://localhost:$PORT
    Health       http://localhost:$PORT/health
    WebSocket    ws://localhost:$PORT/ws/chat
    Send (HTTP)  curl -X POST localhost:$PORT/chat/send -H 'content-type: application/json' -d '{"text":"hello"}'
    Kafka        ${KAFKA_BROKERS}  topic ${KAFKA_TOPIC:-anonymous-anime-universe}
    Watch it     kcat -b ${KAFKA_BROKERS%%,*} -t ${KAFKA_TOPIC:-anonymous-anime-universe} -C -f '%k %o %s\n'

MSG
if [ "$mode" = detach ]; then
  info "running in the background (log: $LOG); stop with ./start-chat.sh stop"
  exit 0
fi
info "press Ctrl-C to stop"
wait
stop_all
