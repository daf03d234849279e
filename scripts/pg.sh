#!/usr/bin/env bash
# A throwaway PostgreSQL (Debian `postgresql` package) on 127.0.0.1 and a free port, in a temp dir.
#   eval "$(scripts/pg.sh start)"   # exports CIVICTAGS_TEST_POSTGRES_URL and CIVICTAGS_PG_DIR
#   scripts/pg.sh stop [DIR]        # stops it and removes the dir (default: $CIVICTAGS_PG_DIR)
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL not found (apt-get install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    source "$(dirname "$0")/python.sh"
    dir=$(mktemp -d /tmp/civictags-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=$("$CIVICTAGS_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=200" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CIVICTAGS_PG_DIR=$dir"
    echo "export CIVICTAGS_TEST_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:$port/postgres"
    echo "pg.sh: PostgreSQL listening on 127.0.0.1:$port (data in $dir)" >&2
    ;;
  stop)
    dir=${2:-${CIVICTAGS_PG_DIR:-}}
    [ -n "$dir" ] && [ -d "$dir" ] || { echo "pg.sh stop: no server dir given" >&2; exit 1; }
    case "$dir" in /tmp/civictags-pg.*) ;; *) echo "pg.sh stop: refusing to remove $dir" >&2; exit 1 ;; esac
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg.sh start | stop [DIR]" >&2
    exit 2
    ;;
esac
