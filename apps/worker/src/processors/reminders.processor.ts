import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';
import { RemindersService, SendOutcome } from '@app/events';

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

  async process(job: Job): Promise<SendOutcome> {
    const name = job.name as JobNameOf<typeof QUEUE.reminders>;
    switch (name) {
      case 'reminder-send': {
        const data = job.data as JobPayloads['reminder-send'];
        return this.reminders.send(data.reminderId, data.dueAt, job.attemptsMade + 1);
      }
      default: {
        const unknown: never = name;
        throw new UnrecoverableError(`No processor for job ${String(unknown)} on queue ${QUEUE.reminders}`);
      }
    }
  }
}
