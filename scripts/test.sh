#!/usr/bin/env bash
# Runs every test: builds, starts the services the integration tests need on loopback, runs `swift test`,
# stops the services. CIVICTAGS_REQUIRE_ALL=1 turns a missing external tool into a failure, not a skip
# (ServerTestSupport's ToolGate); the Python oracles run in the project venv (scripts/python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
export CIVICTAGS_REQUIRE_ALL=1
swift build --build-tests
# The registry tests run against a real PostgreSQL: a throwaway server on loopback, stopped on exit.
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$CIVICTAGS_PG_DIR"' EXIT
swift test --skip-build
