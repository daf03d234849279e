#!/usr/bin/env bash
# Citizen-report benchmark (wrk -t2 -c64 -d10s, 127.0.0.1, one resolver on a SQLite registry):
#  1. the report form GET /t/{id}/report of a place with 5 open reports (listed from the store on every request,
#     with a fresh signed form token), against nginx serving a static copy of the same bytes in the same run;
#  2. report submission without a photo: POST /t/{id}/report, urlencoded, with a form token fetched once
#     beforehand (scripts/reports_submit.lua counts the 201s), against a server started with
#     --reports-per-client 1000000; afterwards the reports stored for that place are counted through the admin
#     API and must equal the 201s.
# For reading the figures, in the same run: the form of a place with no open reports and /healthz (the floor of a
# request through the router); how many fsyncs the server makes per stored report (strace attached while 20
# reports are posted one by one; skipped without strace); and SQLite alone on the same disk committing the same
# two inserts per transaction at synchronous = FULL and NORMAL (the project Python's sqlite3).
# The photo pipeline has its own benchmark (bench-photo.sh). Writes the "Citizen reports" section of
# BENCHMARKS.md. BENCH_CONFIG=debug skips the release build. Targets: form p99 < 10 ms at 64 connections with 0
# errors; submission ≥ 500 stored reports/s with p99 < 50 ms, 0 errors, stored = 201s. The script exits
# non-zero when one is missed.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk nginx curl; do command -v "$tool" >/dev/null || { echo "bench-reports: $tool missing (make deps-bench)" >&2; exit 1; }; done

config=${BENCH_CONFIG:-release}
# Release builds use their own scratch path (as bench-resolver.sh does), so they never hold the debug build lock.
scratch=.build; [ "$config" = release ] && scratch=.build-bench
swift build -c "$config" --scratch-path "$scratch" --product tagtool
bin=$(swift build -c "$config" --scratch-path "$scratch" --show-bin-path)/tagtool
work=$(mktemp -d /tmp/civictags-bench-reports.XXXXXX)
server_pid="" nginx_started=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$nginx_started" ] && nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
source scripts/bench-lib.sh
json_id() { "$CIVICTAGS_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }

# Registry: two places, one whose form is rendered under wrk (with 5 open reports), one that takes the
# submissions (so the form's list stays 5 long); a read token for counting what was stored.
db="sqlite:$work/registry.sqlite"
place() { # NAME ADDRESS LAT LON → tag ID
  "$bin" tags add --db "$db" --name "$1" --address "$2" --lat "$3" --lon "$4" --json \
    --target-json '{"kind":"place","place":{"text":{"en":"'"$1"'."},"hours":{"weekly":{"mo":["09:00-18:00"]}}}}' | json_id
}
square=$(place "Market square" "Grand-Place 1" 50.8467 4.3525)
park=$(place "Park playground" "Rue du Parc 3" 50.8440 4.3640)
quiet=$(place "Town hall" "Grand-Place 8" 50.8466 4.3528)
api_token=$("$bin" token create --scope read --name bench-reports --db "$db")

port=$(free_port)
"$bin" serve --db "$db" --host 127.0.0.1 --port "$port" --log-level warning --timezone Europe/Brussels \
  --town-name "Bench town" --reports-per-client 1000000 > "$work/serve.log" 2>&1 &
server_pid=$!
wait_healthy "$port" || { cat "$work/serve.log" >&2; echo "server on port $port did not come up" >&2; exit 1; }
base="http://127.0.0.1:$port"

form_token() { curl -fsS "$base/t/$1/report" | sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' | head -1; }
# submit TAG TOKEN CATEGORY DESCRIPTION → the HTTP status of one urlencoded report.
submit() {
  curl -sS -o /dev/null -w '%{http_code}' -H 'Accept-Language: en' --data-urlencode "token=$2" -d lang=en \
    -d "category=$3" --data-urlencode "description=$4" "$base/t/$1/report"
}
# stored TAG → how many reports the registry holds for the tag (admin API, pages of 1,000).
stored() {
  "$CIVICTAGS_PYTHON" - "$base" "$api_token" "$1" <<'PY'
import json, sys, urllib.request
base, token, tag = sys.argv[1:]
total = 0
while True:
    request = urllib.request.Request(f"{base}/api/v1/reports?tag={tag}&limit=1000&offset={total}",
                                     headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(request))["reports"]
    total += len(page)
    if len(page) < 1000:
        break
print(total)
PY
}

# ---- 1. The report form --------------------------------------------------------------------------------------
token=$(form_token "$square")
[ -n "$token" ] || { echo "bench-reports: no form token on /t/$square/report" >&2; exit 1; }
for report in "litter:Overflowing bin by the fountain" "graffiti:Tag on the town hall's side door" \
  "damaged:Bench slat broken near the café" "lighting:Lamp post out on the north corner" "other:Loose paving stone"; do
  status=$(submit "$square" "$token" "${report%%:*}" "${report#*:}")
  [ "$status" = 201 ] || { echo "bench-reports: an open report was answered $status, not 201" >&2; exit 1; }
done
curl -fsS -H 'Accept-Language: en' "$base/t/$square/report" -o "$work/form.html"
open_listed=$(grep -o 'class="open-report"' "$work/form.html" | wc -l)
[ "$open_listed" -eq 5 ] || { echo "bench-reports: the form lists $open_listed open reports, not 5" >&2; exit 1; }
grep -q 'name="website"' "$work/form.html" || { echo "bench-reports: the form has no honeypot field" >&2; exit 1; }
form_bytes=$(wc -c < "$work/form.html")

mkdir -p "$work/nginx/logs" "$work/nginx/html/t/$square"
cp "$work/form.html" "$work/nginx/html/t/$square/report"
start_static_nginx
cmp -s <(curl -fsS "http://127.0.0.1:$nginx_port/t/$square/report") "$work/form.html" || { echo "nginx does not serve the form" >&2; exit 1; }

# per_request CPU_BEFORE REQUESTS → µs of the server's CPU per request since CPU_BEFORE.
per_request() { "$CIVICTAGS_PYTHON" -c "print(f'{($(cpu_seconds "$server_pid") - $1) / $2 * 1e6:.0f}')"; }
load=$(cut -d' ' -f1 /proc/loadavg)   # the machine is shared: its load before the runs goes into the report
echo "== nginx, static copy of the report form ($form_bytes bytes)"
read -r nginx_rps nginx_p99 nginx_err < <(run_wrk "http://127.0.0.1:$nginx_port/t/$square/report" -H "Accept-Language: en")
echo "== tagtool serve, report form with 5 open reports"
before=$(cpu_seconds "$server_pid")
read -r form_rps form_p99 form_err < <(run_wrk "$base/t/$square/report" -H "Accept-Language: en")
form_cpu=$(per_request "$before" "$((form_rps * 10))")
form_ratio=$("$CIVICTAGS_PYTHON" -c "print(f'{$form_rps / $nginx_rps:.2f}')")
echo "== tagtool serve, report form with no open reports (context)"
before=$(cpu_seconds "$server_pid")
read -r quiet_rps quiet_p99 quiet_err < <(run_wrk "$base/t/$quiet/report" -H "Accept-Language: en")
quiet_cpu=$(per_request "$before" "$((quiet_rps * 10))")
echo "== tagtool serve, /healthz through the router (context)"
before=$(cpu_seconds "$server_pid")
read -r health_rps health_p99 health_err < <(run_wrk "$base/healthz")
health_cpu=$(per_request "$before" "$((health_rps * 10))")
form_verdict=$("$CIVICTAGS_PYTHON" -c "print('PASS' if $form_p99 < 10 and $form_err == 0 and $nginx_err == 0 else 'FAIL')")

# ---- 2. Submissions ------------------------------------------------------------------------------------------
token=$(form_token "$park")
status=$(submit "$park" "$token" litter "First report, before the run")
[ "$status" = 201 ] || { echo "bench-reports: a report was answered $status, not 201" >&2; exit 1; }
stored_before=$(stored "$park")
active=9.5   # of wrk's 10 s; then every connection waits, so no report is in flight when wrk stops
echo "== tagtool serve, POST /t/{id}/report (urlencoded, no photo)"
before=$(cpu_seconds "$server_pid")
export REPORTS_TOKEN=$token REPORTS_ACTIVE_S=$active REPORTS_OUT=$work/submit.out
read -r wrk_rps submit_p99 submit_err < <(run_wrk "$base/t/$park/report" -s scripts/reports_submit.lua)
read -r created others seconds < "$work/submit.out"
[ "$created" -gt 0 ] || { echo "bench-reports: no report was created (see the wrk output above)" >&2; exit 1; }
submit_cpu=$(per_request "$before" "$created")
submit_rps=$("$CIVICTAGS_PYTHON" -c "print(f'{$created / $seconds:.0f}')")
stored_now=$(stored "$park")
stored_run=$((stored_now - stored_before))
submit_verdict=$("$CIVICTAGS_PYTHON" -c "
print('PASS' if $submit_rps >= 500 and $submit_p99 < 50 and $submit_err == 0 and $others == 0 and $stored_run == $created else 'FAIL')")
# Mean latency with 64 connections always busy (Little's law): 64 / throughput.
form_mean=$("$CIVICTAGS_PYTHON" -c "print(f'{64 / $form_rps * 1000:.1f}')")
submit_mean=$("$CIVICTAGS_PYTHON" -c "print(f'{64 / $submit_rps * 1000:.1f}')")

# ---- Context: fsyncs per stored report, and what SQLite alone commits on this disk -------------------------------
syncs="not measured (no strace)"
if command -v strace >/dev/null; then
  strace -f -qq -p "$server_pid" -e trace=fdatasync,fsync -o "$work/sync.trace" 2>/dev/null &
  strace_pid=$!
  sleep 1   # attached to every thread
  for n in $(seq 1 20); do
    status=$(submit "$park" "$token" litter "Report $n, one at a time")
    [ "$status" = 201 ] || { kill "$strace_pid"; echo "bench-reports: a report was answered $status, not 201" >&2; exit 1; }
  done
  kill "$strace_pid"; wait "$strace_pid" 2>/dev/null || true
  syncs="$(grep -cE '(fdatasync|fsync)\(' "$work/sync.trace" || true) for 20 reports"
fi
read -r full_tps normal_tps < <("$CIVICTAGS_PYTHON" - "$work" <<'PY'
import json, sqlite3, sys, time
body = json.dumps({"id": "r-abcdefghij", "tagID": "A0M3BZG3", "category": "litter", "status": "new", "lat": 50.844,
                   "lon": 4.364, "description": "Overflowing bin beside the bench, bags on the ground (load test)",
                   "address": "Rue du Parc 3", "channel": "web", "meToo": 0, "followUpHash": "0" * 64,
                   "createdAt": "2026-11-30T16:00:00Z", "updatedAt": "2026-11-30T16:00:00Z"})
rates = []
for sync in ("FULL", "NORMAL"):
    db = sqlite3.connect(f"{sys.argv[1]}/alone-{sync}.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute(f"PRAGMA synchronous = {sync}")
    db.execute("CREATE TABLE reports (id TEXT PRIMARY KEY, body TEXT NOT NULL, tag_id TEXT, category TEXT NOT NULL, status TEXT NOT NULL,"
               " lat REAL, lon REAL, follow_up_hash TEXT NOT NULL, created_at INTEGER, updated_at INTEGER, closed_at INTEGER)")
    db.execute("CREATE INDEX reports_by_tag ON reports (tag_id, status)")
    db.execute("CREATE INDEX reports_by_status ON reports (status, created_at)")
    db.execute("CREATE UNIQUE INDEX reports_by_follow_up ON reports (follow_up_hash)")
    db.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, at INTEGER, actor TEXT, action TEXT, tag_id TEXT, before TEXT, after TEXT)")
    n, start = 2000, time.perf_counter()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO reports VALUES (?, ?, 'A0M3BZG3', 'litter', 'new', 50.844, 4.364, ?, ?, ?, NULL)",
                   (f"r-{i}", body, f"{i:064d}", i, i))
        db.execute("INSERT INTO audit_log (at, actor, action, tag_id, after) VALUES (?, 'citizen', 'report-create', 'A0M3BZG3', ?)",
                   (i, body))
        db.execute("COMMIT")
    rates.append(f"{n / (time.perf_counter() - start):.0f}")
print(*rates)
PY
)

nginx_version=$(nginx -v 2>&1 | sed 's|.*nginx/||')
section=$(cat <<MD
## Citizen reports

\`make bench\` → \`scripts/bench-reports.sh\` ($config build, $(nproc) shared cores, load average $load before the wrk runs,
$(date -u +%Y-%m-%dT%H:%MZ)).

One \`tagtool serve\` on a SQLite registry (a file on ext4 on a virtual disk), default event loops,
\`--reports-per-client 1000000\`; wrk \`-t2 -c64 -d10s\` on 127.0.0.1. Photos: see "Report photos". With 64 connections
always busy, the mean latency is 64 / throughput (Little's law).

The report form \`GET /t/{id}/report\` (\`Accept-Language: en\`) of a place with 5 open reports and a signed form token,
rendered once a minute per place and language (a report filed there renders it afresh); $form_bytes bytes. nginx $nginx_version serves a static copy of the
same bytes in the same run. For reading the figures, the same server in the same run on the form of a place with no
open reports, and on \`/healthz\` (the floor of a request through the router rather than the fast lane):

| Server | Requests/s | p99 | Errors | CPU per request |
|---|---|---|---|---|
| nginx (static copy) | $nginx_rps | $nginx_p99 ms | $nginx_err | — |
| tagtool serve, the form (5 open reports) | $form_rps | $form_p99 ms | $form_err | $form_cpu µs |
| tagtool serve, a form with no open reports | $quiet_rps | $quiet_p99 ms | $quiet_err | $quiet_cpu µs |
| tagtool serve, \`/healthz\` | $health_rps | $health_p99 ms | $health_err | $health_cpu µs |

Ratio to nginx: **$form_ratio**; mean latency $form_mean ms. Target p99 < 10 ms at 64 connections, 0 errors: **$form_verdict**.

Submission without a photo: \`POST /t/{id}/report\`, urlencoded (token, category \`litter\`, a 64-character description),
one form token fetched beforehand (\`scripts/reports_submit.lua\`). Each connection sends for the first $active s of
the 10 and then waits, so no report is in flight when wrk stops; reports/s is the 201s over the time from the start to
the last 201 ($seconds s). The reports stored for the place are then counted through \`GET /api/v1/reports\`.

| 201s counted by wrk | Stored | Reports/s | p99 | Other statuses | Errors | CPU per request | wrk's own req/s (over 10 s) |
|---|---|---|---|---|---|---|---|
| $created | $stored_run | **$submit_rps** | $submit_p99 ms | $others | $submit_err | $submit_cpu µs | $wrk_rps |

Mean latency $submit_mean ms. Target ≥ 500 stored reports/s, p99 < 50 ms, 0 errors, stored = 201s: **$submit_verdict**.

Durability: fsyncs made by the server while reports were posted one at a time: $syncs. SQLite alone on the
same disk (WAL; per transaction the report row and its audit row, as the server writes them) commits $full_tps
transactions/s at \`synchronous = FULL\` and $normal_tps at \`NORMAL\`.
MD
)
write_section "Citizen reports" "$section"
echo "$section"
[ "$form_verdict" = PASS ] && [ "$submit_verdict" = PASS ]
