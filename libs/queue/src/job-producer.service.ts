import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Job, JobsOptions, JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QUEUE, QueueName } from './jobs';

/** The one way to put work on a queue: typed by job name, so a payload cannot drift from its processor. */
@Injectable()
export class JobProducer {
  private readonly queues: Record<QueueName, Queue>;

  constructor(@InjectQueue(QUEUE.maintenance) maintenance: Queue, @InjectQueue(QUEUE.imports) imports: Queue) {
    this.queues = { maintenance, imports };
  }

  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobsOptions): Promise<Job<JobPayloads[N]>> {
    return this.queues[JOB_QUEUE[name]].add(name, payload, opts) as Promise<Job<JobPayloads[N]>>;
  }

  /** Creates or updates a repeating job; the scheduler id makes it idempotent across restarts. */
  async schedule<N extends JobName>(
    name: N,
    repeat: Omit<RepeatOptions, 'key'>,
    payload: JobPayloads[N],
    template?: JobSchedulerTemplateOptions,
  ): Promise<void> {
    await this.queues[JOB_QUEUE[name]].upsertJobScheduler(name, repeat, { name, data: payload, opts: template });
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }
}
