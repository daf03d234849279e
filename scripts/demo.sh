#!/usr/bin/env bash
# `make demo`: builds tagtool, creates a SQLite registry from samples/, serves it on 127.0.0.1:8080 and
# prints URLs to open and a QR code for one of them. Ctrl-C stops the server (scan counts are written).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product tagtool
bin=$(swift build --show-bin-path)/tagtool
dir=.tmp/demo
mkdir -p "$dir"
rm -f "$dir"/civictags.sqlite*
db="sqlite:$dir/civictags.sqlite"
base=http://127.0.0.1:8080

"$bin" tags import --db "$db" --base-url "$base" samples/tags.csv
"$bin" tags import --db "$db" --base-url "$base" samples/tags.json
token=$("$bin" token create --scope admin --name demo --db "$db")
# The CARTA timetable (public domain) and tags for two of its stops. Its service runs
# 2026-05-10 … 2026-08-22, so the server's stop pages use a fixed clock inside it (transit-clock).
"$bin" gtfs import samples/carta-2026-05.zip --feed-id carta --db "$db"
"$bin" tags from-gtfs carta --stops 1565,690 --db "$db" --base-url "$base" > "$dir/stop-tags.csv"
export CIVICTAGS_TRANSIT_CLOCK=${CIVICTAGS_TRANSIT_CLOCK:-2026-06-01T08:00:00-04:00}

"$bin" serve --db "$db" --host 127.0.0.1 --port 8080 --base-url "$base" --timezone Europe/Brussels \
  --town-name "Demo Town" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

echo
echo "Registry ($db):"
"$bin" tags list --db "$db"
echo
echo "Open these (url → 302, page → HTML page, disabled → 410; add ?via=nfc to count as NFC):"
"$bin" tags export --db "$db" --base-url "$base" | tail -n +2 | cut -d, -f3 | sed 's/^/  /'
echo
echo "Live departures (CARTA, clock $CIVICTAGS_TRANSIT_CLOCK; Accept-Language fr for French, ?lang=fr|en):"
tail -n +2 "$dir/stop-tags.csv" | cut -d, -f3 | sed 's/^/  /'
echo "  $bin gtfs departures --db $db --feed carta --stop 1565 --at 2026-06-01T08:00"
echo
echo "Admin API token (admin scope): $token"
echo "  curl -H 'Authorization: Bearer $token' $base/api/v1/tags"
echo "  curl -H 'Accept: application/json' $base/t/$(sed -n 2p samples/tags.csv | cut -d, -f1)"
echo "  $bin tags stats --server $base --token $token"
echo "  $base/metrics   $base/readyz   $base/api/v1/openapi.json"
first_url="$base/t/$(sed -n 2p samples/tags.csv | cut -d, -f1)"
echo
echo "QR for $first_url:"
"$bin" qr show "$first_url"
echo "Serving until Ctrl-C."
wait $server
