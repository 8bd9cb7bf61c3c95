#!/usr/bin/env node
// Checks that PostgreSQL (with PostGIS available) and Redis answer at the configured URLs, and
// creates the application database if it is missing. Prints what to do when something is wrong.
// Plain JavaScript so that it runs before anything is built.
'use strict';
const { Client } = require('pg');
const Redis = require('ioredis');

const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/porchlight';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const createDatabase = !process.argv.includes('--no-create');

function adminUrl(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function checkPostgres() {
  const admin = new Client({ connectionString: adminUrl(databaseUrl), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    return `PostgreSQL does not answer at ${new URL(databaseUrl).host} (${err.message}).`;
  }
  try {
    const postgis = await admin.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'`);
    if (postgis.rowCount === 0) return 'POSTGIS_MISSING';
    const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0 && createDatabase) {
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      console.log(`Created database ${name}.`);
    }
    return null;
  } finally {
    await admin.end();
  }
}

async function checkRedis() {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  // The failed connection is reported below, once, in words; not also as an unhandled error event.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return `Redis does not answer at ${redisUrl} (${err.message}).`;
  } finally {
    redis.disconnect();
  }
}

(async () => {
  const [pg, redis] = await Promise.all([checkPostgres(), checkRedis()]);
  if (!pg && !redis) return;
  if (pg === 'POSTGIS_MISSING') {
    console.error('PostgreSQL answers, but the PostGIS extension is not installed on it.');
    process.exit(3);
  }
  for (const problem of [pg, redis].filter(Boolean)) console.error(problem);
  process.exit(2);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
