# Shared shell helpers for start-chat.sh and the scripts in scripts/. Source it; do not run it.
# Owns: the repository root, progress output, and putting the pinned Bun on PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUN_VERSION="1.4.5"   # keep in step with package.json "packageManager"
TOOLS_DIR="$ROOT/.tools"

# kafkajs schedules a timer from a "-1" sentinel timestamp, which makes Bun print a harmless
# TimeoutNegativeWarning at every start; keep the console for our own JSON logs.
export NODE_NO_WARNINGS=1

step() { printf '\033[1;35m==>\033[0m %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
fail() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# health_ok PORT: true when the chat server on that port answers /health with 200.
health_ok() {
  bun -e "const r = await fetch('http://127.0.0.1:$1/health').catch(() => null); process.exit(r?.status === 200 ? 0 : 1)" 2>/dev/null
}

# ensure_bun: use bun from PATH when it is the pinned version, else install that version
# from the npm registry into .tools/ (the bun npm package ships the Linux binary).
ensure_bun() {
  if command -v bun >/dev/null 2>&1 && [ "$(bun --version 2>/dev/null)" = "$BUN_VERSION" ]; then
    return 0
  fi
  local local_bun="$TOOLS_DIR/node_modules/.bin/bun"
  if [ ! -x "$local_bun" ] || [ "$("$local_bun" --version 2>/dev/null)" != "$BUN_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || fail "npm is needed to install Bun $BUN_VERSION"
    step "Installing Bun $BUN_VERSION (npm package 'bun') into .tools/"
    mkdir -p "$TOOLS_DIR"
    [ -f "$TOOLS_DIR/package.json" ] || echo '{"private":true}' > "$TOOLS_DIR/package.json"
    npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "bun@$BUN_VERSION" >/dev/null \
      || fail "could not install bun@$BUN_VERSION with npm"
    "$local_bun" --version >/dev/null 2>&1 || fail "the installed Bun binary does not run"
  fi
  export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
}

# ensure_packages: install the workspace's packages exactly as locked.
ensure_packages() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/bun.lock" -nt "$ROOT/node_modules" ]; then
    step "Installing packages (bun install)"
    (cd "$ROOT" && bun install --frozen-lockfile) || fail "bun install failed"
    touch "$ROOT/node_modules"
  fi
}
