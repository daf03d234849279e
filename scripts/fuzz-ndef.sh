#!/usr/bin/env bash
# libFuzzer run over the NDEF and Type 2 TLV decoders (and write-plan invariants).
#   FUZZ_TIME=600 scripts/fuzz-ndef.sh      # seconds (default 60); `make fuzz` runs this
# Builds .build/fuzz/ndef-fuzz from Fuzz/NDEFFuzz.swift + Sources/TagKit/{NDEF,Type2}*.swift with
# -sanitize=fuzzer,address. The working corpus lives in .build/fuzz/corpus-ndef (seeded from
# Fuzz/corpus-ndef); crashes are written to .build/fuzz/crash-* and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_TIME=${FUZZ_TIME:-60}
out=.build/fuzz
mkdir -p "$out/corpus-ndef"
cp -n Fuzz/corpus-ndef/* "$out/corpus-ndef/" 2>/dev/null || true
swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
  Fuzz/NDEFFuzz.swift Sources/TagKit/NDEF*.swift Sources/TagKit/Type2*.swift \
  -o "$out/ndef-fuzz"
"$out/ndef-fuzz" -max_total_time="$FUZZ_TIME" -print_final_stats=1 -artifact_prefix="$out/crash-" \
  "$out/corpus-ndef"
