#!/usr/bin/env bash
# Runs every test (unit, integration and end-to-end) against a real PostgreSQL + PostGIS and
# Redis. Each run creates its own database (porchlight_test_*), builds it with the migrations,
# and drops it at the end. Extra arguments go to jest (e.g. a path to run one file).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm install --no-audit --no-fund
fi
bash scripts/services.sh
# The process tests start the built api and worker.
npm run --silent build

mkdir -p tmp
status=0
npx jest --json --outputFile=tmp/jest-results.json "$@" || status=$?
node -e "
  const r = require('./tmp/jest-results.json');
  console.log('Tests: ' + r.numPassedTests + ' passed, ' + (r.numFailedTests + r.numRuntimeErrorTestSuites) + ' failed, ' + r.numPendingTests + ' skipped');
"
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Note: no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}, so the browser tests (test/browser) were skipped; install it with: apt-get install chromium"
fi
exit "$status"
