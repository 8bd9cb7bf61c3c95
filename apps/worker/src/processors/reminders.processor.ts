import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';
import { BatchOutcome, RemindersService, SendOutcome } from '@app/events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The payload, checked: claims made at the same moment go to the database in one statement, so a
 * malformed id or date would fail the claims of every reminder sent with it, on every retry. Such
 * a job fails at once, for good, with the reason kept on the failed job.
 */
function sendPayload(data: unknown): JobPayloads['reminder-send'] {
  if (!isReminderRef(data))
    throw new UnrecoverableError('malformed reminder-send payload: needs a reminderId (UUID) and a dueAt (ISO date)');
  return { reminderId: data.reminderId, dueAt: data.dueAt };
}

/** The same check for a job of reminders due together: a list of 1 to 500 such references. */
function batchPayload(data: unknown): JobPayloads['reminders-send'] {
  const list = (data as { reminders?: unknown } | null)?.reminders;
  if (!Array.isArray(list) || list.length === 0 || list.length > 500 || !list.every(isReminderRef)) {
    throw new UnrecoverableError('malformed reminders-send payload: needs reminders, 1 to 500 of { reminderId (UUID), dueAt (ISO date) }');
  }
  return { reminders: list.map((r) => ({ reminderId: r.reminderId, dueAt: r.dueAt })) };
}

function isReminderRef(data: unknown): data is { reminderId: string; dueAt: string } {
  const d = data as Partial<Record<'reminderId' | 'dueAt', unknown>> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.reminderId === 'string' &&
    UUID.test(d.reminderId) &&
    typeof d.dueAt === 'string' &&
    !Number.isNaN(Date.parse(d.dueAt))
  );
}

/**
 * Sending is waiting on SMTP and HTTP, not CPU: many at once. A job a dead worker held before it
 * claimed the reminder stays "active" in Redis, its id taken, until BullMQ sees the lock lapse:
 * a 10-second lock checked every 5 seconds brings it back within 15 seconds instead of the default
 * 30 to 60 (the lock is renewed every 5 seconds while a send is in progress).
 */
@Processor(QUEUE.reminders, { concurrency: 50, lockDuration: 10_000, stalledInterval: 5_000 })
export class RemindersProcessor extends WorkerHost {
  constructor(private readonly reminders: RemindersService) {
    super();
  }

  async process(job: Job): Promise<SendOutcome | BatchOutcome> {
    const name = job.name as JobNameOf<typeof QUEUE.reminders>;
    switch (name) {
      case 'reminder-send': {
        const data = sendPayload(job.data);
        return this.reminders.send(data.reminderId, data.dueAt, job.attemptsMade + 1);
      }
      case 'reminders-send':
        return this.reminders.sendBatch(batchPayload(job.data).reminders, job.attemptsMade + 1);
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`No processor for job ${String(unknown)} on queue ${QUEUE.reminders}`);
      }
    }
  }
}
