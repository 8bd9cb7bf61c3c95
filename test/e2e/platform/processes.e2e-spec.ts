import { randomUUID } from 'node:crypto';
import { API_MAIN, ensureBuilt, freePort, start, stopWithin, waitFor, WORKER_MAIN } from '../../support/processes';

/** The built api and worker, as they run in production: start-up checks, logs and shutdown. */
describe('api and worker processes', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('refuses to start with a wrong configuration, listing every problem and how to fix it', async () => {
    const p = start(API_MAIN, { DATABASE_URL: 'mysql://nope', PORT: 'eighty', SIGNUP_MODE: 'code' });
    expect(await p.exited).toBe(1);
    const out = p.output();
    expect(out).toContain('configuration is not valid');
    expect(out).toMatch(/DATABASE_URL=.*postgres:\/\//);
    expect(out).toMatch(/PORT=/);
    expect(out).toMatch(/SIGNUP_CODE: required when SIGNUP_MODE=code/);
  });

  it('refuses to start in production with the development JWT secret or notes key', async () => {
    const p = start(API_MAIN, { NODE_ENV: 'production', JWT_ACCESS_SECRET: '', NOTES_ENCRYPTION_KEYS: '' });
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/JWT_ACCESS_SECRET: production refuses the development secret/);
    expect(p.output()).toMatch(/NOTES_ENCRYPTION_KEYS: production refuses the development key/);
  });

  it('logs requests with an id but never bodies, passwords, tokens or addresses; stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const api = start(API_MAIN, { PORT: String(port), LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitFor(async () => (await fetch(`${base}/health`)).ok, 20_000, 'the api to answer');
      const canary = randomUUID().replace(/-/g, '');
      const email = `canary${canary}@example.org`;
      const password = `canary-password-${canary}`;
      const signup = await fetch(`${base}/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': `req-${canary}` },
        body: JSON.stringify({
          email,
          password,
          displayName: `Name${canary}`,
          language: 'en',
          phone: '+14045550199',
          organizationName: `Org${canary}`,
        }),
      });
      expect(signup.status).toBe(201);
      expect(signup.headers.get('x-request-id')).toBe(`req-${canary}`);
      const { accessToken, refreshToken } = (await signup.json()) as { accessToken: string; refreshToken: string };
      await fetch(`${base}/me?street=Moreland${canary}`, { headers: { authorization: `Bearer ${accessToken}` } });
      await fetch(`${base}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: `wrong${canary}` }),
      });
      await fetch(`${base}/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"email":"${email}",` });

      expect(await stopWithin(api, 10_000)).toBe(0);
      const logs = api.output();
      expect(logs).toContain(`"id":"req-${canary}"`);
      expect(logs).toContain('"path":"/me"');
      for (const secret of [
        email,
        password,
        `Name${canary}`,
        `Org${canary}`,
        '4045550199',
        `Moreland${canary}`,
        `wrong${canary}`,
        accessToken,
        refreshToken,
      ]) {
        expect({ secret, logged: logs.includes(secret) }).toEqual({ secret, logged: false });
      }
      expect(logs.toLowerCase()).not.toContain('authorization');
    } finally {
      api.child.kill('SIGKILL');
    }
  }, 60_000);

  it('the worker runs without HTTP and stops cleanly on SIGTERM', async () => {
    const worker = start(WORKER_MAIN, { LOG_LEVEL: 'info' });
    try {
      await waitFor(() => worker.output().includes('Porchlight worker started'), 20_000, 'the worker to start');
      expect(worker.output()).toContain('session-cleanup scheduled');
      expect(await stopWithin(worker, 10_000)).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
    }
  }, 60_000);
});
