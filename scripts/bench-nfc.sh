#!/usr/bin/env bash
# NFC write-plan benchmark: commands, not seconds. For a 40-byte tag URL on each chip, the
# WRITEs our plan sends and the READs that verify them, next to what `nfc-mfultralight w` sends (one
# WRITE per page from page 4 to the last page, skipping the dynamic lock page; no verification).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python.sh
swift build --product tagtool >/dev/null 2>&1
url=https://civictags.example.org/t/7K3M9QXA
printf '%-28s %8s %8s %14s %22s\n' chip message WRITEs "verify READs" "nfc-mfultralight w"
for chip in "MIFARE Ultralight" NTAG210 NTAG213 NTAG215 NTAG216; do
  .build/debug/tagtool ndef plan --url "$url" --chip "$chip" --json | "$CIVICTAGS_PYTHON" -c '
import json, sys
r = json.load(sys.stdin)
print("%-28s %8d %8d %14d %22d" % (r["chip"], r["messageBytes"], r["writes"], r["verifyReads"], r["nfcMfultralightWrites"]))'
done
