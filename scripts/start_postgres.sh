#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for the test suite; prints the URL to use.
# Usage: eval "$(bash scripts/start_postgres.sh)"   (sets TUAN_TEST_DATABASE_URL)
set -euo pipefail
port="${TUAN_PG_PORT:-54329}"
data="${TUAN_PG_DATA:-/tmp/tuan-pg-$port}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if ! run "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  rm -rf "$data" && mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres "$data"
  run "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  run "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k /tmp -c fsync=off -c full_page_writes=off" start >/dev/null
fi
echo "export TUAN_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
