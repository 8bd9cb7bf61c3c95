/**
 * D4: how soon a visit shows on a live dashboard.
 *
 * Data: bench/coverage-data.ts (200,000 doors, 2,000 turfs, 1,000,000 visits, rollups built). The
 * built API and the built worker run on it as in production (the worker from
 * dist/apps/worker/apps/worker/src/main.js with the API's environment). A coordinator holds
 * GET /campaigns/:id/coverage/stream open (server-sent events). Then, one at a time, a volunteer
 * sends POST /sync with `--batch` (20) new visits on their route; the clock starts when the answer
 * arrives (the transaction committed before the API answered, so this is later than the commit
 * and the figure errs on the short side by the answer's trip over loopback, well under a
 * millisecond) and stops when the stream delivers an event whose `visits` includes the batch. The
 * next sync goes 200-700 ms (random) after that event, so that the syncs do not fall into step
 * with the worker's 5-second catch-up timer. The path measured is the product's: the sync asks
 * for a coverage-refresh job (BullMQ), the worker refreshes the rollups of the doors touched and
 * publishes the campaign on Redis, and the API, subscribed, computes the figures and writes the
 * event. The value is the maximum over `--syncs` (40) syncs after 3 not counted; p50 and p95 are
 * in the detail.
 *
 * Afterwards, with the worker stopped, the same refresh is run in this process after single syncs
 * (CoverageRepository.refresh(false), the job's code less the Redis notice), and the summary the
 * event carries is fetched, to show how the time divides (detail.breakdownMs).
 *
 *   npm run bench -- D4 [--syncs 40] [--batch 20] [--fresh]
 */
import * as http from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { DataSource } from 'typeorm';
import { CoverageRepository } from '../libs/coverage/src/coverage.repository';
import { BenchResult, log, median, numberArg, percentile, round, sleep } from './common';
import { fixtureArgs, setUpCoverageFixture } from './coverage-data';
import { call } from './http';
import { startWorker } from './processes';
import { postVisits } from './sync-client';

export const id = 'D4';
export const description = 'time from a POST /sync answer until the SSE coverage stream shows its visits (worker running), max of 40';

const TARGET_MS = 1000;

interface StreamEvent {
  at: number;
  visits: number;
}

/** GET .../coverage/stream, parsed into events as they arrive. */
function openStream(baseUrl: string, path: string, token: string) {
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  let failure: Error | null = null;
  const req = http.get(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
    if (res.statusCode !== 200) {
      failure = new Error(`the stream answered ${res.statusCode}`);
      waiters.forEach((w) => w());
      return;
    }
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const at = performance.now();
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
        if (data) events.push({ at, visits: (JSON.parse(data) as { visits: number }).visits });
      }
      waiters.forEach((w) => w());
    });
  });
  req.on('error', (err) => {
    failure ??= err;
    waiters.forEach((w) => w());
  });

  /** The first event from index `from` on that satisfies `test`, within `ms`. */
  const waitFor = (from: number, test: (e: StreamEvent) => boolean, ms: number): Promise<StreamEvent> =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = events.slice(from).find(test);
        if (found || failure) {
          clearTimeout(timer);
          waiters.delete(check);
          if (found) resolve(found);
          else reject(failure ?? new Error('stream closed'));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no event within ${ms} ms`));
      }, ms);
      waiters.add(check);
      check();
    });
  return { events, waitFor, close: () => req.destroy() };
}

const ms = (v: number) => round(v, 1);

export async function run(args: string[]): Promise<BenchResult[]> {
  const syncs = Math.round(numberArg(args, 'syncs', 40));
  const batch = Math.round(numberArg(args, 'batch', 20));
  const warmUp = 3;
  const f = await setUpCoverageFixture(id, { ...fixtureArgs(args, numberArg), loginVolunteers: 4, maxSockets: 4 });
  let stream: ReturnType<typeof openStream> | undefined;
  const ds = new DataSource({ type: 'postgres', url: f.db.url, entities: [], extra: { max: 1, application_name: 'porchlight-bench-d4' } });
  try {
    const worker = await startWorker(f.env);
    const { api, agent } = f;
    stream = openStream(api.baseUrl, `/campaigns/${f.campaignId}/coverage/stream`, f.coordinatorToken);
    const first = await stream.waitFor(0, () => true, 10_000);
    if (first.visits !== f.counts.visits) throw new Error(`The stream counts ${first.visits} visits, not ${f.counts.visits}`);
    let current = first.visits;

    const lags: number[] = [];
    const acks: number[] = [];
    for (let i = 0; i < warmUp + syncs; i++) {
      const v = f.volunteers[i % f.volunteers.length];
      const expected = current + batch;
      const from = stream.events.length;
      const t0 = performance.now();
      await postVisits(agent, api.baseUrl, v, batch);
      const acked = performance.now();
      const event = await stream.waitFor(from, (e) => e.visits >= expected, 15_000);
      if (event.visits !== expected) throw new Error(`The stream shows ${event.visits} visits, ${expected} were expected`);
      current = event.visits;
      if (i >= warmUp) {
        lags.push(event.at - acked);
        acks.push(acked - t0);
      }
      if (i >= warmUp && (i - warmUp) % 10 === 9)
        log(`${i - warmUp + 1}/${syncs}: last ${ms(event.at - acked)} ms, max so far ${ms(Math.max(...lags))} ms`);
      await sleep(200 + Math.random() * 500);
    }

    // Where the time goes: the refresh in this process after one sync, and the summary the API computes for the event.
    await worker.stop();
    await ds.initialize();
    const repository = new CoverageRepository(ds);
    await repository.refresh(false);
    const refreshMs: number[] = [];
    const summaryMs: number[] = [];
    for (let i = 0; i < 7; i++) {
      await postVisits(agent, api.baseUrl, f.volunteers[i % f.volunteers.length], batch);
      const t0 = performance.now();
      await repository.refresh(false);
      refreshMs.push(performance.now() - t0);
      const t1 = performance.now();
      const res = await call(agent, api.baseUrl, 'GET', `/campaigns/${f.campaignId}/coverage`, { token: f.coordinatorToken });
      summaryMs.push(performance.now() - t1);
      if (res.status !== 200) throw new Error(`GET /coverage answered ${res.status}`);
    }

    const max = Math.max(...lags);
    log(`lag p50 ${ms(percentile(lags, 50))} ms, p95 ${ms(percentile(lags, 95))} ms, max ${ms(max)} ms`);
    return [
      {
        bench: id,
        metric: 'max_ms from the POST /sync answer to the SSE event showing its visits',
        value: ms(max),
        target: TARGET_MS,
        pass: max <= TARGET_MS,
        detail: {
          lagMs: { p50: ms(percentile(lags, 50)), p95: ms(percentile(lags, 95)), max: ms(max), min: ms(Math.min(...lags)) },
          syncAnswerMs: { p50: ms(percentile(acks, 50)), max: ms(Math.max(...acks)) },
          breakdownMs: {
            refreshAfterOneSync: { median: ms(median(refreshMs)), max: ms(Math.max(...refreshMs)) },
            summaryRequest: { median: ms(median(summaryMs)), max: ms(Math.max(...summaryMs)) },
          },
          syncs,
          batch,
          warmUpSyncs: warmUp,
          lags: lags.map(ms),
          data: f.counts,
          setUp: f.setUp,
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
        },
      },
    ];
  } finally {
    stream?.close();
    if (ds.isInitialized) await ds.destroy().catch(() => undefined);
    await f.close();
  }
}
