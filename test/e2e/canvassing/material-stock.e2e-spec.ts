import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

interface MaterialBody {
  id: string;
  name: string;
  names: { en?: string; es?: string };
  language: string;
  stock: number;
  lowStockThreshold: number | null;
  lowStock: boolean;
  retiredAt: string | null;
}

describe('materials kept by coordinators: names per language, retiring, and a stock that follows the field', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let ana: Member;
  let f: RouteFixture;
  let turfId: string;
  let houses: string[];

  const stockOf = async (id: string) => (await t.db.query<{ stock: number }[]>('SELECT stock FROM materials WHERE id = $1', [id]))[0].stock;
  const setStock = (id: string, stock: number) => t.http().patch(`/materials/${id}`).set(bearer(coordinator)).send({ stock }).expect(200);
  const countsOf = async (campaignId: string) =>
    (await t.http().get(`/campaigns/${campaignId}/material-counts`).set(bearer(coordinator)).expect(200)).body as (MaterialBody & {
      materialId: string;
      taken: number;
      returned: number;
      leftAtDoors: number;
      retired: boolean;
    })[];

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    ana = await addMember(t, organizer, 'volunteer');
    f = await routeFixture(t, organizer, 1);
    turfId = f.turfIds[0];
    houses = f.doors
      .get(turfId)!
      .filter((d) => d.unit === null)
      .map((d) => d.id);
    await assignRoute(t, organizer, turfId, [ana.userId]);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('lets a coordinator create, rename per language, edit, retire and put back a material, and choose what a campaign hands out', async () => {
    const created = await t
      .http()
      .post('/materials')
      .set(bearer(coordinator))
      .send({
        names: { en: 'Know your rights card (Spanish)', es: 'Tarjeta conozca sus derechos (español)' },
        kind: 'kyr_card',
        language: 'es',
        stock: 200,
        lowStockThreshold: 50,
      })
      .expect(201);
    const card = created.body as MaterialBody;
    expect(card).toMatchObject({
      // The catalogue name is the English one when none is given.
      name: 'Know your rights card (Spanish)',
      names: { en: 'Know your rights card (Spanish)', es: 'Tarjeta conozca sus derechos (español)' },
      language: 'es',
      stock: 200,
      lowStockThreshold: 50,
      lowStock: false,
      retiredAt: null,
    });

    // A name in a language the interface does not speak, or no name at all, is refused field by field.
    const bad = await t
      .http()
      .post('/materials')
      .set(bearer(coordinator))
      .send({ names: { fr: 'Carte' }, kind: 'kyr_card', language: 'fr', lowStockThreshold: -1 })
      .expect(400);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['lowStockThreshold', 'name', 'names.fr']);

    const edited = await t
      .http()
      .patch(`/materials/${card.id}`)
      .set(bearer(coordinator))
      .send({ names: { en: 'Rights card, Spanish', es: 'Tarjeta de derechos' }, stock: 40 })
      .expect(200);
    expect(edited.body).toMatchObject({
      name: 'Rights card, Spanish',
      names: { en: 'Rights card, Spanish', es: 'Tarjeta de derechos' },
      stock: 40,
      lowStock: true,
    });
    const cleared = await t.http().patch(`/materials/${card.id}`).set(bearer(coordinator)).send({ lowStockThreshold: null }).expect(200);
    expect(cleared.body).toMatchObject({ lowStockThreshold: null, lowStock: false, name: 'Rights card, Spanish' });

    const campaign = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Stock' }).expect(201)).body.id as string;
    await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(coordinator))
      .send({ materialIds: [card.id, f.materials.kyrEn] })
      .expect(200);

    const retired = await t.http().post(`/materials/${card.id}/retire`).set(bearer(coordinator)).expect(200);
    expect(retired.body.retiredAt).not.toBeNull();
    // Retiring twice keeps the first date.
    expect((await t.http().post(`/materials/${card.id}/retire`).set(bearer(coordinator)).expect(200)).body.retiredAt).toBe(
      retired.body.retiredAt,
    );
    const ids = async (query: string) =>
      ((await t.http().get(`/materials${query}`).set(bearer(coordinator)).expect(200)).body.items as MaterialBody[]).map((m) => m.id);
    expect(await ids('')).not.toContain(card.id);
    expect(await ids('?status=retired')).toEqual([card.id]);
    expect(await ids('?status=all')).toContain(card.id);
    await t.http().get('/materials?status=gone').set(bearer(coordinator)).expect(400);
    // Off the campaign's list, and phones no longer offer it; it cannot be chosen again while retired.
    const handedOut = await t.http().get(`/campaigns/${campaign}/materials`).set(bearer(ana)).expect(200);
    expect(handedOut.body.map((m: MaterialBody) => m.id)).toEqual([f.materials.kyrEn]);
    const refused = await t
      .http()
      .put(`/campaigns/${campaign}/materials`)
      .set(bearer(coordinator))
      .send({ materialIds: [f.materials.kyrEn, card.id] })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'MATERIAL_RETIRED', details: { fields: { 'materialIds.1': ['is retired'] } } });

    await t.http().post(`/materials/${card.id}/restore`).set(bearer(coordinator)).expect(200);
    expect((await t.http().get(`/campaigns/${campaign}/materials`).set(bearer(ana)).expect(200)).body).toHaveLength(2);

    // Volunteers neither add, change nor retire materials.
    await t.http().post('/materials').set(bearer(ana)).send({ name: 'Flyer', kind: 'flyer', language: 'en' }).expect(403);
    await t.http().patch(`/materials/${card.id}`).set(bearer(ana)).send({ stock: 1 }).expect(403);
    await t.http().post(`/materials/${card.id}/retire`).set(bearer(ana)).expect(403);
    // Another organization's material is unknown here.
    const other = await signupOrganizer(t);
    await t.http().post(`/materials/${card.id}/retire`).set(bearer(other)).expect(404);
  });

  it('takes 20 out of stock at check-in and puts 19 back at check-out once one was left at a door, once however often the phone resends', async () => {
    const card = f.materials.kyrEs;
    await setStock(card, 500);
    const shiftId = randomUUID();
    const checkIn = { kind: 'check_in', id: shiftId, turfId, startedAt: ago(60), materialsTaken: [{ materialId: card, quantity: 20 }] };
    expect((await sync(t, ana, [checkIn]).expect(200)).body.results[0].status).toBe('created');
    expect(await stockOf(card)).toBe(480);
    // The reply was lost: the phone sends the check-in again, twice at once.
    const again = await Promise.all([sync(t, ana, [checkIn]), sync(t, ana, [checkIn])]);
    expect(again.map((r) => r.body.results[0].status)).toEqual(['duplicate', 'duplicate']);
    expect(await stockOf(card)).toBe(480);

    const left = {
      kind: 'visit',
      id: randomUUID(),
      turfId,
      doorId: houses[0],
      shiftId,
      outcome: 'talked',
      language: 'es',
      recordedAt: ago(30),
      materials: [{ materialId: card, quantity: 1 }],
    };
    await sync(t, ana, [left]).expect(200);
    // Leaving a card at a door does not move the stock: it left the office at check-in.
    expect(await stockOf(card)).toBe(480);

    const checkOut = {
      kind: 'check_out',
      id: randomUUID(),
      shiftId,
      endedAt: ago(1),
      materialsReturned: [{ materialId: card, quantity: 19 }],
    };
    const back = await Promise.all([sync(t, ana, [checkOut]), sync(t, ana, [checkOut])]);
    expect(back.map((r) => r.body.results[0].status).sort()).toEqual(['created', 'duplicate']);
    expect(await sync(t, ana, [checkOut]).expect(200)).toHaveProperty('body.results.0.status', 'duplicate');
    expect(await stockOf(card)).toBe(499);

    const counts = (await countsOf(f.campaignId)).find((m) => m.materialId === card)!;
    expect(counts).toMatchObject({ taken: 20, returned: 19, leftAtDoors: 1, stock: 499, outNow: 0 });
  });

  it('moves the stock by the difference when check-in and check-out come in one batch, and never below zero', async () => {
    const [es, en] = [f.materials.kyrEs, f.materials.kyrEn];
    await setStock(es, 100);
    await setStock(en, 5);
    const shiftId = randomUUID();
    const batch = [
      {
        kind: 'check_in',
        id: shiftId,
        turfId,
        startedAt: ago(90),
        materialsTaken: [
          { materialId: es, quantity: 30 },
          { materialId: en, quantity: 10 },
        ],
      },
      {
        kind: 'check_out',
        id: randomUUID(),
        shiftId,
        endedAt: ago(10),
        materialsReturned: [{ materialId: es, quantity: 25 }],
      },
    ];
    const first = await sync(t, ana, batch).expect(200);
    expect(first.body.counts).toMatchObject({ created: 2 });
    // 100 - 30 + 25; the English cards counted 5 while 10 went out: the stock is empty, not negative.
    expect(await stockOf(es)).toBe(95);
    expect(await stockOf(en)).toBe(0);
    await sync(t, ana, batch).expect(200);
    expect(await stockOf(es)).toBe(95);
    expect(await stockOf(en)).toBe(0);
  });

  it("tells the dashboard which materials run low (stock at or below the material's threshold)", async () => {
    const [es, en, hotline] = [f.materials.kyrEs, f.materials.kyrEn, f.materials.hotlineEs];
    await t.http().patch(`/materials/${es}`).set(bearer(coordinator)).send({ stock: 30, lowStockThreshold: 30 }).expect(200);
    await t.http().patch(`/materials/${en}`).set(bearer(coordinator)).send({ stock: 31, lowStockThreshold: 30 }).expect(200);
    await t.http().patch(`/materials/${hotline}`).set(bearer(coordinator)).send({ stock: 0, lowStockThreshold: null }).expect(200);
    const counts = await countsOf(f.campaignId);
    const byId = new Map(counts.map((m) => [m.materialId, m]));
    expect(byId.get(es)).toMatchObject({ stock: 30, lowStockThreshold: 30, lowStock: true, retired: false });
    expect(byId.get(en)).toMatchObject({ stock: 31, lowStockThreshold: 30, lowStock: false });
    // No threshold, no warning.
    expect(byId.get(hotline)).toMatchObject({ stock: 0, lowStockThreshold: null, lowStock: false });

    // A check-in that takes the English cards down to the threshold turns the warning on.
    await sync(t, ana, [
      { kind: 'check_in', id: randomUUID(), turfId, startedAt: ago(5), materialsTaken: [{ materialId: en, quantity: 1 }] },
    ]).expect(200);
    expect((await countsOf(f.campaignId)).find((m) => m.materialId === en)).toMatchObject({ stock: 30, lowStock: true });
    const listed = (await t.http().get('/materials').set(bearer(coordinator)).expect(200)).body.items as MaterialBody[];
    expect(
      listed
        .filter((m) => m.lowStock)
        .map((m) => m.id)
        .sort(),
    ).toEqual([es, en].sort());
  });
});
