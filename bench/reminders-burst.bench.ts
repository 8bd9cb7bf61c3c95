/**
 * Q3: how fast a burst of reminders that fall due at the same instant drains, against BullMQ
 * draining the same number of jobs that do nothing.
 *
 * Measured (A): 10,000 reminder rows due at one instant a few seconds ahead (one per confirmed
 * RSVP, the rule and so the channel cycling through the default schedule), written with
 * `EventsRepository.insertReminders` and queued with `RemindersService.enqueue`, the product's path,
 * which puts reminders due at the same instant 50 to a job (200 jobs here). The worker's own
 * RemindersProcessor sends them, on the BullMQ worker that @nestjs/bullmq creates
 * from its `@Processor` options (concurrency 50), with the default database pool
 * (DATABASE_POOL_SIZE 10) and a stub channel that answers at once: claim, template, rendering in the
 * person's language, recording. Rate: 10,000 over the time from the due instant to the last job
 * completed.
 *
 * Reference (B): 10,000 delayed jobs, one per reminder as the product queued them before it shared
 * jobs (name, payload shape, id scheme and options of a single reminder's job), due at one instant, added with `Queue.addBulk` on another queue of the same Redis prefix and
 * connection settings, drained by a plain BullMQ Worker at the same concurrency whose processor
 * returns at once. Same clock: from the due instant to the last job completed.
 *
 * Why this is fair: both sides are BullMQ workers of the same version and options, in this process,
 * draining delayed jobs that BullMQ promotes at the same instant; they run in turn, never together
 * (each worker sits idle, blocked on Redis, while the other drains); the set-up (rows, jobs) is
 * outside the clock on both sides, and the reminders table is emptied before each A slice so every
 * round starts alike. Both rates count reminders (B: one per job). A reminder costs its claim and
 * record in PostgreSQL (two updates, batched across the reminders in flight) and the rendering, and
 * saves most of a job's cost, which its job shares with 49 others. Both sides are CPU-bound on two cores,
 * so detail.cpuMsPerJob (this process, the scratch database's backends, Redis) says where it goes.
 */
import { Queue, Worker } from 'bullmq';
import { BenchResult, interleavedRates, log, median, numberArg, round, sleep } from './common';
import {
  CpuUse,
  cpuMeter,
  freshReminders,
  referenceJob,
  reminderRows,
  scheduleRows,
  seedEvent,
  whenProcessed,
  withReminders,
} from './reminders-support';

export const id = 'Q3';
export const description =
  '10,000 reminders due at one instant: drain rate of the real worker path / a no-op BullMQ worker, concurrency 50';

const TARGET = 0.8;
const BULK = 5000;

interface Slice {
  count: number;
  seconds: number;
  /** From the due instant until the first job started, ms. */
  firstStartMs: number;
  /** CPU used from the end of the set-up until the last job finished. */
  cpu: CpuUse;
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const count = Math.round(numberArg(args, 'reminders', 10_000));
  const rounds = Math.round(numberArg(args, 'rounds', 3));
  const leadMs = numberArg(args, 'lead', 2) * 1000;
  const timeoutMs = numberArg(args, 'timeout', 60) * 1000;

  return withReminders(id, { worker: true }, async (ctx, pg) => {
    let noopQueue: Queue | undefined;
    let noopWorker: Worker | undefined;
    try {
      const { config, queue } = ctx;
      const worker = ctx.worker!;
      const concurrency = worker.opts.concurrency ?? 1;
      const seeded = await seedEvent(pg, ctx.repository, count);

      // The reference: same Redis connection settings and prefix as the product's queues, another queue name.
      const connection = queue.opts.connection;
      noopQueue = new Queue('reminders-noop-reference', { connection, prefix: queue.opts.prefix });
      noopWorker = new Worker('reminders-noop-reference', () => Promise.resolve(), { connection, prefix: queue.opts.prefix, concurrency });
      await noopWorker.waitUntilReady();
      const reference = noopWorker;
      const referenceQueue = noopQueue;

      /** Waits for the instant, then for `count` jobs to finish; the rate runs from the later of the due instant and the end of the set-up. */
      const drain = async (n: number, due: number, waiting: ReturnType<typeof whenProcessed>): Promise<Slice> => {
        const setUpEnded = Date.now();
        if (setUpEnded > due) log(`the set-up ended ${setUpEnded - due} ms after the due instant: raise --lead`);
        const from = Math.max(due, setUpEnded);
        const meter = await cpuMeter(pg, queue);
        const { lastAt, failed, firstStartAt } = await waiting.done;
        const cpu = await meter();
        if (failed > 0) throw new Error(`${failed} jobs failed`);
        return { count: n, seconds: (lastAt - from) / 1000, firstStartMs: firstStartAt - due, cpu };
      };

      const service = async (n: number): Promise<Slice> => {
        await pg.query('TRUNCATE reminders');
        const due = Date.now() + leadMs;
        const rows = reminderRows(
          seeded,
          Array.from({ length: n }, () => new Date(due)),
        );
        const waiting = whenProcessed(worker, n, leadMs + timeoutMs);
        const scheduled = await scheduleRows(ctx, seeded, rows);
        const slice = await drain(n, due, waiting);
        const { rows: sent } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM reminders WHERE status = 'sent'`);
        if (scheduled.length !== n || sent[0].n !== n) throw new Error(`${sent[0].n} of ${n} reminders were sent`);
        return slice;
      };

      const plain = async (n: number): Promise<Slice> => {
        const due = Date.now() + leadMs;
        const now = Date.now();
        const jobs = freshReminders(Array.from({ length: n }, () => new Date(due))).map((r) => referenceJob(config, r, now));
        const waiting = whenProcessed(reference, n, leadMs + timeoutMs);
        for (let i = 0; i < jobs.length; i += BULK) await referenceQueue.addBulk(jobs.slice(i, i + BULK));
        return drain(n, due, waiting);
      };

      const result = await interleavedRates({
        rounds,
        pairsPerRound: 1,
        warmUp: async () => {
          await service(Math.min(count, 2000));
          await plain(Math.min(count, 2000));
        },
        a: () => service(count),
        b: () => plain(count),
      });
      // Anything left would be a job that ran twice or never.
      await sleep(200);
      const left = { reminders: await queue.getJobCounts(), reference: await referenceQueue.getJobCounts() };

      const perJob = (slices: Slice[], key: keyof CpuUse) =>
        round(slices.reduce((t, x) => t + x.cpu[key], 0) / slices.reduce((c, x) => c + x.count, 0), 3);
      const services = result.rounds.flatMap((r) => r.a);
      const noops = result.rounds.flatMap((r) => r.b);

      return [
        {
          bench: id,
          metric: 'service_drain_per_s / noop_worker_drain_per_s',
          value: round(result.medianRatio),
          target: TARGET,
          pass: result.medianRatio >= TARGET,
          detail: {
            servicePerS: Math.round(median(result.rounds.map((r) => r.aPerSecond))),
            noopWorkerPerS: Math.round(median(result.rounds.map((r) => r.bPerSecond))),
            rounds: result.rounds.map((r) => ({
              servicePerS: Math.round(r.aPerSecond),
              noopWorkerPerS: Math.round(r.bPerSecond),
              ratio: round(r.ratio),
              serviceDrainS: round(r.a[0].seconds, 2),
              noopDrainS: round(r.b[0].seconds, 2),
              firstStartMs: { service: r.a[0].firstStartMs, noop: r.b[0].firstStartMs },
            })),
            // Where the time goes: CPU per job, from the end of the set-up to the last job, over all rounds.
            cpuMsPerJob: {
              service: {
                benchProcess: perJob(services, 'benchMs'),
                postgres: perJob(services, 'postgresMs'),
                redis: perJob(services, 'redisMs'),
              },
              noop: { benchProcess: perJob(noops, 'benchMs'), postgres: perJob(noops, 'postgresMs'), redis: perJob(noops, 'redisMs') },
            },
            reminders: count,
            concurrency,
            databasePoolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10),
            jobsLeft: left,
            slice: `${rounds} rounds x (service, no-op) of ${count} jobs due at one instant ${leadMs} ms after the set-up began, after 2,000 of each as warm-up`,
            node: process.version,
            reference: `a BullMQ Worker whose processor returns at once, concurrency ${concurrency}, draining as many delayed jobs with the same options`,
          },
        },
      ];
    } finally {
      await noopWorker?.close().catch(() => undefined);
      await noopQueue?.close().catch(() => undefined);
    }
  });
}
