#!/usr/bin/env bash
# Runs every test: builds, starts the services the integration tests need on loopback, runs `swift test`,
# stops the services. CIVICTAGS_REQUIRE_ALL=1 turns a missing external tool into a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
export CIVICTAGS_REQUIRE_ALL=1
swift build --build-tests
swift test --skip-build
