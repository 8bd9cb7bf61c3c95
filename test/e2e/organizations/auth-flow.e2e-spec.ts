import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, createInvite, STRONG_PASSWORD, signupOrganizer, uniqueEmail } from '../../support/factories';

describe('sign-up, invite, login, refresh rotation, reuse detection, logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs the whole flow end to end', async () => {
    // Sign-up creates the organization with its first organizer.
    const organizer = await signupOrganizer(t, 'Reynoldstown Rapid Response');
    const me = await t.http().get('/me').set(bearer(organizer)).expect(200);
    expect(me.body).toMatchObject({
      email: organizer.email,
      role: 'organizer',
      memberships: [{ organizationName: 'Reynoldstown Rapid Response', role: 'organizer' }],
    });

    // The organizer invites a volunteer by link; the token travels after '#'.
    const invite = await createInvite(t, organizer, 'volunteer');
    expect(invite.url).toMatch(/\/join#inv_[A-Za-z0-9_-]{43}$/);
    const preview = await t.http().post('/invites/preview').send({ token: invite.token }).expect(200);
    expect(preview.body).toMatchObject({ organizationName: 'Reynoldstown Rapid Response', role: 'volunteer', email: null });

    // The volunteer accepts, choosing name, language, password and phone.
    const email = uniqueEmail('volunteer');
    const accepted = await t
      .http()
      .post('/invites/accept')
      .send({ token: invite.token, email, password: STRONG_PASSWORD, displayName: 'Valeria', language: 'es', phone: '+14045550123' })
      .expect(201);
    expect(accepted.body.tokenType).toBe('Bearer');
    const volunteerMe = await t.http().get('/me').set(bearer(accepted.body)).expect(200);
    expect(volunteerMe.body).toMatchObject({
      email,
      displayName: 'Valeria',
      language: 'es',
      phone: '+14045550123',
      role: 'volunteer',
      organizationId: organizer.organizationId,
    });

    // The volunteer logs in with the new password.
    const login = await t.http().post('/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200);
    const first = login.body as { accessToken: string; refreshToken: string };
    await t.http().get('/me').set(bearer(first)).expect(200);

    // Refresh rotates: a new refresh token every time, and the new pair works.
    const second = (await t.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = (await t.http().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200)).body;
    await t.http().get('/me').set(bearer(third)).expect(200);

    // Presenting an already-used refresh token revokes the whole family.
    const reuse = await t.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await t.http().post('/auth/refresh').send({ refreshToken: third.refreshToken }).expect(401);
    expect(afterReuse.body.code).toBe('REFRESH_TOKEN_INVALID');
    await t.http().get('/me').set(bearer(third)).expect(401);
    const audit = await t.http().get('/audit-log').set(bearer(organizer)).expect(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['auth.refresh_reuse_detected', 'invite.accepted', 'invite.created', 'auth.login', 'organization.created']),
    );

    // Another login is a new family, unaffected; logout ends it.
    const again = (await t.http().post('/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200)).body;
    await t.http().get('/me').set(bearer(again)).expect(200);
    await t.http().post('/auth/logout').set(bearer(again)).expect(204);
    await t.http().get('/me').set(bearer(again)).expect(401);
    expect((await t.http().post('/auth/refresh').send({ refreshToken: again.refreshToken }).expect(401)).body.code).toBe(
      'REFRESH_TOKEN_INVALID',
    );

    // The invite worked once.
    const used = await t
      .http()
      .post('/invites/accept')
      .send({ token: invite.token, email: uniqueEmail(), password: STRONG_PASSWORD, displayName: 'X', language: 'en' });
    expect(used.status).toBe(410);
    expect(used.body.code).toBe('INVITE_USED');
  });

  it('never tells whether an e-mail address exists', async () => {
    const organizer = await signupOrganizer(t);
    const wrongPassword = await t
      .http()
      .post('/auth/login')
      .send({ email: organizer.email, password: 'not the password at all' })
      .expect(401);
    const unknownEmail = await t
      .http()
      .post('/auth/login')
      .send({ email: uniqueEmail('nobody'), password: 'not the password at all' })
      .expect(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('matches e-mail addresses without regard to case', async () => {
    const organizer = await signupOrganizer(t);
    await t.http().post('/auth/login').send({ email: organizer.email.toUpperCase(), password: organizer.password }).expect(200);
  });

  it('lets an existing account join a second organization with its own password, and log in to either', async () => {
    const a = await signupOrganizer(t, 'Group A');
    const b = await signupOrganizer(t, 'Group B');
    const invite = await createInvite(t, b, 'coordinator', { email: a.email });
    const wrong = await t.http().post('/invites/accept').send({ token: invite.token, password: 'wrong password here' }).expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    await t.http().post('/invites/accept').send({ token: invite.token, password: a.password }).expect(201);

    const intoB = (
      await t.http().post('/auth/login').send({ email: a.email, password: a.password, organizationId: b.organizationId }).expect(200)
    ).body;
    const meB = await t.http().get('/me').set(bearer(intoB)).expect(200);
    expect(meB.body).toMatchObject({ organizationId: b.organizationId, role: 'coordinator' });
    expect(meB.body.memberships).toHaveLength(2);
    const intoA = (await t.http().post('/auth/login').send({ email: a.email, password: a.password }).expect(200)).body;
    expect((await t.http().get('/me').set(bearer(intoA))).body).toMatchObject({ organizationId: a.organizationId, role: 'organizer' });

    // Switching needs no password, only a membership.
    const switched = (
      await t.http().post('/auth/switch-organization').set(bearer(intoA)).send({ organizationId: b.organizationId }).expect(200)
    ).body;
    expect((await t.http().get('/me').set(bearer(switched))).body).toMatchObject({ organizationId: b.organizationId, role: 'coordinator' });
    const stranger = await signupOrganizer(t, 'Group C');
    const refused = await t
      .http()
      .post('/auth/switch-organization')
      .set(bearer(stranger))
      .send({ organizationId: b.organizationId })
      .expect(403);
    expect(refused.body.code).toBe('NO_ACTIVE_MEMBERSHIP');
  });

  it('answers EMAIL_TAKEN when signing up with a registered address, and creates nothing', async () => {
    const a = await signupOrganizer(t);
    const before = await t.db.query('SELECT count(*)::int AS n FROM organizations');
    const res = await t
      .http()
      .post('/auth/signup')
      .send({ email: a.email, password: STRONG_PASSWORD, displayName: 'Again', language: 'en', organizationName: 'Second' })
      .expect(409);
    expect(res.body).toMatchObject({ code: 'EMAIL_TAKEN', details: { fields: { email: ['is already registered'] } } });
    expect(await t.db.query('SELECT count(*)::int AS n FROM organizations')).toEqual(before);
  });
});
