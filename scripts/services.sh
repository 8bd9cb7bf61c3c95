#!/usr/bin/env bash
# Makes sure PostgreSQL + PostGIS and Redis answer at the configured URLs:
# - already running: nothing to do (the database is created if missing);
# - PostGIS missing on a local Debian/Ubuntu PostgreSQL and we are root: installs it;
# - not running and Docker works: starts the db and redis services of docker-compose.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
node scripts/ensure-services.js || status=$?
[ "$status" -eq 0 ] && exit 0

if [ "$status" -eq 3 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  echo "Installing PostGIS for PostgreSQL $version (postgresql-$version-postgis-3)..."
  apt-get update -qq && apt-get install -y -qq "postgresql-$version-postgis-3" >/dev/null
  exec node scripts/ensure-services.js
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  echo "Starting PostgreSQL + PostGIS and Redis with Docker (docker compose up -d db redis)..."
  docker compose up -d --wait db redis
  exec node scripts/ensure-services.js
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
