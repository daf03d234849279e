#!/usr/bin/env bash
# NFC through libnfc: commands and wall time per sticker for a 40-byte URL on NTAG213, via `tagtool nfc
# encode` against the PN532 emulator in its own process (debug build; the time is libnfc + serial framing).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product tagtool >/dev/null
swift build --product pn532-emulator >/dev/null
python3 scripts/nfc_bench.py "$(swift build --show-bin-path)" "${NFC_BENCH_STICKERS:-20}"
