import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { routeFixture } from '../../support/field';
import { startWorker } from '../../support/worker';
import { INestApplicationContext } from '@nestjs/common';

/** What a signed-in person reads is never kept by a browser or proxy cache: `Cache-Control: no-store`. */
describe('Cache-Control: no-store on authenticated answers', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let campaignId: string;
  let turfId: string;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    const f = await routeFixture(t, organizer, 1);
    campaignId = f.campaignId;
    turfId = f.turfIds[0];
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('marks the account, the exports, the follow-ups CSV and the walk lists no-store', async () => {
    const gets = [
      '/me',
      '/organizations/current',
      `/campaigns/${campaignId}/coverage/export.csv`,
      `/campaigns/${campaignId}/coverage/doors.geojson`,
      `/turfs/${turfId}/walk-list.csv`,
      `/turfs/${turfId}/walk-list.pdf`,
      '/campaigns/00000000-0000-4000-8000-000000000000',
    ];
    for (const path of gets) {
      const res = await t.http().get(path).set(bearer(organizer));
      expect({ path, status: res.status < 300 || res.status === 404, cache: res.headers['cache-control'] }).toEqual({
        path,
        status: true,
        cache: 'no-store',
      });
    }
    const followUps = await t
      .http()
      .post(`/campaigns/${campaignId}/follow-ups.csv`)
      .set(bearer(organizer))
      .send({ password: organizer.password, reason: 'Open follow-ups for the legal clinic' })
      .expect(200);
    expect(followUps.headers['cache-control']).toBe('no-store');
  });

  it('marks tokens from a login and refusals no-store too', async () => {
    const login = await t.http().post('/auth/login').send({ email: organizer.email, password: organizer.password }).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const refused = await t.http().get('/me').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const volunteer = await addMember(t, organizer, 'volunteer');
    const forbidden = await t.http().get(`/turfs/${turfId}/walk-list.pdf`).set(bearer(volunteer));
    expect(forbidden.status).toBeGreaterThanOrEqual(400);
    expect(forbidden.headers['cache-control']).toBe('no-store');
  });

  it('leaves the web app’s files and a public event’s page as they were', async () => {
    const page = await t.http().get('/login');
    expect(page.status === 200 || page.status === 503).toBe(true);
    if (page.status === 200) {
      expect(page.headers['cache-control']).toBe('no-cache');
      const asset = /\/assets\/[^"]+\.js/.exec(page.text)?.[0];
      if (asset) expect((await t.http().get(asset).expect(200)).headers['cache-control']).toMatch(/immutable/);
    }
    const event = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send({
        title: { en: 'Know your rights training' },
        kind: 'training',
        address: '12 Main St',
        timeZone: 'America/New_York',
        startsAt: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
        endsAt: new Date(Date.now() + 5 * 24 * 3600_000 + 7200_000).toISOString(),
        visibility: 'public',
      })
      .expect(201);
    const token = (event.body.signupUrl as string).split('/').pop()!;
    const pub = await t.http().get(`/public/events/${token}`).expect(200);
    expect(pub.headers['cache-control']).toBeUndefined();
  });
});
