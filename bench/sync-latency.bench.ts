/**
 * I2: how long a 20-visit sync takes when the API is busy but not saturated.
 *
 * The maximum rate: 20-visit POST /sync batches from `concurrency` (50) keep-alive clients in a
 * closed loop, exactly as I1's measured side. Then an open loop at `load` (70%) of it: requests
 * leave on a fixed schedule, one every 1/rate seconds, spread round-robin over the 50 volunteers,
 * whether or not earlier ones have been answered (a closed loop would slow down with the server
 * and hide its queue). Latency is counted from the moment each request was due to leave, so that
 * a request the client sent late (its event loop shares the two cores with the server) is counted
 * with that delay; the latency from the actual send is reported beside it, with how late the
 * sends were.
 *
 * The maximum rate is not steady on a shared two-core machine: one closed-loop probe of a few
 * seconds may find 30% more or less than the next, even with nothing else running (the API's
 * single JavaScript thread shares the cores with ten PostgreSQL backends and the client, and the
 * share it gets moves), and an open loop at 70% of a high probe is over the real maximum, where
 * its queue grows for as long as it runs. So the maximum is the median of the probes: three
 * before the first round, then one after each round, the rate of each round being 70% of the
 * median of every probe so far (which also follows the table as it grows). The measurement is
 * `rounds` (5) such open loops of `seconds` (8), and the result is the median over the rounds of
 * each round's p99, the way the other benchmarks take the median of interleaved rounds; the p99
 * of all the rounds' requests together, and each round's, are reported beside it.
 *
 * Every answer is checked to say 20 created and no clock flag. There is no reference: the bar
 * (25 ms) is absolute, so the load of the machine matters more here than in I1; the benchmark
 * prints the load average, and the cores other processes kept busy (coresBusy.other), with the
 * result.
 *
 *   npm run bench -- I2 [--concurrency 50] [--load 0.7] [--rounds 5] [--probe 3] [--seconds 8] [--batch 20]
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { BenchResult, closedLoop, log, median, numberArg, percentile, round, sleep } from './common';
import { postVisits } from './sync-client';
import { addCpu, CpuMs, cpuMark, cpuSince, DEFAULT_POOL_SIZE, NO_CPU, setUpSyncFixture, SyncFixture } from './sync-data';

export const id = 'I2';
export const description = 'p99 latency of a 20-visit POST /sync at 70% of the maximum rate (open loop, 50 volunteers)';

const TARGET_MS = 25;

interface OpenLoop {
  /** Latency from the time each request was due to leave. */
  fromDueMs: number[];
  /** Latency from the time it actually left. */
  fromSendMs: number[];
  /** How late each request left. */
  sendLagMs: number[];
  seconds: number;
  maxInFlight: number;
}

/** Sends `rate` requests a second for `seconds`, on schedule, and waits for the last answer. */
async function openLoop(rate: number, seconds: number, send: (k: number) => Promise<void>): Promise<OpenLoop> {
  const interval = 1000 / rate;
  const total = Math.max(1, Math.round(rate * seconds));
  const out: OpenLoop = { fromDueMs: [], fromSendMs: [], sendLagMs: [], seconds: 0, maxInFlight: 0 };
  const pending: Promise<void>[] = [];
  let inFlight = 0;
  let failure: Error | undefined;
  const start = performance.now();
  let k = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // A tick that came late sends everything that was due meanwhile, each counted from its own due time.
      for (; k < total && start + k * interval <= now && failure === undefined; k++) {
        const due = start + k * interval;
        const sent = performance.now();
        inFlight++;
        out.maxInFlight = Math.max(out.maxInFlight, inFlight);
        pending.push(
          send(k).then(
            () => {
              const done = performance.now();
              inFlight--;
              out.fromDueMs.push(done - due);
              out.fromSendMs.push(done - sent);
              out.sendLagMs.push(sent - due);
            },
            (err: unknown) => {
              inFlight--;
              failure ??= err instanceof Error ? err : new Error(String(err));
            },
          ),
        );
      }
      if (k >= total || failure !== undefined) return resolve();
      setTimeout(tick, Math.max(0, start + k * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  if (failure !== undefined) throw failure;
  out.seconds = (performance.now() - start) / 1000;
  return out;
}

interface RoundResult {
  maxRate: number;
  rate: number;
  loop: OpenLoop;
  p99: number;
  cpu: CpuMs;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const concurrency = Math.round(numberArg(args, 'concurrency', 50));
  const load = numberArg(args, 'load', 0.7);
  const rounds = Math.round(numberArg(args, 'rounds', 5));
  const seconds = numberArg(args, 'seconds', 8);
  const probeSeconds = numberArg(args, 'probe', 3);
  const batch = Math.round(numberArg(args, 'batch', 20));
  const poolSize = Math.round(numberArg(args, 'pool', DEFAULT_POOL_SIZE));
  if (load >= 1) throw new Error('--load is a share of the maximum rate, below 1');
  if (rounds < 3) throw new Error('At least three rounds are needed for a median.');
  const planned = 4 + (rounds + 2) * (probeSeconds + 0.5) + rounds * seconds;
  if (planned > 85) throw new Error(`${planned} s of measuring leaves no room for set-up within the two-minute limit.`);

  const f: SyncFixture = await setUpSyncFixture(id, {
    volunteers: concurrency,
    grid: 8,
    doorsPerTurf: 40,
    poolSize,
    // The open loop does not wait for answers: let it open more sockets than the closed loop's 50 if the queue grows.
    maxSockets: 4 * concurrency,
  });
  try {
    const sendAs = (k: number) => postVisits(f.agent, f.api.baseUrl, f.volunteers[k % f.volunteers.length], batch);

    log('warm-up');
    await closedLoop(concurrency, 2, (worker) => sendAs(worker));
    await openLoop(100, 2, sendAs);
    const loadBefore = loadavg()[0];
    const probes: number[] = [];
    const probe = async () => {
      const r = await closedLoop(concurrency, probeSeconds, (worker) => sendAs(worker));
      probes.push(r.perSecond);
      // Let the closed loop's queue drain before a schedule starts.
      await sleep(250);
    };
    for (let i = 0; i < 3; i++) await probe();
    log(`probes of the maximum: ${probes.map((p) => round(p, 1)).join(', ')} batches/s`);
    const results: RoundResult[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i > 0) await probe();
      const maxRate = median(probes);
      const rate = load * maxRate;
      const mark = await cpuMark(f);
      const loop = await openLoop(rate, seconds, sendAs);
      const cpu = await cpuSince(f, mark);
      const p99 = percentile(loop.fromDueMs, 99);
      results.push({ maxRate, rate, loop, p99, cpu });
      log(
        `round ${i + 1}/${rounds}: maximum ${round(maxRate, 1)} batches/s (median of ${probes.length} probes), open loop at ${round(rate, 1)}/s: ` +
          `p50 ${round(percentile(loop.fromDueMs, 50), 1)} ms, p99 ${round(p99, 1)} ms`,
      );
    }

    const value = median(results.map((r) => r.p99));
    const all = (key: 'fromDueMs' | 'fromSendMs' | 'sendLagMs') => results.flatMap((r) => r.loop[key]);
    const ms = (v: number) => round(v, 2);
    const dist = (xs: number[]) => ({
      p50: ms(percentile(xs, 50)),
      p90: ms(percentile(xs, 90)),
      p99: ms(percentile(xs, 99)),
      max: ms(percentile(xs, 100)),
    });
    const measuredSeconds = results.reduce((t, r) => t + r.loop.seconds, 0);
    const cpu = results.reduce((t, r) => addCpu(t, r.cpu), NO_CPU);
    const busy = (x: number) => round(x / 1000 / measuredSeconds, 2);

    return [
      {
        bench: id,
        metric: 'median over rounds of the p99 ms of a 20-visit POST /sync at 70% of the maximum rate, from the due time',
        value: ms(value),
        target: TARGET_MS,
        pass: value <= TARGET_MS,
        detail: {
          allRounds: {
            latencyFromDueMs: dist(all('fromDueMs')),
            latencyFromSendMs: dist(all('fromSendMs')),
            sendLagMs: dist(all('sendLagMs')),
          },
          probesBatchesPerS: probes.map((p) => round(p, 1)),
          rounds: results.map((r) => ({
            maxBatchesPerS: round(r.maxRate, 1),
            offeredBatchesPerS: round(r.rate, 1),
            achievedBatchesPerS: round(r.loop.fromDueMs.length / r.loop.seconds, 1),
            p50: ms(percentile(r.loop.fromDueMs, 50)),
            p99: ms(r.p99),
            maxInFlight: r.loop.maxInFlight,
            otherCores: round(r.cpu.other / 1000 / r.loop.seconds, 2),
          })),
          // Cores busy on average during the open loops, by process; apiMainThreadWaitingForCpu is the
          // share of the time the API's one JavaScript thread was ready to run but had no core.
          coresBusy: {
            apiMainThread: busy(cpu.apiMainThread),
            apiMainThreadWaitingForCpu: busy(cpu.apiMainThreadWaiting),
            apiOtherThreads: busy(cpu.apiOtherThreads),
            postgres: busy(cpu.postgres),
            httpClient: busy(cpu.bench),
            // Processes outside the measurement: near 0 on a quiet machine.
            other: busy(cpu.other),
          },
          load,
          requests: all('fromDueMs').length,
          batchSize: batch,
          volunteers: f.volunteers.length,
          poolSize,
          slice: `${rounds} open loops of ${seconds} s, ${rounds + 2} closed-loop probes of ${probeSeconds} s (3 first, then one between rounds), after a 4 s warm-up`,
          setUpSeconds: round(f.setUpSeconds, 1),
          loadAverage1m: { before: round(loadBefore, 2), after: round(loadavg()[0], 2) },
          cores: availableParallelism(),
          cpu: cpus()[0]?.model,
          node: process.version,
        },
      },
    ];
  } finally {
    await f.close();
  }
}
