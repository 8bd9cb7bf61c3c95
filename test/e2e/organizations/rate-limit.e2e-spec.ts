import { authConfig, redisConfig } from '@app/config';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { signupOrganizer, uniqueEmail } from '../../support/factories';

describe('login rate limits (per account and per IP, counted in Redis)', () => {
  const PER_ACCOUNT = 3;
  const PER_IP = 8;
  const PREFIX = `${process.env.REDIS_KEY_PREFIX}:rate-limit-spec`;
  let t: TestApp;

  beforeAll(async () => {
    // Its own key prefix: a blocked counter would otherwise block the other specs' logins too.
    t = await createTestApp((b) =>
      b
        .overrideProvider(authConfig.KEY)
        .useValue({ ...authConfig(), loginLimitPerAccount: PER_ACCOUNT, loginLimitPerIp: PER_IP })
        .overrideProvider(redisConfig.KEY)
        .useValue({ ...redisConfig(), keyPrefix: PREFIX }),
    );
  });
  afterAll(() => t.close());

  it('answers 429 after too many failed logins for one account, even with the right password', async () => {
    const organizer = await signupOrganizer(t);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      await t
        .http()
        .post('/auth/login')
        .set('X-Forwarded-For', `10.0.0.${i}`)
        .send({ email: organizer.email, password: 'wrong password attempt' })
        .expect(401);
    }
    const blocked = await t.http().post('/auth/login').send({ email: organizer.email, password: organizer.password }).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(blocked.headers['retry-after-account'] ?? blocked.headers['retry-after']).toBeDefined();
    // The limit is per account: the same address can still log in to another account.
    const other = await signupOrganizer(t);
    await t.http().post('/auth/login').send({ email: other.email, password: other.password }).expect(200);
  });

  it('answers 429 after too many attempts from one address across accounts', async () => {
    const attempts = [];
    for (let i = 0; i < PER_IP + 2; i++) {
      attempts.push(
        (
          await t
            .http()
            .post('/auth/login')
            .send({ email: uniqueEmail('spray'), password: 'guessing a password' })
        ).status,
      );
    }
    expect(attempts).toContain(429);
    expect(attempts.filter((s) => s === 401).length).toBeLessThanOrEqual(PER_IP);
  });

  it('keeps the counts in Redis under the instance prefix, so every API process shares them', async () => {
    const Redis = (await import('ioredis')).default;
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const keys = await redis.keys(`${PREFIX}:*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      await redis.quit();
    }
  });
});
