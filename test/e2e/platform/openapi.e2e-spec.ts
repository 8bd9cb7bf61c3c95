import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { authConfig, AuthConfig } from '@app/config';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, signupOrganizer } from '../../support/factories';

/** The few operations anyone may call without a token. Adding one here is a decision to review. */
const PUBLIC_OPERATIONS = new Set([
  'GET /health',
  'GET /health/ready',
  'POST /auth/signup',
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/password-reset',
  'POST /auth/password-reset/confirm',
  'POST /invites/preview',
  'POST /invites/accept',
  'GET /public/events/{token}',
  'POST /public/events/{token}/rsvps',
  'GET /public/rsvps/{id}/{token}',
  'POST /public/rsvps/{id}/{token}/cancel',
  'GET /public/rsvps/{id}/{token}/calendar.ics',
  'GET /public/calendar/{file}',
]);

interface Operation {
  summary?: string;
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('the OpenAPI document, walked operation by operation', () => {
  let t: TestApp;
  let operations: { method: string; path: string; op: Operation }[];

  beforeAll(async () => {
    t = await createTestApp();
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, Operation>> };
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  });
  afterAll(() => t.close());

  it('lists every operation, each with a summary, its auth requirement and its error answers', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const { method, path, op } of operations) {
      const name = `${method} ${path}`;
      expect({ name, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({ name, summary: true });
      const isPublic = PUBLIC_OPERATIONS.has(name);
      expect({ name, secured: (op.security ?? []).length > 0 }).toEqual({ name, secured: !isPublic });
      const errorStatuses = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      if (!isPublic) expect({ name, documents401: errorStatuses.includes('401') }).toEqual({ name, documents401: true });
      if (name !== 'GET /health') expect({ name, errors: errorStatuses.length > 0 }).toEqual({ name, errors: true });
    }
  });

  it('answers 401 UNAUTHENTICATED to every operation not marked public when called without a token', async () => {
    const closed = operations.filter(({ method, path }) => !PUBLIC_OPERATIONS.has(`${method} ${path}`));
    expect(closed.length).toBeGreaterThan(0);
    for (const { method, path } of closed) {
      const url = path.replace(/\{[^}]+\}/g, randomUUID());
      const res = await t.http()[method.toLowerCase() as 'get'](url).send({});
      expect({ op: `${method} ${path}`, status: res.status, code: res.body.code }).toEqual({
        op: `${method} ${path}`,
        status: 401,
        code: 'UNAUTHENTICATED',
      });
    }
  });

  it('answers 401 to an expired, a forged and a garbage token', async () => {
    const organizer = await signupOrganizer(t);
    const claims = new JwtService().decode<{ sub: string; sid: string; org: string }>(organizer.accessToken);
    const secret = t.app.get<AuthConfig>(authConfig.KEY).accessSecret;
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await new JwtService({ secret }).signAsync(
      { sub: claims.sub, sid: claims.sid, org: claims.org, iat: past - 900, exp: past },
      { issuer: 'porchlight', audience: 'porchlight-api' },
    );
    const res = await t.http().get('/me').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(res.body.message).toMatch(/expired/);
    await t.http().get('/me').set(bearer(organizer)).expect(200);
    const forged = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4Iiwic2lkIjoieSIsIm9yZyI6InoifQ.c2lnbmF0dXJl';
    for (const token of [forged, 'garbage', '']) {
      const res = await t.http().get('/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
    }
  });

  it('serves the interactive documentation at /docs', async () => {
    const res = await t.http().get('/docs').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('swagger');
  });
});
