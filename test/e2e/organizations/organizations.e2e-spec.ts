import { authConfig } from '@app/config';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../../support/factories';

describe('organizations and profiles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lets a member create another organization, become its organizer and switch into it', async () => {
    const organizer = await signupOrganizer(t, 'First group');
    const volunteer = await addMember(t, organizer, 'volunteer');
    const created = await t.http().post('/organizations').set(bearer(volunteer)).send({ name: 'Second group' }).expect(201);
    const switched = (
      await t
        .http()
        .post('/auth/switch-organization')
        .set(bearer(volunteer))
        .send({ organizationId: created.body.organizationId })
        .expect(200)
    ).body;
    const me = await t.http().get('/me').set(bearer(switched)).expect(200);
    expect(me.body).toMatchObject({ organizationId: created.body.organizationId, role: 'organizer' });
    expect(me.body.memberships.map((m: { organizationName: string }) => m.organizationName).sort()).toEqual([
      'First group',
      'Second group',
    ]);
    // Still a volunteer in the first group.
    expect((await t.http().get('/me').set(bearer(volunteer))).body.role).toBe('volunteer');
  });

  it('lets organizers rename the organization, and nobody else', async () => {
    const organizer = await signupOrganizer(t, 'Old name');
    const coordinator = await addMember(t, organizer, 'coordinator');
    await t.http().patch('/organizations/current').set(bearer(coordinator)).send({ name: 'Taken over' }).expect(403);
    const renamed = await t.http().patch('/organizations/current').set(bearer(organizer)).send({ name: 'New name' }).expect(200);
    expect(renamed.body.name).toBe('New name');
    expect((await t.http().get('/organizations/current').set(bearer(coordinator)).expect(200)).body.name).toBe('New name');
  });

  it('keeps no map tile URL by default, and takes only an https template with {z}, {x} and {y}', async () => {
    const organizer = await signupOrganizer(t);
    const coordinator = await addMember(t, organizer, 'coordinator');
    expect((await t.http().get('/organizations/current').set(bearer(organizer)).expect(200)).body.mapTileUrl).toBeNull();
    for (const bad of [
      'http://tiles.example.org/{z}/{x}/{y}.png',
      'https://tiles.example.org/{z}/{x}.png',
      'javascript:alert(1)//{z}{x}{y}',
      42,
    ]) {
      const res = await t.http().patch('/organizations/current').set(bearer(organizer)).send({ mapTileUrl: bad }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body.details)).toContain('mapTileUrl');
    }
    expect((await t.http().get('/organizations/current').set(bearer(organizer))).body.mapTileUrl).toBeNull();
    const url = 'https://tiles.example.org/{z}/{x}/{y}.png';
    await t.http().patch('/organizations/current').set(bearer(coordinator)).send({ mapTileUrl: url }).expect(403);
    expect(
      (await t.http().patch('/organizations/current').set(bearer(organizer)).send({ mapTileUrl: url }).expect(200)).body.mapTileUrl,
    ).toBe(url);
    expect((await t.http().get('/organizations/current').set(bearer(coordinator)).expect(200)).body.mapTileUrl).toBe(url);
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ mapTileUrl: null }).expect(200);
    expect((await t.http().get('/organizations/current').set(bearer(organizer))).body.mapTileUrl).toBeNull();
  });

  it('lets a person change their own name, language and phone', async () => {
    const organizer = await signupOrganizer(t);
    const updated = await t
      .http()
      .patch('/me')
      .set(bearer(organizer))
      .send({ displayName: 'Olivia R.', language: 'es', phone: '+14045550100' })
      .expect(200);
    expect(updated.body).toMatchObject({ displayName: 'Olivia R.', language: 'es', phone: '+14045550100' });
    const cleared = await t.http().patch('/me').set(bearer(organizer)).send({ phone: null }).expect(200);
    expect(cleared.body.phone).toBeNull();
    await t.http().patch('/me').set(bearer(organizer)).send({ email: 'new@example.org' }).expect(400);
  });
});

describe('sign-up restricted to holders of a code', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp((b) =>
      b.overrideProvider(authConfig.KEY).useValue({ ...authConfig(), signupMode: 'code', signupCode: 'coalition-2026' }),
    );
  });
  afterAll(() => t.close());

  it('refuses sign-up without the right code, and writes nothing', async () => {
    const email = uniqueEmail();
    const body = { email, password: STRONG_PASSWORD, displayName: 'Ana', language: 'es', organizationName: 'Hosted group' };
    for (const signupCode of [undefined, 'wrong-code-here']) {
      const res = await t
        .http()
        .post('/auth/signup')
        .send({ ...body, signupCode })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'SIGNUP_CLOSED', details: { fields: { signupCode: ['is missing or wrong'] } } });
    }
    expect(await t.db.query('SELECT id FROM users WHERE email = $1', [email])).toEqual([]);
    await t
      .http()
      .post('/auth/signup')
      .send({ ...body, signupCode: 'coalition-2026' })
      .expect(201);
  });
});
