/**
 * What the reminder benchmarks (Q1-Q3) share: the product's reminder services in this process on a
 * scratch database and Redis prefix, a channel that sends nowhere, and the SQL that sets up an
 * organization, an event and its RSVPs.
 *
 * The services are the product's own: ConfigModule, DatabaseModule, QueueModule and EventsModule
 * assembled as the worker assembles them (apps/worker/src/worker.module.ts), with the worker's own
 * RemindersProcessor when asked for, whose BullMQ worker @nestjs/bullmq creates from its
 * `@Processor` options (concurrency 50) exactly as in the worker process. Only `Channels` is
 * replaced, so that the figures are the product's cost and not an SMTP server's.
 */
import { randomUUID } from 'node:crypto';
import { Test, TestingModule } from '@nestjs/testing';
import { Job, JobsOptions, Queue, Worker } from 'bullmq';
import { Client } from 'pg';
import { ConfigModule, messagingConfig, MessagingConfig } from '@app/config';
import { DatabaseModule } from '@app/database';
import { Channel, Channels, DEFAULT_SCHEDULE, EventsModule, ReminderRule, RemindersService } from '@app/events';
import { JobProducer, QUEUE, QueueModule } from '@app/queue';
import { RemindersProcessor } from '../apps/worker/src/processors/reminders.processor';
import { EventRow, EventsRepository, NewReminder, ScheduledReminder } from '../libs/events/src/events.repository';
import { createScratchDatabase, log, onCleanup, scratchRedisPrefix } from './common';
import { backendCpuSeconds, backendCpuSince, processCpuSeconds } from './processes';

/** A channel that accepts every message at once, and remembers when. */
export class StubChannels {
  /** Wall-clock time (Date.now()) of each send, by reminder id. */
  readonly sentAt = new Map<string, number>();
  sends = 0;

  configured(_channel: Channel): boolean {
    return true;
  }

  send(_channel: Channel, message: { reference: string }): Promise<string> {
    this.sends++;
    this.sentAt.set(message.reference, Date.now());
    return Promise.resolve(`stub-${message.reference}`);
  }

  onModuleDestroy(): void {
    // Nothing to close.
  }
}

export interface RemindersContext {
  app: TestingModule;
  reminders: RemindersService;
  repository: EventsRepository;
  /** The queue the product puts reminder jobs on, as JobProducer holds it. */
  queue: Queue;
  /** The product's reminders worker (RemindersProcessor), when started with `worker: true`. */
  worker: Worker | null;
  config: MessagingConfig;
  channels: StubChannels;
  close(): Promise<void>;
}

/**
 * Starts the services on `databaseUrl` with Redis keys under `redisPrefix`. The environment is read
 * when the context is created, so it is set first and put back on close.
 */
export async function startReminders(options: { databaseUrl: string; redisPrefix: string; worker: boolean }): Promise<RemindersContext> {
  const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_KEY_PREFIX: process.env.REDIS_KEY_PREFIX };
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  process.env.DATABASE_URL = options.databaseUrl;
  process.env.REDIS_KEY_PREFIX = options.redisPrefix;
  const channels = new StubChannels();
  let app: TestingModule | undefined;
  const close = onCleanup(async () => {
    try {
      await app?.close();
    } finally {
      restore();
    }
  });
  try {
    app = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, QueueModule, EventsModule],
      providers: options.worker ? [RemindersProcessor] : [],
    })
      .overrideProvider(Channels)
      .useValue(channels)
      .compile();
    app.useLogger(['error', 'warn']);
    await app.init();
  } catch (err) {
    await close();
    throw err;
  }
  const jobs = app.get(JobProducer);
  return {
    app,
    reminders: app.get(RemindersService),
    repository: app.get(EventsRepository),
    queue: jobs.queue(QUEUE.reminders),
    worker: options.worker ? app.get(RemindersProcessor).worker : null,
    config: app.get<MessagingConfig>(messagingConfig.KEY),
    channels,
    close,
  };
}

/**
 * Runs `fn` on a scratch database and Redis prefix of `benchId`, with a connection to the database
 * and the reminder services started on both; then closes the services and the connection, deletes
 * the Redis keys and drops the database, whether `fn` succeeded or not.
 */
export async function withReminders<T>(
  benchId: string,
  options: { worker: boolean },
  fn: (ctx: RemindersContext, pg: Client) => Promise<T>,
): Promise<T> {
  const db = await createScratchDatabase(benchId);
  const redis = scratchRedisPrefix(benchId);
  const pg = new Client({ connectionString: db.url, application_name: 'porchlight-bench-setup' });
  let ctx: RemindersContext | undefined;
  try {
    await pg.connect();
    ctx = await startReminders({ databaseUrl: db.url, redisPrefix: redis.prefix, worker: options.worker });
    return await fn(ctx, pg);
  } finally {
    await ctx?.close().catch((err: unknown) => log(`could not close the services: ${String(err)}`));
    await pg.end().catch(() => undefined);
    await redis.drop().catch((err: unknown) => log(`could not delete Redis keys: ${String(err)}`));
    await db.drop();
  }
}

/**
 * The job the service adds for one reminder (RemindersService.enqueue), for the plain BullMQ
 * references: same name, payload, id scheme and options.
 */
export function referenceJob(
  config: MessagingConfig,
  r: ScheduledReminder,
  now: number,
): { name: string; data: { reminderId: string; dueAt: string }; opts: JobsOptions } {
  const due = new Date(r.dueAt);
  return {
    name: 'reminder-send',
    data: { reminderId: r.id, dueAt: due.toISOString() },
    opts: {
      jobId: `reminder-${r.id}-${due.getTime()}`,
      delay: Math.max(0, due.getTime() - now),
      attempts: config.maxAttempts,
      backoff: { type: 'exponential', delay: config.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    },
  };
}

/** Reminders with fresh ids at the given times, as the plain references schedule them. */
export function freshReminders(dueTimes: Date[]): ScheduledReminder[] {
  return dueTimes.map((dueAt) => ({ id: randomUUID(), dueAt }));
}

export interface SeededEvent {
  organizationId: string;
  eventId: string;
  rsvpIds: string[];
  event: EventRow;
}

/**
 * An organization and an event starting `startsInDays` days from now at 18:00 in New York with the
 * default schedule (the day before at 11:00 and the morning of at 08:00 by e-mail, 30 minutes
 * before by SMS: none in the quiet hours), and `rsvps` confirmed supporters with an e-mail address
 * and a phone number, half of them in Spanish.
 */
export async function seedEvent(
  pg: Client,
  repository: EventsRepository,
  rsvps: number,
  schedule: ReminderRule[] = DEFAULT_SCHEDULE,
  startsInDays = 7,
): Promise<SeededEvent> {
  const [{ id: organizationId }] = (
    await pg.query<{ id: string }>(`INSERT INTO organizations (name) VALUES ('Bench tenants union') RETURNING id`)
  ).rows;
  const [{ id: eventId }] = (
    await pg.query<{ id: string }>(
      `INSERT INTO events (organization_id, title, description, kind, address, starts_at, ends_at, time_zone, visibility, reminder_schedule)
       SELECT $1, $2, '{}', 'action', '180 Ted Turner Dr SW, Atlanta, GA 30303', s, s + interval '2 hours', 'America/New_York', 'public', $3
         FROM (SELECT ((now() AT TIME ZONE 'America/New_York')::date + $4::int + time '18:00') AT TIME ZONE 'America/New_York' AS s) t
       RETURNING id`,
      [
        organizationId,
        JSON.stringify({ en: 'Rally at City Hall', es: 'Manifestación en el ayuntamiento' }),
        JSON.stringify(schedule),
        startsInDays,
      ],
    )
  ).rows;
  const { rows } = await pg.query<{ id: string }>(
    `INSERT INTO rsvps (organization_id, event_id, name, email, phone, language, consent_at, response, status)
     SELECT $1, $2, 'Supporter ' || i, 'supporter-' || i || '@bench.example.org', '+1404' || lpad(i::text, 7, '0'),
            CASE WHEN i % 2 = 0 THEN 'en' ELSE 'es' END, now(), 'going', 'confirmed'
       FROM generate_series(1, $3::int) i
     RETURNING id`,
    [organizationId, eventId, rsvps],
  );
  const event = await repository.findEvent(eventId);
  if (!event) throw new Error('The seeded event cannot be read back');
  log(`seeded an event with ${rows.length} confirmed RSVPs`);
  return { organizationId, eventId, rsvpIds: rows.map((r) => r.id), event };
}

/**
 * Reminder rows of the event's schedule at the given due times, one per RSVP in turn (the rule,
 * and so the channel, cycling through the schedule), for the send benchmarks.
 */
export function reminderRows(seeded: SeededEvent, dueTimes: Date[]): NewReminder[] {
  const schedule = seeded.event.reminderSchedule;
  return dueTimes.map((dueAt, i) => ({
    rsvpId: seeded.rsvpIds[i % seeded.rsvpIds.length],
    kind: 'reminder',
    rule: i % schedule.length,
    channel: schedule[i % schedule.length].channel,
    dueAt,
    status: 'pending',
    reason: null,
  }));
}

/** Writes the rows in one transaction and queues their jobs, as the product does after a change to the event. */
export async function scheduleRows(ctx: RemindersContext, seeded: SeededEvent, rows: NewReminder[]): Promise<ScheduledReminder[]> {
  const scheduled = await ctx.repository.transaction((m) => ctx.repository.insertReminders(m, seeded.organizationId, seeded.eventId, rows));
  await ctx.reminders.enqueue(scheduled);
  return scheduled;
}

/** How many reminders a job carries: one, or the list of a job of reminders due together. */
const remindersIn = (job: Job | undefined): number =>
  Array.isArray((job?.data as { reminders?: unknown[] } | undefined)?.reminders)
    ? (job!.data as { reminders: unknown[] }).reminders.length
    : 1;

/**
 * Resolves with the time (Date.now()) at which jobs carrying `count` reminders have finished on
 * `worker` since the call, or rejects after `timeoutMs`. A failed attempt counts as finished, and
 * apart: the benchmarks treat any as an error.
 */
export function whenProcessed(
  worker: Worker,
  count: number,
  timeoutMs: number,
): { done: Promise<{ lastAt: number; failed: number; firstStartAt: number }>; cancel(): void } {
  let finished = 0;
  let failed = 0;
  let firstStartAt = 0;
  let cancel = () => undefined as void;
  const done = new Promise<{ lastAt: number; failed: number; firstStartAt: number }>((resolve, reject) => {
    const onActive = () => {
      if (firstStartAt === 0) firstStartAt = Date.now();
    };
    const onFinished = (job: Job | undefined) => {
      finished += remindersIn(job);
      if (finished >= count) {
        const lastAt = Date.now();
        cancel();
        resolve({ lastAt, failed, firstStartAt });
      }
    };
    const onFailed = (job: Job | undefined, err: Error) => {
      failed++;
      if (failed <= 3) log(`job ${job?.id ?? '?'} failed: ${err.message}`);
      onFinished(job);
    };
    const timer = setTimeout(() => {
      cancel();
      reject(new Error(`only ${finished} of ${count} reminders' jobs finished within ${timeoutMs} ms`));
    }, timeoutMs);
    cancel = () => {
      clearTimeout(timer);
      worker.off('active', onActive);
      worker.off('completed', onFinished);
      worker.off('failed', onFailed);
    };
    worker.on('active', onActive);
    worker.on('completed', onFinished);
    worker.on('failed', onFailed);
  });
  return { done, cancel };
}

/** CPU milliseconds used over a stretch of time: this process (the worker runs in it), the scratch database's backends, Redis. */
export interface CpuUse {
  benchMs: number;
  postgresMs: number;
  /** The Redis server is shared with whatever else uses it meanwhile. */
  redisMs: number;
}

/**
 * Starts counting CPU time. PostgreSQL backends are those of `pg`'s database (the pool's
 * connections); one that appears meanwhile counts from zero. The Redis server's pid comes from
 * INFO, so it is found only when Redis runs on this machine, which the benchmarks require.
 */
export async function cpuMeter(pg: Client, queue: Queue): Promise<() => Promise<CpuUse>> {
  const client = await queue.client;
  const info = await client.info();
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1]);
  const redisCpu = () => (Number.isFinite(redisPid) ? processCpuSeconds(redisPid) : NaN);
  const pgBefore = await backendCpuSeconds(pg);
  const redisBefore = redisCpu();
  const benchBefore = process.cpuUsage();
  return async () => {
    const bench = process.cpuUsage(benchBefore);
    const redisNow = redisCpu();
    const postgres = await backendCpuSince(pg, pgBefore);
    return { benchMs: (bench.user + bench.system) / 1000, postgresMs: postgres * 1000, redisMs: (redisNow - redisBefore) * 1000 };
  };
}
