import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobNameOf, JobPayloads, QUEUE } from '@app/queue';
import { RemindersService, SendOutcome } from '@app/events';

/** Sending is waiting on SMTP and HTTP, not CPU: many at once. */
@Processor(QUEUE.reminders, { concurrency: 50 })
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
