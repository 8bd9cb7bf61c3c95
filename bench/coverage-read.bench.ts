/**
 * D1: how fast the coverage dashboards answer on a big campaign.
 *
 * Data: bench/coverage-data.ts (200,000 doors, 2,000 turfs of 100, 1,000,000 visits over 30 days,
 * rollups built). Measured: `--concurrency` (20) keep-alive HTTP clients on 127.0.0.1, each a
 * coordinator's dashboard calling GET /campaigns/:id/coverage (the summary) and
 * GET /campaigns/:id/coverage/turfs (every turf: 2,000 rows) in turn, back to back (a closed
 * loop: each client sends its next request as soon as the previous answer arrived), for
 * `--seconds` after a warm-up. The figure is the p95 latency of each endpoint, from the request
 * written to the last byte of the answer read (and counted, not decoded: the client has no use for
 * the text once the sizes were checked); the value reported is the worse of the two.
 *
 * There is no reference: the bar is absolute (50 ms). A closed loop of 20 clients on two cores
 * keeps every core busy, so a latency is mostly the time a request waits for CPU behind the
 * others: p95 is about (20 x the CPU one request costs on average) / 2 cores, and the CPU per
 * request (API main thread, PostgreSQL backends, and this process, which has to share the cores
 * with the server it measures) is reported per endpoint from two short single-endpoint phases
 * (detail.cpuMsPerRequest), with the answer sizes, to show what dominates.
 *
 * With `--writes N`, N syncs of 20 visits a second (8 volunteers in turn, an open loop) run
 * through warm-up and measurement, with the built worker taking them into the rollups, as during
 * a canvass: the figures change about once a second, and the answers with them. The version of the
 * turf figures is read before and after, to say how often the all-turfs answer changed.
 *
 *   npm run bench -- D1 [--concurrency 20] [--seconds 20] [--warmup 3] [--writes 0] [--fresh]
 */
import * as http from 'node:http';
import { availableParallelism, cpus } from 'node:os';
import { Client } from 'pg';
import { BenchResult, closedLoop, log, numberArg, percentile, round, sleep } from './common';
import { fixtureArgs, setUpCoverageFixture } from './coverage-data';
import { call } from './http';
import { backendCpuSeconds, backendCpuSince, RunningApi, RunningWorker, startWorker } from './processes';
import { postVisits } from './sync-client';

export const id = 'D1';
export const description = 'p95 of GET /campaigns/:id/coverage and /coverage/turfs (2,000 turfs, 1M visits), 20 concurrent clients';

const TARGET_MS = 50;

interface Cpu {
  apiMain: number;
  apiOther: number;
  postgres: number;
  bench: number;
}

/** CPU seconds used by the API's threads, its PostgreSQL backends and this process while `fn` runs. */
async function cpuOf<T>(api: RunningApi, monitor: Client, fn: () => Promise<T>): Promise<{ result: T; cpu: Cpu }> {
  const pg0 = await backendCpuSeconds(monitor);
  const api0 = api.threadCpuSeconds();
  const bench0 = process.cpuUsage();
  const result = await fn();
  const bench = process.cpuUsage(bench0);
  const api1 = api.threadCpuSeconds();
  const postgres = await backendCpuSince(monitor, pg0);
  return {
    result,
    cpu: {
      apiMain: (api1.mainThread - api0.mainThread) * 1000,
      apiOther: (api1.otherThreads - api0.otherThreads) * 1000,
      postgres: postgres * 1000,
      bench: (bench.user + bench.system) / 1000,
    },
  };
}

/**
 * GET with a bearer token, reading the answer to its last byte without decoding it: the client
 * shares the two cores with the server it measures, and has no use for the text once checked.
 */
function get(agent: http.Agent, baseUrl: string, path: string, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method: 'GET', agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const ms = (v: number) => round(v, 1);
const latency = (l: number[]) => ({
  p50: ms(percentile(l, 50)),
  p95: ms(percentile(l, 95)),
  p99: ms(percentile(l, 99)),
  max: ms(Math.max(...l)),
});

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 20));
  const seconds = numberArg(args, 'seconds', 20);
  const warmUp = numberArg(args, 'warmup', 3);
  const phaseSeconds = numberArg(args, 'phase', 4);
  const writesPerS = numberArg(args, 'writes', 0);
  const writers = writesPerS > 0 ? 8 : 0;
  const f = await setUpCoverageFixture(id, {
    ...fixtureArgs(args, numberArg),
    loginVolunteers: writers,
    maxSockets: concurrency + writers,
  });
  let worker: RunningWorker | undefined;
  let writing: { stop: () => Promise<{ sent: number; seconds: number }> } | undefined;
  try {
    const { api, agent, monitor } = f;
    const paths = { summary: `/campaigns/${f.campaignId}/coverage`, turfs: `/campaigns/${f.campaignId}/coverage/turfs` } as const;
    type Endpoint = keyof typeof paths;

    // What the answers hold, checked once.
    const sizes: Record<string, number> = {};
    for (const endpoint of ['summary', 'turfs'] as const) {
      const res = await call(agent, api.baseUrl, 'GET', paths[endpoint], { token: f.coordinatorToken });
      if (res.status !== 200) throw new Error(`GET ${paths[endpoint]} answered ${res.status}: ${res.body.slice(0, 300)}`);
      sizes[`${endpoint}Bytes`] = Buffer.byteLength(res.body);
      const body = JSON.parse(res.body) as { visits?: number } | unknown[];
      if (endpoint === 'turfs' && (!Array.isArray(body) || body.length !== f.counts.turfs))
        throw new Error('GET /coverage/turfs did not list every turf');
      if (endpoint === 'summary' && (body as { visits?: number }).visits !== f.counts.visits) {
        throw new Error(`GET /coverage counts ${(body as { visits?: number }).visits} visits, not ${f.counts.visits}`);
      }
    }

    const loop = (secs: number, pick: (worker: number, iteration: number) => Endpoint) => {
      const latencies: Record<Endpoint, number[]> = { summary: [], turfs: [] };
      return closedLoop(concurrency, secs, async (worker, iteration) => {
        const endpoint = pick(worker, iteration);
        const t0 = performance.now();
        const { status, bytes } = await get(agent, api.baseUrl, paths[endpoint], f.coordinatorToken);
        latencies[endpoint].push(performance.now() - t0);
        if (status !== 200 || bytes < sizes[`${endpoint}Bytes`] / 2)
          throw new Error(`GET ${paths[endpoint]} answered ${status}, ${bytes} bytes`);
      }).then((r) => ({ ...r, latencies }));
    };
    const alternate = (worker: number, iteration: number): Endpoint => ((worker + iteration) % 2 === 0 ? 'summary' : 'turfs');

    if (writesPerS > 0) {
      worker = await startWorker(f.env);
      writing = syncStream(f.agent, f.api.baseUrl, f.volunteers, writesPerS);
    }
    const turfsVersion = async () =>
      (await monitor.query<{ v: string }>('SELECT turfs::text AS v FROM coverage_versions WHERE campaign_id = $1', [f.campaignId])).rows[0]
        ?.v ?? '0';

    log(`warm-up, ${warmUp} s`);
    await loop(warmUp, alternate);

    // CPU per request of each endpoint alone (short phases), to say what a request costs and where.
    const cpuMsPerRequest: Record<string, Record<string, number>> = {};
    for (const endpoint of ['summary', 'turfs'] as const) {
      const { result, cpu } = await cpuOf(api, monitor, () => loop(phaseSeconds, () => endpoint));
      const n = result.count;
      cpuMsPerRequest[endpoint] = {
        apiMainThread: ms(cpu.apiMain / n),
        apiOtherThreads: ms(cpu.apiOther / n),
        postgres: ms(cpu.postgres / n),
        client: ms(cpu.bench / n),
        total: ms((cpu.apiMain + cpu.apiOther + cpu.postgres + cpu.bench) / n),
        requestsPerS: ms(result.perSecond),
        p95Ms: ms(percentile(result.latencies[endpoint], 95)),
      };
      log(`${endpoint} alone: ${JSON.stringify(cpuMsPerRequest[endpoint])}`);
    }

    log(
      `measuring, ${concurrency} clients alternating the two endpoints for ${seconds} s${writesPerS > 0 ? `, ${writesPerS} syncs/s` : ''}`,
    );
    const versionBefore = await turfsVersion();
    const { result, cpu } = await cpuOf(api, monitor, () => loop(seconds, alternate));
    const versionChanges = Number(BigInt(await turfsVersion()) - BigInt(versionBefore));
    const writes = writing ? await writing.stop() : null;
    writing = undefined;
    const summary = latency(result.latencies.summary);
    const turfs = latency(result.latencies.turfs);
    const all = latency([...result.latencies.summary, ...result.latencies.turfs]);
    const worst = Math.max(summary.p95, turfs.p95);
    const cpuUsedS = (cpu.apiMain + cpu.apiOther + cpu.postgres + cpu.bench) / 1000;
    log(`p95 summary ${summary.p95} ms, turfs ${turfs.p95} ms, all ${all.p95} ms; ${ms(result.perSecond)} requests/s`);
    return [
      {
        bench: id,
        metric: `p95_ms of the worse endpoint (summary, all turfs), ${concurrency} clients${writesPerS > 0 ? `, ${writesPerS} syncs/s` : ''}`,
        value: worst,
        target: TARGET_MS,
        pass: worst <= TARGET_MS,
        detail: {
          latencyMs: { summary, turfs, all },
          requests: { summary: result.latencies.summary.length, turfs: result.latencies.turfs.length, perS: ms(result.perSecond) },
          cpuMsPerRequest,
          cpuBusy: round(cpuUsedS / result.seconds / availableParallelism(), 2),
          answerBytes: sizes,
          concurrency,
          writes: writes
            ? { syncsPerS: round(writes.sent / writes.seconds, 1), visitsPerSync: 20, turfFiguresVersionChanges: versionChanges }
            : { syncsPerS: 0, turfFiguresVersionChanges: versionChanges },
          slice: `${seconds} s of ${concurrency} clients alternating the endpoints, after ${warmUp} s of warm-up and ${phaseSeconds} s of each endpoint alone`,
          data: f.counts,
          setUp: f.setUp,
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
        },
      },
    ];
  } finally {
    await writing?.stop().catch(() => undefined);
    await worker?.stop();
    await f.close();
  }
}

/**
 * Syncs of 20 visits at `perS` a second, the volunteers in turn, each leaving on schedule whether
 * or not the ones before were answered. `stop` waits for the last answers; a failed sync fails
 * the benchmark there.
 */
function syncStream(agent: http.Agent, baseUrl: string, volunteers: Parameters<typeof postVisits>[2][], perS: number) {
  let stopped = false;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const running = (async () => {
    for (let i = 0; !stopped; i++) {
      pending.push(postVisits(agent, baseUrl, volunteers[i % volunteers.length], 20));
      const due = started + ((i + 1) * 1000) / perS;
      await sleep(Math.max(0, due - performance.now()));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(pending);
      return { sent: pending.length, seconds };
    },
  };
}
