#!/usr/bin/env bash
# Secure-tap benchmark: wrk against /t/{id}?picc_data=…&cmac=… (NTAG 424 DNA SUN links: decrypt, CMAC, the
# chip's counter compare-and-set in the database) beside plain /t/{id} resolves of the same tags, same server,
# same run: 1,000 tags on SQLite, each bound to a chip; every link is sent once, each chip's counters in order.
# Target: verified taps ≥ 0.3 × the plain rate, p99 < 10 ms. Writes the figures to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench-sun: wrk missing (make deps-bench)" >&2; exit 1; }

swift build -c release --scratch-path .build-bench --product tagtool
bin=$(swift build -c release --scratch-path .build-bench --show-bin-path)/tagtool
sources=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- Sources 2>/dev/null || sources="$sources plus uncommitted changes under Sources/"
source scripts/bench-lib.sh
bench_workspace sun
py() { "$CIVICTAGS_PYTHON" -c "$1"; }

# 1,000 tags, each bound to an NTAG 424 DNA (random 7-byte UID, key version 1) — written straight into the
# registry, as `tagtool nfc encode --secure` would have recorded them.
"$bin" id new --count 1001 > "$work/all-ids"
head -1000 "$work/all-ids" > "$work/ids"
{
  echo "id,name,url"
  n=0; while read -r id; do n=$((n+1)); echo "$id,Bench stop $n,https://transit.example.org/stop/$n"; done < "$work/all-ids"
} > "$work/tags.csv"
db="sqlite:$work/registry.sqlite"
"$bin" tags import --db "$db" "$work/tags.csv" >/dev/null
"$CIVICTAGS_PYTHON" - "$work/registry.sqlite" "$work/all-ids" "$work/all-chips" <<'PY'
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
now = int(time.time() * 1000)
with open(sys.argv[3], "w") as chips, db:
    for tag_id in open(sys.argv[2]).read().split():
        uid = (b"\x04" + os.urandom(6)).hex().upper()
        db.execute("INSERT INTO bindings (tag_id, kind, chip_uid, chip_type, encoded_at, created_at, key_version) "
                   "VALUES (?, 'nfc', ?, 'ntag424dna', ?, ?, 1)", (tag_id, uid, now, now))
        chips.write(f"{tag_id} {uid}\n")
PY
head -1000 "$work/all-chips" > "$work/chips"
tail -1 "$work/all-chips" > "$work/check-chip"
master=$(py 'import os; print(os.urandom(16).hex().upper())')
( umask 077; echo "1 $master" > "$work/keys" )
counters=${SUN_COUNTERS:-400}
start=$(date +%s.%N)
"$CIVICTAGS_PYTHON" scripts/sun_urls.py links "$master" "$work/chips" "$counters" > "$work/links"
links=$(wc -l < "$work/links")
links_s=$(py "print(f'{$(date +%s.%N) - $start:.1f}')")
resolve_paths_lua "$work/ids" "$work/plain.lua"

port=$(free_port)
"$bin" serve --db "$db" --host 127.0.0.1 --port "$port" --log-level warning --scan-flush-seconds 1 \
  --sun-master-key-file "$work/keys" > "$work/serve.log" 2>&1 &
server_pid=$!
server_pids=$server_pid
wait_healthy "$port" || { cat "$work/serve.log" >&2; echo "server on port $port did not come up" >&2; exit 1; }
first=$(head -1 "$work/ids")
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/t/$first")" = 302 ] || { echo "resolver not answering 302" >&2; exit 1; }
outcome() { curl -fsS "http://127.0.0.1:$port/metrics" | sed -n "s/^civictags_secure_taps_total{outcome=\"$1\"} \([0-9.e+]*\)$/\1/p" | head -1; }
# One link checked by hand first, from a chip of its own (the 1,001st tag): the server must verify what the
# independent generator made.
extra=$("$CIVICTAGS_PYTHON" scripts/sun_urls.py links "$master" "$work/check-chip" 1)
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$extra")" = 302 ] || { echo "the secure link was not answered 302" >&2; exit 1; }
[ "$(outcome verified)" = 1 ] || { curl -s "http://127.0.0.1:$port/metrics" | grep secure_taps >&2; echo "bench-sun: the resolver did not verify a link made by sun_urls.py" >&2; exit 1; }

echo "== tagtool serve, plain /t/{id} (fast lane)"
before=$(cpu_seconds "$server_pid")
read -r plain_rps plain_p99 plain_err < <(run_wrk "http://127.0.0.1:$port" -s "$work/plain.lua")
plain_cpu=$(py "print(f'{($(cpu_seconds "$server_pid") - $before) / ($plain_rps * 10) * 1e6:.0f}')")
echo "== tagtool serve, /t/{id}?picc_data=…&cmac=… (each link once)"
verified_before=$(outcome verified)
before=$(cpu_seconds "$server_pid")
read -r sun_rps sun_p99 sun_err < <(SUN_PATHS=$work/links SUN_THREADS=2 SUN_OUT=$work/sun.out run_wrk "http://127.0.0.1:$port" -s scripts/sun_taps.lua)
sun_cpu=$(py "print(f'{($(cpu_seconds "$server_pid") - $before) / ($sun_rps * 10) * 1e6:.0f}')")
read -r _ wrapped < "$work/sun.out"
verified=$(py "print(int($(outcome verified) - $verified_before))")
others=""
for name in replay bad_mac wrong_chip unknown_key malformed; do
  value=$(outcome "$name"); others="$others $name $(py "print(int(${value:-0}))")"
done
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pids=""
sent=$(py "print(round($sun_rps * 10))")

ratio=$(py "print(f'{$sun_rps / $plain_rps:.2f}')")
verdict=$(py "print('PASS' if $sun_rps >= 0.3 * $plain_rps and $sun_p99 < 10 and $sun_err == 0 and $wrapped == 0 else 'FAIL')")
section=$(cat <<MD
## Secure taps

\`make bench\` → \`scripts/bench-sun.sh\` (release build of $sources, $(nproc) shared cores, $(date -u +%Y-%m-%dT%H:%MZ)).
One \`tagtool serve\` on SQLite with 1,000 tags, each bound to an NTAG 424 DNA (random UID, key version 1, master key
in a key file); wrk \`-t2 -c64 -d10s\` on 127.0.0.1. Plain: \`/t/{id}\` over the 1,000 tags (the fast lane, from
memory). Secure: \`/t/{id}?picc_data=…&cmac=…\` links made by \`scripts/sun_urls.py\` (PyPI cryptography, not our
Swift code; $links links, $counters counters per chip, made in $links_s s), each sent once, each chip's counters in
order (\`scripts/sun_taps.lua\`): every request diversifies the chip's keys, decrypts, checks the MAC and moves the
chip's counter with one compare-and-set statement, then answers like the plain request.

| Requests | Requests/s | p99 | Errors | CPU per request (tagtool) |
|---|---|---|---|---|
| plain \`/t/{id}\` | $plain_rps | $plain_p99 ms | $plain_err | $plain_cpu µs |
| secure taps | $sun_rps | $sun_p99 ms | $sun_err | $sun_cpu µs |

Secure taps verified during the run (from \`/metrics\`): $verified of about $sent sent; other outcomes since start:$others
(a thread that ran out of links and started again: $wrapped times).
Target ≥ 0.3 × the plain rate, p99 < 10 ms: **$ratio ×**, $sun_p99 ms → **$verdict**.
MD
)
write_section "Secure taps" "$section"
echo "$section"
[ "$verdict" = PASS ]
