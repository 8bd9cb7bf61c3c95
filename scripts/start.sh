#!/usr/bin/env bash
# Runs the product: installs dependencies if missing, makes sure PostgreSQL + PostGIS and Redis
# answer, builds, migrates, seeds the demo organization into an empty database, then runs the
# API (which serves the web app) and the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  echo "Installing dependencies..."
  npm install --no-audit --no-fund
fi
bash scripts/services.sh
echo "Building..."
npm run --silent build
node dist/apps/cli/apps/cli/src/main.js migrate
seed_output=$(node dist/apps/cli/apps/cli/src/main.js seed)
# What the seed did now; the logins once, at the end, beside the address.
printf '%s\n' "$seed_output" | sed '/^Demo logins/,$d' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
logins=$(printf '%s\n' "$seed_output" | sed -n '/^Demo logins/,$p')
# Which reminder channels are on: without SMTP or an SMS provider, reminders on that channel go nowhere.
channels=$(node dist/apps/cli/apps/cli/src/main.js channels)
# The processes log JSON lines; at "warn" only what needs attention shows (LOG_LEVEL=info for every request).
export LOG_LEVEL="${LOG_LEVEL:-warn}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop INT TERM EXIT

node dist/apps/api/apps/api/src/main.js &
pids+=($!)
node dist/apps/worker/apps/worker/src/main.js &
pids+=($!)

url="${PUBLIC_URL:-http://localhost:${PORT:-3000}}"
for _ in $(seq 1 60); do
  if node -e "fetch('http://127.0.0.1:${PORT:-3000}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  sleep 0.5
done
cat <<MSG

  Porchlight is running.
    Web app:       $url
    API:           $url
    API reference: $url/docs

${logins:-  (This database has organizations of its own: sign in with your accounts.)}

$channels

  Stop with Ctrl-C.

MSG
wait -n "${pids[@]}"
