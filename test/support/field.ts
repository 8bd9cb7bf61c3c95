import { randomUUID } from 'node:crypto';
import type { TestApp } from './create-test-app';
import { addMember, bearer, Session } from './factories';
import { waitFor } from './processes';

export interface RouteFixture {
  campaignId: string;
  turfIds: string[];
  /** Each route's doors, in route order. */
  doors: Map<string, { id: string; buildingId: string; unit: string | null }[]>;
  /** The six units of the apartment building on the first route. */
  apartmentDoorIds: string[];
  materials: { kyrEs: string; kyrEn: string; hotlineEs: string };
}

/**
 * A small street: a six-unit building and `houses` houses per route, imported by the worker and
 * cut into `routes` routes of the same size, with a campaign that hands out know-your-rights
 * cards in Spanish and English and a hotline card.
 */
export async function routeFixture(t: TestApp, organizer: Session, routes = 1, houses = 14, file?: Buffer): Promise<RouteFixture> {
  const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Field test' }).expect(201)).body.id as string;
  const lines = ['LON,LAT,NUMBER,STREET,UNIT'];
  for (let r = 0; r < routes; r++) {
    const lat = 33.74 + r * 0.01;
    for (let u = 1; u <= 6; u++) lines.push(`-84.3500,${lat.toFixed(5)},100,Main St ${r},Apt ${u}`);
    for (let h = 1; h <= houses; h++) lines.push(`${(-84.35 + h * 0.0002).toFixed(5)},${lat.toFixed(5)},${100 + 2 * h},Main St ${r},`);
  }
  const started = await t
    .http()
    .post(`/campaigns/${campaignId}/imports`)
    .set(bearer(organizer))
    .set('Content-Type', 'text/csv')
    .send(file ?? lines.join('\n'))
    .expect(202);
  await waitFor(
    async () => (await t.http().get(`/imports/${started.body.id}`).set(bearer(organizer))).body.status === 'completed',
    60_000,
    'the import',
  );
  // A real file is cut into `routes` turfs of about equal size; the synthetic street into one per block.
  const [{ n: imported }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM doors WHERE campaign_id = $1', [campaignId]);
  const doorsPerTurf = file ? Math.min(500, Math.ceil(imported / routes)) : houses + 6;
  const cut = await t
    .http()
    .post(`/campaigns/${campaignId}/turfs/cut`)
    .set(bearer(organizer))
    .send({ doorsPerTurf, save: true })
    .expect(201);
  const turfIds = (cut.body.turfs as { id: string }[]).map((x) => x.id);
  const doors = new Map<string, { id: string; buildingId: string; unit: string | null }[]>();
  for (const turfId of turfIds) {
    const route = (await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200)).body.stops as {
      doorId: string;
      buildingId: string;
      unit: string | null;
    }[];
    doors.set(
      turfId,
      route.map((s) => ({ id: s.doorId, buildingId: s.buildingId, unit: s.unit })),
    );
  }
  const sizes = [...doors.values()].map((d) => d.length);
  // The cutter balances turfs and may move a house between neighbouring blocks; the tests need the
  // routes and the six units of the first block's building, not exact sizes.
  if (!file && turfIds.length !== routes) throw new Error(`the cut gave routes of ${sizes.join(', ')} doors`);
  const first = doors.get(turfIds[0])!;
  const building = first.find((d) => d.unit !== null)?.buildingId;
  const apartmentDoorIds = first.filter((d) => d.unit !== null && d.buildingId === building).map((d) => d.id);
  const material = async (name: string, kind: string, language: string) =>
    (
      await t
        .http()
        .post('/materials')
        .set(bearer(organizer))
        .send({ name: `${name} ${randomUUID().slice(0, 6)}`, kind, language, stock: 1000 })
        .expect(201)
    ).body.id as string;
  const materials = {
    kyrEs: await material('Know your rights', 'kyr_card', 'es'),
    kyrEn: await material('Know your rights', 'kyr_card', 'en'),
    hotlineEs: await material('Hotline', 'hotline_card', 'es'),
  };
  await t
    .http()
    .put(`/campaigns/${campaignId}/materials`)
    .set(bearer(organizer))
    .send({ materialIds: Object.values(materials) })
    .expect(200);
  return { campaignId, turfIds, doors, apartmentDoorIds, materials };
}

export const assignRoute = (t: TestApp, organizer: Session, turfId: string, volunteerIds: string[]) =>
  t.http().put(`/turfs/${turfId}/assignment`).set(bearer(organizer)).send({ volunteerIds }).expect(200);

export const sync = (t: TestApp, who: Session, items: object[]) => t.http().post('/sync').set(bearer(who)).send({ items });

/** A volunteer's phone in load and fault tests: its session and the route it walks. */
export interface Phone {
  token: string;
  userId: string;
  turfId: string;
  doors: string[];
}

/** Two new volunteers for each of the fixture's first `routes` routes, each pair handed its route. */
export async function pairedVolunteers(t: TestApp, organizer: Session, fixture: RouteFixture, routes: number): Promise<Phone[]> {
  const phones: Phone[] = [];
  for (let i = 0; i < routes * 2; i++) {
    const member = await addMember(t, organizer, 'volunteer');
    const turfId = fixture.turfIds[Math.floor(i / 2)];
    phones.push({ token: member.accessToken, userId: member.userId, turfId, doors: fixture.doors.get(turfId)!.map((d) => d.id) });
  }
  for (let r = 0; r < routes; r++) await assignRoute(t, organizer, fixture.turfIds[r], [phones[2 * r].userId, phones[2 * r + 1].userId]);
  return phones;
}
