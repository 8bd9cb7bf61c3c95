import { INestApplicationContext } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { jobIdFor } from '@app/events';
import { JobProducer, QUEUE } from '@app/queue';
import { createTestApp, TestApp } from '../support/create-test-app';
import { bearer, signupOrganizer } from '../support/factories';
import { SmsSink, SmtpSink, startSmsSink, startSmtpSink, useSinks } from '../support/messaging';
import { waitFor } from '../support/processes';
import { startWorker } from '../support/worker';
import { referenceOf } from './services';

const ORDINARY = 40;
const ROWS_DELETED = 5;
const ON_DELETED_EVENT = 10;
const MALFORMED: { name: string; data: unknown }[] = [
  { name: 'reminder-send', data: { reminderId: 'not-a-uuid', dueAt: 'garbage' } },
  { name: 'reminder-send', data: {} },
  { name: 'reminder-send', data: { reminderId: randomUUID(), dueAt: 'yesterday' } },
  { name: 'reminder-send', data: { reminderId: null, dueAt: new Date().toISOString() } },
  { name: 'reminder-send', data: 'a string' },
  { name: 'reminder-send', data: { reminderId: [randomUUID()], dueAt: { $gt: '' } } },
  { name: 'reminder-explode', data: { reminderId: randomUUID() } },
  { name: 'reminders-send', data: { reminders: [] } },
  { name: 'reminders-send', data: { reminders: [{ reminderId: randomUUID(), dueAt: new Date().toISOString() }, { reminderId: 'x' }] } },
  { name: 'reminders-send', data: { reminders: 'all of them' } },
];

/**
 * Poison among ordinary reminders: jobs whose reminder row is gone (its event deleted, or the row
 * itself), and jobs whose payload is malformed. The worker must settle each of them once, with a
 * reason, and send every ordinary reminder without a single failed try on their account.
 */
describe('a poison job does not block the reminders queue', () => {
  let smtp: SmtpSink;
  let sms: SmsSink;
  let restoreEnv: () => void;
  let t: TestApp;
  let worker: INestApplicationContext | undefined;
  let events: QueueEvents | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    restoreEnv = useSinks(smtp, sms);
    t = await createTestApp();
  }, 60_000);
  afterAll(async () => {
    await events?.close();
    await worker?.close();
    await t.close();
    await smtp.close();
    await sms.close();
    restoreEnv();
  });

  it('settles poison jobs once with a reason and sends every other reminder', async () => {
    const organizer = await signupOrganizer(t);
    const startsAt = DateTime.now().setZone('America/New_York').plus({ days: 10 }).set({ hour: 12 }).startOf('hour');
    const makeEvent = async (title: string) =>
      (
        await t
          .http()
          .post('/events')
          .set(bearer(organizer))
          .send({
            title: { en: title, es: title },
            kind: 'action',
            address: 'City hall',
            startsAt: startsAt.toISO(),
            endsAt: startsAt.plus({ hours: 1 }).toISO(),
            timeZone: 'America/New_York',
            visibility: 'public',
            reminderSchedule: [],
          })
          .expect(201)
      ).body as { id: string; signupUrl: string };
    const signUp = async (event: { signupUrl: string }, n: number) => {
      for (let i = 0; i < n; i++) {
        await t
          .http()
          .post(`/public/events/${event.signupUrl.split('/').pop()}/rsvps`)
          .send({ name: `Person ${i}`, email: `poison-${i}-${randomUUID().slice(0, 6)}@example.org`, language: 'es', consent: true })
          .expect(202);
      }
    };

    // Everything is queued before the worker starts, so that the poison is due among the ordinary jobs.
    const ordinary = await makeEvent('Vigil');
    await signUp(ordinary, ORDINARY);
    const doomed = await makeEvent('Deleted');
    await signUp(doomed, ON_DELETED_EVENT);
    const rows = await t.db.query<{ id: string; dueAt: Date; eventId: string }[]>(
      'SELECT id, due_at AS "dueAt", event_id AS "eventId" FROM reminders WHERE event_id = ANY($1) ORDER BY id',
      [[ordinary.id, doomed.id]],
    );
    const gone = [...rows.filter((r) => r.eventId === doomed.id), ...rows.filter((r) => r.eventId === ordinary.id).slice(0, ROWS_DELETED)];
    const kept = rows.filter((r) => r.eventId === ordinary.id).slice(ROWS_DELETED);
    await t.db.query('DELETE FROM events WHERE id = $1', [doomed.id]);
    await t.db.query('DELETE FROM reminders WHERE id = ANY($1)', [gone.filter((r) => r.eventId === ordinary.id).map((r) => r.id)]);
    expect(await t.db.query('SELECT id FROM reminders WHERE id = ANY($1)', [gone.map((r) => r.id)])).toEqual([]);

    const queue = t.app.get(JobProducer).queue(QUEUE.reminders);
    const malformed = await Promise.all(
      MALFORMED.map((m) => queue.add(m.name, m.data, { attempts: 5, backoff: { type: 'fixed', delay: 100 }, removeOnFail: false })),
    );
    events = new QueueEvents(QUEUE.reminders, { connection: queue.opts.connection, prefix: queue.opts.prefix });
    await events.waitUntilReady();
    const failedTries = new Map<string, string[]>();
    const completed = new Map<string, unknown[]>();
    const tried = (jobId: string, reason: string) => failedTries.set(jobId, [...(failedTries.get(jobId) ?? []), reason]);
    // A try that fails and will be retried puts the job back as "delayed" (the backoff); the last one as "failed".
    events.on('failed', ({ jobId, failedReason }) => tried(jobId, failedReason));
    events.on('delayed', ({ jobId }) => tried(jobId, 'retried'));
    events.on('completed', ({ jobId, returnvalue }) => completed.set(jobId, [...(completed.get(jobId) ?? []), returnvalue]));

    const started = Date.now();
    worker = await startWorker();
    const keptIds = new Set(kept.map((r) => r.id));
    const received = () => smtp.messages.filter((m) => keptIds.has(referenceOf(m)));
    await waitFor(() => received().length >= kept.length, 30_000, 'every ordinary reminder to arrive');
    const allSentMs = Date.now() - started;
    await waitFor(
      async () => {
        const states = await Promise.all(malformed.map((j) => queue.getJobState(j.id!)));
        return states.every((s) => s === 'failed') && gone.every((r) => completed.has(jobIdFor(r)));
      },
      15_000,
      'every poison job to be settled',
    );
    // Time for a retry that should not happen.
    await new Promise((r) => setTimeout(r, 1_000));

    const settled = await Promise.all(malformed.map((j) => queue.getJob(j.id!)));
    const statuses = await t.db.query<{ status: string; n: number }[]>(
      'SELECT status, count(*)::int AS n FROM reminders WHERE id = ANY($1) GROUP BY status',
      [kept.map((r) => r.id)],
    );
    const perReference = new Map<string, number>();
    for (const m of received()) {
      const ref = referenceOf(m);
      perReference.set(ref, (perReference.get(ref) ?? 0) + 1);
    }
    const ordinaryFailedTries = kept.reduce((n, r) => n + (failedTries.get(jobIdFor(r))?.length ?? 0), 0);
    const report = {
      ordinary: kept.length,
      ordinarySent: perReference.size,
      ordinaryDuplicated: received().length - perReference.size,
      ordinaryFailedTries,
      allSentMs,
      rowsGone: gone.length,
      rowsGoneSettled: gone.filter((r) => completed.get(jobIdFor(r))?.length === 1).length,
      malformed: malformed.length,
      malformedTries: settled.map((j) => j?.attemptsMade),
      malformedReasons: settled.map((j) => j?.failedReason),
    };
    console.log(`poison jobs: ${JSON.stringify(report)}`);

    expect(statuses).toEqual([{ status: 'sent', n: kept.length }]);
    expect(perReference.size).toBe(kept.length);
    expect(report.ordinaryDuplicated).toBe(0);
    // Not a single failed try of an ordinary reminder on the poison's account.
    expect(ordinaryFailedTries).toBe(0);
    for (const r of gone) {
      expect({ job: jobIdFor(r), outcomes: completed.get(jobIdFor(r)), failed: failedTries.get(jobIdFor(r)) }).toEqual({
        job: jobIdFor(r),
        outcomes: [{ status: 'not_due' }],
        failed: undefined,
      });
    }
    for (const job of settled) {
      // Settled on the first try, with the reason kept on the failed job: no retries of what cannot succeed.
      expect({ name: job?.name, attempts: job?.attemptsMade, tries: failedTries.get(job!.id!)?.length }).toEqual({
        name: job?.name,
        attempts: 1,
        tries: 1,
      });
      expect(job?.failedReason).toMatch(/malformed|No processor/);
    }
  }, 90_000);
});
