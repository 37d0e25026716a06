#!/usr/bin/env bash
# Runs every test: unit tests, and integration tests against real Kafka brokers this script
# starts itself (a fresh one on TEST_KAFKA_PORT, default 19092; the outage test runs its own).
# Ends with one line "N passed, N failed, N skipped" and a non-zero exit on any failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_bun
ensure_packages
if ! command -v kcat >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  step "Installing kcat (used to read the topic independently of our code)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat; } >/dev/null 2>&1 \
    || info "could not install kcat; the tests that need it will be skipped"
fi

TEST_PORT="${TEST_KAFKA_PORT:-19092}"
export TEST_KAFKA_BROKERS="127.0.0.1:$TEST_PORT"
KAFKA_PORT="$TEST_PORT" scripts/kafka.sh stop >/dev/null
rm -rf "$ROOT/.kafka/broker-$TEST_PORT"
if ! KAFKA_PORT="$TEST_PORT" scripts/kafka.sh start; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
trap 'KAFKA_PORT="$TEST_PORT" scripts/kafka.sh stop >/dev/null' EXIT

rm -rf test-results && mkdir -p test-results
started=$(date +%s)
step "Type check (tsc)"
(cd server && bun x tsc -p .)
typecheck_rc=$?

step "Server and script tests (bun test)"
bun test --timeout 30000 --reporter=junit --reporter-outfile=test-results/server.xml server/ scripts/
server_rc=$?

echo
info "test time: $(( $(date +%s) - started )) s"
bun scripts/count-results.ts "typecheck=$typecheck_rc,bun-test=$server_rc" test-results/server.xml
