/**
 * D3: what keeping the coverage dashboards fresh costs check-in ingest.
 *
 * Data: bench/coverage-data.ts (200,000 doors, 2,000 turfs, 1,000,000 visits, rollups built), with
 * 50 volunteers logged in, each with a running route of 100 doors. Both sides run the I1 workload:
 * `--concurrency` (50) keep-alive HTTP clients, one per volunteer, each sending POST /sync with
 * `--batch` (20) new visits on the next doors of their route, back to back; every answer is
 * checked to say 20 created and no clock flag. The figure is visits per second.
 *
 * Measured (A), rollups maintained: the built API as configured by default, whose every sync that
 * stores visits queues a coverage-refresh job, and the built worker running, which refreshes the
 * rollups of the doors touched (and their turfs, campaign, hours and volunteers) job after job and
 * publishes the change for the live dashboards. Reference (B), no maintenance: a second API process
 * on the same database with COVERAGE_REFRESH_ON_SYNC=false (no job queued), and the worker
 * stopped with SIGSTOP for the slice (it neither refreshes nor runs its 5-second catch-up). The
 * worker is resumed with SIGCONT for each A slice, so that A also pays for bringing up to date
 * what B wrote: all the maintenance falls on A's side. Both APIs have the same pool size; the idle
 * one holds its connections and takes no CPU.
 *
 * The indexes on visits that the rollups read by (ix_visits_txid, ix_visits_campaign_effective,
 * ix_visits_user_campaign) are schema and exist on both sides: their cost on insert is in both
 * rates, and the ratio does not show it. Short alternating slices (A B A B ...) after a warm-up of
 * each, median of the rounds' ratios, as for I1; both sides write into the same table as it grows.
 * Per slice, the CPU of the API, the worker and the PostgreSQL backends is read from /proc, and
 * the refreshes are counted on the Redis channel the worker publishes on (detail). At the end,
 * with the worker stopped, the rollups it kept are compared row by row with a rebuild from the
 * visits (CoverageRepository.refresh(true), about 15 s; `--key-check`: instead, every door, turf,
 * campaign, hour and volunteer the run touched recomputed whole, the path the repository takes
 * without a stored snapshot); the benchmark fails if any row differs.
 *
 *   npm run bench -- D3 [--concurrency 50] [--batch 20] [--rounds 3] [--pairs 3] [--seconds 2] [--fresh] [--key-check]
 */
import { availableParallelism, cpus } from 'node:os';
import Redis from 'ioredis';
import { BenchResult, closedLoop, interleavedSlices, log, median, numberArg, percentile, round } from './common';
import { fixtureArgs, rollupsAgainstRecompute, setUpCoverageFixture, SyncingVolunteer } from './coverage-data';
import { backendCpuSeconds, backendCpuSince, RunningApi, RunningWorker, startApi, startWorker } from './processes';
import { postVisits } from './sync-client';

export const id = 'D3';
export const description =
  'visits/s through POST /sync with the coverage rollups maintained / without (API switch off, worker stopped), I1 workload';

const TARGET = 0.85;

interface Slice {
  count: number;
  seconds: number;
  latenciesMs: number[];
  cpuMs: { api: number; worker: number; postgres: number; bench: number };
  refreshes: number;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 50));
  const batch = Math.round(numberArg(args, 'batch', 20));
  const rounds = Math.round(numberArg(args, 'rounds', 3));
  const pairsPerRound = Math.round(numberArg(args, 'pairs', 3));
  const seconds = numberArg(args, 'seconds', 2);
  const warmUpSeconds = numberArg(args, 'warmup', 2);
  const keyCheck = args.includes('--key-check');
  const f = await setUpCoverageFixture(id, { ...fixtureArgs(args, numberArg), loginVolunteers: concurrency, maxSockets: concurrency });
  let plain: RunningApi | undefined;
  let worker: RunningWorker | undefined;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  try {
    const maintained = f.api;
    plain = await startApi({ ...f.env, COVERAGE_REFRESH_ON_SYNC: 'false' });
    const unmaintained = plain;
    worker = await startWorker(f.env);
    const w = worker;
    let refreshes = 0;
    redis.on('message', () => refreshes++);
    await redis.subscribe(`${f.env.REDIS_KEY_PREFIX}:coverage-changed`);

    const volunteers: SyncingVolunteer[] = f.volunteers;
    // Every visit the run writes has a transaction id from here on.
    const { rows: start } = await f.monitor.query<{ since: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS since');
    const since = start[0].since;
    const slice = async (api: RunningApi, secs: number): Promise<Slice> => {
      const pg0 = await backendCpuSeconds(f.monitor);
      const api0 = api.cpuSeconds();
      const worker0 = w.cpuSeconds();
      const bench0 = process.cpuUsage();
      const refreshes0 = refreshes;
      const r = await closedLoop(concurrency, secs, (worker) => postVisits(f.agent, api.baseUrl, volunteers[worker], batch));
      const bench = process.cpuUsage(bench0);
      const postgres = await backendCpuSince(f.monitor, pg0);
      return {
        count: r.count * batch,
        seconds: r.seconds,
        latenciesMs: r.latenciesMs,
        cpuMs: {
          api: (api.cpuSeconds() - api0) * 1000,
          worker: (w.cpuSeconds() - worker0) * 1000,
          postgres: postgres * 1000,
          bench: (bench.user + bench.system) / 1000,
        },
        refreshes: refreshes - refreshes0,
      };
    };
    const withMaintenance = (secs: number) => {
      w.resume();
      return slice(maintained, secs);
    };
    const without = (secs: number) => {
      w.pause();
      return slice(unmaintained, secs).finally(() => w.resume());
    };

    const result = await interleavedSlices({ rounds, pairsPerRound, seconds, warmUpSeconds, a: withMaintenance, b: without });

    const a = result.rounds.flatMap((r) => r.a);
    const b = result.rounds.flatMap((r) => r.b);
    const perBatch = (slices: Slice[], key: keyof Slice['cpuMs']) =>
      round(slices.reduce((t, s) => t + s.cpuMs[key], 0) / (slices.reduce((n, s) => n + s.count, 0) / batch), 2);
    const cpu = (slices: Slice[]) => ({
      api: perBatch(slices, 'api'),
      worker: perBatch(slices, 'worker'),
      postgres: perBatch(slices, 'postgres'),
      client: perBatch(slices, 'bench'),
    });
    const lat = (slices: Slice[]) => {
      const l = slices.flatMap((s) => s.latenciesMs);
      return { p50: round(percentile(l, 50), 1), p95: round(percentile(l, 95), 1), p99: round(percentile(l, 99), 1) };
    };
    const aSeconds = a.reduce((t, s) => t + s.seconds, 0);
    const { rows } = await f.monitor.query<{ n: number }>('SELECT count(*)::int AS n FROM visits');
    // What the worker kept up step by step must be what a recomputation from the visits gives.
    await w.stop();
    log('checking the rollups against a rebuild from the visits');
    const check = await rollupsAgainstRecompute(f.db.url, keyCheck ? since : undefined);
    const differing = Object.values(check.differingRows).reduce((n, x) => n + x, 0);
    if (differing > 0) throw new Error(`The maintained rollups differ from a recomputation: ${JSON.stringify(check.differingRows)}`);
    log(`they agree (${check.seconds} s)`);
    return [
      {
        bench: id,
        metric: 'api_visits_per_s with rollup maintenance / without',
        value: round(result.medianRatio),
        target: TARGET,
        pass: result.medianRatio >= TARGET,
        detail: {
          maintainedVisitsPerS: round(median(result.rounds.map((r) => r.aPerSecond)), 1),
          unmaintainedVisitsPerS: round(median(result.rounds.map((r) => r.bPerSecond)), 1),
          rounds: result.rounds.map((r) => ({
            maintained: round(r.aPerSecond, 1),
            unmaintained: round(r.bPerSecond, 1),
            ratio: round(r.ratio),
          })),
          latencyMs: { maintained: lat(a), unmaintained: lat(b) },
          cpuMsPerBatch: { maintained: cpu(a), unmaintained: cpu(b) },
          refreshesPerS: round(a.reduce((n, s) => n + s.refreshes, 0) / aSeconds, 2),
          refreshesDuringUnmaintained: b.reduce((n, s) => n + s.refreshes, 0),
          visitsAtEnd: rows[0].n,
          rollupsAgainstRecompute: check,
          concurrency,
          batch,
          slice: `${rounds} rounds x ${pairsPerRound} x (${seconds} s maintained, ${seconds} s not), after ${warmUpSeconds} s + ${warmUpSeconds} s warm-up`,
          indexes: 'ix_visits_txid, ix_visits_campaign_effective and ix_visits_user_campaign exist on both sides (schema)',
          data: f.counts,
          setUp: f.setUp,
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
        },
      },
    ];
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await worker?.stop();
    await plain?.stop();
    await f.close();
  }
}
