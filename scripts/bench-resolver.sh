#!/usr/bin/env bash
# Resolver benchmark: wrk against /t/{id} (302) on loopback, 10 s, 64 connections, over 1,000 tags,
# with scan counting on — and in the same run nginx answering the same 1,000-entry map with `return 302`.
# Target: ≥ 0.5 × nginx req/s, p99 < 5 ms, 0 errors. Writes the figures to BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk nginx; do command -v "$tool" >/dev/null || { echo "bench-resolver: $tool missing (make deps-bench)" >&2; exit 1; }; done

# A separate scratch path, so a release build never holds the debug build lock.
swift build -c release --scratch-path .build-bench --product tagtool
bin=$(swift build -c release --scratch-path .build-bench --show-bin-path)/tagtool
work=$(mktemp -d /tmp/civictags-bench.XXXXXX)
server_pid="" nginx_started=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$nginx_started" ] && nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

source scripts/bench-lib.sh

# 1,000 tags → registry (CSV import) and nginx map; wrk cycles through the same paths.
"$bin" id new --count 1000 > "$work/ids"
{
  echo "id,name,url"
  n=0; while read -r id; do n=$((n+1)); echo "$id,Bench stop $n,https://transit.example.org/stop/$n"; done < "$work/ids"
} > "$work/tags.csv"
db="sqlite:$work/registry.sqlite"
"$bin" tags import --db "$db" "$work/tags.csv" >/dev/null

mkdir -p "$work/nginx/logs"
nginx_port=$(free_port)
{
  echo "worker_processes auto; error_log $work/nginx/logs/error.log; pid $work/nginx/nginx.pid; daemon on;"
  echo "worker_rlimit_nofile 20000; events { worker_connections 16384; }"
  echo "http { access_log off; map_hash_bucket_size 128; map \$uri \$target { default \"\";"
  n=0; while read -r id; do n=$((n+1)); echo "  /t/$id https://transit.example.org/stop/$n;"; done < "$work/ids"
  echo "} server { listen 127.0.0.1:$nginx_port; location / { if (\$target = \"\") { return 404; } return 302 \$target; } } }"
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
nginx_started=1

resolve_paths_lua "$work/ids" "$work/paths.lua"

resolver_port=$(free_port)
"$bin" serve --db "$db" --host 127.0.0.1 --port "$resolver_port" --log-level warning --scan-flush-seconds 1 > "$work/serve.log" 2>&1 &
server_pid=$!
wait_healthy "$resolver_port" || { echo "server on port $resolver_port did not come up" >&2; exit 1; }
first=$(head -1 "$work/ids")
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$resolver_port/t/$first")" = 302 ] || { echo "resolver not answering 302" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nginx_port/t/$first")" = 302 ] || { echo "nginx not answering 302" >&2; exit 1; }


# CPU per request (user + system, from /proc) is steadier than requests/s on a shared machine.
nginx_workers=$(pgrep -P "$(cat "$work/nginx/nginx.pid")" | tr '\n' ' ')
echo "== nginx (return 302 map, 1,000 entries)"
before=$(cpu_seconds $nginx_workers)
read -r nginx_rps nginx_p99 nginx_err < <(run_wrk "http://127.0.0.1:$nginx_port" -s "$work/paths.lua")
nginx_cpu=$("$CIVICTAGS_PYTHON" -c "print(f'{($(cpu_seconds $nginx_workers) - $before) / ($nginx_rps * 10) * 1e6:.1f}')")
echo "== tagtool serve (SQLite registry, in-memory cache, scan counting on)"
before=$(cpu_seconds "$server_pid")
read -r res_rps res_p99 res_err < <(run_wrk "http://127.0.0.1:$resolver_port" -s "$work/paths.lua")
res_cpu=$("$CIVICTAGS_PYTHON" -c "print(f'{($(cpu_seconds "$server_pid") - $before) / ($res_rps * 10) * 1e6:.1f}')")
echo "== context: the same server answering an unrouted path (Hummingbird's own 404, none of our code)"
read -r floor_rps floor_p99 _ < <(run_wrk "http://127.0.0.1:$resolver_port/unrouted")
echo "== both again with 10,000 idle keep-alive connections open to each (the edge's timers and limits at work)"
hold_idle "$nginx_port" 10000 "/t/$first" || { echo "could not hold 10,000 connections to nginx" >&2; exit 1; }
read -r nginx_idle_rps nginx_idle_p99 nginx_idle_err < <(run_wrk "http://127.0.0.1:$nginx_port" -s "$work/paths.lua")
kill "$IDLE_PID"; wait "$IDLE_PID" 2>/dev/null || true
hold_idle "$resolver_port" 10000 "/t/$first" || { echo "could not hold 10,000 connections to tagtool serve" >&2; exit 1; }
read -r idle_rps idle_p99 idle_err < <(run_wrk "http://127.0.0.1:$resolver_port" -s "$work/paths.lua")
idle_rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$server_pid/status")
kill "$IDLE_PID"; wait "$IDLE_PID" 2>/dev/null || true

kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
scans=$("$bin" tags stats --db "$db" --json | "$CIVICTAGS_PYTHON" -c 'import json,sys; print(sum(c["count"] for c in json.load(sys.stdin)))')

echo "== context: the same registry with --fast-lane false (every request through Hummingbird's router)"
routed_port=$(free_port)
"$bin" serve --db "$db" --host 127.0.0.1 --port "$routed_port" --log-level warning --scan-flush-seconds 1 --fast-lane false > "$work/serve-routed.log" 2>&1 &
server_pid=$!
wait_healthy "$routed_port" || { echo "server on port $routed_port did not come up" >&2; exit 1; }
read -r routed_rps routed_p99 routed_err < <(run_wrk "http://127.0.0.1:$routed_port" -s "$work/paths.lua")
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""

# wrk runs on the same cores: the default (one event loop per core less one) leaves the load generator a core;
# one loop per core, for comparison, competes with it for every core.
cores=$(nproc)
default_loops=$(( cores > 1 ? cores - 1 : 1 ))
echo "== tagtool serve --event-loops $cores (one per core, fast lane)"
per_core_port=$(free_port)
"$bin" serve --db "$db" --host 127.0.0.1 --port "$per_core_port" --log-level warning --scan-flush-seconds 1 --event-loops "$cores" > "$work/serve-per-core.log" 2>&1 &
server_pid=$!
wait_healthy "$per_core_port" || { echo "server on port $per_core_port did not come up" >&2; exit 1; }
read -r per_core_rps per_core_p99 per_core_err < <(run_wrk "http://127.0.0.1:$per_core_port" -s "$work/paths.lua")
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""

ratio=$("$CIVICTAGS_PYTHON" -c "print(f'{$res_rps / $nginx_rps:.2f}')")
per_core_ratio=$("$CIVICTAGS_PYTHON" -c "print(f'{$per_core_rps / $nginx_rps:.2f}')")
meets() { "$CIVICTAGS_PYTHON" -c "print('PASS' if $1 >= 0.5 * $nginx_rps and $2 < 5 and $3 == 0 and $nginx_err == 0 else 'FAIL')"; }
verdict=$(meets "$res_rps" "$res_p99" "$res_err")
verdict_per_core=$(meets "$per_core_rps" "$per_core_p99" "$per_core_err")
idle_ratio=$("$CIVICTAGS_PYTHON" -c "print(f'{$idle_rps / $nginx_idle_rps:.2f}')")
verdict_idle=$("$CIVICTAGS_PYTHON" -c "print('PASS' if $idle_rps >= 0.5 * $nginx_idle_rps and $idle_p99 < 5 and $idle_err == 0 and $nginx_idle_err == 0 else 'FAIL')")
section=$(cat <<MD
## Resolver

\`make bench\` → \`scripts/bench-resolver.sh\`: wrk 4.1 (\`-t2 -c64 -d10s\`, cycling through 1,000 tag paths) on
127.0.0.1, same run, same machine ($cores cores, shared). Resolver: release build of \`tagtool serve\`, SQLite
registry, in-memory cache, scan counting on (flushed every second; $scans scans recorded by the fast-lane run).
nginx: \`return 302\` from a 1,000-entry \`map\`.

| Server | Requests/s | p99 latency | Errors |
|---|---|---|---|
| nginx $(nginx -v 2>&1 | sed 's|.*nginx/||') | $nginx_rps | $nginx_p99 ms | $nginx_err |
| tagtool serve (fast lane; the default, one event loop per core less one: $default_loops) | $res_rps | $res_p99 ms | $res_err |
| nginx, 10,000 idle keep-alive connections open beside wrk | $nginx_idle_rps | $nginx_idle_p99 ms | $nginx_idle_err |
| tagtool serve, 10,000 idle keep-alive connections open beside wrk (resident: $idle_rss MiB) | $idle_rps | $idle_p99 ms | $idle_err |
| (context) tagtool serve \`--event-loops $cores\` (one per core, fast lane) | $per_core_rps | $per_core_p99 ms | $per_core_err |
| (context) same server, unrouted path → Hummingbird 404 | $floor_rps | $floor_p99 ms | — |
| (context) \`tagtool serve --fast-lane false\` (Hummingbird router) | $routed_rps | $routed_p99 ms | $routed_err |

Target ≥ 0.5 × nginx, p99 < 5 ms, 0 errors, for the default: **$ratio ×**, $res_p99 ms → **$verdict**.
With 10,000 idle connections open to each: **$idle_ratio ×**, $idle_p99 ms → **$verdict_idle**.
One loop per core: $per_core_ratio ×, $per_core_p99 ms ($verdict_per_core). wrk shares the $cores cores with the server;
one loop per core competes with it for every core and its p99 follows the scheduler (nginx's own p99 was
$nginx_p99 ms in this run). CPU (user + system) per request: nginx $nginx_cpu µs, tagtool serve $res_cpu µs.
Measured $(date -u +%Y-%m-%dT%H:%MZ).
MD
)
write_section "Resolver" "$section"
echo "$section"
[ "$verdict" = PASS ] && [ "$verdict_idle" = PASS ]
