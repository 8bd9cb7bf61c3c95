import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, createInvite, OrganizerSession, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../../support/factories';

const TABLES = ['organizations', 'users', 'memberships', 'invites', 'sessions', 'refresh_tokens', 'audit_log'];

describe('bad input gets a clear 4xx and writes nothing', () => {
  let t: TestApp;
  let organizer: OrganizerSession;

  const counts = async () => {
    const rows = await t.db.query<{ t: string; n: number }[]>(
      TABLES.map((name) => `SELECT '${name}' AS t, count(*)::int AS n FROM ${name}`).join(' UNION ALL '),
    );
    return Object.fromEntries(rows.map((r) => [r.t, r.n]));
  };

  /** Runs the request and checks that no table changed. */
  const unchanged = async <T>(fn: () => Promise<T>): Promise<T> => {
    const before = await counts();
    const result = await fn();
    expect(await counts()).toEqual(before);
    return result;
  };

  const validSignup = () => ({
    email: uniqueEmail(),
    password: STRONG_PASSWORD,
    displayName: 'Ana',
    language: 'es',
    organizationName: 'Barrio Unido',
  });

  beforeAll(async () => {
    t = await createTestApp();
    organizer = await signupOrganizer(t);
  });
  afterAll(() => t.close());

  it('malformed JSON: 400 MALFORMED_JSON', async () => {
    const res = await unchanged(() => t.http().post('/auth/signup').set('Content-Type', 'application/json').send('{"email": "a@b.org",'));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'MALFORMED_JSON', message: expect.any(String) });
  });

  it('unknown fields: 400 VALIDATION_FAILED naming them', async () => {
    const res = await unchanged(() =>
      t
        .http()
        .post('/auth/signup')
        .send({ ...validSignup(), isAdmin: true }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: { isAdmin: ['is not a known field'] } } });
  });

  it('wrong types: 400 naming each field', async () => {
    const res = await unchanged(() =>
      t
        .http()
        .post('/auth/signup')
        .send({ ...validSignup(), displayName: 42, language: 'fr', phone: 5551234 }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(['displayName', 'language', 'phone']);
    expect(res.body.details.fields.phone.join(' ')).toMatch(/must be a string/);
  });

  it('a JSON array or a string instead of an object: 400', async () => {
    for (const body of ['[]', '"text"', 'null']) {
      const res = await unchanged(() => t.http().post('/auth/signup').set('Content-Type', 'application/json').send(body));
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    const login = await t.http().post('/auth/login').set('Content-Type', 'application/json').send('[]');
    expect(login.status).toBe(400);
  });

  it('oversize bodies: 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await unchanged(() =>
      t
        .http()
        .post('/auth/signup')
        .send({ ...validSignup(), displayName: 'x'.repeat(2 * 1024 * 1024) }),
    );
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a body that is not JSON: 415', async () => {
    const res = await unchanged(() => t.http().post('/auth/signup').set('Content-Type', 'text/csv').send('a,b,c'));
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('invalid e-mail addresses: 400 on email', async () => {
    for (const email of ['not-an-email', 'a@', '@example.org', 'a b@example.org', `${'x'.repeat(250)}@example.org`]) {
      const res = await unchanged(() =>
        t
          .http()
          .post('/auth/signup')
          .send({ ...validSignup(), email }),
      );
      expect({ email, status: res.status, fields: Object.keys(res.body.details?.fields ?? {}) }).toEqual({
        email,
        status: 400,
        fields: ['email'],
      });
    }
    const login = await t.http().post('/auth/login').send({ email: 'nope', password: 'whatever-password' });
    expect(login.status).toBe(400);
    expect(login.body.details.fields).toHaveProperty('email');
  });

  it('weak passwords: 400 WEAK_PASSWORD with the reason', async () => {
    const cases: [string, RegExp][] = [
      ['short-pass', /at least 12 characters/],
      ['123qweasdzxc', /most common passwords/],
      ['QWERTY123456', /most common passwords/],
      ['aaaaaaaaaaaaaaa', /repeat one character/],
    ];
    for (const [password, reason] of cases) {
      const res = await unchanged(() =>
        t
          .http()
          .post('/auth/signup')
          .send({ ...validSignup(), password }),
      );
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('WEAK_PASSWORD');
      expect(res.body.details.fields.password.join(' ')).toMatch(reason);
    }
  });

  it('expired, used and revoked invites: 410 with their own codes', async () => {
    const accept = (token: string) =>
      t.http().post('/invites/accept').send({ token, email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'Vol', language: 'en' });

    const revoked = await createInvite(t, organizer, 'volunteer');
    await t.http().delete(`/invites/${revoked.id}`).set(bearer(organizer)).expect(204);
    const r = await unchanged(() => accept(revoked.token));
    expect([r.status, r.body.code]).toEqual([410, 'INVITE_REVOKED']);
    expect((await t.http().post('/invites/preview').send({ token: revoked.token })).body.code).toBe('INVITE_REVOKED');
    expect((await t.http().delete(`/invites/${revoked.id}`).set(bearer(organizer))).status).toBe(410);

    const expired = await createInvite(t, organizer, 'volunteer', { expiresInHours: 1 });
    await t.db.query(`UPDATE invites SET expires_at = now() - interval '1 minute' WHERE id = $1`, [expired.id]);
    const e = await unchanged(() => accept(expired.token));
    expect([e.status, e.body.code]).toEqual([410, 'INVITE_EXPIRED']);

    const used = await createInvite(t, organizer, 'volunteer');
    await accept(used.token).expect(201);
    const u = await unchanged(() => accept(used.token));
    expect([u.status, u.body.code]).toEqual([410, 'INVITE_USED']);

    const unknown = await unchanged(() => accept('inv_thisTokenWasNeverIssuedByAnyoneAtAll000000000'));
    expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('an invite for a named address refuses another address', async () => {
    const invite = await createInvite(t, organizer, 'coordinator', { email: 'named.person@example.org' });
    const res = await unchanged(() =>
      t
        .http()
        .post('/invites/accept')
        .send({ token: invite.token, email: 'someone.else@example.org', password: STRONG_PASSWORD, displayName: 'X', language: 'en' }),
    );
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toHaveProperty('email');
  });

  it('a new account via invite needs name and language', async () => {
    const invite = await createInvite(t, organizer, 'volunteer');
    const res = await unchanged(() =>
      t.http().post('/invites/accept').send({ token: invite.token, email: uniqueEmail(), password: STRONG_PASSWORD }),
    );
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual(['displayName', 'language']);
  });

  it('bad ids and bad query parameters: 400 naming them', async () => {
    const id = await unchanged(() => t.http().post('/members/not-a-uuid/deactivate').set(bearer(organizer)));
    expect(id.status).toBe(400);
    const page = await t.http().get('/members?limit=abc&offset=-1').set(bearer(organizer)).expect(400);
    expect(Object.keys(page.body.details.fields).sort()).toEqual(['limit', 'offset']);
    const role = await unchanged(() => t.http().post('/invites').set(bearer(organizer)).send({ role: 'admin' }));
    expect(role.status).toBe(400);
    expect(role.body.details.fields).toHaveProperty('role');
  });

  it('unknown routes: 404 in the same error shape', async () => {
    const res = await t.http().get('/no/such/route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });
});
