import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, signupOrganizer, STRONG_PASSWORD } from '../../support/factories';

const NEW_PASSWORD = 'lantern porch clipboard sunrise 7';

describe('changing a password in the app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const login = async (email: string, password: string) =>
    (await t.http().post('/auth/login').send({ email, password }).expect(200)).body as { accessToken: string; refreshToken: string };

  it('asks for the right current password', async () => {
    const organizer = await signupOrganizer(t);
    const res = await t
      .http()
      .post('/me/password')
      .set(bearer(organizer))
      .send({ currentPassword: 'not my password at all', newPassword: NEW_PASSWORD })
      .expect(400);
    expect(res.body).toMatchObject({ code: 'WRONG_CURRENT_PASSWORD', details: { fields: { currentPassword: expect.any(Array) } } });
    // Nothing changed: the old password still signs in, the new one does not.
    await login(organizer.email, STRONG_PASSWORD);
    await t.http().post('/auth/login').send({ email: organizer.email, password: NEW_PASSWORD }).expect(401);
    const [failed] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.password_change_failed' AND organization_id = $1`,
      [organizer.organizationId],
    );
    expect(failed.n).toBe(1);
  });

  it('refuses a weak new password with the sign-up rules, under the newPassword field', async () => {
    const organizer = await signupOrganizer(t);
    for (const weak of ['short pass', 'password1234', 'aaaaaaaaaaaaaaaa', organizer.email]) {
      const res = await t
        .http()
        .post('/me/password')
        .set(bearer(organizer))
        .send({ currentPassword: STRONG_PASSWORD, newPassword: weak })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'WEAK_PASSWORD', details: { fields: { newPassword: expect.any(Array) } } });
    }
    await login(organizer.email, STRONG_PASSWORD);
  });

  it('changes the password and ends the other sessions, while this one continues', async () => {
    const organizer = await signupOrganizer(t);
    const phone = await login(organizer.email, STRONG_PASSWORD);
    const laptop = await login(organizer.email, STRONG_PASSWORD);

    await t
      .http()
      .post('/me/password')
      .set(bearer(laptop))
      .send({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })
      .expect(204);

    // The other sessions are over: their refresh tokens and access tokens no longer work.
    for (const other of [organizer, phone]) {
      const refused = await t.http().post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
      expect(refused.body.code).toBe('REFRESH_TOKEN_INVALID');
      await t.http().get('/me').set(bearer(other)).expect(401);
    }
    // The session that changed the password continues, and can still refresh.
    await t.http().get('/me').set(bearer(laptop)).expect(200);
    const next = (await t.http().post('/auth/refresh').send({ refreshToken: laptop.refreshToken }).expect(200)).body;
    await t.http().get('/me').set(bearer(next)).expect(200);

    // The old password no longer signs in; the new one does.
    await t.http().post('/auth/login').send({ email: organizer.email, password: STRONG_PASSWORD }).expect(401);
    await login(organizer.email, NEW_PASSWORD);

    const audit = await t.http().get('/audit-log').set(bearer(next)).expect(200);
    expect(audit.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'auth.password_changed', metadata: { sessionsEnded: 2 } })]),
    );
  });

  it('needs a session', async () => {
    const res = await t.http().post('/me/password').send({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD }).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });
});
