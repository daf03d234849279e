#!/usr/bin/env bash
# NFC through libnfc: commands and wall time per sticker for a 40-byte URL on NTAG213, via `tagtool nfc
# encode` against the PN532 emulator in its own process (debug build; the time is libnfc + serial framing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
for product in tagtool pn532-emulator; do
  swift build --product "$product" >/dev/null 2>&1 || swift build --product "$product"
done
"$CIVICTAGS_PYTHON" scripts/nfc_bench.py "$(swift build --show-bin-path)" "${NFC_BENCH_STICKERS:-20}"
