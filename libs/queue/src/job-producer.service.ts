import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Job, JobsOptions, JobSchedulerTemplateOptions, Queue, QueueEvents, RepeatOptions } from 'bullmq';
import { JOB_QUEUE, JobName, JobPayloads, QUEUE, QueueName } from './jobs';

/** The one way to put work on a queue: typed by job name, so a payload cannot drift from its processor. */
@Injectable()
export class JobProducer implements OnModuleDestroy {
  private readonly queues: Record<QueueName, Queue>;
  private readonly events = new Map<QueueName, Promise<QueueEvents>>();

  constructor(
    @InjectQueue(QUEUE.maintenance) maintenance: Queue,
    @InjectQueue(QUEUE.imports) imports: Queue,
    @InjectQueue(QUEUE.planning) planning: Queue,
    @InjectQueue(QUEUE.reminders) reminders: Queue,
    @InjectQueue(QUEUE.coverage) coverage: Queue,
  ) {
    this.queues = { maintenance, imports, planning, reminders, coverage };
  }

  /**
   * Runs a job in the worker and waits for its result: for CPU-heavy work an HTTP request must
   * answer, kept off the API's event loop. Rejects with the job's error, or on timeout.
   */
  async runAndWait<N extends JobName, R>(name: N, payload: JobPayloads[N], timeoutMs: number): Promise<R> {
    const queueName = JOB_QUEUE[name];
    const events = await this.eventsFor(queueName);
    const job = await this.enqueue(name, payload, { attempts: 1, removeOnComplete: { age: 600 }, removeOnFail: { age: 3600 } });
    return (await job.waitUntilFinished(events, timeoutMs)) as R;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.events.values()].map(async (e) => (await e).close()));
  }

  private eventsFor(queueName: QueueName): Promise<QueueEvents> {
    let events = this.events.get(queueName);
    if (!events) {
      const queue = this.queues[queueName];
      const created = new QueueEvents(queueName, { connection: queue.opts.connection, prefix: queue.opts.prefix });
      events = created.waitUntilReady().then(() => created);
      this.events.set(queueName, events);
    }
    return events;
  }

  enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts?: JobsOptions): Promise<Job<JobPayloads[N]>> {
    return this.queues[JOB_QUEUE[name]].add(name, payload, opts) as Promise<Job<JobPayloads[N]>>;
  }

  /** Adds many jobs of one name in one round trip; jobs whose id already exists are left as they are. */
  async enqueueBulk<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; opts?: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.queues[JOB_QUEUE[name]].addBulk(jobs.map((j) => ({ name, data: j.payload, opts: j.opts })));
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
