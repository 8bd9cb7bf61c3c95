#!/usr/bin/env bash
# Migration drift check: builds a scratch database from the migrations alone, then fails if the
# schema differs from what the entities describe (the same comparison as typeorm's
# `migration:generate --check`).
set -euo pipefail
cd "$(dirname "$0")/.."

base="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/porchlight}"
scratch="porchlight_drift_check_$$"
url=$(node -e "const u=new URL(process.argv[1]); u.pathname='/$scratch'; console.log(u.toString())" "$base")
admin=$(node -e "const u=new URL(process.argv[1]); u.pathname='/postgres'; console.log(u.toString())" "$base")
psql_admin() { node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end(),e=>{console.error(e.message);process.exit(1)})" "$admin" "$1"; }

psql_admin "CREATE DATABASE \"$scratch\""
trap 'psql_admin "DROP DATABASE IF EXISTS \"$scratch\" WITH (FORCE)"' EXIT
DATABASE_URL="$url" node dist/apps/cli/apps/cli/src/main.js migrate
DATABASE_URL="$url" node dist/apps/cli/apps/cli/src/main.js check
