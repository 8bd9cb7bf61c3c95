import { adminQuery, deleteRedisKeys } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const { TEST_DATABASE_NAME: database, TEST_DATABASE_ADMIN_URL: adminUrl, REDIS_KEY_PREFIX: prefix } = process.env;
  if (database && adminUrl && process.env.KEEP_TEST_DATABASE !== '1') {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
  if (prefix?.startsWith('porchlight-test-')) await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', prefix);
}
