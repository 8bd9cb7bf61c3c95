import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CoverageService } from '@app/coverage';
import * as http from 'node:http';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, signupOrganizer } from '../../support/factories';
import { assignRoute, routeFixture } from '../../support/field';
import { API_MAIN, ensureBuilt, freePort, Running, start, stopWithin, waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';

const PHONES = 50;
const VISITS = 10_000;
const BATCH = 20;
const RESEND_SHARE = 0.2;
const DROP_SHARE = 0.05;
const KILLS = 2;

/** A small seeded generator, so that a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = { status: number; body: { results: { status: string }[] } } | 'dropped';

/**
 * POST /sync. With `dropReply` the reply is thrown away unread as soon as it starts to arrive:
 * the server has done its work, the phone never learns it.
 */
function post(port: number, token: string, items: object[], dropReply: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/sync',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        agent: false,
      },
      (res) => {
        if (dropReply) {
          res.destroy();
          resolve('dropped');
          return;
        }
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as { results: { status: string }[] } });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(JSON.stringify({ items }));
  });
}

/**
 * The promise of the offline sync, under faults: phones resend, replies get lost, and the API
 * dies mid-run (SIGKILL, no goodbye) and comes back. Every visit must end up stored exactly once.
 */
describe('offline sync reliability', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let api: Running | undefined;

  beforeAll(async () => {
    ensureBuilt();
    t = await createTestApp();
    worker = await startWorker();
  }, 120_000);
  afterAll(async () => {
    if (api) await stopWithin(api, 10_000).catch(() => undefined);
    await worker.close();
    await t.close();
  });

  it(`stores ${VISITS} visits from ${PHONES} phones exactly once through resends, lost replies and ${KILLS} API kills`, async () => {
    const organizer = await signupOrganizer(t);
    const fixture = await routeFixture(t, organizer, PHONES / 2, 14);
    const phones: { token: string; userId: string; turfId: string; doors: string[] }[] = [];
    for (let i = 0; i < PHONES; i++) {
      const member = await addMember(t, organizer, 'volunteer');
      const turfId = fixture.turfIds[Math.floor(i / 2)];
      phones.push({ token: member.accessToken, userId: member.userId, turfId, doors: fixture.doors.get(turfId)!.map((d) => d.id) });
    }
    for (let r = 0; r < fixture.turfIds.length; r++) {
      await assignRoute(t, organizer, fixture.turfIds[r], [phones[2 * r].userId, phones[2 * r + 1].userId]);
    }

    const port = await freePort();
    const startApi = async () => {
      api = start(API_MAIN, { PORT: String(port), LOG_LEVEL: 'silent' });
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, 20_000, 'the api to answer');
    };
    await startApi();

    const random = mulberry32(20261125);
    const perPhone = VISITS / PHONES;
    const totalBatches = VISITS / BATCH;
    const allIds: string[] = [];
    const figures = { batches: 0, resends: 0, droppedReplies: 0, failedRequests: 0, created: 0, duplicates: 0, other: 0, apiKills: 0 };
    let acknowledged = 0;
    let down: Promise<void> | null = null;
    const killAt = Array.from({ length: KILLS }, (_, k) => Math.round(((k + 1) * totalBatches) / (KILLS + 1)));

    const killAndRestart = async () => {
      figures.apiKills++;
      api!.child.kill('SIGKILL');
      await api!.exited;
      await sleep(300);
      await startApi();
    };

    /** Sends until some reply is read: the phone keeps the batch in its outbox until then. */
    const deliver = async (token: string, items: object[]) => {
      for (let attempt = 0; ; attempt++) {
        if (down) await down;
        const drop = random() < DROP_SHARE;
        try {
          const answer = await post(port, token, items, drop);
          if (answer === 'dropped') {
            figures.droppedReplies++;
            continue;
          }
          if (answer.status !== 200) throw new Error(`status ${answer.status}`);
          return answer.body.results;
        } catch {
          figures.failedRequests++;
          await sleep(Math.min(50 * (attempt + 1), 500));
        }
      }
    };

    const started = Date.now();
    await Promise.all(
      phones.map(async (phone) => {
        const sent: object[][] = [];
        for (let b = 0; b < perPhone / BATCH; b++) {
          const items = Array.from({ length: BATCH }, (_, i) => {
            const id = randomUUID();
            allIds.push(id);
            const doorId = phone.doors[(b * BATCH + i) % phone.doors.length];
            return {
              kind: 'visit',
              id,
              turfId: phone.turfId,
              doorId,
              outcome: i % 3 === 0 ? 'talked' : 'not_home',
              recordedAt: new Date().toISOString(),
            };
          });
          figures.batches++;
          const results = await deliver(phone.token, items);
          for (const r of results) {
            if (r.status === 'created') figures.created++;
            else if (r.status === 'duplicate') figures.duplicates++;
            else figures.other++;
          }
          sent.push(items);
          acknowledged++;
          if (killAt.includes(acknowledged) && !down) {
            down = killAndRestart().finally(() => (down = null));
          }
          if (random() < RESEND_SHARE) {
            figures.resends++;
            const again = await deliver(phone.token, sent[Math.floor(random() * sent.length)]);
            for (const r of again) {
              if (r.status === 'duplicate') figures.duplicates++;
              else figures.other++;
            }
          }
        }
      }),
    );
    // The last restart may still be under way (assigned in a callback, which the compiler cannot see).
    const restarting = down as Promise<void> | null;
    if (restarting) await restarting;
    const seconds = (Date.now() - started) / 1000;

    const [stored] = await t.db.query<{ n: number; distinct: number }[]>(
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM visits WHERE turf_id = ANY($1)',
      [fixture.turfIds],
    );
    const [known] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM visits WHERE id = ANY($1)', [allIds]);
    const report = {
      visitsSent: allIds.length,
      stored: stored.n,
      lost: allIds.length - known.n,
      duplicated: stored.n - stored.distinct + (stored.n - known.n),
      ...figures,
      seconds,
    };
    console.log(`offline sync reliability: ${JSON.stringify(report)}`);

    expect(allIds).toHaveLength(VISITS);
    expect(figures.apiKills).toBe(KILLS);
    expect(figures.droppedReplies).toBeGreaterThan(0);
    expect(figures.resends).toBeGreaterThan(0);
    expect(figures.other).toBe(0);
    expect(known.n).toBe(VISITS);
    expect(stored).toEqual({ n: VISITS, distinct: VISITS });
    // Every visit answered 'created' exactly once, unless the only reply that said so was lost or cut off by a kill.
    expect(figures.created).toBeLessThanOrEqual(VISITS);

    // The coverage rollups, kept by the worker through all of this, agree exactly with the raw visits; so does a replay.
    const fromScratch = () =>
      t.db.query(
        `SELECT v.door_id, count(*)::int AS attempts, bool_or(v.outcome = 'talked') AS reached,
                (array_agg(v.outcome ORDER BY v.effective_at DESC, v.seq DESC))[1] AS outcome
           FROM visits v WHERE v.turf_id = ANY($1) AND v.status = 'accepted' GROUP BY v.door_id ORDER BY v.door_id`,
        [fixture.turfIds],
      );
    const rollup = () =>
      t.db.query('SELECT door_id, attempts, reached, outcome FROM door_coverage WHERE campaign_id = $1 ORDER BY door_id', [
        fixture.campaignId,
      ]);
    await waitFor(
      async () => {
        const [{ n }] = await t.db.query<{ n: number }[]>(
          'SELECT coalesce(sum(attempts), 0)::int AS n FROM door_coverage WHERE campaign_id = $1',
          [fixture.campaignId],
        );
        return n === VISITS;
      },
      30_000,
      'the coverage rollups to catch up',
    );
    expect(await rollup()).toEqual(await fromScratch());
    await worker.get(CoverageService).refresh(true);
    expect(await rollup()).toEqual(await fromScratch());
    const [campaign] = await t.db.query('SELECT visits, attempted FROM campaign_coverage WHERE campaign_id = $1', [fixture.campaignId]);
    expect(campaign).toEqual({ visits: VISITS, attempted: fixture.turfIds.length * 20 });
  }, 300_000);
});
