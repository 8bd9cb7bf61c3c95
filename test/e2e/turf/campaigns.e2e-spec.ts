import { appConfig } from '@app/config';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';

const square = {
  type: 'Polygon',
  coordinates: [
    [
      [-84.36, 33.74],
      [-84.34, 33.74],
      [-84.34, 33.75],
      [-84.36, 33.75],
      [-84.36, 33.74],
    ],
  ],
};
const bowtie = {
  type: 'Polygon',
  coordinates: [
    [
      [-84.36, 33.74],
      [-84.34, 33.75],
      [-84.34, 33.74],
      [-84.36, 33.75],
      [-84.36, 33.74],
    ],
  ],
};

describe('campaigns', () => {
  let t: TestApp;
  let organizer: OrganizerSession;
  beforeAll(async () => {
    t = await createTestApp((b) => b.overrideProvider(appConfig.KEY).useValue({ ...appConfig(), importMaxBytes: 2048 }));
    organizer = await signupOrganizer(t);
  });
  afterAll(() => t.close());

  it('creates, lists, reads and changes a campaign with its area', async () => {
    const created = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({ name: 'KYR Reynoldstown', description: 'July', startsOn: '2026-07-01', endsOn: '2026-07-31', area: square })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'KYR Reynoldstown',
      startsOn: '2026-07-01',
      endsOn: '2026-07-31',
      doorCount: 0,
      area: { type: 'MultiPolygon' },
    });
    const coordinator = await addMember(t, organizer, 'coordinator');
    const list = await t.http().get('/campaigns').set(bearer(coordinator)).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
    const changed = await t
      .http()
      .patch(`/campaigns/${created.body.id}`)
      .set(bearer(organizer))
      .send({ name: 'KYR Reynoldstown & Edgewood', area: null })
      .expect(200);
    expect(changed.body).toMatchObject({ name: 'KYR Reynoldstown & Edgewood', area: null, startsOn: '2026-07-01' });
    await t.http().patch(`/campaigns/${created.body.id}`).set(bearer(coordinator)).send({ name: 'No' }).expect(403);
  });

  it('rejects invalid and empty areas with the reason from PostGIS, and bad dates, writing nothing', async () => {
    const [{ n: before }] = await t.db.query('SELECT count(*)::int AS n FROM campaigns');
    const invalid = await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Bowtie', area: bowtie }).expect(400);
    expect(invalid.body).toMatchObject({ code: 'INVALID_GEOMETRY', message: expect.stringMatching(/Self-intersection/) });
    const empty = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({ name: 'Empty', area: { type: 'Polygon', coordinates: [] } })
      .expect(400);
    expect(empty.body.code).toBe('INVALID_GEOMETRY');
    const tooFew = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({
        name: 'Line',
        area: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
            ],
          ],
        },
      });
    expect(tooFew.status).toBe(400);
    const notPolygon = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({ name: 'Point', area: { type: 'Point', coordinates: [0, 0] } })
      .expect(400);
    expect(notPolygon.body.details.fields).toHaveProperty('area');
    const dates = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({ name: 'Dates', startsOn: '2026-07-31', endsOn: 'soon' })
      .expect(400);
    expect(dates.body.details.fields).toHaveProperty('endsOn');
    const [{ n: after }] = await t.db.query('SELECT count(*)::int AS n FROM campaigns');
    expect(after).toBe(before);
  });

  it('refuses an end before the start', async () => {
    const c = await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Dates', startsOn: '2026-07-10' }).expect(201);
    const res = await t.http().patch(`/campaigns/${c.body.id}`).set(bearer(organizer)).send({ endsOn: '2026-07-01' }).expect(400);
    expect(res.body.details.fields).toHaveProperty('endsOn');
  });

  it('refuses files over the configured size limit with 413', async () => {
    const c = await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Big file' }).expect(201);
    const big = 'LON,LAT,NUMBER,STREET\n' + '-84.3481,33.7467,101,Wylie St SE\n'.repeat(200);
    const res = await t
      .http()
      .post(`/campaigns/${c.body.id}/imports`)
      .set(bearer(organizer))
      .set('Content-Type', 'text/csv')
      .send(big)
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });
});
