import 'reflect-metadata';
// Global set-up runs outside jest's module mapper: resolve the @app/* aliases like tsc does.
import 'tsconfig-paths/register';
import { migrate } from '@app/database';
import { createMigrationDataSource } from '../../apps/cli/src/data-source';
import { adminQuery, assertTestDatabase, withDatabase } from './test-database';

/**
 * One database per run, named `porchlight_test_<run>`, built by running the migrations (which
 * also fail on any drift between entities and schema). Redis keys get a prefix of their own.
 */
export default async function globalSetup(): Promise<void> {
  const run = `${Date.now().toString(36)}_${process.pid}`;
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `porchlight_test_${run}`;
  const url = withDatabase(adminUrl, database);
  assertTestDatabase(url);
  await adminQuery(adminUrl, `CREATE DATABASE "${database}"`);

  const ds = createMigrationDataSource(url);
  await ds.initialize();
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }

  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '5',
    TEST_DATABASE_NAME: database,
    TEST_DATABASE_ADMIN_URL: adminUrl,
    REDIS_KEY_PREFIX: `porchlight-test-${run}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOGIN_LIMIT_PER_IP: '100000',
    LOGIN_LIMIT_PER_ACCOUNT: '1000',
    PUBLIC_LIMIT_PER_MINUTE: '1000000',
  });
}
