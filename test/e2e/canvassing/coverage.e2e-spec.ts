import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { CoverageService } from '@app/coverage';
import { CoverageRepository } from '../../../libs/coverage/src/coverage.repository';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { assignRoute, RouteFixture, routeFixture, sync } from '../../support/field';
import { waitFor } from '../../support/processes';
import { hasSharedData, sharedFile } from '../../support/shared-data';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;

interface Sent {
  userId: string;
  doorId: string;
  turfId: string;
  outcome: string;
  at: number;
  order: number;
  materials: { materialId: string; quantity: number }[];
}

/** The figures the test expects, computed only from the visits it sent. */
function expected(sent: Sent[], doorsByTurf: Map<string, string[]>) {
  const byDoor = new Map<string, Sent[]>();
  for (const s of sent) byDoor.set(s.doorId, [...(byDoor.get(s.doorId) ?? []), s]);
  const latest = (list: Sent[]) => [...list].sort((a, b) => b.at - a.at || b.order - a.order)[0];
  const materials: Record<string, number> = {};
  for (const s of sent) for (const m of s.materials) materials[m.materialId] = (materials[m.materialId] ?? 0) + m.quantity;
  const figures = (doors: string[]) => ({
    doors: doors.length,
    attempted: doors.filter((d) => byDoor.has(d)).length,
    reached: doors.filter((d) => byDoor.get(d)?.some((s) => s.outcome === 'talked')).length,
    withMaterials: doors.filter((d) => byDoor.get(d)?.some((s) => s.materials.length > 0)).length,
    doNotKnock: doors.filter((d) => byDoor.has(d) && byDoor.get(d)!.some((s) => s.outcome === 'do_not_knock')).length,
    visits: sent.filter((s) => doors.includes(s.doorId)).length,
  });
  return {
    figures,
    materials,
    latest: new Map([...byDoor].map(([d, list]) => [d, latest(list).outcome])),
    all: [...doorsByTurf.values()].flat(),
  };
}

/** Reads server-sent events from the API's port until `until` says stop. */
function readEvents(port: number, path: string, token: string, until: (events: { coverage: { visits: number } }[]) => boolean) {
  return new Promise<{ coverage: { visits: number } }[]>((resolve, reject) => {
    const events: { coverage: { visits: number } }[] = [];
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trim())
              .join('');
            if (data) events.push({ coverage: JSON.parse(data) as { visits: number } });
            if (until(events)) {
              req.destroy();
              resolve(events);
            }
          }
        });
      },
    );
    req.on('error', (err) => (events.length > 0 && until(events) ? undefined : reject(err)));
    req.setTimeout(15_000, () => req.destroy(new Error('no event in time')));
  });
}

describe('coverage figures, live', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let volunteers: Member[];
  let f: RouteFixture;
  let port: number;
  const sent: Sent[] = [];
  let order = 0;

  const visitsOf = (
    v: Member,
    turfId: string,
    list: { doorId: string; outcome: string; minutesAgo: number; materials?: Sent['materials']; followUp?: boolean; language?: string }[],
  ) => {
    const items = list.map((x) => ({
      kind: 'visit',
      id: randomUUID(),
      turfId,
      doorId: x.doorId,
      outcome: x.outcome,
      recordedAt: new Date(Date.now() - x.minutesAgo * 60_000).toISOString(),
      materials: x.materials ?? [],
      followUp: x.followUp ?? false,
      ...(x.language ? { language: x.language } : {}),
    }));
    for (const [i, x] of list.entries()) {
      sent.push({
        userId: v.userId,
        doorId: x.doorId,
        turfId,
        outcome: x.outcome,
        at: Date.parse(items[i].recordedAt),
        order: order++,
        materials: x.materials ?? [],
      });
    }
    return sync(t, v, items).expect(200);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    volunteers = [];
    for (let i = 0; i < 3; i++) volunteers.push(await addMember(t, organizer, 'volunteer'));
    // The real Reynoldstown addresses when ../shared/data is there, else a synthetic street of 21
    // doors a block (15 houses and 6 units), so that the turfs' percentages have decimals either way.
    f = await routeFixture(t, organizer, 2, 15, hasSharedData ? sharedFile('addresses/us-ga-atlanta-reynoldstown.csv') : undefined);
    await assignRoute(t, organizer, f.turfIds[0], [volunteers[0].userId, volunteers[1].userId]);
    await assignRoute(t, organizer, f.turfIds[1], [volunteers[2].userId]);
  }, 60_000);
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('gives figures equal to those computed from the visits sent, by campaign and by turf', async () => {
    const [a, b] = f.turfIds;
    const da = f.doors.get(a)!.map((d) => d.id);
    const db = f.doors.get(b)!.map((d) => d.id);
    const { kyrEs, kyrEn, hotlineEs } = f.materials;
    await sync(t, volunteers[0], [
      { kind: 'check_in', id: randomUUID(), turfId: a, startedAt: new Date(Date.now() - 3600_000).toISOString() },
    ]).expect(200);
    await visitsOf(volunteers[0], a, [
      {
        doorId: da[0],
        outcome: 'talked',
        minutesAgo: 50,
        language: 'es',
        followUp: true,
        materials: [
          { materialId: kyrEs, quantity: 1 },
          { materialId: hotlineEs, quantity: 1 },
        ],
      },
      { doorId: da[1], outcome: 'not_home', minutesAgo: 48, materials: [{ materialId: kyrEs, quantity: 1 }] },
      { doorId: da[2], outcome: 'refused', minutesAgo: 46 },
      { doorId: da[3], outcome: 'do_not_knock', minutesAgo: 44 },
    ]);
    await visitsOf(volunteers[1], a, [
      { doorId: da[1], outcome: 'talked', minutesAgo: 30, language: 'en', materials: [{ materialId: kyrEn, quantity: 2 }] },
      { doorId: da[4], outcome: 'come_back_later', minutesAgo: 29 },
      ...da.slice(5, 10).map((doorId, i) => ({ doorId, outcome: 'not_home', minutesAgo: 28 - i })),
    ]);
    await visitsOf(volunteers[2], b, [
      { doorId: db[0], outcome: 'talked', minutesAgo: 20, language: 'es', followUp: true, materials: [{ materialId: kyrEs, quantity: 1 }] },
      { doorId: db[1], outcome: 'moved', minutesAgo: 19 },
      { doorId: db[0], outcome: 'not_home', minutesAgo: 5 },
    ]);

    const doorsByTurf = new Map(f.turfIds.map((id) => [id, f.doors.get(id)!.map((d) => d.id)]));
    const [{ all }] = await t.db.query<{ all: number }[]>('SELECT count(*)::int AS all FROM doors WHERE campaign_id = $1', [f.campaignId]);
    expect([...doorsByTurf.values()].flat()).toHaveLength(all);
    const want = expected(sent, doorsByTurf);
    await waitFor(
      async () => (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator))).body.visits === sent.length,
      15_000,
      'the rollups to catch up',
    );
    const summary = (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator)).expect(200)).body;
    const campaign = want.figures(want.all);
    expect(summary).toMatchObject({
      doorsInScope: campaign.doors,
      doorsAttempted: campaign.attempted,
      doorsReached: campaign.reached,
      doorsWithMaterials: campaign.withMaterials,
      doNotKnock: campaign.doNotKnock,
      visits: campaign.visits,
      coveragePct: Math.round((1000 * campaign.attempted) / campaign.doors) / 10,
      followUps: { open: 2, closed: 0 },
      volunteersOutNow: 1,
      routesByStatus: { in_progress: 1, assigned: 1, ...(f.turfIds.length > 2 ? { unassigned: f.turfIds.length - 2 } : {}) },
    });
    expect(Object.fromEntries(summary.materials.map((m: { materialId: string; quantity: number }) => [m.materialId, m.quantity]))).toEqual(
      want.materials,
    );
    expect(summary.materials.find((m: { materialId: string }) => m.materialId === kyrEs)).toMatchObject({
      kind: 'kyr_card',
      language: 'es',
    });

    const turfs = (await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs`).set(bearer(coordinator)).expect(200)).body as Record<
      string,
      unknown
    >[];
    for (const [turfId, doors] of doorsByTurf) {
      const row = turfs.find((x) => x.turfId === turfId)!;
      expect(row).toMatchObject(want.figures(doors));
    }
    // The answer is built by the database; it must say what the service computes, field for field and in the same order.
    const actor = {
      userId: coordinator.userId,
      organizationId: organizer.organizationId,
      membershipId: coordinator.membershipId,
      role: 'coordinator' as const,
      sessionId: '',
    };
    const computed = await t.app.get(CoverageService).turfs(actor, f.campaignId);
    expect(turfs).toEqual(computed);
    for (const [turfId, doors] of doorsByTurf) {
      const { attempted } = want.figures(doors);
      expect(turfs.find((x) => x.turfId === turfId)!.coveragePct).toBe(Math.round((1000 * attempted) / doors.length) / 10);
    }
    expect(turfs.some((r) => (r.coveragePct as number) > 0 && !Number.isInteger(r.coveragePct))).toBe(true);
    // The door's status is its latest visit by phone time (db[0]: talked, then nobody home).
    const [{ outcome }] = await t.db.query('SELECT outcome FROM door_coverage WHERE door_id = $1', [db[0]]);
    expect(outcome).toBe(want.latest.get(db[0]));
  });

  it('agrees exactly with a recomputation from the raw visits, and a full rebuild changes nothing', async () => {
    const fromScratch = () =>
      t.db.query(
        `SELECT d.id AS door_id, count(v.id)::int AS attempts, bool_or(v.outcome = 'talked') AS reached,
                (array_agg(v.outcome ORDER BY v.effective_at DESC, v.seq DESC))[1] AS outcome
           FROM doors d JOIN visits v ON v.door_id = d.id AND v.status = 'accepted' WHERE d.campaign_id = $1
          GROUP BY d.id ORDER BY d.id`,
        [f.campaignId],
      );
    const rollup = () =>
      t.db.query('SELECT door_id, attempts, reached, outcome FROM door_coverage WHERE campaign_id = $1 ORDER BY door_id', [f.campaignId]);
    const turfs = () => t.db.query('SELECT * FROM turf_coverage WHERE campaign_id = $1 ORDER BY turf_id', [f.campaignId]);
    expect(await rollup()).toEqual(await fromScratch());
    const before = (await turfs()).map(({ updated_at: _, ...rest }: Record<string, unknown>) => rest);
    await worker.get(CoverageService).refresh(true);
    expect(await rollup()).toEqual(await fromScratch());
    expect((await turfs()).map(({ updated_at: _, ...rest }: Record<string, unknown>) => rest)).toEqual(before);
  });

  it('pushes new figures over server-sent events after a sync', async () => {
    const [a] = f.turfIds;
    const door = f.doors.get(a)![12].id;
    const start = (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer)).expect(200)).body.visits as number;
    let sentAt = 0;
    const events = readEvents(port, `/campaigns/${f.campaignId}/coverage/stream`, organizer.accessToken, (list) => {
      if (list.length === 1 && sentAt === 0) {
        sentAt = Date.now();
        // A supertest request goes out only once something awaits it.
        void visitsOf(volunteers[0], a, [{ doorId: door, outcome: 'talked', minutesAgo: 1 }]).then(() => undefined);
      }
      return list.some((e) => e.coverage.visits === start + 1);
    });
    const got = await events;
    const lag = Date.now() - sentAt;
    expect(got[0].coverage.visits).toBe(start);
    expect(got[got.length - 1].coverage.visits).toBe(start + 1);
    expect(lag).toBeLessThan(5_000);
  });

  it('never pushes figures read before the change that prompted the push', async () => {
    // A dashboard's read of the figures is shared with whoever asks while it runs. A read that took
    // the rows before a refresh, and is still running when the refresh's push comes, must not be
    // handed to the push: the stream would show the old figures until the next change.
    const [a] = f.turfIds;
    const door = f.doors.get(a)![13].id;
    const repository = t.app.get(CoverageRepository);
    const read = repository.campaign.bind(repository);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const start = (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer)).expect(200)).body.visits as number;
    let opened!: () => void;
    const first = new Promise<void>((resolve) => (opened = resolve));
    const events = readEvents(port, `/campaigns/${f.campaignId}/coverage/stream`, organizer.accessToken, (list) => {
      if (list.length > 0) opened();
      return list.some((e) => e.coverage.visits === start + 1);
    });
    await first;
    // The next read takes the rows as they are, then waits.
    jest.spyOn(repository, 'campaign').mockImplementationOnce(async (campaignId: string) => {
      const rows = await read(campaignId);
      held();
      await gate;
      return rows;
    });
    const slow = t
      .http()
      .get(`/campaigns/${f.campaignId}/coverage`)
      .set(bearer(organizer))
      .then((r) => r.body.visits as number);
    await holding;
    await visitsOf(volunteers[0], a, [{ doorId: door, outcome: 'talked', minutesAgo: 1 }]);
    await waitFor(
      async () =>
        (await t.db.query<{ visits: number }[]>('SELECT visits FROM campaign_coverage WHERE campaign_id = $1', [f.campaignId]))[0]
          .visits ===
        start + 1,
      30_000,
      'the refresh',
    );
    // Time for the refresh's push to reach this process and ask for the figures.
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    expect(await slow).toBe(start);
    const got = await events;
    expect(got[got.length - 1].coverage.visits).toBe(start + 1);
  });

  it('pushes the follow-up counts as soon as one is closed, with no visit to wait for', async () => {
    type Live = { coverage: { visits: number; followUps?: { open: number; closed: number } } };
    const open = (await t.http().get(`/campaigns/${f.campaignId}/follow-ups?status=open`).set(bearer(coordinator)).expect(200)).body
      .items as { id: string }[];
    expect(open.length).toBeGreaterThan(0);
    let before: { open: number; closed: number } | undefined;
    const events = readEvents(port, `/campaigns/${f.campaignId}/coverage/stream`, coordinator.accessToken, (list) => {
      const seen = (list as Live[]).map((e) => e.coverage.followUps!);
      if (list.length === 1) {
        before = seen[0];
        void t
          .http()
          .post(`/follow-ups/${open[0].id}/close`)
          .set(bearer(coordinator))
          .expect(200)
          .then(() => undefined);
      }
      return seen.some((x) => before !== undefined && x.closed === before.closed + 1);
    });
    const got = (await events) as Live[];
    expect(got[got.length - 1].coverage.followUps).toEqual({ open: before!.open - 1, closed: before!.closed + 1 });
  });

  it('draws turfs with their coverage for everyone who sees figures, and doors for organizers only; exports are audited', async () => {
    const turfs = (await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs`).set(bearer(coordinator)).expect(200)).body as {
      turfId: string;
      coveragePct: number;
    }[];
    const map = (await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs.geojson`).set(bearer(coordinator)).expect(200)).body;
    expect(map.type).toBe('FeatureCollection');
    expect(map.features).toHaveLength(f.turfIds.length);
    for (const feature of map.features as {
      geometry: { type: string };
      properties: { turfId: string; coveragePct: number; label: string };
    }[]) {
      expect(feature.geometry.type).toBe('Polygon');
      expect(feature.properties.coveragePct).toBe(turfs.find((x) => x.turfId === feature.properties.turfId)!.coveragePct);
      expect(feature.properties.label).toMatch(/: \d+(\.\d)?%$/);
    }
    await t.http().get(`/campaigns/${f.campaignId}/coverage/doors.geojson`).set(bearer(coordinator)).expect(403);
    const doors = (await t.http().get(`/campaigns/${f.campaignId}/coverage/doors.geojson`).set(bearer(organizer)).expect(200)).body;
    const [{ all }] = await t.db.query('SELECT count(*)::int AS all FROM doors WHERE campaign_id = $1', [f.campaignId]);
    expect(doors.features).toHaveLength(all);
    const visited = doors.features.filter((d: { properties: { attempts: number } }) => d.properties.attempts > 0);
    const [{ n }] = await t.db.query(
      `SELECT count(DISTINCT door_id)::int AS n FROM visits WHERE campaign_id = $1 AND status = 'accepted'`,
      [f.campaignId],
    );
    expect(visited).toHaveLength(n);

    const csv = await t.http().get(`/campaigns/${f.campaignId}/coverage/export.csv`).set(bearer(coordinator)).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('turf,doors,attempted,reached,with_materials,do_not_knock,visits,coverage_pct,reached_pct');
    expect(lines).toHaveLength(1 + f.turfIds.length);
    // Door-level: organizers only, with their password again and a reason (test/e2e/privacy/door-level-exports).
    const confirmed = { password: organizer.password, reason: 'Follow-ups for the legal clinic' };
    await t.http().post(`/campaigns/${f.campaignId}/follow-ups.csv`).set(bearer(coordinator)).send(confirmed).expect(403);
    const followUps = await t.http().post(`/campaigns/${f.campaignId}/follow-ups.csv`).set(bearer(organizer)).send(confirmed).expect(200);
    expect(followUps.text.trim().split('\r\n')).toHaveLength(1 + 2);
    const audit = await t.db.query<{ action: string; actor_user_id: string }[]>(
      `SELECT action, actor_user_id FROM audit_log WHERE target_id = $1 AND action LIKE 'export.%' ORDER BY created_at`,
      [f.campaignId],
    );
    expect(audit.map((a) => `${a.action}:${a.actor_user_id === coordinator.userId ? 'coordinator' : 'organizer'}`)).toEqual([
      'export.doors:organizer',
      'export.coverage:coordinator',
      'export.follow_ups:organizer',
    ]);
  });

  it("counts visits per hour and per day in the campaign's zone, and each volunteer's work; leaderboards only when turned on", async () => {
    await t.http().patch(`/campaigns/${f.campaignId}`).set(bearer(organizer)).send({ timeZone: 'America/New_York' }).expect(200);
    await t.http().patch(`/campaigns/${f.campaignId}`).set(bearer(organizer)).send({ timeZone: 'America/Atlanta' }).expect(400);
    await waitFor(
      async () => (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(organizer))).body.visits === sent.length,
      15_000,
      'the rollups to catch up',
    );
    const local = (at: number, unit: 'hour' | 'day') =>
      DateTime.fromMillis(at, { zone: 'America/New_York' }).startOf(unit).toFormat("yyyy-MM-dd'T'HH:mm");
    for (const unit of ['hour', 'day'] as const) {
      const want = new Map<string, number>();
      for (const x of sent) want.set(local(x.at, unit), (want.get(local(x.at, unit)) ?? 0) + 1);
      const got = (await t.http().get(`/campaigns/${f.campaignId}/coverage/series?bucket=${unit}`).set(bearer(coordinator)).expect(200))
        .body;
      expect(got.timeZone).toBe('America/New_York');
      expect(new Map(got.points.map((p: { at: string; visits: number }) => [p.at, p.visits]))).toEqual(want);
    }
    await t.http().get(`/campaigns/${f.campaignId}/coverage/series?bucket=week`).set(bearer(coordinator)).expect(400);

    const people = (await t.http().get(`/campaigns/${f.campaignId}/coverage/volunteers`).set(bearer(coordinator)).expect(200)).body as {
      userId: string;
      visits: number;
      doorsAttempted: number;
      doorsReached: number;
      materialsLeft: number;
    }[];
    for (const v of volunteers) {
      const mine = sent.filter((x) => x.userId === v.userId);
      expect(people.find((p) => p.userId === v.userId)).toMatchObject({
        visits: mine.length,
        doorsAttempted: new Set(mine.map((x) => x.doorId)).size,
        doorsReached: new Set(mine.filter((x) => x.outcome === 'talked').map((x) => x.doorId)).size,
        materialsLeft: mine.reduce((n, x) => n + x.materials.reduce((m, q) => m + q.quantity, 0), 0),
      });
    }
    await t.http().get(`/campaigns/${f.campaignId}/coverage/volunteers`).set(bearer(volunteers[0])).expect(403);
    const off = await t.http().get(`/campaigns/${f.campaignId}/coverage/leaderboard`).set(bearer(volunteers[0])).expect(403);
    expect(off.body.message).toMatch(/leaderboards/);
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ leaderboardsEnabled: true }).expect(200);
    const board = (await t.http().get(`/campaigns/${f.campaignId}/coverage/leaderboard`).set(bearer(volunteers[2])).expect(200)).body;
    expect(board.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3]);
    expect(board[0].doorsAttempted).toBe(Math.max(...people.map((p) => p.doorsAttempted)));
    expect(Object.keys(board[0]).sort()).toEqual(['doorsAttempted', 'name', 'rank']);
  });

  it("counts today's shifts from midnight in the campaign's time zone", async () => {
    const [shift] = await t.db.query<{ id: string; started_at: Date }[]>(
      'SELECT id, started_at FROM shifts WHERE campaign_id = $1 LIMIT 1',
      [f.campaignId],
    );
    // Kiritimati is UTC+14: its midnight is never the server's, whatever the time of day.
    const zone = 'Pacific/Kiritimati';
    await t.http().patch(`/campaigns/${f.campaignId}`).set(bearer(organizer)).send({ timeZone: zone }).expect(200);
    const midnight = DateTime.now().setZone(zone).startOf('day');
    const shiftsToday = async () =>
      (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator)).expect(200)).body.shiftsToday as number;
    try {
      await t.db.query('UPDATE shifts SET started_at = $2 WHERE id = $1', [shift.id, midnight.toJSDate()]);
      const withIt = await shiftsToday();
      await t.db.query('UPDATE shifts SET started_at = $2 WHERE id = $1', [shift.id, midnight.minus({ seconds: 1 }).toJSDate()]);
      expect(await shiftsToday()).toBe(withIt - 1);
    } finally {
      await t.db.query('UPDATE shifts SET started_at = $2 WHERE id = $1', [shift.id, shift.started_at]);
      await t.http().patch(`/campaigns/${f.campaignId}`).set(bearer(organizer)).send({ timeZone: 'America/New_York' }).expect(200);
    }
  });

  it('shows figures to organizers and coordinators of the organization only', async () => {
    await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(volunteers[0])).expect(403);
    const other = await signupOrganizer(t);
    await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(other)).expect(404);
    await t.http().get(`/campaigns/${f.campaignId}/coverage/turfs`).set(bearer(other)).expect(404);
    await t.http().get(`/campaigns/${randomUUID()}/coverage`).set(bearer(organizer)).expect(404);
  });
});
