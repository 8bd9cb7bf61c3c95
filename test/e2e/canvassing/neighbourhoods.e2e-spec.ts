import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, sync } from '../../support/field';
import { waitFor } from '../../support/processes';
import { describeWithSharedData, sharedFile } from '../../support/shared-data';
import { startWorker } from '../../support/worker';

type Ring = number[][];
interface Feature {
  properties: { name: string };
  geometry: { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** Even-odd ray casting, written here so that the test does not check PostGIS against itself. */
function inside([x, y]: number[], polygon: Ring[]): boolean {
  let odd = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
    }
  }
  return odd;
}

describeWithSharedData('coverage by neighbourhood (Reynoldstown addresses, Atlanta neighbourhoods)', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let campaignId: string;
  let atlanta: { type: string; features: Feature[] };

  beforeAll(async () => {
    // Read here, not while the tests are collected: a skipped block is still collected.
    atlanta = JSON.parse(sharedFile('neighborhoods/atlanta.geojson').toString()) as { type: string; features: Feature[] };
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Reynoldstown' }).expect(201)).body.id;
    const started = await t
      .http()
      .post(`/campaigns/${campaignId}/imports`)
      .set(bearer(organizer))
      .set('Content-Type', 'text/csv')
      .send(sharedFile('addresses/us-ga-atlanta-reynoldstown.csv'))
      .expect(202);
    await waitFor(
      async () => (await t.http().get(`/imports/${started.body.id}`).set(bearer(organizer))).body.status === 'completed',
      60_000,
      'the import',
    );
  }, 90_000);
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('places every door in its neighbourhood and breaks the figures down by them', async () => {
    const imported = await t.http().put(`/campaigns/${campaignId}/coverage/neighbourhoods`).set(bearer(organizer)).send(atlanta);
    expect(imported.status).toBe(200);
    const doors = await t.db.query<{ id: string; lon: number; lat: number }[]>(
      `SELECT d.id, ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat
         FROM doors d JOIN buildings b ON b.id = d.building_id WHERE d.campaign_id = $1`,
      [campaignId],
    );
    const placed = new Map<string, string[]>();
    for (const f of atlanta.features) {
      placed.set(
        f.properties.name,
        doors.filter((d) => f.geometry.coordinates.some((polygon) => inside([d.lon, d.lat], polygon))).map((d) => d.id),
      );
    }
    expect(imported.body).toMatchObject({
      neighbourhoods: atlanta.features.length,
      doorsPlaced: [...placed.values()].reduce((n, l) => n + l.length, 0),
    });
    // The city's file has one outline that crosses itself: repaired, and named in the answer.
    expect(imported.body.repaired).toEqual([expect.objectContaining({ index: 28, reason: expect.stringMatching(/Self-intersection/) })]);
    const reynoldstown = placed.get('Reynoldstown')!;
    expect(reynoldstown.length).toBeGreaterThan(doors.length / 2);

    // Visit some Reynoldstown doors, then compare the breakdown with what was sent.
    const cut = await t
      .http()
      .post(`/campaigns/${campaignId}/turfs/cut`)
      .set(bearer(organizer))
      .send({ doorsPerTurf: 500, save: true })
      .expect(201);
    const turf = cut.body.turfs[0] as { id: string; doorIds: string[] };
    const volunteer = await addMember(t, organizer, 'volunteer');
    await assignRoute(t, organizer, turf.id, [volunteer.userId]);
    const targets = turf.doorIds.slice(0, 40);
    const items = targets.map((doorId, i) => ({
      kind: 'visit',
      id: randomUUID(),
      turfId: turf.id,
      doorId,
      outcome: i % 4 === 0 ? 'talked' : 'not_home',
      recordedAt: new Date(Date.now() - (60 - i) * 1000).toISOString(),
    }));
    expect((await sync(t, volunteer, items).expect(200)).body.counts.created).toBe(40);
    await waitFor(
      async () => (await t.http().get(`/campaigns/${campaignId}/coverage`).set(bearer(organizer))).body.visits === 40,
      15_000,
      'the rollups',
    );
    const rows = (await t.http().get(`/campaigns/${campaignId}/coverage/neighbourhoods`).set(bearer(organizer)).expect(200)).body as {
      name: string;
      doors: number;
      attempted: number;
      reached: number;
    }[];
    expect(rows).toHaveLength(atlanta.features.length);
    for (const row of rows) {
      const mine = new Set(placed.get(row.name));
      expect({ name: row.name, doors: row.doors, attempted: row.attempted, reached: row.reached }).toEqual({
        name: row.name,
        doors: mine.size,
        attempted: targets.filter((d) => mine.has(d)).length,
        reached: items.filter((v) => v.outcome === 'talked' && mine.has(v.doorId)).length,
      });
    }
  });

  it('refuses bad outlines, naming each, and keeps what was there', async () => {
    const before = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM neighbourhoods WHERE campaign_id = $1', [campaignId]);
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [-84.35, 33.74],
          [-84.34, 33.75],
          [-84.34, 33.74],
          [-84.35, 33.75],
        ],
      ],
    };
    const res = await t
      .http()
      .put(`/campaigns/${campaignId}/coverage/neighbourhoods`)
      .set(bearer(organizer))
      .send({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { name: 'Open ring' }, geometry: open },
          { type: 'Feature', properties: {}, geometry: atlanta.features[0].geometry },
          { type: 'Feature', properties: { name: 'A point' }, geometry: { type: 'Point', coordinates: [-84.35, 33.74] } },
        ],
      })
      .expect(400);
    expect(Object.keys(res.body.details.fields).sort()).toEqual([
      'features.0.geometry',
      'features.1.properties.name',
      'features.2.geometry',
    ]);
    expect(res.body.details.fields['features.0.geometry'][0]).toMatch(/does not close/);
    await t.http().put(`/campaigns/${campaignId}/coverage/neighbourhoods`).set(bearer(organizer)).send({ type: 'Feature' }).expect(400);
    const after = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM neighbourhoods WHERE campaign_id = $1', [campaignId]);
    expect(after).toEqual(before);
    const coordinator = await addMember(t, organizer, 'coordinator');
    await t.http().put(`/campaigns/${campaignId}/coverage/neighbourhoods`).set(bearer(coordinator)).send(atlanta).expect(403);
    await t.http().get(`/campaigns/${campaignId}/coverage/neighbourhoods`).set(bearer(coordinator)).expect(200);
  });
});
