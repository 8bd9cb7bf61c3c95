import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { createPublicEvent } from '../../support/events';

/** Puts an environment variable back as it was (absent included). */
const restore = (name: string, value: string | undefined) => {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
};

/** A closed square ring around (lon, lat). */
const square = (lon: number, lat: number, d = 0.001) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon - d, lat - d],
      [lon + d, lat - d],
      [lon + d, lat + d],
      [lon - d, lat + d],
      [lon - d, lat - d],
    ],
  ],
});

/** A JSON object of `n` unknown keys besides the refresh token, as text (`pad` lengthens each key). */
const manyKeys = (n: number, pad = '') => '{' + Array.from({ length: n }, (_, i) => `"k${i}${pad}":1`).join(',') + ',"refreshToken":"x"}';

describe('hostile input is refused at once, with a small answer', () => {
  let t: TestApp;
  let organizer: OrganizerSession;
  const bodyLimit = process.env.BODY_LIMIT_BYTES;

  beforeAll(async () => {
    // As the attack found it: a server whose JSON limit was raised (for large neighbourhood files), so the size alone stops nothing.
    process.env.BODY_LIMIT_BYTES = String(8 * 1024 * 1024);
    t = await createTestApp();
    organizer = await signupOrganizer(t);
  });
  afterAll(async () => {
    restore('BODY_LIMIT_BYTES', bodyLimit);
    await t?.close();
  });

  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const started = Date.now();
    const result = await f();
    return [result, Date.now() - started];
  };

  it('H1: a body of 90,000 keys to /auth/refresh is refused in a blink, and unknown keys are named a few at a time', async () => {
    const body = manyKeys(90_000, '-'.repeat(24));
    expect(body.length).toBeGreaterThan(3_000_000);
    const [huge, ms] = await timed(() => t.http().post('/auth/refresh').set('Content-Type', 'application/json').send(body));
    expect(huge.status).toBe(400);
    expect(JSON.stringify(huge.body).length).toBeLessThan(2_000);
    expect(ms).toBeLessThan(1_000);

    // Under the per-object limit: the unknown keys are refused before the transform; ten are named, the rest counted.
    const [some, ms2] = await timed(() => t.http().post('/auth/refresh').set('Content-Type', 'application/json').send(manyKeys(999)));
    expect(some.status).toBe(400);
    expect(some.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(some.body.details.fields)).toHaveLength(10);
    expect(some.body.details.moreFields).toBe(989);
    expect(some.body.message).toMatch(/k0, k1, k2, k3, k4 and 994 more/);
    expect(JSON.stringify(some.body).length).toBeLessThan(2_000);
    expect(ms2).toBeLessThan(1_000);
  });

  it('M1: an address file whose header line is 10 MB is refused at once, naming the limit, and nothing is queued', async () => {
    const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Header' }).expect(201)).body.id as string;
    const file = Buffer.from('LON,LAT,NUMBER,STREET,' + 'x'.repeat(10 * 1024 * 1024) + '\n-84.35,33.74,1,Main St\n');
    const [res, ms] = await timed(() =>
      t.http().post(`/campaigns/${campaignId}/imports`).set(bearer(organizer)).set('Content-Type', 'text/csv').send(file),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'UNREADABLE_FILE', details: { reason: 'csv_header_too_long', params: { maxKb: 64 } } });
    expect(ms).toBeLessThan(3_000);
    const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM address_imports WHERE campaign_id = $1', [
      campaignId,
    ]);
    expect(n).toBe(0);
  });

  it('L2: a sync cursor beyond a PostgreSQL bigint is a 400 naming the cursor, the largest one is taken', async () => {
    const volunteer = await addMember(t, organizer, 'volunteer');
    const res = await t.http().get('/sync/changes?cursor=9223372036854775808').set(bearer(volunteer)).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.cursor).toEqual(['is not a cursor this server gave out']);
    await t.http().get('/sync/changes?cursor=99999999999999999999').set(bearer(volunteer)).expect(400);
    await t.http().get('/sync/changes?cursor=9223372036854775807').set(bearer(volunteer)).expect(200);
  });

  it('L7: coordinates out of range are refused wherever an area enters, naming the field', async () => {
    const bad = square(-400, 133.75);
    const created = await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Far away', area: bad }).expect(400);
    expect(created.body.details.fields.area).toEqual([expect.stringMatching(/longitude out of range/)]);
    const latitude = await t
      .http()
      .post('/campaigns')
      .set(bearer(organizer))
      .send({ name: 'Far away', area: square(-84.35, 133.75) })
      .expect(400);
    expect(latitude.body.details.fields.area).toEqual([expect.stringMatching(/latitude out of range/)]);
    const multi = { type: 'MultiPolygon', coordinates: [square(-84.35, 33.74).coordinates, bad.coordinates] };
    await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Far away', area: multi }).expect(400);

    const campaignId = (
      await t
        .http()
        .post('/campaigns')
        .set(bearer(organizer))
        .send({ name: 'Near', area: square(-84.35, 33.74) })
        .expect(201)
    ).body.id as string;
    const patched = await t.http().patch(`/campaigns/${campaignId}`).set(bearer(organizer)).send({ area: bad }).expect(400);
    expect(Object.keys(patched.body.details.fields)).toEqual(['area']);
    const drawn = await t.http().post(`/campaigns/${campaignId}/turfs`).set(bearer(organizer)).send({ area: bad }).expect(400);
    expect(Object.keys(drawn.body.details.fields)).toEqual(['area']);
    const cut = await t
      .http()
      .post(`/campaigns/${campaignId}/turfs/cut`)
      .set(bearer(organizer))
      .send({ doorsPerTurf: 50, area: bad })
      .expect(400);
    expect(Object.keys(cut.body.details.fields)).toEqual(['area']);
    const event = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send({
        title: { en: 'Training' },
        kind: 'training',
        startsAt: DateTime.now().plus({ days: 3 }).toISO(),
        endsAt: DateTime.now().plus({ days: 3, hours: 2 }).toISO(),
        timeZone: 'America/New_York',
        address: 'Community hall',
        location: { lon: -400, lat: 133.75 },
      })
      .expect(400);
    expect(Object.keys(event.body.details.fields).sort()).toEqual(['location.lat', 'location.lon']);
  });
});

describe('every public route is rate-limited', () => {
  let t: TestApp;
  const saved = { limit: process.env.PUBLIC_LIMIT_PER_MINUTE, prefix: process.env.REDIS_KEY_PREFIX };

  beforeAll(async () => {
    // Counts of its own, so that the low limit throttles no other test of the run.
    process.env.PUBLIC_LIMIT_PER_MINUTE = '3';
    process.env.REDIS_KEY_PREFIX = `porchlight-test-public-${randomUUID().slice(0, 8)}`;
    t = await createTestApp();
  });
  afterAll(async () => {
    restore('PUBLIC_LIMIT_PER_MINUTE', saved.limit);
    restore('REDIS_KEY_PREFIX', saved.prefix);
    await t?.close();
  });

  const fourth = async (send: () => PromiseLike<{ status: number; body: { code?: string } }>) => {
    const statuses: number[] = [];
    let last: { status: number; body: { code?: string } } | undefined;
    for (let i = 0; i < 4; i++) {
      last = await send();
      statuses.push(last.status);
    }
    return { statuses, last: last! };
  };

  it('H1: /auth/refresh, public event pages, RSVP links and calendars answer 429 past the limit', async () => {
    const refresh = await fourth(() => t.http().post('/auth/refresh').send({ refreshToken: 'not-a-token' }));
    expect(refresh.statuses).toEqual([401, 401, 401, 429]);
    expect(refresh.last.body.code).toBe('RATE_LIMITED');

    const organizer = await signupOrganizer(t);
    const event = await createPublicEvent(t, organizer, DateTime.now().setZone('America/New_York').plus({ days: 5 }));
    expect((await fourth(() => t.http().get(`/public/events/${event.token}`))).statuses).toEqual([200, 200, 200, 429]);
    const id = randomUUID();
    expect((await fourth(() => t.http().get(`/public/rsvps/${id}/nope`))).statuses).toEqual([404, 404, 404, 429]);
    expect((await fourth(() => t.http().post(`/public/rsvps/${id}/nope/cancel`))).statuses).toEqual([404, 404, 404, 429]);
    expect((await fourth(() => t.http().get(`/public/rsvps/${id}/nope/calendar.ics`))).statuses).toEqual([404, 404, 404, 429]);
    expect((await fourth(() => t.http().get('/public/calendar/nope.ics'))).statuses).toEqual([404, 404, 404, 429]);
  });
});
