#!/usr/bin/env bash
# Runs every test: builds, starts the services the integration tests need on loopback, runs `swift test`,
# stops the services. CIVICTAGS_REQUIRE_ALL=1 turns a missing external tool into a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export CIVICTAGS_REQUIRE_ALL=1
swift build --build-tests
# Registry tests (issue 5) run against a real PostgreSQL: a throwaway server on loopback, stopped on exit.
eval "$(scripts/pg.sh start)"
trap 'scripts/pg.sh stop "$CIVICTAGS_PG_DIR"' EXIT
swift test --skip-build
