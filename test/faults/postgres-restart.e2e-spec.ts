import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '@app/database';
import { createMigrationDataSource } from '../../apps/cli/src/data-source';
import { createTestApp, TestApp } from '../support/create-test-app';
import { signupOrganizer } from '../support/factories';
import { pairedVolunteers, Phone, routeFixture } from '../support/field';
import { API_MAIN, ensureBuilt, freePort, Running, start, stopWithin, waitFor } from '../support/processes';
import { startWorker } from '../support/worker';
import { Answer, call, isStandardError, PrivatePostgres, sleep, startPrivatePostgres } from './services';

const ROUTES = 5;
const BATCH = 5;
const DOWN_MS = 4_000;
const DATABASE = 'porchlight_test_faults';

/**
 * PostgreSQL dies under load (`pg_ctl stop -m immediate`, every backend killed as in a crash)
 * and comes back a few seconds later, while volunteers keep syncing and organizers keep reading
 * figures from the built API. The cluster is the test's own, never the machine's.
 */
describe('PostgreSQL restarted under load', () => {
  let pg: PrivatePostgres | undefined;
  let api: Running | undefined;
  let t: TestApp | undefined;
  let worker: INestApplicationContext | undefined;
  const databaseUrlBefore = process.env.DATABASE_URL;

  beforeAll(async () => {
    ensureBuilt();
    pg = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    process.env.DATABASE_URL = databaseUrlBefore;
    if (api) await stopWithin(api, 10_000).catch(() => undefined);
    await worker?.close().catch(() => undefined);
    await t?.close().catch(() => undefined);
    pg?.destroy();
  }, 60_000);

  it('answers 503 while it is down, recovers by itself and loses no acknowledged write', async () => {
    const url = pg!.urlFor(DATABASE);
    const admin = new Client({ connectionString: pg!.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${DATABASE}"`);
    await admin.end();
    const ds = createMigrationDataSource(url);
    await ds.initialize();
    await migrate(ds).finally(() => ds.destroy());

    // The fixture is made through the product (in this process) on the private cluster.
    process.env.DATABASE_URL = url;
    t = await createTestApp();
    worker = await startWorker();
    const organizer = await signupOrganizer(t);
    const fixture = await routeFixture(t, organizer, ROUTES, 14);
    const phones = await pairedVolunteers(t, organizer, fixture, ROUTES);
    await worker.close();
    worker = undefined;
    await t.close();
    t = undefined;
    process.env.DATABASE_URL = databaseUrlBefore;

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    api = start(API_MAIN, { PORT: String(port), LOG_LEVEL: 'silent', DATABASE_URL: url });
    await waitFor(async () => (await fetch(`${base}/health/ready`)).ok, 30_000, 'the api to be ready');

    const answers: (Answer & { kind: string })[] = [];
    const sent = new Set<string>();
    const acknowledged = new Map<string, number>();
    let stopping = false;

    const phone = async (p: Phone) => {
      let n = 0;
      let outbox: object[] = [];
      while (!stopping || outbox.length > 0) {
        if (outbox.length === 0) {
          outbox = Array.from({ length: BATCH }, () => {
            const id = randomUUID();
            sent.add(id);
            return {
              kind: 'visit',
              id,
              turfId: p.turfId,
              doorId: p.doors[n++ % p.doors.length],
              outcome: n % 3 === 0 ? 'talked' : 'not_home',
              recordedAt: new Date().toISOString(),
            };
          });
        }
        const a = await call(`${base}/sync`, { method: 'POST', headers: { authorization: `Bearer ${p.token}` }, json: { items: outbox } });
        answers.push({ ...a, kind: 'sync' });
        if (a.status === 200) {
          const results = (a.body as { results: { id: string; status: string }[] }).results;
          for (const r of results) {
            if (r.status === 'created' || r.status === 'duplicate') acknowledged.set(r.id, (acknowledged.get(r.id) ?? 0) + 1);
          }
          outbox = [];
          await sleep(20);
        } else {
          // The phone keeps its outbox and tries again a little later.
          await sleep(200);
        }
      }
    };
    const reader = async (path: string, token: string) => {
      while (!stopping) {
        answers.push({ ...(await call(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })), kind: `GET ${path}` });
        await sleep(50);
      }
    };
    const readiness: Answer[] = [];
    const readyProbe = async () => {
      while (!stopping) {
        readiness.push(await call(`${base}/health/ready`));
        await sleep(200);
      }
    };

    const load = Promise.all([
      ...phones.map(phone),
      reader(`/campaigns/${fixture.campaignId}/coverage`, organizer.accessToken),
      reader(`/campaigns/${fixture.campaignId}/coverage/turfs`, organizer.accessToken),
      reader('/me', phones[0].token),
      readyProbe(),
    ]);

    await sleep(2_000);
    const crashAt = Date.now();
    pg!.crash();
    const downFrom = Date.now();
    await sleep(DOWN_MS);
    const downUntil = Date.now();
    pg!.start();
    const upAt = Date.now();
    await waitFor(() => answers.some((a) => a.kind === 'sync' && a.at >= upAt && a.status === 200), 20_000, 'a sync to succeed again');
    const syncBack = answers.find((a) => a.kind === 'sync' && a.at >= upAt && a.status === 200)!;
    await waitFor(() => readiness.some((a) => a.at >= upAt && a.status === 200), 20_000, 'readiness to come back');
    const readyBack = readiness.find((a) => a.at >= upAt && a.status === 200)!;
    await sleep(2_000);
    stopping = true;
    await load;

    const db = new Client({ connectionString: url });
    await db.connect();
    const stored = await db
      .query<{ id: string }>('SELECT id FROM visits WHERE turf_id = ANY($1)', [fixture.turfIds])
      .finally(() => db.end());
    const storedIds = stored.rows.map((r) => r.id);
    const storedSet = new Set(storedIds);
    const lost = [...acknowledged.keys()].filter((id) => !storedSet.has(id));
    const strangers = storedIds.filter((id) => !sent.has(id));

    const during = answers.filter((a) => a.at >= downFrom && a.at + a.ms <= downUntil);
    const readyDuring = readiness.filter((a) => a.at >= downFrom && a.at + a.ms <= downUntil);
    const byStatus = (list: Answer[]) => list.reduce<Record<number, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
    const report = {
      requests: answers.length,
      byStatus: byStatus(answers),
      downtimeMs: upAt - crashAt,
      answeredWhileDown: during.length,
      answered503WhileDown: during.filter((a) => a.status === 503).length,
      slowestWhileDownMs: Math.max(0, ...during.map((a) => a.ms)),
      readinessWhileDown: byStatus(readyDuring),
      syncRecoveryMs: syncBack.at + syncBack.ms - upAt,
      readyRecoveryMs: readyBack.at + readyBack.ms - upAt,
      visitsSent: sent.size,
      acknowledged: acknowledged.size,
      stored: storedIds.length,
      lost: lost.length,
      duplicated: storedIds.length - storedSet.size,
      apiRestarts: 0,
    };
    console.log(`PostgreSQL restarted under load: ${JSON.stringify(report)}`);

    expect(api?.child.exitCode).toBeNull();
    expect(answers.filter((a) => a.status === 500 || a.status === 0)).toEqual([]);
    expect(during.length).toBeGreaterThan(20);
    for (const a of during) {
      expect({ status: a.status, standard: isStandardError(a), code: a.code }).toEqual({
        status: 503,
        standard: true,
        code: 'SERVICE_UNAVAILABLE',
      });
    }
    expect(readyDuring.length).toBeGreaterThan(5);
    expect(readyDuring.every((a) => a.status === 503)).toBe(true);
    expect(report.syncRecoveryMs).toBeLessThan(5_000);
    expect(report.readyRecoveryMs).toBeLessThan(5_000);
    expect(acknowledged.size).toBe(sent.size);
    expect(lost).toEqual([]);
    expect(strangers).toEqual([]);
    expect(storedIds.length).toBe(sent.size);
    expect(storedSet.size).toBe(storedIds.length);
  }, 110_000);
});
