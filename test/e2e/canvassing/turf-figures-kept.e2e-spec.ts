import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CoverageService } from '@app/coverage';
import { CoverageRepository } from '../../../libs/coverage/src/coverage.repository';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { RouteFixture, routeFixture, sync } from '../../support/field';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;
interface Row {
  turfId: string;
  name: string;
  doors: number;
  attempted: number;
  doNotKnock: number;
  assignmentStatus: string | null;
}

/**
 * The API keeps each campaign's all-turfs answer while the version of its per-turf figures stands
 * (coverage_versions, changed by triggers in every writing transaction). These tests change each
 * thing the answer shows, through the product, right after the answer was kept, and read it again.
 */
describe('the all-turfs coverage answer, kept between changes', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  let coordinator: Member;
  let volunteer: Member;
  let f: RouteFixture;
  let other: RouteFixture;
  let loads: jest.SpyInstance;

  const answer = async (campaignId = f.campaignId) =>
    (
      await t
        .http()
        .get(`/campaigns/${campaignId}/coverage/turfs`)
        .set(bearer(coordinator))
        .expect(200)
        .expect('Content-Type', /application\/json/)
    ).body as Row[];
  const version = async (campaignId: string): Promise<string | null> => {
    const rows = await t.db.query<{ turfs: string }[]>('SELECT turfs FROM coverage_versions WHERE campaign_id = $1', [campaignId]);
    return rows.length > 0 ? rows[0].turfs : null;
  };
  /** Reads the answer twice: the second read must come from the kept copy, with no query for it. */
  const readTwice = async () => {
    const before = loads.mock.calls.length;
    const first = await answer();
    const second = await answer();
    expect(second).toEqual(first);
    expect(loads.mock.calls.length - before).toBeLessThanOrEqual(1);
    return first;
  };
  const row = (rows: Row[], turfId: string) => rows.find((r) => r.turfId === turfId);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    coordinator = await addMember(t, organizer, 'coordinator');
    volunteer = await addMember(t, organizer, 'volunteer');
    f = await routeFixture(t, organizer, 3, 8);
    other = await routeFixture(t, organizer, 1, 8);
    loads = jest.spyOn(t.app.get(CoverageRepository), 'turfsJson');
  }, 90_000);
  afterAll(async () => {
    loads.mockRestore();
    await worker.close();
    await t.close();
  });

  it('reads the answer once while nothing changes, and again after each change, which it then shows', async () => {
    const otherVersion = await version(other.campaignId);
    const [a, b, c] = f.turfIds;
    let rows = await readTwice();
    expect(rows.map((r) => r.turfId).sort()).toEqual([...f.turfIds].sort());
    const loadsBefore = loads.mock.calls.length;
    await answer();
    expect(loads.mock.calls.length).toBe(loadsBefore);

    // A route handed out, then walked (a check-in and a visit, taken in by the worker's refresh), then released.
    await t
      .http()
      .put(`/turfs/${a}/assignment`)
      .set(bearer(organizer))
      .send({ volunteerIds: [volunteer.userId] })
      .expect(200);
    expect(row(await readTwice(), a)?.assignmentStatus).toBe('assigned');
    const door = f.doors.get(a)![0].id;
    await sync(t, volunteer, [
      { kind: 'check_in', id: randomUUID(), turfId: a, startedAt: new Date().toISOString() },
      { kind: 'visit', id: randomUUID(), turfId: a, doorId: door, outcome: 'talked', recordedAt: new Date().toISOString(), materials: [] },
    ]).expect(200);
    await worker.get(CoverageService).refresh(false);
    rows = await readTwice();
    expect(row(rows, a)).toMatchObject({ attempted: 1, assignmentStatus: 'in_progress' });
    await t.http().delete(`/turfs/${a}/assignment`).set(bearer(organizer)).expect(200);
    expect(row(await readTwice(), a)?.assignmentStatus).toBe('released');

    // Doors moved between turfs nobody is walking, then two turfs merged.
    const moved = f.doors.get(c)!.filter((d) => d.unit === null)[0].id;
    await t
      .http()
      .post(`/turfs/${b}/doors`)
      .set(bearer(organizer))
      .send({ doorIds: [moved] })
      .expect(201);
    rows = await readTwice();
    expect(row(rows, b)?.doors).toBe(f.doors.get(b)!.length + 1);
    expect(row(rows, c)?.doors).toBe(f.doors.get(c)!.length - 1);
    const merged = await t
      .http()
      .post('/turfs/merge')
      .set(bearer(organizer))
      .send({ turfIds: [b, c] })
      .expect(201);
    rows = await readTwice();
    expect(rows.map((r) => r.turfId).sort()).toEqual([a, ...(merged.body.turfs as { id: string }[]).map((x) => x.id)].sort());
    expect(rows.reduce((sum, r) => sum + r.doors, 0)).toBe([...f.doors.values()].reduce((sum, d) => sum + d.length, 0));

    // None of it touched the other campaign's figures.
    expect(await version(other.campaignId)).toBe(otherVersion);
    expect((await answer(other.campaignId)).map((r) => r.turfId)).toEqual(other.turfIds);
  });

  it("counts an organizer's do-not-knock mark in the turf's and the campaign's figures at once, and its removal", async () => {
    const [a] = f.turfIds;
    const door = f.doors.get(a)!.filter((d) => d.unit === null)[1].id;
    const figures = async () => ({
      turf: row(await readTwice(), a)?.doNotKnock,
      campaign: (await t.http().get(`/campaigns/${f.campaignId}/coverage`).set(bearer(coordinator)).expect(200)).body.doNotKnock as number,
    });
    const before = await figures();
    await t.http().put(`/doors/${door}/do-not-knock`).set(bearer(organizer)).expect(200);
    expect(await figures()).toEqual({ turf: before.turf! + 1, campaign: before.campaign + 1 });
    await t.http().delete(`/doors/${door}/do-not-knock`).set(bearer(organizer)).expect(200);
    expect(await figures()).toEqual(before);
    // A full recount from the doors agrees with what the mark left.
    await worker.get(CoverageService).refresh(true);
    expect(await figures()).toEqual(before);
  });

  it('never makes a turf change and a refresh wait on each other in opposite orders', async () => {
    // A turf change that recounts afterwards (as moves and merges do), beside a refresh that takes
    // its lock and then writes turf figures of the same campaign: were the version row locked
    // before the refresh's lock, each would wait for the other and PostgreSQL would abort one.
    const [a] = f.turfIds;
    const change = t.db.createQueryRunner();
    const refresh = t.db.createQueryRunner();
    await change.startTransaction();
    await refresh.startTransaction();
    try {
      await change.query('UPDATE turfs SET name = name WHERE id = $1', [a]);
      let refreshDone = false;
      const refreshing = (async () => {
        await refresh.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-coverage-refresh'))`);
        await refresh.query('UPDATE turf_coverage SET visits = visits WHERE turf_id = $1', [a]);
        await refresh.commitTransaction();
        refreshDone = true;
      })();
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The refresh waits for the change, which already holds the lock: the change goes on.
      expect(refreshDone).toBe(false);
      await change.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-coverage-refresh'))`);
      await change.commitTransaction();
      await refreshing;
      expect(refreshDone).toBe(true);
    } finally {
      if (change.isTransactionActive) await change.rollbackTransaction();
      if (refresh.isTransactionActive) await refresh.rollbackTransaction();
      await change.release();
      await refresh.release();
    }
  });

  it('changes the version once per statement, for the campaigns whose rows changed, and lets a campaign be deleted', async () => {
    const [a] = f.turfIds;
    const mine = await version(f.campaignId);
    const theirs = await version(other.campaignId);
    expect(mine).not.toBeNull();
    // A statement that changes no row changes no version; one that changes two turfs' rows adds one.
    await t.db.query(`UPDATE turfs SET name = name WHERE id = $1 AND false`, [a]);
    expect(await version(f.campaignId)).toBe(mine);
    await t.db.query(`UPDATE turf_coverage SET visits = visits WHERE campaign_id = $1`, [f.campaignId]);
    expect(BigInt((await version(f.campaignId))!)).toBe(BigInt(mine!) + 1n);
    expect(await version(other.campaignId)).toBe(theirs);
    // Turfs of two campaigns in one statement: each campaign's version moves by one.
    await t.db.query(`UPDATE turfs SET name = name WHERE campaign_id = ANY($1::uuid[])`, [[f.campaignId, other.campaignId]]);
    expect(BigInt((await version(other.campaignId))!)).toBe(BigInt(theirs!) + 1n);
    // Deleting a campaign deletes its turfs and its version row without the triggers getting in the way.
    const runner = t.db.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('DELETE FROM campaigns WHERE id = $1', [other.campaignId]);
      expect(await runner.query('SELECT 1 FROM coverage_versions WHERE campaign_id = $1', [other.campaignId])).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
