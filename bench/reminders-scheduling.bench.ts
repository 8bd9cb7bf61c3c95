/**
 * Q1: how close scheduling reminders through the product comes to adding the same delayed jobs
 * with BullMQ alone.
 *
 * Measured (A): the reminders of 10,000 confirmed RSVPs scheduled the way the product schedules
 * many at once (EventsService.update when an event moves or its schedule changes, and promote when
 * the waiting list moves up): `RemindersService.plan` for each RSVP works out the event's schedule
 * in its time zone (three reminders each with the default schedule, so 30,000), one transaction
 * writes every row with `EventsRepository.insertReminders` (one multi-row INSERT ... RETURNING),
 * and after the commit `RemindersService.enqueue` adds the delayed jobs with `addBulk`: since
 * reminders due at the same instant share a job (50 to a job, see `jobsFor`), the 30,000 reminders
 * of one event's three rules make 600 jobs. RSVPs one at a time (a person signing up) write their two to four
 * rows in the transaction that creates the RSVP, where the request's other statements dominate;
 * 10,000 of them arriving together is this bulk path.
 *
 * Reference (B): `Queue.addBulk` of the same number of delayed jobs on the same Queue instance (the
 * one JobProducer holds, so the same Redis connection), with the same name, payload, id scheme,
 * delays and options as the service's, in calls of the same size; the job list is built before the
 * clock starts, so B is the Redis work alone.
 *
 * Why this is fair: both sides start from an empty queue and leave in it what they planned (each side's
 * jobs are counted, then the queue is obliterated and the reminders table truncated, outside the clock),
 * and they run in turn, never together. The reference is what one job per reminder would cost in
 * Redis alone; the service pays the database rows and the planning on top, and saves the jobs.
 */
import { BenchResult, interleavedRates, median, numberArg, round } from './common';
import { jobsFor } from '@app/events';
import { freshReminders, referenceJob, seedEvent, withReminders } from './reminders-support';

export const id = 'Q1';
export const description =
  'reminders scheduled/s through the service (rows + delayed jobs) for 10,000 RSVPs / plain BullMQ addBulk of as many delayed jobs';

const TARGET = 0.5;
/** RemindersService.enqueue adds this many jobs per addBulk call (its SWEEP_BATCH). */
const BULK = 5000;

interface Slice {
  count: number;
  seconds: number;
  /** Where A's time went, ms. */
  phases?: { planMs: number; rowsMs: number; jobsMs: number };
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const rsvpCount = Math.round(numberArg(args, 'rsvps', 10_000));
  const rounds = Math.round(numberArg(args, 'rounds', 5));
  const pairsPerRound = Math.round(numberArg(args, 'pairs', 1));

  return withReminders(id, { worker: false }, async (ctx, pg) => {
    const { reminders, repository, queue, config } = ctx;
    const seeded = await seedEvent(pg, repository, rsvpCount);
    const { event } = seeded;

    const reset = async (expected: number, what: string) => {
      const delayed = await queue.getDelayedCount();
      if (delayed !== expected) throw new Error(`${what} left ${delayed} delayed jobs, expected ${expected}`);
      await queue.obliterate({ force: true });
      await pg.query('TRUNCATE reminders');
    };

    let lastCount = 0;
    const service = async (): Promise<Slice> => {
      const t0 = performance.now();
      const rows = seeded.rsvpIds.flatMap((rsvpId) => reminders.plan(event, { id: rsvpId }, null, true));
      const t1 = performance.now();
      const scheduled = await repository.transaction((m) => repository.insertReminders(m, seeded.organizationId, seeded.eventId, rows));
      const t2 = performance.now();
      await reminders.enqueue(scheduled);
      const t3 = performance.now();
      lastCount = scheduled.length;
      // Reminders due at the same instant share a job (jobsFor): 30,000 reminders of three instants make 600 jobs.
      await reset(jobsFor(scheduled).length, 'the service');
      return { count: scheduled.length, seconds: (t3 - t0) / 1000, phases: { planMs: t1 - t0, rowsMs: t2 - t1, jobsMs: t3 - t2 } };
    };

    const plain = async (): Promise<Slice> => {
      // The same due times as the service's rows, fresh ids: what the service would add, minus the rows.
      const dueTimes = seeded.rsvpIds.flatMap((rsvpId) => reminders.plan(event, { id: rsvpId }, null, true).map((r) => r.dueAt));
      const now = Date.now();
      const jobs = freshReminders(dueTimes).map((r) => referenceJob(config, r, now));
      const t0 = performance.now();
      for (let i = 0; i < jobs.length; i += BULK) await queue.addBulk(jobs.slice(i, i + BULK));
      const seconds = (performance.now() - t0) / 1000;
      await reset(jobs.length, 'addBulk');
      return { count: jobs.length, seconds };
    };

    const result = await interleavedRates({
      rounds,
      pairsPerRound,
      warmUp: async () => {
        await service();
        await plain();
      },
      a: service,
      b: plain,
    });

    const phases = result.rounds.flatMap((r) => r.a).map((s) => s.phases!);
    const ms = (v: number) => round(v, 1);
    return [
      {
        bench: id,
        metric: 'service_reminders_scheduled_per_s / bullmq_addbulk_delayed_jobs_per_s',
        value: round(result.medianRatio),
        target: TARGET,
        pass: result.medianRatio >= TARGET,
        detail: {
          servicePerS: Math.round(median(result.rounds.map((r) => r.aPerSecond))),
          addBulkPerS: Math.round(median(result.rounds.map((r) => r.bPerSecond))),
          rounds: result.rounds.map((r) => ({
            servicePerS: Math.round(r.aPerSecond),
            addBulkPerS: Math.round(r.bPerSecond),
            ratio: round(r.ratio),
          })),
          // Median time of each step of the service's slice, for where the time goes.
          serviceMs: {
            plan: ms(median(phases.map((p) => p.planMs))),
            rowsInsert: ms(median(phases.map((p) => p.rowsMs))),
            enqueue: ms(median(phases.map((p) => p.jobsMs))),
          },
          rsvps: rsvpCount,
          remindersPerSlice: lastCount,
          schedule: event.reminderSchedule,
          addBulkCallSize: BULK,
          slice: `${rounds} rounds x ${pairsPerRound} x (service, addBulk) of ${lastCount} reminders each, after one of each as warm-up`,
          node: process.version,
          reference:
            'Queue.addBulk on the same Queue instance of as many delayed jobs with the same name, payload, ids, delays and options, ' +
            `${BULK} per call, job list built before the clock starts`,
        },
      },
    ];
  });
}
