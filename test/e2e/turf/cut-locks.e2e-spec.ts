import { INestApplicationContext } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import * as planner from '../../../libs/turf/src/services/turf-planner';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { bearer, OrganizerSession, signupOrganizer } from '../../support/factories';
import { waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';

/**
 * Runs SQL on its own connection and waits for the answer, even while this process's event loop
 * is held by a plan in progress (the worker runs in this process, and planning is synchronous).
 */
function sqlNow(sql: string, args: unknown[] = []): unknown[] {
  const script = `const { Client } = require('pg');
    (async () => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      const r = await c.query(process.env.SQL, JSON.parse(process.env.ARGS));
      process.stdout.write(JSON.stringify(r.rows));
      await c.end();
    })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const out = execFileSync(process.execPath, ['-e', script], {
    env: { ...process.env, SQL: sql, ARGS: JSON.stringify(args) },
    cwd: process.cwd(),
    encoding: 'utf8',
  });
  return JSON.parse(out) as unknown[];
}

/** Advisory locks held by any session, by the key they were taken with (a bigint key shows as its low 32 bits). */
const heldLocks = (keys: string[]) =>
  sqlNow(
    `SELECT k AS key FROM unnest($1::text[]) AS k
      WHERE EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                      AND l.objid::bigint = (hashtext(k)::bigint & 4294967295))`,
    [keys],
  ).map((r) => (r as { key: string }).key);

describe('cutting turfs holds no lock while it plans', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  const realPlan = planner.planTurfs;

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  /** A campaign with `houses` imported houses along two streets, none in a turf yet. */
  async function campaignWithHouses(houses: number): Promise<string> {
    const campaignId = (await t.http().post('/campaigns').set(bearer(organizer)).send({ name: 'Locks' }).expect(201)).body.id as string;
    const lines = ['LON,LAT,NUMBER,STREET'];
    for (let h = 0; h < houses; h++)
      lines.push(
        `${(-84.35 + (h % 30) * 0.0002).toFixed(5)},${(33.74 + Math.floor(h / 30) * 0.0004).toFixed(5)},${100 + 2 * h},Elm St ${Math.floor(h / 30)}`,
      );
    const started = await t
      .http()
      .post(`/campaigns/${campaignId}/imports`)
      .set(bearer(organizer))
      .set('Content-Type', 'text/csv')
      .send(lines.join('\n'))
      .expect(202);
    await waitFor(
      async () => (await t.http().get(`/imports/${started.body.id}`).set(bearer(organizer))).body.status === 'completed',
      60_000,
      'the import',
    );
    return campaignId;
  }

  it("plans with neither the campaign's lock nor the coverage refreshes' lock held, then saves", async () => {
    const campaignId = await campaignWithHouses(60);
    const keys = ['porchlight-coverage-refresh', `porchlight-turfs:${campaignId}`];
    // The check sees a lock when one is held.
    const holder = t.db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-turfs:' || $1))`, [campaignId]);
    expect(heldLocks(keys)).toEqual([`porchlight-turfs:${campaignId}`]);
    await holder.rollbackTransaction();
    await holder.release();
    expect(heldLocks(keys)).toEqual([]);
    const seen: string[][] = [];
    jest.spyOn(planner, 'planTurfs').mockImplementation((doors, options) => {
      seen.push(heldLocks(keys));
      return realPlan(doors, options);
    });

    // A re-cut deletes the turfs nobody walks before reading the free doors: the heaviest case.
    await t.http().post(`/campaigns/${campaignId}/turfs/cut`).set(bearer(organizer)).send({ doorsPerTurf: 20, save: true }).expect(201);
    const recut = await t
      .http()
      .post(`/campaigns/${campaignId}/turfs/cut`)
      .set(bearer(organizer))
      .send({ doorsPerTurf: 30, save: true, replace: true })
      .expect(201);

    expect(seen).toEqual([[], []]);
    expect(recut.body.summary).toMatchObject({ turfCount: 2, doorCount: 60 });
    const [{ turfs, doors }] = await t.db.query<{ turfs: number; doors: number }[]>(
      `SELECT count(DISTINCT td.turf_id)::int AS turfs, count(*)::int AS doors FROM turf_doors td WHERE td.campaign_id = $1`,
      [campaignId],
    );
    expect({ turfs, doors }).toEqual({ turfs: 2, doors: 60 });
  });

  it('plans again, and saves what is there now, when the doors change while it plans', async () => {
    const campaignId = await campaignWithHouses(60);
    const [marked] = await t.db.query<{ id: string }[]>('SELECT id FROM doors WHERE campaign_id = $1 ORDER BY id LIMIT 1', [campaignId]);
    const plannedCounts: number[] = [];
    jest.spyOn(planner, 'planTurfs').mockImplementation((doors, options) => {
      plannedCounts.push(doors.length);
      // While the first plan runs, an organizer marks a door "do not knock".
      if (plannedCounts.length === 1) sqlNow('UPDATE doors SET do_not_knock_at = now() WHERE id = $1', [marked.id]);
      return realPlan(doors, options);
    });

    const res = await t
      .http()
      .post(`/campaigns/${campaignId}/turfs/cut`)
      .set(bearer(organizer))
      .send({ doorsPerTurf: 30, save: true })
      .expect(201);

    expect(plannedCounts).toEqual([60, 59]);
    expect(res.body.summary.doorCount).toBe(59);
    expect(res.body.turfs.flatMap((turf: { doorIds: string[] }) => turf.doorIds)).not.toContain(marked.id);
    const [{ n }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM turf_doors WHERE door_id = $1', [marked.id]);
    expect(n).toBe(0);
  });
});
