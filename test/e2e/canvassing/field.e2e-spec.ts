import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { JobProducer } from '@app/queue';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('in the field: shifts, visits, materials and the offline sync', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let ana: Member;
  let beto: Member;
  let f: RouteFixture;
  let turfId: string;
  let houses: string[];

  const count = async (table: string, where = 'true', args: unknown[] = []) =>
    (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, args))[0].n;
  const visit = (over: Record<string, unknown> = {}) => ({
    kind: 'visit',
    id: randomUUID(),
    turfId,
    doorId: houses[0],
    outcome: 'not_home',
    recordedAt: ago(1),
    ...over,
  });

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    ana = await addMember(t, organizer, 'volunteer');
    beto = await addMember(t, organizer, 'volunteer');
    f = await routeFixture(t, organizer, 2);
    turfId = f.turfIds[0];
    houses = f.doors
      .get(turfId)!
      .filter((d) => d.unit === null)
      .map((d) => d.id);
    await assignRoute(t, organizer, turfId, [ana.userId, beto.userId]);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('records a shift: check-in with materials, visits in Spanish and English, nobody home at six units, check-out', async () => {
    expect(f.apartmentDoorIds).toHaveLength(6);
    const shiftId = randomUUID();
    const talkedEs = visit({
      doorId: houses[1],
      outcome: 'talked',
      language: 'ES',
      followUp: true,
      materials: [
        { materialId: f.materials.kyrEs, quantity: 1 },
        { materialId: f.materials.hotlineEs, quantity: 1 },
      ],
      shiftId,
    });
    const talkedEn = visit({
      doorId: houses[2],
      outcome: 'talked',
      language: 'en',
      materials: [{ materialId: f.materials.kyrEn, quantity: 1 }],
    });
    const underDoor = visit({ doorId: houses[3], outcome: 'not_home', materials: [{ materialId: f.materials.kyrEs, quantity: 1 }] });
    const dnk = visit({ doorId: houses[4], outcome: 'do_not_knock' });
    const notHome = {
      kind: 'not_home',
      id: randomUUID(),
      turfId,
      doorIds: f.apartmentDoorIds,
      recordedAt: ago(1),
      materialsPerDoor: [{ materialId: f.materials.kyrEs, quantity: 1 }],
    };
    const batch = [
      talkedEs,
      {
        kind: 'check_in',
        id: shiftId,
        turfId,
        startedAt: ago(30),
        partnerUserId: beto.userId,
        location: { lat: 33.741234, lon: -84.350678 },
        materialsTaken: [
          { materialId: f.materials.kyrEs, quantity: 30 },
          { materialId: f.materials.kyrEn, quantity: 20 },
        ],
      },
      talkedEn,
      underDoor,
      dnk,
      notHome,
    ];
    const first = await sync(t, ana, batch).expect(200);
    expect(first.body.counts).toEqual({ created: 6, duplicate: 0, rejected: 0, quarantined: 0 });
    expect(first.body.results.map((r: { index: number; status: string }) => [r.index, r.status])).toEqual(
      batch.map((_, i) => [i, 'created']),
    );
    const sixIds = first.body.results[5].visitIds as string[];
    expect(new Set(sixIds).size).toBe(6);
    expect(await count('visits', 'id = ANY($1)', [sixIds])).toBe(6);
    expect(await count('visits', 'turf_id = $1', [turfId])).toBe(10);

    // The reply was lost: the phone sends the same batch again and nothing is stored twice.
    const again = await sync(t, ana, batch).expect(200);
    expect(again.body.counts).toEqual({ created: 0, duplicate: 6, rejected: 0, quarantined: 0 });
    expect(again.body.results[5].visitIds).toEqual(sixIds);
    expect(await count('visits', 'turf_id = $1', [turfId])).toBe(10);
    expect(await count('shifts', 'id = $1', [shiftId])).toBe(1);
    expect(await count('visit_materials', 'visit_id = ANY($1)', [sixIds])).toBe(6);

    // Coordinators see who is out now, with the coarse location rounded to about 100 m.
    const out = await t.http().get(`/campaigns/${f.campaignId}/shifts?open=true`).set(bearer(coordinator)).expect(200);
    expect(out.body.total).toBe(1);
    expect(out.body.items[0]).toMatchObject({
      id: shiftId,
      userId: ana.userId,
      partnerUserId: beto.userId,
      endedAt: null,
      coarseLocation: { lat: 33.741, lon: -84.351 },
    });
    expect(out.body.items[0].materials.map((m: { taken: number }) => m.taken).sort()).toEqual([20, 30]);
    const assignment = await t.http().get(`/turfs/${turfId}`).set(bearer(organizer)).expect(200);
    expect(assignment.body.assignment.status).toBe('in_progress');

    // The follow-up holds the door only; the coordinator closes it (closing again changes nothing).
    const followUps = await t.http().get(`/campaigns/${f.campaignId}/follow-ups?status=open`).set(bearer(coordinator)).expect(200);
    expect(followUps.body.total).toBe(1);
    expect(followUps.body.items[0]).toMatchObject({ doorId: houses[1], status: 'open', turfId });
    expect(Object.keys(followUps.body.items[0]).sort()).toEqual(
      ['closedAt', 'createdAt', 'doorId', 'id', 'number', 'status', 'street', 'turfId', 'turfName', 'unit'].sort(),
    );
    const closed = await t.http().post(`/follow-ups/${followUps.body.items[0].id}/close`).set(bearer(coordinator)).expect(200);
    expect(closed.body.status).toBe('closed');
    await t.http().post(`/follow-ups/${followUps.body.items[0].id}/close`).set(bearer(coordinator)).expect(200);
    expect(await count('audit_log', `action = 'follow_up.closed' AND target_id = $1`, [followUps.body.items[0].id])).toBe(1);

    // Each door's status is its latest visit; the "do not knock" door leaves the route.
    const status = await t.http().get(`/turfs/${turfId}/door-status`).set(bearer(ana)).expect(200);
    const byDoor = new Map((status.body as { doorId: string; outcome: string | null; doNotKnock: boolean }[]).map((d) => [d.doorId, d]));
    expect(byDoor.get(houses[1])!.outcome).toBe('talked');
    expect(byDoor.get(houses[4])).toMatchObject({ outcome: 'do_not_knock', doNotKnock: true });
    expect(f.apartmentDoorIds.every((id) => byDoor.get(id)!.outcome === 'not_home')).toBe(true);
    expect(byDoor.get(houses[5])!.outcome).toBeNull();
    const route = await t.http().get(`/turfs/${turfId}`).set(bearer(ana)).expect(200);
    expect(route.body.stops.map((s: { doorId: string }) => s.doorId)).not.toContain(houses[4]);

    // Materials out in the field: taken, left at doors (one under each of the six doors), none back yet.
    const counts = await t.http().get(`/campaigns/${f.campaignId}/material-counts`).set(bearer(organizer)).expect(200);
    const kyrEs = counts.body.find((m: { materialId: string }) => m.materialId === f.materials.kyrEs);
    expect(kyrEs).toMatchObject({ taken: 30, returned: 0, leftAtDoors: 8, outNow: 29 });

    const checkOut = {
      kind: 'check_out',
      id: randomUUID(),
      shiftId,
      endedAt: ago(0),
      materialsReturned: [
        { materialId: f.materials.kyrEs, quantity: 21 },
        { materialId: f.materials.kyrEn, quantity: 0 },
      ],
    };
    expect((await sync(t, ana, [checkOut]).expect(200)).body.results[0].status).toBe('created');
    expect((await sync(t, ana, [checkOut]).expect(200)).body.results[0].status).toBe('duplicate');
    expect((await t.http().get(`/campaigns/${f.campaignId}/shifts?open=true`).set(bearer(coordinator)).expect(200)).body.total).toBe(0);
    const after = await t.http().get(`/campaigns/${f.campaignId}/material-counts`).set(bearer(organizer)).expect(200);
    expect(after.body.find((m: { materialId: string }) => m.materialId === f.materials.kyrEs)).toMatchObject({ returned: 21, outNow: 0 });
  });

  it("gives the partner's phone what changed on the route since its cursor", async () => {
    const first = await t.http().get('/sync/changes').set(bearer(beto)).expect(200);
    expect(first.body.routes.map((r: { turfId: string }) => r.turfId)).toEqual([turfId]);
    expect(first.body.routes[0].assigneeIds.sort()).toEqual([ana.userId, beto.userId].sort());
    expect(first.body.routes[0].doNotKnockDoorIds).toEqual([houses[4]]);
    const stored = await count('visits', `turf_id = $1 AND status = 'accepted'`, [turfId]);
    expect(first.body.visits).toHaveLength(stored);

    const quiet = await t.http().get(`/sync/changes?cursor=${first.body.cursor}`).set(bearer(beto)).expect(200);
    expect(quiet.body.visits).toEqual([]);

    const fresh = visit({ doorId: houses[6], outcome: 'come_back_later', language: 'es' });
    await sync(t, ana, [fresh]).expect(200);
    const next = await t.http().get(`/sync/changes?cursor=${quiet.body.cursor}`).set(bearer(beto)).expect(200);
    expect(next.body.visits.map((v: { id: string }) => v.id)).toEqual([fresh.id]);
    expect(next.body.visits[0]).toMatchObject({ doorId: houses[6], userId: ana.userId, outcome: 'come_back_later', language: 'es' });
    expect(next.body.visits[0]).not.toHaveProperty('note');

    await t.http().get('/sync/changes?cursor=abc').set(bearer(beto)).expect(400);
    // Someone with no route gets no routes and no visits.
    const stranger = await addMember(t, organizer, 'volunteer');
    const none = await t.http().get('/sync/changes').set(bearer(stranger)).expect(200);
    expect(none.body).toMatchObject({ routes: [], visits: [] });
  });

  it("derives a door's status from the latest visit by phone time, whatever order they arrive in", async () => {
    const door = houses[7];
    const later = visit({ doorId: door, outcome: 'talked', recordedAt: ago(5) });
    const earlier = visit({ doorId: door, outcome: 'not_home', recordedAt: ago(20) });
    await sync(t, ana, [later]).expect(200);
    await sync(t, beto, [earlier]).expect(200);
    const status = await t.http().get(`/turfs/${turfId}/door-status`).set(bearer(beto)).expect(200);
    expect(status.body.find((d: { doorId: string }) => d.doorId === door)).toMatchObject({ outcome: 'talked', attempts: 2 });
  });

  it('stores, flags and shows records whose phone clock is ahead or earlier than the assignment', async () => {
    const ahead = visit({ doorId: houses[8], recordedAt: new Date(Date.now() + 3 * 3600_000).toISOString() });
    const before = visit({ doorId: houses[9], recordedAt: ago(3 * 24 * 60) });
    const res = await sync(t, ana, [ahead, before]).expect(200);
    expect(res.body.results.map((r: { status: string; flags: string[] }) => [r.status, r.flags])).toEqual([
      ['created', ['ahead']],
      ['created', ['before_assignment']],
    ]);
    const flagged = await t.http().get(`/campaigns/${f.campaignId}/visits?flagged=true`).set(bearer(coordinator)).expect(200);
    const ids = flagged.body.items.map((v: { id: string }) => v.id);
    expect(ids).toEqual(expect.arrayContaining([ahead.id, before.id]));
    // A phone clock ahead of the server does not win the door's status over later visits.
    const [{ effective }] = await t.db.query('SELECT effective_at <= received_at AS effective FROM visits WHERE id = $1', [ahead.id]);
    expect(effective).toBe(true);
  });

  it('answers each bad record on its own, keeps the good ones, and never writes half a record', async () => {
    const other = await signupOrganizer(t);
    const foreign = await routeFixture(t, other);
    const stranger = await addMember(t, organizer, 'volunteer');
    const shift = randomUUID();
    await sync(t, ana, [{ kind: 'check_in', id: shift, turfId, startedAt: ago(5) }]).expect(200);
    await sync(t, ana, [{ kind: 'check_out', id: randomUUID(), shiftId: shift, endedAt: ago(1) }]).expect(200);
    const takenId = randomUUID();
    await sync(t, ana, [visit({ id: takenId })]).expect(200);
    const good = visit({ doorId: houses[10], outcome: 'refused' });
    const cases: [object, string, string?][] = [
      [visit({ turfId: randomUUID() }), 'UNKNOWN_ROUTE', 'turfId'],
      [visit({ turfId: foreign.turfIds[0], doorId: foreign.doors.get(foreign.turfIds[0])![0].id }), 'UNKNOWN_ROUTE', 'turfId'],
      [visit({ turfId: f.turfIds[1], doorId: f.doors.get(f.turfIds[1])![0].id }), 'NOT_YOUR_ROUTE', 'turfId'],
      [visit({ doorId: f.doors.get(f.turfIds[1])![0].id }), 'DOOR_NOT_ON_ROUTE', 'doorId'],
      [visit({ materials: [{ materialId: foreign.materials.kyrEs, quantity: 1 }] }), 'UNKNOWN_MATERIAL', 'materials.0.materialId'],
      [visit({ note: 'Dog in the yard' }), 'NOTES_DISABLED', 'note'],
      [visit({ id: 'not-a-uuid' }), 'INVALID', 'id'],
      [visit({ outcome: 'abducted_by_aliens' }), 'INVALID', 'outcome'],
      [visit({ materials: [{ materialId: f.materials.kyrEs, quantity: -2 }] }), 'INVALID', 'materials.0.quantity'],
      [visit({ recordedAt: 'yesterday' }), 'INVALID', 'recordedAt'],
      [visit({ language: 'spanish' }), 'INVALID', 'language'],
      [visit({ surname: 'Lopez' }), 'INVALID', 'surname'],
      [{ kind: 'census', id: randomUUID() }, 'INVALID', 'kind'],
      [{ kind: 'not_home', id: randomUUID(), turfId, doorIds: [], recordedAt: ago(1) }, 'INVALID', 'doorIds'],
      [
        { kind: 'check_in', id: randomUUID(), turfId, startedAt: ago(1), partnerUserId: other.organizationId },
        'UNKNOWN_PARTNER',
        'partnerUserId',
      ],
      [{ kind: 'check_in', id: randomUUID(), turfId, startedAt: ago(1), location: { lat: 133, lon: 0 } }, 'INVALID', 'location.lat'],
      [{ kind: 'check_out', id: randomUUID(), shiftId: randomUUID(), endedAt: ago(1) }, 'UNKNOWN_SHIFT', 'shiftId'],
      [{ kind: 'check_out', id: randomUUID(), shiftId: shift, endedAt: ago(0) }, 'ALREADY_CHECKED_OUT'],
    ];
    const before = await Promise.all(['visits', 'visit_materials', 'shifts', 'shift_materials', 'follow_ups'].map((x) => count(x)));
    const res = await sync(t, ana, [...cases.map(([item]) => item), good]).expect(200);
    cases.forEach(([, code, field], i) => {
      const r = res.body.results[i];
      expect({ i, status: r.status, code: r.code }).toEqual({ i, status: 'rejected', code });
      expect(typeof r.message).toBe('string');
      if (field) expect(Object.keys(r.fields)).toContain(field);
    });
    expect(res.body.results[cases.length]).toMatchObject({ status: 'created', id: good.id });
    const afterCounts = await Promise.all(['visits', 'visit_materials', 'shifts', 'shift_materials', 'follow_ups'].map((x) => count(x)));
    expect(afterCounts).toEqual([before[0] + 1, ...before.slice(1)]);

    // The same id from someone else is refused, not taken for a duplicate.
    await assignRoute(t, organizer, f.turfIds[1], [stranger.userId]);
    const clash = await sync(t, stranger, [visit({ id: takenId, turfId: f.turfIds[1], doorId: f.doors.get(f.turfIds[1])![0].id })]).expect(
      200,
    );
    expect(clash.body.results[0]).toMatchObject({ status: 'rejected', code: 'ID_TAKEN' });

    // Whole-request errors: too many records, not a list, records that are not objects. Nothing is written.
    const many = Array.from({ length: 501 }, () => visit({ doorId: houses[11] }));
    const tooMany = await t.http().post('/sync').set(bearer(ana)).send({ items: many }).expect(400);
    expect(tooMany.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(tooMany.body.details.fields).toHaveProperty('items');
    await t.http().post('/sync').set(bearer(ana)).send({ items: 'visits' }).expect(400);
    await t
      .http()
      .post('/sync')
      .set(bearer(ana))
      .send({ items: [42] })
      .expect(400);
    await t.http().post('/sync').set(bearer(ana)).send({ items: [] }).expect(400);
    await t
      .http()
      .post('/sync')
      .send({ items: [visit()] })
      .expect(401);
    expect(await count('visits', 'door_id = $1', [houses[11]])).toBe(0);
  });

  it('keeps notes only when the organization enables them, and shows them to organizers alone', async () => {
    await t.http().patch('/organizations/current').set(bearer(coordinator)).send({ notesEnabled: true }).expect(403);
    const on = await t.http().patch('/organizations/current').set(bearer(organizer)).send({ notesEnabled: true }).expect(200);
    expect(on.body).toMatchObject({ notesEnabled: true, coarseLocationEnabled: true });
    const noted = visit({ doorId: houses[12], outcome: 'talked', note: 'Asked for a workshop on Tuesday' });
    const notedRes = (await sync(t, ana, [noted]).expect(200)).body.results[0];
    expect(notedRes).toMatchObject({ status: 'created' });
    const long = await sync(t, ana, [visit({ note: 'x'.repeat(501) })]).expect(200);
    expect(long.body.results[0]).toMatchObject({ status: 'rejected', code: 'INVALID' });
    expect(long.body.results[0].fields).toHaveProperty('note');

    const asOrganizer = await t.http().get(`/campaigns/${f.campaignId}/visits?limit=100`).set(bearer(organizer)).expect(200);
    expect(asOrganizer.body.items.find((v: { id: string }) => v.id === noted.id).note).toBe('Asked for a workshop on Tuesday');
    const asCoordinator = await t.http().get(`/campaigns/${f.campaignId}/visits?limit=100`).set(bearer(coordinator)).expect(200);
    expect(asCoordinator.body.items.find((v: { id: string }) => v.id === noted.id)).not.toHaveProperty('note');
    expect(JSON.stringify(asCoordinator.body)).not.toContain('workshop');
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ notesEnabled: false }).expect(200);
  });

  it('stores no location when the organization turns coarse locations off', async () => {
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ coarseLocationEnabled: false }).expect(200);
    const id = randomUUID();
    await sync(t, ana, [{ kind: 'check_in', id, turfId, startedAt: ago(1), location: { lat: 33.7412, lon: -84.3506 } }]).expect(200);
    const [row] = await t.db.query('SELECT coarse_lat, coarse_lon FROM shifts WHERE id = $1', [id]);
    expect(row).toEqual({ coarse_lat: null, coarse_lon: null });
    await sync(t, ana, [{ kind: 'check_out', id: randomUUID(), shiftId: id, endedAt: ago(0) }]).expect(200);
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ coarseLocationEnabled: true }).expect(200);
  });

  it("quarantines a revoked route's offline visits for a coordinator to accept or discard", async () => {
    const fixture = await routeFixture(t, organizer);
    const route = fixture.turfIds[0];
    const doors = fixture.doors.get(route)!.map((d) => d.id);
    await assignRoute(t, organizer, route, [ana.userId]);
    await t.http().delete(`/turfs/${route}/assignment`).set(bearer(organizer)).expect(200);
    const kept = visit({ turfId: route, doorId: doors[0], outcome: 'talked', followUp: true });
    const dropped = visit({ turfId: route, doorId: doors[1], outcome: 'talked' });
    const res = await sync(t, ana, [kept, dropped]).expect(200);
    expect(res.body.counts).toMatchObject({ quarantined: 2 });
    expect(res.body.results[0].message).toMatch(/coordinator/);
    expect((await sync(t, ana, [kept]).expect(200)).body.results[0].status).toBe('duplicate');

    const held = await t.http().get(`/campaigns/${fixture.campaignId}/visits?status=quarantined`).set(bearer(coordinator)).expect(200);
    expect(held.body.items.map((v: { id: string }) => v.id).sort()).toEqual([kept.id, dropped.id].sort());
    expect(held.body.items[0].quarantineReason).toBe('assignment_released');
    // Quarantined visits do not count yet: no status, no follow-up.
    let status = await t.http().get(`/turfs/${route}/door-status`).set(bearer(coordinator)).expect(200);
    expect(status.body.find((d: { doorId: string }) => d.doorId === doors[0]).outcome).toBeNull();
    expect(await count('follow_ups', 'visit_id = $1', [kept.id])).toBe(0);

    await t.http().post(`/visits/${kept.id}/review`).set(bearer(ana)).send({ decision: 'accept' }).expect(403);
    await t.http().post(`/visits/${kept.id}/review`).set(bearer(coordinator)).send({ decision: 'keep' }).expect(400);
    const accepted = await t.http().post(`/visits/${kept.id}/review`).set(bearer(coordinator)).send({ decision: 'accept' }).expect(200);
    expect(accepted.body.status).toBe('accepted');
    await t.http().post(`/visits/${dropped.id}/review`).set(bearer(coordinator)).send({ decision: 'discard' }).expect(200);
    const twice = await t.http().post(`/visits/${dropped.id}/review`).set(bearer(coordinator)).send({ decision: 'accept' }).expect(409);
    expect(twice.body.code).toBe('CONFLICT');
    status = await t.http().get(`/turfs/${route}/door-status`).set(bearer(coordinator)).expect(200);
    expect(status.body.find((d: { doorId: string }) => d.doorId === doors[0]).outcome).toBe('talked');
    expect(status.body.find((d: { doorId: string }) => d.doorId === doors[1]).outcome).toBeNull();
    expect(await count('follow_ups', 'visit_id = $1', [kept.id])).toBe(1);
    expect(await count('audit_log', `action = 'visit.reviewed' AND target_id = ANY($1)`, [[kept.id, dropped.id]])).toBe(2);
  });

  it('keeps other organizations and volunteers out', async () => {
    const other = await signupOrganizer(t);
    for (const path of [
      `/campaigns/${f.campaignId}/shifts`,
      `/campaigns/${f.campaignId}/follow-ups`,
      `/campaigns/${f.campaignId}/visits`,
      `/campaigns/${f.campaignId}/material-counts`,
      `/turfs/${turfId}/door-status`,
    ]) {
      await t.http().get(path).set(bearer(other)).expect(404);
    }
    for (const path of [
      `/campaigns/${f.campaignId}/shifts`,
      `/campaigns/${f.campaignId}/follow-ups`,
      `/campaigns/${f.campaignId}/visits`,
    ]) {
      await t.http().get(path).set(bearer(ana)).expect(403);
    }
    // A volunteer sees the status of their own routes only.
    await t.http().get(`/turfs/${f.turfIds[1]}/door-status`).set(bearer(beto)).expect(404);
    const anyVisit = (await t.db.query('SELECT id FROM visits WHERE turf_id = $1 LIMIT 1', [turfId]))[0].id;
    await t.http().post(`/visits/${anyVisit}/review`).set(bearer(other)).send({ decision: 'accept' }).expect(404);
  });

  it('closes a shift left open for 12 hours (worker job)', async () => {
    const stale = randomUUID();
    await sync(t, beto, [{ kind: 'check_in', id: stale, turfId, startedAt: ago(13 * 60) }]).expect(200);
    const fresh = randomUUID();
    await sync(t, beto, [{ kind: 'check_in', id: fresh, turfId, startedAt: ago(10) }]).expect(200);
    const result = await worker
      .get(JobProducer)
      .runAndWait<'shifts-close', { closed: number }>('shifts-close', { requestedAt: ago(0) }, 15_000);
    expect(result.closed).toBeGreaterThanOrEqual(1);
    const rows = await t.db.query<{ id: string; ended_by: string | null; hours: number | null }[]>(
      `SELECT id, ended_by, extract(epoch FROM ended_at - started_at) / 3600 AS hours FROM shifts WHERE id = ANY($1)`,
      [[stale, fresh]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(stale)).toMatchObject({ ended_by: 'auto' });
    expect(Number(byId.get(stale)!.hours)).toBeCloseTo(12, 5);
    expect(byId.get(fresh)).toMatchObject({ ended_by: null, hours: null });
    // The phone's own check-out, arriving late, still counts.
    const late = await sync(t, beto, [{ kind: 'check_out', id: randomUUID(), shiftId: stale, endedAt: ago(60) }]).expect(200);
    expect(late.body.results[0].status).toBe('created');
    await sync(t, beto, [{ kind: 'check_out', id: randomUUID(), shiftId: fresh, endedAt: ago(0) }]).expect(200);
  });
});
