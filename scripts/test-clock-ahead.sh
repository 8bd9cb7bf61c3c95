#!/usr/bin/env bash
# Runs the whole suite (or the jest arguments given) with the clocks moved ahead: the test
# processes, the API and worker they start, and a PostgreSQL cluster of this run's own all read a
# time OFFSET ahead of the machine's (libfaketime; default +365d). Proves that no test depends on
# today's date. Redis keeps the machine's time (libfaketime cannot run under its allocator): it
# only counts relative expiries, and the queue's delays are reckoned from the clients' clocks.
#   bash scripts/test-clock-ahead.sh              # a year ahead
#   OFFSET=+45d bash scripts/test-clock-ahead.sh test/e2e/events
set -euo pipefail
cd "$(dirname "$0")/.."

OFFSET="${OFFSET:-+365d}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

if ! find /usr/lib /usr/local/lib -name libfaketime.so.1 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing faketime..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
  else
    echo "This needs faketime (Debian/Ubuntu: sudo apt-get install faketime)." >&2
    exit 1
  fi
fi
[ -x "$PG_BIN/pg_ctl" ] || { echo "No PostgreSQL server binaries found (set PG_BIN)." >&2; exit 1; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
dir=$(mktemp -d /tmp/porchlight-clock-ahead-XXXXXX)
pg_port=$(free_port)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$dir"

pg_pid=""
cleanup() {
  [ -n "$pg_pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$dir/pg" -m fast -w stop >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

# The server runs in the foreground of a background job, under the library itself (LD_PRELOAD):
# libfaketime's own wrapper can hang around pg_ctl's forks.
# PostgreSQL rewrites its processes' environment (their titles), where libfaketime would read its
# setting once: FAKETIME_NO_CACHE makes it read the setting at every call.
lib=$(dirname "$(find /usr/lib /usr/local/lib -name libfaketime.so.1 2>/dev/null | head -1)")
echo "Clocks ${OFFSET}: a PostgreSQL cluster of this run's own on 127.0.0.1:${pg_port}"
as_postgres "$PG_BIN/initdb" -D "$dir/pg" -A trust -U postgres --no-sync -E UTF8 --locale C.UTF-8 >/dev/null
as_postgres env LD_PRELOAD="$lib/libfaketime.so.1" FAKETIME="$OFFSET" FAKETIME_NO_CACHE=1 \
  "$PG_BIN/postgres" -D "$dir/pg" -p "$pg_port" -k "$dir" -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off \
  >"$dir/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 100); do pg_isready -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.2; done

echo "PostgreSQL reads: $(psql -h 127.0.0.1 -p "$pg_port" -U postgres -tAc 'SELECT now()')"
echo "The tests read:   $(LD_PRELOAD="$lib/libfaketimeMT.so.1" FAKETIME="$OFFSET" date -u +%FT%T%z)"

export DATABASE_URL="postgres://postgres@127.0.0.1:${pg_port}/porchlight"
export TEST_DATABASE_ADMIN_URL="postgres://postgres@127.0.0.1:${pg_port}/postgres"
# Timers and timeouts keep the machine's steady clock; only the wall clock moves.
export FAKETIME_DONT_FAKE_MONOTONIC=1
LD_PRELOAD="$lib/libfaketimeMT.so.1" FAKETIME="$OFFSET" bash scripts/test.sh "$@"
