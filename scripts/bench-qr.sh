#!/usr/bin/env bash
# QR benchmark: CivicTags SVG batch vs segno, the qrencode CLI and libqrencode encode-only,
# all in one run, plus a 1,000-label A4 PDF. Release build. Results go in BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
swift build -c release --product tagtool-bench
"$(swift build -c release --show-bin-path)/tagtool-bench" "$@"
