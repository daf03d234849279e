# Shared by the bench-*.sh scripts that measure HTTP servers with wrk (source it; needs wrk, curl and the
# project Python, scripts/python.sh).
source scripts/python.sh

# bench_workspace NAME: a new scratch folder $work (/tmp/civictags-bench-NAME.XXXXXX), removed at exit once the
# servers the script started are stopped: the PIDs in $server_pids, nginx when $nginx_started is set, the
# PostgreSQL of scripts/pg.sh in $pg_dir.
bench_workspace() {
  work=$(mktemp -d "/tmp/civictags-bench-$1.XXXXXX")
  server_pids="" nginx_started="" pg_dir=""
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local pid
  for pid in $server_pids; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [ -n "$nginx_started" ] && nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  [ -n "$pg_dir" ] && scripts/pg.sh stop "$pg_dir" || true
  rm -rf "$work"
}

# A free TCP port on 127.0.0.1.
free_port() { "$CIVICTAGS_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# A wrk script that GETs /t/ID for each ID of file $1 in turn, written to $2.
resolve_paths_lua() {
  {
    echo 'local paths = {}'
    while read -r id; do echo "paths[#paths+1] = \"/t/$id\""; done < "$1"
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  } > "$2"
}

# Waits (up to 10 s) until http://127.0.0.1:PORT/healthz answers.
wait_healthy() { for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# run_wrk URL [wrk options…] → prints "req_per_s p99_ms errors" (wrk's own report goes to stderr).
# -t2 -c64 -d10s on loopback, as the issues ask; WRK_CONNECTIONS sets another number of connections (for a
# run that models fewer clients, reported beside the 64-connection one).
run_wrk() {
  local url=$1 out
  shift
  out=$(wrk -t2 -c"${WRK_CONNECTIONS:-64}" -d10s --latency "$@" "$url")
  echo "$out" >&2
  "$CIVICTAGS_PYTHON" scripts/wrk_summary.py "$out"
}

# cpu_seconds PID… → CPU time (user + system) the processes have used so far, in seconds.
cpu_seconds() {
  local ticks=0 pid
  for pid in "$@"; do ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  "$CIVICTAGS_PYTHON" -c "print($ticks / $(getconf CLK_TCK))"
}

# write_section TITLE TEXT: replaces the "## TITLE" section of BENCHMARKS.md with TEXT (appends it if absent).
write_section() {
  "$CIVICTAGS_PYTHON" - "$1" "$2" <<'PY'
import re, sys, pathlib
title, section = sys.argv[1], sys.argv[2].rstrip() + "\n"
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
pattern = re.compile(r"## " + re.escape(title) + r"\n.*?(?=\n## |\Z)", re.S)
text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip() + "\n\n" + section
path.write_text(text)
PY
}

# hold_idle PORT N PATH: opens N idle keep-alive connections to 127.0.0.1:PORT in the background (each after
# one GET PATH) and returns once they are all open; IDLE_PID is the holder, to kill after the run.
hold_idle() {
  local out
  out=$(mktemp /tmp/civictags-idle.XXXXXX)
  "$CIVICTAGS_PYTHON" scripts/idle_connections.py "$1" "$2" "$3" 120 > "$out" 2>&1 &
  IDLE_PID=$!
  for _ in $(seq 1 600); do
    grep -q '^ready' "$out" && { rm -f "$out"; return 0; }
    kill -0 "$IDLE_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$out" >&2; rm -f "$out"
  return 1
}

# The static peer: nginx serving $work/nginx/html (filled by the caller, with $work/nginx/logs made) on a free
# loopback port. Sets nginx_port, and nginx_started for the caller's cleanup, which stops it.
start_static_nginx() {
  chmod 755 "$work"; chmod -R a+rX "$work/nginx/html"   # nginx workers run unprivileged
  nginx_port=$(free_port)
  cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes auto; error_log $work/nginx/logs/error.log; pid $work/nginx/nginx.pid; daemon on;
events { worker_connections 4096; }
http { access_log off; default_type text/html;
  server { listen 127.0.0.1:$nginx_port; root $work/nginx/html; location / { add_header Cache-Control no-store; } } }
NGINX
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
  nginx_started=1
}
