#!/usr/bin/env bash
# Serves the built site on a fresh database with the demo content, for the browser tests.
# scripts/test sets GAZETTE_BIN and LEPTOS_SITE_ROOT; the defaults suit a plain cargo leptos build.
set -euo pipefail
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export GAZETTE_DATABASE_URL="sqlite://$data/gazette.db"
export GAZETTE_UPLOADS_DIR="$data/uploads"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-../target/site}"
export LEPTOS_SITE_ADDR="127.0.0.1:${GAZETTE_E2E_PORT:-3100}"
export GAZETTE_PUBLIC_BASE_URL="http://$LEPTOS_SITE_ADDR"
# Warnings and errors only: a line per request would bury the test report.
export RUST_LOG="${RUST_LOG:-warn}"
# The editor tests serve "another site's" pictures from 127.0.0.1.
export GAZETTE_REMOTE_IMAGES_FROM_PRIVATE_NETWORKS=true
# The variable rather than --demo, as scripts/start uses it.
export GAZETTE_DEMO=1
# The demo admin signs in with this password in the editors' tests.
export GAZETTE_ADMIN_PASSWORD="${GAZETTE_ADMIN_PASSWORD:-e2e-admin-password}"
"${GAZETTE_BIN:-../target/debug/gazette}" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT TERM INT
wait $server
