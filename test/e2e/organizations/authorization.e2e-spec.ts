import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, createInvite, OrganizerSession, signupOrganizer } from '../../support/factories';

describe('roles, tenants and deactivation', () => {
  let t: TestApp;
  let orgA: OrganizerSession;
  let orgB: OrganizerSession;

  beforeAll(async () => {
    t = await createTestApp();
    orgA = await signupOrganizer(t, 'Group A');
    orgB = await signupOrganizer(t, 'Group B');
  });
  afterAll(() => t.close());

  it('refuses organizer routes to a volunteer and a coordinator with 403', async () => {
    const volunteer = await addMember(t, orgA, 'volunteer');
    const coordinator = await addMember(t, orgA, 'coordinator');
    for (const s of [volunteer, coordinator]) {
      const res = await t.http().post('/invites').set(bearer(s)).send({ role: 'organizer' }).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      await t.http().get('/audit-log').set(bearer(s)).expect(403);
      await t.http().patch(`/members/${volunteer.membershipId}/role`).set(bearer(s)).send({ role: 'organizer' }).expect(403);
    }
    await t.http().get('/members').set(bearer(volunteer)).expect(403);
    // Coordinators see members, without contact details.
    const list = await t.http().get('/members').set(bearer(coordinator)).expect(200);
    expect(list.body.items[0]).not.toHaveProperty('email');
    const asOrganizer = await t.http().get('/members').set(bearer(orgA)).expect(200);
    expect(asOrganizer.body.items[0]).toHaveProperty('email');
  });

  it("answers 404 for another organization's objects exactly as for missing ones, and changes nothing", async () => {
    const memberOfB = await addMember(t, orgB, 'volunteer');
    const inviteOfB = await createInvite(t, orgB, 'coordinator');
    const missing = randomUUID();

    const attempts: [string, string, object?][] = [
      ['patch', `/members/{id}/role`, { role: 'organizer' }],
      ['post', `/members/{id}/deactivate`],
      ['post', `/members/{id}/reactivate`],
    ];
    for (const [method, path, body] of attempts) {
      const foreign = await t
        .http()
        [method as 'post'](path.replace('{id}', memberOfB.membershipId))
        .set(bearer(orgA))
        .send(body ?? {});
      const absent = await t
        .http()
        [method as 'post'](path.replace('{id}', missing))
        .set(bearer(orgA))
        .send(body ?? {});
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual(absent.body);
    }
    const foreignInvite = await t.http().delete(`/invites/${inviteOfB.id}`).set(bearer(orgA)).expect(404);
    expect(foreignInvite.body).toEqual((await t.http().delete(`/invites/${missing}`).set(bearer(orgA)).expect(404)).body);

    // B's member and invite are untouched.
    const [m] = await t.db.query('SELECT role, status FROM memberships WHERE id = $1', [memberOfB.membershipId]);
    expect(m).toEqual({ role: 'volunteer', status: 'active' });
    await t.http().post('/invites/preview').send({ token: inviteOfB.token }).expect(200);
    // Lists never show another organization's rows.
    const members = await t.http().get('/members?limit=100').set(bearer(orgA)).expect(200);
    expect(members.body.items.map((i: { id: string }) => i.id)).not.toContain(memberOfB.membershipId);
  });

  it("cuts a deactivated member's access at once: access and refresh tokens stop working", async () => {
    const volunteer = await addMember(t, orgA, 'volunteer');
    await t.http().get('/me').set(bearer(volunteer)).expect(200);
    await t.http().post(`/members/${volunteer.membershipId}/deactivate`).set(bearer(orgA)).expect(200);

    await t.http().get('/me').set(bearer(volunteer)).expect(401);
    expect((await t.http().post('/auth/refresh').send({ refreshToken: volunteer.refreshToken }).expect(401)).body.code).toBe(
      'REFRESH_TOKEN_INVALID',
    );
    const login = await t.http().post('/auth/login').send({ email: volunteer.email, password: volunteer.password }).expect(403);
    expect(login.body.code).toBe('NO_ACTIVE_MEMBERSHIP');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM sessions WHERE membership_id = $1 AND revoked_at IS NULL', [
      volunteer.membershipId,
    ]);
    expect(n).toBe(0);

    // Reactivated, they log in anew; the old tokens stay dead.
    await t.http().post(`/members/${volunteer.membershipId}/reactivate`).set(bearer(orgA)).expect(200);
    await t.http().get('/me').set(bearer(volunteer)).expect(401);
    await t.http().post('/auth/login').send({ email: volunteer.email, password: volunteer.password }).expect(200);
  });

  it('applies a role change on the next request', async () => {
    const person = await addMember(t, orgA, 'volunteer');
    await t.http().get('/members').set(bearer(person)).expect(403);
    await t.http().patch(`/members/${person.membershipId}/role`).set(bearer(orgA)).send({ role: 'coordinator' }).expect(200);
    await t.http().get('/members').set(bearer(person)).expect(200);
    const audit = await t.http().get('/audit-log').set(bearer(orgA)).expect(200);
    expect(audit.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'member.role_changed',
          targetId: person.membershipId,
          metadata: { from: 'volunteer', to: 'coordinator' },
        }),
      ]),
    );
  });

  it('keeps at least one active organizer', async () => {
    const solo = await signupOrganizer(t);
    const me = await t.http().get('/members').set(bearer(solo)).expect(200);
    const own = me.body.items[0].id;
    const demote = await t.http().patch(`/members/${own}/role`).set(bearer(solo)).send({ role: 'volunteer' }).expect(409);
    expect(demote.body.code).toBe('LAST_ORGANIZER');
    expect((await t.http().post(`/members/${own}/deactivate`).set(bearer(solo)).expect(409)).body.code).toBe('LAST_ORGANIZER');
    const second = await addMember(t, solo, 'organizer');
    await t.http().patch(`/members/${own}/role`).set(bearer(solo)).send({ role: 'coordinator' }).expect(200);
    await t.http().get('/invites').set(bearer(second)).expect(200);
  });

  it('paginates members', async () => {
    const org = await signupOrganizer(t);
    for (let i = 0; i < 3; i++) await addMember(t, org, 'volunteer');
    const page1 = await t.http().get('/members?limit=2&offset=0').set(bearer(org)).expect(200);
    const page2 = await t.http().get('/members?limit=2&offset=2').set(bearer(org)).expect(200);
    expect(page1.body).toMatchObject({ total: 4, limit: 2, offset: 0 });
    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items).toHaveLength(2);
    const ids = [...page1.body.items, ...page2.body.items].map((m: { id: string }) => m.id);
    expect(new Set(ids).size).toBe(4);
    const tooBig = await t.http().get('/members?limit=1000').set(bearer(org)).expect(400);
    expect(tooBig.body.details.fields).toHaveProperty('limit');
  });
});
