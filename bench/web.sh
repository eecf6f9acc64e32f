#!/usr/bin/env bash
# The web app benchmark (bench/web.mjs): builds the release API and the release web app, then
# measures in headless Chromium. Usage from the repository root: bash bench/web.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/postwarden/target}
command -v sqlite3 >/dev/null || apt-get install -y sqlite3 >/dev/null
[ -d web/e2e/node_modules ] || npm ci --prefix web/e2e --no-audit --no-fund --silent
cargo run --quiet -p xtask -- web
cargo build --release --quiet -p api
POSTWARDEN_API_BIN="$CARGO_TARGET_DIR/release/postwarden-api" node bench/web.mjs
