import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, createInvite, OrganizerSession, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../../support/factories';
import { routeFixture } from '../../support/field';
import { startWorker } from '../../support/worker';

describe('coordinators bring in volunteers and hand out routes', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Awaited<ReturnType<typeof addMember>>;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('lets a coordinator invite volunteers, and only volunteers', async () => {
    const created = await t.http().post('/invites').set(bearer(coordinator)).send({ role: 'volunteer' }).expect(201);
    expect(created.body).toMatchObject({ role: 'volunteer', url: expect.stringContaining('/join#') });
    for (const role of ['coordinator', 'organizer']) {
      const refused = await t.http().post('/invites').set(bearer(coordinator)).send({ role }).expect(403);
      expect(refused.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/volunteers only/) });
    }

    // The link works: the new person joins as a volunteer.
    const email = uniqueEmail('volunteer');
    const joined = await t
      .http()
      .post('/invites/accept')
      .send({ token: created.body.token, email, password: STRONG_PASSWORD, displayName: 'Vera', language: 'es' })
      .expect(201);
    expect((await t.http().get('/me').set(bearer(joined.body)).expect(200)).body.role).toBe('volunteer');
  });

  it('shows a coordinator the volunteer invites only, and lets them withdraw those only', async () => {
    const forVolunteer = await createInvite(t, organizer, 'volunteer');
    const forCoordinator = await createInvite(t, organizer, 'coordinator');

    const seen = await t.http().get('/invites?limit=100').set(bearer(coordinator)).expect(200);
    const ids = (seen.body.items as { id: string; role: string }[]).map((i) => i.id);
    expect(ids).toContain(forVolunteer.id);
    expect(ids).not.toContain(forCoordinator.id);
    expect((seen.body.items as { role: string }[]).every((i) => i.role === 'volunteer')).toBe(true);
    const all = await t.http().get('/invites?limit=100').set(bearer(organizer)).expect(200);
    expect((all.body.items as { id: string }[]).map((i) => i.id)).toContain(forCoordinator.id);

    await t.http().delete(`/invites/${forCoordinator.id}`).set(bearer(coordinator)).expect(403);
    await t.http().delete(`/invites/${forVolunteer.id}`).set(bearer(coordinator)).expect(204);
    const after = await t.http().get('/invites?limit=100').set(bearer(organizer)).expect(200);
    const left = (after.body.items as { id: string }[]).map((i) => i.id);
    expect(left).toContain(forCoordinator.id);
    expect(left).not.toContain(forVolunteer.id);
  });

  it('lets a coordinator assign and release routes, while cutting stays with organizers', async () => {
    const fixture = await routeFixture(t, organizer, 1);
    const volunteer = await addMember(t, organizer, 'volunteer');
    const turfId = fixture.turfIds[0];

    const assigned = await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(coordinator))
      .send({ volunteerIds: [volunteer.userId] })
      .expect(200);
    expect(assigned.body.assignment).toMatchObject({ status: 'assigned', volunteerIds: [volunteer.userId] });
    const mine = await t.http().get('/me/routes').set(bearer(volunteer)).expect(200);
    expect((mine.body.items as { id: string }[]).map((r) => r.id)).toEqual([turfId]);

    const released = await t.http().delete(`/turfs/${turfId}/assignment`).set(bearer(coordinator)).expect(200);
    expect(released.body.assignment).toBeNull();
    expect((await t.http().get('/me/routes').set(bearer(volunteer)).expect(200)).body.items).toEqual([]);

    await t.http().post(`/campaigns/${fixture.campaignId}/turfs/cut`).set(bearer(coordinator)).send({ doorsPerTurf: 10 }).expect(403);
    await t.http().patch(`/campaigns/${fixture.campaignId}`).set(bearer(coordinator)).send({ description: 'x' }).expect(403);
  });
});
