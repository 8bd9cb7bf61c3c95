import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, routeFixture } from '../../support/field';
import { startWorker } from '../../support/worker';

/** A lon/lat box as a GeoJSON Polygon. */
const box = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe('turf names, campaign names on routes, and drawing over turfs', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('names the campaign of each route, and lets organizers rename a turf for everyone', async () => {
    const first = await routeFixture(t, organizer, 1, 4);
    const second = await routeFixture(t, organizer, 1, 4);
    await t.http().patch(`/campaigns/${second.campaignId}`).set(bearer(organizer)).send({ name: 'Kirkwood' }).expect(200);
    await t.http().patch(`/campaigns/${first.campaignId}`).set(bearer(organizer)).send({ name: 'Reynoldstown' }).expect(200);
    const volunteer = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, first.turfIds[0], [volunteer.userId]);
    await assignRoute(t, organizer, second.turfIds[0], [volunteer.userId]);

    const mine = (await t.http().get('/me/routes').set(bearer(volunteer)).expect(200)).body.items as {
      id: string;
      name: string;
      campaignName: string;
    }[];
    // The cutter names turfs by number alone; the app words it in the reader's language ("Turf 1", "Zona 1").
    expect(mine.map((r) => r.name)).toEqual(['1', '1']);
    expect(mine.map((r) => r.campaignName).sort()).toEqual(['Kirkwood', 'Reynoldstown']);
    const pulled = (await t.http().get('/sync/changes').set(bearer(volunteer)).expect(200)).body.routes as {
      turfId: string;
      campaignName: string;
    }[];
    expect(Object.fromEntries(pulled.map((r) => [r.turfId, r.campaignName]))).toEqual({
      [first.turfIds[0]]: 'Reynoldstown',
      [second.turfIds[0]]: 'Kirkwood',
    });

    const renamed = await t
      .http()
      .patch(`/turfs/${first.turfIds[0]}`)
      .set(bearer(organizer))
      .send({ name: '  Boulevard   north ' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id: first.turfIds[0], name: 'Boulevard north', campaignName: 'Reynoldstown' });
    const after = (await t.http().get('/sync/changes').set(bearer(volunteer)).expect(200)).body.routes as {
      turfId: string;
      name: string;
    }[];
    expect(after.find((r) => r.turfId === first.turfIds[0])!.name).toBe('Boulevard north');
    const turfs = (await t.http().get(`/campaigns/${first.campaignId}/turfs`).set(bearer(organizer)).expect(200)).body.items;
    expect(turfs.map((x: { name: string }) => x.name)).toEqual(['Boulevard north']);

    // Another campaign may have the same name; the same campaign may not, whatever the case.
    await t.http().patch(`/turfs/${second.turfIds[0]}`).set(bearer(organizer)).send({ name: 'Boulevard north' }).expect(200);
    await t.http().patch(`/turfs/${second.turfIds[0]}`).set(bearer(organizer)).send({ name: 'Turf 1' }).expect(200);
    const extra = await routeFixture(t, organizer, 2, 4);
    const taken = await t.http().patch(`/turfs/${extra.turfIds[1]}`).set(bearer(organizer)).send({ name: '1' }).expect(409);
    expect(taken.body).toMatchObject({ code: 'CONFLICT', details: { fields: { name: [expect.any(String)] }, reason: 'turf_name_taken' } });
    await t.http().patch(`/turfs/${extra.turfIds[1]}`).set(bearer(organizer)).send({ name: 'North' }).expect(200);
    await t.http().patch(`/turfs/${extra.turfIds[0]}`).set(bearer(organizer)).send({ name: 'NORTH' }).expect(409);
    await t.http().patch(`/turfs/${extra.turfIds[1]}`).set(bearer(organizer)).send({ name: '   ' }).expect(400);
    await t
      .http()
      .patch(`/turfs/${extra.turfIds[1]}`)
      .set(bearer(organizer))
      .send({ name: 'x'.repeat(101) })
      .expect(400);
    await t.http().patch(`/turfs/${extra.turfIds[1]}`).set(bearer(volunteer)).send({ name: 'Mine' }).expect(403);
  });

  it('draws a turf over turfs nobody walks when asked to take their doors, buildings whole, their routes recomputed', async () => {
    // Two blocks, one turf each: a six-unit building at -84.3500, houses every 0.0002 degrees east of it.
    const f = await routeFixture(t, organizer, 2, 14);
    // a: the southern block's turf (latitude 33.74), b: the northern one's (33.75).
    const latOf = async (id: string) => (await t.http().get(`/turfs/${id}`).set(bearer(organizer))).body.stops[0].lat as number;
    const [a, b] = (await latOf(f.turfIds[0])) < 33.745 ? f.turfIds : [...f.turfIds].reverse();
    const area = box(-84.3487, 33.735, -84.3459, 33.755); // the houses 7 to 14 of both blocks

    const refused = await t.http().post(`/campaigns/${f.campaignId}/turfs`).set(bearer(organizer)).send({ area }).expect(400);
    expect(refused.body.code).toBe('NOTHING_TO_CUT');

    const drawn = await t
      .http()
      .post(`/campaigns/${f.campaignId}/turfs`)
      .set(bearer(organizer))
      .send({ area, takeFromTurfs: true })
      .expect(201);
    expect(drawn.body.turfs).toHaveLength(1);
    const inside = (
      await t.db.query<{ id: string }[]>(
        `SELECT d.id FROM doors d JOIN buildings b ON b.id = d.building_id
          WHERE d.campaign_id = $1 AND ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location) ORDER BY d.id`,
        [f.campaignId, JSON.stringify(area)],
      )
    ).map((r) => r.id);
    expect(inside).toHaveLength(16);
    expect([...drawn.body.turfs[0].doorIds].sort()).toEqual(inside);

    // Every door is in exactly one turf; each route lists its turf's doors, door_count agrees.
    const [{ n: doors }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM doors WHERE campaign_id = $1', [f.campaignId]);
    const held = await t.db.query<{ door_id: string }[]>('SELECT door_id FROM turf_doors WHERE campaign_id = $1', [f.campaignId]);
    expect(held).toHaveLength(doors);
    for (const id of [a, b]) {
      const route = (await t.http().get(`/turfs/${id}`).set(bearer(organizer)).expect(200)).body;
      expect(route.doorCount).toBe(12);
      expect(route.stops).toHaveLength(12);
      expect(route.stops.map((s: { position: number }) => s.position)).toEqual([...Array(12).keys()]);
      expect(route.stops.some((s: { doorId: string }) => inside.includes(s.doorId))).toBe(false);
      expect(route.meetingDoorId).toBe(route.stops[0].doorId);
      // The apartment building stayed whole.
      expect(route.stops.filter((s: { unit: string | null }) => s.unit !== null)).toHaveLength(6);
    }

    // A turf somebody walks is never taken from: the draw is refused, naming it, and nothing changes.
    const volunteer = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, a, [volunteer.userId]);
    const walkedName = (await t.http().get(`/turfs/${a}`).set(bearer(organizer))).body.name as string;
    const before = await t.db.query('SELECT turf_id, door_id, position FROM turf_doors WHERE campaign_id = $1 ORDER BY door_id', [
      f.campaignId,
    ]);
    const blocked = await t
      .http()
      .post(`/campaigns/${f.campaignId}/turfs`)
      .set(bearer(organizer))
      .send({ area: box(-84.3505, 33.735, -84.3487, 33.745), takeFromTurfs: true })
      .expect(409);
    expect(blocked.body).toMatchObject({ code: 'TURF_ASSIGNED', message: expect.stringContaining(walkedName) });
    expect(
      await t.db.query('SELECT turf_id, door_id, position FROM turf_doors WHERE campaign_id = $1 ORDER BY door_id', [f.campaignId]),
    ).toEqual(before);

    // Taking every door of a turf removes it.
    const whole = await t
      .http()
      .post(`/campaigns/${f.campaignId}/turfs`)
      .set(bearer(organizer))
      .send({ area: box(-84.3505, 33.745, -84.3487, 33.755), takeFromTurfs: true })
      .expect(201);
    expect(whole.body.turfs[0].doorCount).toBe(12);
    await t.http().get(`/turfs/${b}`).set(bearer(organizer)).expect(404);
    const left = (await t.http().get(`/campaigns/${f.campaignId}/turfs`).set(bearer(organizer)).expect(200)).body.items as { id: string }[];
    expect(left.map((x) => x.id).sort()).toEqual([a, drawn.body.turfs[0].id, whole.body.turfs[0].id].sort());
  });
});
