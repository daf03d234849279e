#!/usr/bin/env bash
# Runs every benchmark (scripts/bench-*.sh, one per area) against its peer in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
for script in scripts/bench-*.sh; do
  [ -e "$script" ] || continue
  echo "== $script"
  bash "$script"
done
