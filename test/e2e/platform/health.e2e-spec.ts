import Redis from 'ioredis';
import { appConfig } from '@app/config';
import { REDIS_CLIENT } from '@app/queue';
import { createTestApp, TestApp } from '../../support/create-test-app';

describe('health and common headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness, and readiness with PostgreSQL and Redis up', async () => {
    await t.http().get('/health').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body.details).toEqual({ database: { status: 'up' }, redis: { status: 'up' } });
  });

  it('sends security headers and a request id, and no CORS headers unless configured', async () => {
    const res = await t.http().get('/health').set('Origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows only the configured origins when CORS is configured', async () => {
    const withCors = await createTestApp((b) =>
      b.overrideProvider(appConfig.KEY).useValue({ ...appConfig(), corsOrigins: ['https://app.example.org'] }),
    );
    try {
      const allowed = await withCors
        .http()
        .options('/me')
        .set('Origin', 'https://app.example.org')
        .set('Access-Control-Request-Method', 'GET');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org');
      const other = await withCors.http().get('/health').set('Origin', 'https://evil.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await withCors.close();
    }
  });

  it('is not ready (503) when Redis cannot be reached', async () => {
    const unreachable = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    const broken = await createTestApp((b) => b.overrideProvider(REDIS_CLIENT).useValue(unreachable));
    try {
      const res = await broken.http().get('/health/ready').expect(503);
      expect(res.body).toMatchObject({
        statusCode: 503,
        code: 'SERVICE_UNAVAILABLE',
        details: { checks: { status: 'error', error: { redis: { status: 'down' } } } },
      });
    } finally {
      await broken.close();
    }
  });
});
