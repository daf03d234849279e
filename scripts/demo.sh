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
# The web console's first account: an admin, whose one-time link sets the password.
console_link=$("$bin" users add admin --role admin --db "$db" --console-url "$base" | tail -1)
# The CARTA timetable (public domain) and tags for two of its stops. Its service runs
# 2026-05-10 … 2026-08-22, so the server's stop pages use a fixed clock inside it (transit-clock).
"$bin" gtfs import samples/carta-2026-05.zip --feed-id carta --db "$db"
"$bin" tags from-gtfs carta --stops 1565,690 --db "$db" --base-url "$base" > "$dir/stop-tags.csv"
export CIVICTAGS_TRANSIT_CLOCK=${CIVICTAGS_TRANSIT_CLOCK:-2026-06-01T08:00:00-04:00}

# Civic places: a market square with opening hours and a weekly market, a library with a one-off event, and a
# snow alert whose area (a polygon over the old town, a circle around CARTA stop 1565) touches the market square
# and stop 1565's page but not the library or stop 690. Dates follow today, so the pages always have events.
hours='{"weekly":{"mo":["09:00-18:00"],"tu":["09:00-18:00"],"we":["09:00-18:00"],"th":["09:00-18:00"],"fr":["09:00-18:00"],"sa":["07:00-14:00"]},"exceptions":[{"date":"2026-12-25"},{"date":"2026-12-24","hours":["09:00-13:00"]}]}'
market=$("$bin" tags add --db "$db" --base-url "$base" --name "Place du Marché / Market square" --lat 50.8467 --lon 4.3525 \
  --address "Grand-Place 1" --json --target-json \
  '{"kind":"place","place":{"text":{"fr":"La place du marché, au cœur de la vieille ville.","en":"The market square, in the heart of the old town."},"hours":'"$hours"'}}' \
  | sed -n 's/^  "id" : "\(.*\)",$/\1/p')
library=$("$bin" tags add --db "$db" --base-url "$base" --name "Bibliothèque / Library" --lat 50.8330 --lon 4.3900 \
  --address "Rue de la Bibliothèque 3" --json --target-json \
  '{"kind":"place","place":{"text":{"fr":"Prêt de livres et salle de lecture.","en":"Lending and reading room."},"hours":{"weekly":{"tu":["10:00-19:00"],"we":["10:00-19:00"],"sa":["10:00-17:00"]}}}}' \
  | sed -n 's/^  "id" : "\(.*\)",$/\1/p')
saturday=$(date -d "next saturday" +%F)
"$bin" events add --db "$db" --timezone Europe/Brussels --id weekly-market --title "Marché hebdomadaire" \
  --title-en "Weekly market" --text "Fruits, légumes et fromages." --text-en "Fruit, vegetables and cheese." \
  --start "${saturday}T07:00" --end "${saturday}T13:00" --rrule "FREQ=WEEKLY;BYDAY=SA" --place "$market" >/dev/null
"$bin" events add --db "$db" --timezone Europe/Brussels --id reading-evening --title "Soirée lecture" \
  --title-en "Reading evening" --start "$(date -d "+5 days" +%F)T19:00" --end "$(date -d "+5 days" +%F)T21:00" \
  --place "$library" >/dev/null
"$bin" alerts publish --db "$db" --timezone Europe/Brussels --id snow-old-town --category weather --severity severe \
  --headline "Neige : rues de la vieille ville fermées" --headline-en "Snow: old town streets closed" \
  --instruction "Prenez les lignes de tram." --instruction-en "Take the tram lines." \
  --from 2026-05-01T00:00 --area-description "Vieille ville" --area-description-en "Old town" \
  --polygon "50.8440,4.3480 50.8500,4.3480 50.8500,4.3570 50.8440,4.3570 50.8440,4.3480" \
  --circle "35.054084,-85.311316 0.3" >/dev/null

# A signed NFC sticker: an NTAG 424 DNA on the PN532 emulator (no reader needed), written with `nfc write --secure`
# (its keys diversified from a master key made here, readable by its owner only) and bound to the market square,
# then read twice as two phones would: each read gives a new signed link.
swift build --product pn532-emulator
emulator=$(swift build --show-bin-path)/pn532-emulator
( umask 077; echo "1 $(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')" > "$dir/sun-keys" )
coproc EMULATOR { "$emulator" --chip ntag424dna; }
read -r pts <&"${EMULATOR[0]}"
"$bin" nfc write --secure --tag "$market" --master-key-file "$dir/sun-keys" --db "$db" --base-url "$base" \
  --device "pn532_uart:$pts" >/dev/null
taps=()
for _ in 1 2; do
  taps+=("$("$bin" nfc read --device "pn532_uart:$pts" --json | sed -n 's/.*"uri" *: *"\([^"]*\)".*/\1/p' | sed 's#\\/#/#g')")
done
echo quit >&"${EMULATOR[1]}"
wait "$EMULATOR_PID" 2>/dev/null || true

"$bin" serve --db "$db" --host 127.0.0.1 --port 8080 --base-url "$base" --timezone Europe/Brussels \
  --town-name "Demo Town" --sun-master-key-file "$dir/sun-keys" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# A citizen's report at the market square, sent through the form as a phone would (no JavaScript), and one
# filed by another app through Open311 with a `report` key.
form_token=$(curl -fsS "$base/t/$market/report" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' | head -1)
receipt=$(curl -fsS -F "token=$form_token" -F category=litter -F "description=La poubelle près du banc déborde." \
  -F lang=fr "$base/t/$market/report")
follow_up=$(printf '%s' "$receipt" | grep -o "$base/r/[a-z0-9]*" | head -1 || true)
report_key=$("$bin" token create --scope report --name demo-app --db "$db")
curl -fsS -o /dev/null -d "api_key=$report_key&service_code=lighting&attribute%5Btag_id%5D=$library&description=Lamp+out+by+the+door" \
  "$base/open311/v2/requests.json"

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
echo "Civic places, events and alerts (the snow alert shows on the market square and on stop 1565's page):"
echo "  $base/t/$market   $base/t/$library   $base/events   $base/e/weekly-market"
echo "  $base/events.ics   $base/places/$market/events.ics   $base/alerts.atom   $base/alerts/snow-old-town.cap"
echo "  $base/gtfs-rt/alerts.pb?feed=carta   $bin alerts list --server $base --token $token"
echo
echo "Citizens' reports (form at each place and stop; follow-up link from the receipt; Open311):"
echo "  $base/t/$market/report   ${follow_up:-(no follow-up link)}"
echo "  $base/open311/v2/services.json   $base/open311/v2/requests.xml   (report key: $report_key)"
echo "  $bin reports list --server $base --token $token"
echo
echo "Signed NFC taps (an NTAG 424 DNA on the PN532 emulator, bound to the market square): the first link is a verified"
echo "tap, opening it again is a replay; the console's page of the market square shows both under \"Chip verification\":"
echo "  ${taps[0]}"
echo "  ${taps[1]}"
echo
echo "Web console (staff): open this one-time link, choose a password, then log in as 'admin':"
echo "  $console_link"
echo "  then $base/admin   (more accounts: $bin users add NAME --role viewer|editor|admin --db $db)"
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
