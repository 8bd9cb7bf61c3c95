import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { RouteFixture, routeFixture, sync } from '../../support/field';
import { waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('paper walk lists typed in by coordinators', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let ana: Member;
  let f: RouteFixture;
  let turfId: string;
  let otherTurfId: string;
  let houses: string[];

  const count = async (table: string, where = 'true', args: unknown[] = []) =>
    (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, args))[0].n;
  const paper = (who: { accessToken: string }, body: object, turf = turfId) =>
    t.http().post(`/turfs/${turf}/paper-visits`).set(bearer(who)).send(body);
  const sheet = (over: Record<string, unknown> = {}) => ({
    sheetId: randomUUID(),
    walkedBy: ana.userId,
    walkedAt: ago(120),
    entries: [{ doorId: houses[0], outcome: 'not_home' }],
    ...over,
  });
  const paperVisits = () => count('visits', 'turf_id = $1 AND entered_by_user_id IS NOT NULL', [turfId]);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    ana = await addMember(t, organizer, 'volunteer');
    f = await routeFixture(t, organizer, 2);
    [turfId, otherTurfId] = f.turfIds;
    houses = f.doors
      .get(turfId)!
      .filter((d) => d.unit === null)
      .map((d) => d.id);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it("stores a sheet's lines as the walker's visits, entered by the coordinator: statuses, follow-ups, materials, coverage, the partner's phone", async () => {
    const before = (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator)).expect(200)).body.visits as number;
    const walkedAt = ago(180);
    const body = sheet({
      walkedAt,
      entries: [
        {
          doorId: houses[0],
          outcome: 'talked',
          language: 'ES',
          followUp: true,
          materials: [{ materialId: f.materials.kyrEs, quantity: 2 }],
        },
        { doorId: houses[1], outcome: 'not_home', materials: [{ materialId: f.materials.kyrEn, quantity: 1 }] },
        { doorId: houses[2], outcome: 'do_not_knock' },
        ...f.apartmentDoorIds.slice(0, 3).map((doorId) => ({ doorId, outcome: 'not_home' })),
      ],
    });

    const res = await paper(coordinator, body).expect(200);

    expect(res.body).toEqual({ sheetId: body.sheetId, created: 6, duplicate: 0 });
    const rows = await t.db.query<
      {
        door_id: string;
        user_id: string;
        entered_by_user_id: string;
        outcome: string;
        language: string | null;
        recorded_at: Date;
        status: string;
        shift_id: string | null;
      }[]
    >(
      `SELECT door_id, user_id, entered_by_user_id, outcome, language, recorded_at, status, shift_id FROM visits
        WHERE turf_id = $1 AND entered_by_user_id IS NOT NULL`,
      [turfId],
    );
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row).toMatchObject({ user_id: ana.userId, entered_by_user_id: coordinator.userId, status: 'accepted', shift_id: null });
      expect(row.recorded_at.toISOString()).toBe(walkedAt);
    }
    expect(rows.find((r) => r.door_id === houses[0])).toMatchObject({ outcome: 'talked', language: 'es' });
    expect(await count('follow_ups', 'door_id = $1', [houses[0]])).toBe(1);
    expect(
      await count('visit_materials vm JOIN visits v ON v.id = vm.visit_id', 'v.turf_id = $1 AND v.entered_by_user_id IS NOT NULL', [
        turfId,
      ]),
    ).toBe(2);
    expect(await count('doors', 'id = $1 AND do_not_knock_at IS NOT NULL', [houses[2]])).toBe(1);

    // The visits count like a phone's: door statuses, the visit list (which says who typed them in), the dashboard.
    const status = await t.http().get(`/turfs/${turfId}/door-status`).set(bearer(coordinator)).expect(200);
    const byDoor = new Map((status.body as { doorId: string; outcome: string | null }[]).map((d) => [d.doorId, d.outcome]));
    expect([byDoor.get(houses[0]), byDoor.get(houses[1]), byDoor.get(houses[2])]).toEqual(['talked', 'not_home', 'do_not_knock']);
    const list = await t.http().get(`/campaigns/${f.campaignId}/visits?turfId=${turfId}`).set(bearer(coordinator)).expect(200);
    expect(list.body.items).toHaveLength(6);
    // Each names its door and route, for the coordinator reading the list.
    const route = (await t.http().get(`/turfs/${turfId}`).set(bearer(coordinator)).expect(200)).body as {
      name: string;
      stops: { doorId: string; number: string; street: string; unit: string | null }[];
    };
    const stops = new Map(route.stops.map((stop) => [stop.doorId, stop]));
    for (const v of list.body.items as { doorId: string }[]) {
      const stop = stops.get(v.doorId);
      if (stop) expect(v).toMatchObject({ number: stop.number, street: stop.street, unit: stop.unit, turfName: route.name });
      // The door marked "do not knock" has left the route, not the list.
      else expect(v).toMatchObject({ doorId: houses[2], street: stops.get(houses[1])!.street, unit: null, turfName: route.name });
    }
    expect(
      list.body.items.every(
        (v: { userId: string; enteredByUserId: string }) => v.userId === ana.userId && v.enteredByUserId === coordinator.userId,
      ),
    ).toBe(true);
    await waitFor(
      async () => (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator))).body.visits === before + 6,
      30_000,
      'the dashboard to count the sheet',
    );
    // The audit log names the sheet and the walker, not the doors.
    const [audit] = await t.db.query<{ actor_user_id: string; metadata: Record<string, unknown> }[]>(
      `SELECT actor_user_id, metadata FROM audit_log WHERE action = 'visits.entered_from_paper' AND target_id = $1`,
      [turfId],
    );
    expect(audit).toEqual({ actor_user_id: coordinator.userId, metadata: { sheetId: body.sheetId, walkedBy: ana.userId, visits: 6 } });

    // The answer was lost and the coordinator sends the sheet again: nothing is stored twice.
    const again = await paper(coordinator, body).expect(200);
    expect(again.body).toEqual({ sheetId: body.sheetId, created: 0, duplicate: 6 });
    expect(await paperVisits()).toBe(6);
    expect(await count('follow_ups', 'door_id = $1', [houses[0]])).toBe(1);

    // A phone on the route pulls the sheet's visits like a partner's.
    await t
      .http()
      .put(`/turfs/${turfId}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [ana.userId] })
      .expect(200);
    const pulled = await t.http().get('/sync/changes').set(bearer(ana)).expect(200);
    const pulledIds = new Set((pulled.body.visits as { doorId: string }[]).map((v) => v.doorId));
    expect([houses[0], houses[1], ...f.apartmentDoorIds.slice(0, 3)].every((d) => pulledIds.has(d))).toBe(true);
    // And a later visit from the phone is the door's status from then on.
    await sync(t, ana, [{ kind: 'visit', id: randomUUID(), turfId, doorId: houses[1], outcome: 'talked', recordedAt: ago(1) }]).expect(200);
    const after = await t.http().get(`/turfs/${turfId}/door-status`).set(bearer(coordinator)).expect(200);
    expect(after.body.find((d: { doorId: string }) => d.doorId === houses[1]).outcome).toBe('talked');
  });

  it('refuses a sheet with any line that does not fit, naming every such line, and stores none of it', async () => {
    const stored = await paperVisits();
    const otherDoor = f.doors.get(otherTurfId)![0].id;
    const res = await paper(
      coordinator,
      sheet({
        entries: [
          { doorId: houses[5], outcome: 'talked' },
          { doorId: otherDoor, outcome: 'not_home' },
          { doorId: houses[5], outcome: 'refused' },
          { doorId: houses[6], outcome: 'not_home', materials: [{ materialId: randomUUID(), quantity: 1 }] },
          { doorId: randomUUID(), outcome: 'moved' },
        ],
      }),
    ).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields).toEqual({
      'entries.1.doorId': ['is not a door of this route'],
      'entries.2.doorId': ['is already on line 1 of this sheet'],
      'entries.3.materials.0.materialId': ['is not a material of this organization'],
      'entries.4.doorId': ['is not a door of this route'],
    });
    expect(await paperVisits()).toBe(stored);

    // The walker must be an active member of the organization; the sheet cannot be from the future.
    const stranger = await signupOrganizer(t);
    const strangerId = (await t.http().get('/me').set(bearer(stranger)).expect(200)).body.id as string;
    const bad = await paper(coordinator, sheet({ walkedBy: strangerId, walkedAt: new Date(Date.now() + 3600_000).toISOString() })).expect(
      400,
    );
    expect(bad.body.details.fields).toEqual({
      walkedBy: ['is not an active member of this organization'],
      walkedAt: ['is in the future'],
    });

    // Malformed sheets are refused by field before anything is looked up.
    const shapes: [object, string][] = [
      [sheet({ entries: [] }), 'entries'],
      [sheet({ entries: Array.from({ length: 501 }, () => ({ doorId: houses[0], outcome: 'not_home' })) }), 'entries'],
      [sheet({ entries: [{ doorId: houses[0], outcome: 'asleep' }] }), 'entries.0.outcome'],
      [sheet({ entries: [{ doorId: 'door-1', outcome: 'not_home' }] }), 'entries.0.doorId'],
      [sheet({ entries: [{ doorId: houses[0], outcome: 'talked', language: 'spanish' }] }), 'entries.0.language'],
      [
        sheet({ entries: [{ doorId: houses[0], outcome: 'not_home', materials: [{ materialId: f.materials.kyrEs, quantity: -1 }] }] }),
        'entries.0.materials.0.quantity',
      ],
      [sheet({ entries: [{ doorId: houses[0], outcome: 'talked', note: 'kind family' }] }), 'entries.0.note'],
      [sheet({ sheetId: 'sheet-1' }), 'sheetId'],
      [sheet({ walkedAt: 'last Tuesday' }), 'walkedAt'],
    ];
    for (const [body, field] of shapes) {
      const answer = await paper(coordinator, body).expect(400);
      expect(answer.body.details.fields).toHaveProperty([field]);
    }
    expect(await paperVisits()).toBe(stored);
  });

  it('is for organizers and coordinators of the route’s organization only', async () => {
    await paper(ana, sheet()).expect(403);
    const elsewhere = await signupOrganizer(t);
    const res = await paper(elsewhere, sheet()).expect(404);
    expect(res.body.code).toBe('NOT_FOUND');
    await paper(organizer, sheet({ entries: [{ doorId: houses[7], outcome: 'no_access' }] })).expect(200);
    const organizerId = (await t.http().get('/me').set(bearer(organizer)).expect(200)).body.id as string;
    expect(await count('visits', 'door_id = $1 AND entered_by_user_id = $2', [houses[7], organizerId])).toBe(1);
  });
});
