import Redis from 'ioredis';
import { adminQuery } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const { TEST_DATABASE_NAME: database, TEST_DATABASE_ADMIN_URL: adminUrl, REDIS_KEY_PREFIX: prefix } = process.env;
  if (database && adminUrl && process.env.KEEP_TEST_DATABASE !== '1') {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
  if (prefix?.startsWith('porchlight-test-')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}
