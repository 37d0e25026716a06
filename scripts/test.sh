#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against real Kafka brokers this script starts
# itself (a fresh one on TEST_KAFKA_PORT, default 19092; the outage and start-chat tests run
# their own), and browser tests of the built client in Debian's Chromium.
# Ends with one line "N passed, N failed, N skipped" and a non-zero exit on any failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_bun
ensure_packages
# Debian packages the tests use: kcat reads the topic independently of our code; the browser
# tests drive Debian's Chromium (browsers cannot be downloaded by Playwright here).
missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  step "Installing ${missing[*]} (Debian packages)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
    || info "could not install ${missing[*]}; the tests that need them will fail or be skipped"
fi

step "Building the web client"
(cd client && bun --bun run --silent build >/dev/null) || info "the client build failed; the browser tests will fail"

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
step "Type check (tsc: protocol, server and client)"
(cd protocol && bun x tsc -p .) && (cd server && bun x tsc -p .) && (cd client && bun x tsc -p .)
typecheck_rc=$?

step "Server, script and browser tests (bun test; Chromium through playwright-core)"
bun test --timeout 30000 --reporter=junit --reporter-outfile=test-results/server.xml protocol/ server/ scripts/ client/e2e/
server_rc=$?

# Solid resolves to its server build under bun test unless the browser condition is set.
step "Client unit tests (bun test --conditions=browser)"
bun test --conditions=browser --reporter=junit --reporter-outfile=test-results/client.xml client/src/
client_rc=$?

echo
info "test time: $(( $(date +%s) - started )) s"
bun scripts/count-results.ts "typecheck=$typecheck_rc,server-tests=$server_rc,client-tests=$client_rc" \
  test-results/server.xml test-results/client.xml
