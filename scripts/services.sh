#!/usr/bin/env bash
# Makes sure PostgreSQL + PostGIS and Redis answer at the configured URLs:
# - already running: nothing to do (the database is created if missing);
# - PostGIS missing on a local Debian/Ubuntu PostgreSQL and we are root (or have sudo): installs it;
# - installed here but stopped: starts them;
# - not running and Docker works: starts the db and redis services of docker-compose.yml;
# - neither installed nor Docker, on Debian/Ubuntu as root (or with sudo): installs and starts them.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
node scripts/ensure-services.js || status=$?
[ "$status" -eq 0 ] && exit 0

# Root, or a sudo that asks no password: what may install packages and start services.
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(false); fi
can_install() { [ "${as_root[0]:-}" != false ] && command -v apt-get >/dev/null; }
apt_install() {
  echo "Installing $* with apt-get..."
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
PG_ETC="${PG_ETC:-/etc/postgresql}"
pg_version() { ls "$PG_ETC" 2>/dev/null | sort -n | tail -1; }
start_local() {
  local started=1
  if [ -n "$(pg_version)" ] && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && [ "${as_root[0]:-}" != false ]; then
    echo "Starting the local PostgreSQL $(pg_version)..."
    "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start && started=0
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if command -v redis-server >/dev/null && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    echo "Starting the local Redis..."
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir "${REDIS_DIR:-/tmp}" --logfile "${REDIS_DIR:-/tmp}/porchlight-redis.log" && started=0
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
  fi
  return $started
}

if [ "$status" -eq 3 ] && can_install && [ -n "$(pg_version)" ]; then
  version=$(pg_version)
  apt_install "postgresql-$version-postgis-3"
  exec node scripts/ensure-services.js
fi

# Installed on this machine but not running: start them.
if [ "$status" -eq 2 ] && start_local; then
  status=0
  node scripts/ensure-services.js || status=$?
  [ "$status" -eq 0 ] && exit 0
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  echo "Starting PostgreSQL + PostGIS and Redis with Docker (docker compose up -d db redis)..."
  docker compose up -d --wait db redis
  exec node scripts/ensure-services.js
fi

# Neither running nor Docker: on Debian/Ubuntu, install what is missing and start it.
if [ "$status" -eq 2 ] && can_install; then
  packages=()
  if [ -z "$(pg_version)" ]; then
    packages+=(postgresql postgresql-common)
  fi
  command -v redis-server >/dev/null || packages+=(redis-server)
  if [ "${#packages[@]}" -gt 0 ]; then
    apt_install "${packages[@]}"
    version=$(pg_version)
    [ -n "$version" ] && apt_install "postgresql-$version-postgis-3"
    if [ -n "$version" ] && ! grep -q '^# porchlight: local trust' "$PG_ETC/$version/main/pg_hba.conf"; then
      # A developer machine: the default DATABASE_URL connects as postgres, without a password, over loopback only.
      "${as_root[@]}" sed -i '1i # porchlight: local trust\nhost all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' \
        "$PG_ETC/$version/main/pg_hba.conf"
      "${as_root[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
    fi
    start_local || true
    exec node scripts/ensure-services.js
  fi
fi

cat >&2 <<'HELP'

Porchlight needs PostgreSQL 15+ with PostGIS 3, and Redis 7. Either:
  - install Docker and run this command again (it starts both from docker-compose.yml), or
  - install them locally, e.g. on Debian/Ubuntu:
      sudo apt-get install postgresql postgresql-15-postgis-3 redis-server
    and set DATABASE_URL / REDIS_URL if they are not at the defaults
    (postgres://postgres@127.0.0.1:5432/porchlight, redis://127.0.0.1:6379).
HELP
exit 1
