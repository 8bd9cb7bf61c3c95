import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { messagingConfig, MessagingConfig } from '@app/config';
import { Clock } from '@app/core';
import { JobProducer } from '@app/queue';
import { Channels, ChannelError } from './channels/channels';
import { Channel, ReminderKind } from './entities/event.entity';
import { Delivery, EventRow, EventsRepository, NewReminder, ReminderRow, RsvpRow, ScheduledReminder } from './events.repository';
import { NoChannelParams, pickChannel, Reach, ReminderReasonCode } from './reminder-reasons';
import { ruleTimes } from './schedule/reminder-times';
import { DEFAULT_TEMPLATES } from './templates/default-templates';
import { formatWhen, pick, render } from './templates/render';

const SWEEP_BATCH = 5000;
/**
 * Reminders due at the very same instant (an event's "day before at 11:00" for everyone who
 * signed up) go this many to a job: a job costs BullMQ and Redis as much as a send costs us.
 */
export const REMINDERS_PER_JOB = 50;

/** The secret in a person's links, derived from their RSVP id: nothing to store, nothing to leak from the database. */
export function rsvpToken(config: Pick<MessagingConfig, 'linkKey'>, rsvpId: string): string {
  return createHmac('sha256', config.linkKey).update(rsvpId).digest('base64url');
}

export function rsvpTokenMatches(config: Pick<MessagingConfig, 'linkKey'>, rsvpId: string, token: string): boolean {
  const expected = Buffer.from(rsvpToken(config, rsvpId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Every message carries these: the cancel page of the web app, and the person's own calendar file. */
export function rsvpLink(
  config: Pick<MessagingConfig, 'linkKey' | 'publicUrl'>,
  rsvpId: string,
): { cancelUrl: string; calendarUrl: string } {
  const token = rsvpToken(config, rsvpId);
  return {
    cancelUrl: `${config.publicUrl}/rsvp/${rsvpId}/${token}`,
    calendarUrl: `${config.publicUrl}/public/rsvps/${rsvpId}/${token}/calendar.ics`,
  };
}

export const jobIdFor = (r: ScheduledReminder) =>
  `reminder-${r.id}-${new Date(r.dueAt).getTime()}${r.retry === undefined ? '' : `-retry${r.retry}`}`;

/** The job of reminders due at one instant, sorted by id: the same reminders always make the same id. */
export const batchJobIdFor = (batch: ScheduledReminder[]) =>
  `reminders-${new Date(batch[0].dueAt).getTime()}-${batch[0].id}-${batch[batch.length - 1].id}-${batch.length}`;

/**
 * The jobs for these reminders: those due at the same instant together, up to REMINDERS_PER_JOB
 * a job, in the order of their ids; a reminder alone at its instant, or freed from a dead worker's
 * claim (it has a retry number), travels alone under its own id.
 */
export function jobsFor(reminders: ScheduledReminder[]): ScheduledReminder[][] {
  const jobs: ScheduledReminder[][] = [];
  const byInstant = new Map<number, ScheduledReminder[]>();
  for (const r of reminders) {
    if (r.retry !== undefined) {
      jobs.push([r]);
      continue;
    }
    const at = new Date(r.dueAt).getTime();
    const list = byInstant.get(at);
    if (list) list.push(r);
    else byInstant.set(at, [r]);
  }
  for (const list of byInstant.values()) {
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = 0; i < list.length; i += REMINDERS_PER_JOB) jobs.push(list.slice(i, i + REMINDERS_PER_JOB));
  }
  return jobs;
}

export type BatchOutcome = Record<SendOutcome['status'], number>;

export type SendOutcome =
  | { status: 'sent'; channel: Channel }
  | { status: 'skipped' | 'failed'; reason: string; reasonCode: ReminderReasonCode }
  | { status: 'not_due' };

/**
 * Reminders as rows (the source of truth) and as delayed jobs (the trigger). Rows are written in
 * the caller's transaction; jobs are added after it commits, with ids that make adding twice
 * harmless, and the sweeper adds again whatever Redis lost.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger(RemindersService.name);
  /** The events' times as written in messages, by time, zone and language: the same few for thousands of messages. */
  private readonly whens = new Map<string, string>();
  /** The last event's schedule times (see ruleTimesOf). */
  private lastRuleTimes: { key: string; times: ReturnType<typeof ruleTimes> } | undefined;

  constructor(
    private readonly repository: EventsRepository,
    private readonly jobs: JobProducer,
    private readonly channels: Channels,
    private readonly clock: Clock,
    @Inject(messagingConfig.KEY) private readonly config: MessagingConfig,
  ) {}

  /** The messages one RSVP gets: a notice now (confirmation, waiting list, promotion) and, when confirmed, the schedule. */
  plan(
    event: Pick<EventRow, 'startsAt' | 'timeZone' | 'reminderSchedule'>,
    rsvp: Pick<RsvpRow, 'id'>,
    notice: ReminderKind | null,
    scheduled: boolean,
  ): NewReminder[] {
    const now = this.clock.now();
    const rows: NewReminder[] = [];
    if (notice) {
      rows.push({
        rsvpId: rsvp.id,
        kind: notice,
        rule: null,
        channel: 'email',
        dueAt: now,
        status: 'pending',
        reason: null,
        reasonCode: null,
      });
    }
    if (scheduled) rows.push(...this.scheduledFor(event, rsvp.id, now));
    return rows;
  }

  /** The schedule's reminders still ahead; one in the quiet hours is kept as skipped, so the organizer sees why. */
  scheduledFor(event: Pick<EventRow, 'startsAt' | 'timeZone' | 'reminderSchedule'>, rsvpId: string, now: Date): NewReminder[] {
    return this.ruleTimesOf(event)
      .filter((t) => t.dueAt.getTime() > now.getTime())
      .map((t) => ({
        rsvpId,
        kind: 'reminder' as const,
        rule: t.rule,
        channel: event.reminderSchedule[t.rule].channel,
        dueAt: new Date(t.dueAt),
        status: t.quiet ? ('skipped' as const) : ('pending' as const),
        reason: t.quiet ? 'falls in the quiet hours (21:00-08:00 local time)' : null,
        reasonCode: t.quiet ? ('quiet_hours' as const) : null,
      }));
  }

  /**
   * The schedule's times for the event, worked out once for all its RSVPs: a change to an event with
   * 10,000 people calls this 10,000 times, and each time-zone computation costs tens of microseconds.
   */
  private ruleTimesOf(event: Pick<EventRow, 'startsAt' | 'timeZone' | 'reminderSchedule'>): ReturnType<typeof ruleTimes> {
    const key = `${new Date(event.startsAt).getTime()}|${event.timeZone}|${JSON.stringify(event.reminderSchedule)}`;
    if (this.lastRuleTimes?.key !== key) {
      this.lastRuleTimes = { key, times: ruleTimes(new Date(event.startsAt), event.timeZone, event.reminderSchedule) };
    }
    return this.lastRuleTimes.times;
  }

  /** formatWhen, remembered: formatting a date in a zone and language costs tens of microseconds, and a burst of reminders repeats a few. */
  private when(startsAt: Date, zone: string, language: string): string {
    const key = `${startsAt.getTime()}|${zone}|${language}`;
    let text = this.whens.get(key);
    if (text === undefined) {
      if (this.whens.size >= 1000) this.whens.clear();
      text = formatWhen(startsAt, zone, language);
      this.whens.set(key, text);
    }
    return text;
  }

  /**
   * Adds delayed jobs for the reminders (see jobsFor). Called after the rows commit; if Redis is
   * away, the sweeper catches up.
   */
  async enqueue(reminders: ScheduledReminder[]): Promise<void> {
    const jobs = jobsFor(reminders);
    const singles = jobs.filter((j) => j.length === 1).map((j) => j[0]);
    const batches = jobs.filter((j) => j.length > 1);
    const opts = (jobId: string, dueAt: Date | string, now: number) => ({
      jobId,
      delay: Math.max(0, new Date(dueAt).getTime() - now),
      attempts: this.config.maxAttempts,
      backoff: { type: 'exponential' as const, delay: this.config.backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    });
    try {
      for (let i = 0; i < singles.length; i += SWEEP_BATCH) {
        // BullMQ counts a delay from the moment it creates the job: taken before each call, not once
        // for all, or the last of 20,000 reminders would go out as late as adding the others took.
        const now = this.clock.now().getTime();
        await this.jobs.enqueueBulk(
          'reminder-send',
          singles.slice(i, i + SWEEP_BATCH).map((r) => ({
            payload: { reminderId: r.id, dueAt: new Date(r.dueAt).toISOString() },
            opts: opts(jobIdFor(r), r.dueAt, now),
          })),
        );
      }
      for (let i = 0; i < batches.length; i += SWEEP_BATCH / REMINDERS_PER_JOB) {
        const now = this.clock.now().getTime();
        await this.jobs.enqueueBulk(
          'reminders-send',
          batches.slice(i, i + SWEEP_BATCH / REMINDERS_PER_JOB).map((b) => ({
            payload: { reminders: b.map((r) => ({ reminderId: r.id, dueAt: new Date(r.dueAt).toISOString() })) },
            opts: opts(batchJobIdFor(b), b[0].dueAt, now),
          })),
        );
      }
    } catch (err) {
      this.logger.warn(
        `could not queue ${reminders.length} reminders now; the sweeper will: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Sends one reminder: claim (only one claim succeeds), write in the person's language, send on
   * the first channel that can reach them, record. A failure that may pass is given back for the
   * job's next attempt; the last attempt, or a permanent failure, leaves it failed with the reason.
   */
  async send(reminderId: string, dueAt: string, attempt: number): Promise<SendOutcome> {
    const d = await this.repository.claim(reminderId, new Date(dueAt));
    if (!d) return { status: 'not_due' };
    const stop = this.reasonToStop(d);
    if (stop) {
      await this.repository.finish(d.id, 'skipped', { reason: stop.reason, reasonCode: stop.code });
      return { status: 'skipped', reason: stop.reason, reasonCode: stop.code };
    }
    const channel = pickChannel(d.channel ?? 'email', this.reach(d.emailEnabled, d.smsEnabled, !!d.email, !!d.phone));
    if (!channel.ok) {
      await this.repository.finish(d.id, 'skipped', { reason: channel.reason, reasonCode: channel.code, reasonParams: channel.params });
      return { status: 'skipped', reason: channel.reason, reasonCode: channel.code };
    }
    let providerId: string;
    try {
      const message = this.compose(d, channel.channel);
      providerId = await this.channels.send(channel.channel, {
        to: channel.channel === 'email' ? d.email! : d.phone!,
        subject: message.subject,
        body: message.body,
        reference: d.id,
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      const permanent = err instanceof ChannelError && err.permanent;
      if (permanent || attempt >= this.config.maxAttempts) {
        await this.repository.finish(d.id, 'failed', {
          channel: channel.channel,
          reason,
          reasonCode: 'provider_failed',
          reasonParams: { channel: channel.channel },
        });
        return { status: 'failed', reason, reasonCode: 'provider_failed' };
      }
      await this.repository.release(d.id, reason);
      throw err;
    }
    // Sent. Should recording fail now, the claim stays until the sweeper frees it: the one window
    // in which a message can go twice (see docs/decisions.md).
    await this.repository.finish(d.id, 'sent', { channel: channel.channel, providerId });
    return { status: 'sent', channel: channel.channel };
  }

  /**
   * Sends a job's reminders together (their claims and records share statements). Those that
   * failed in a way that may pass make the job fail, so that BullMQ tries it again after its
   * backoff; the others are done and find nothing to claim then.
   */
  async sendBatch(reminders: { reminderId: string; dueAt: string }[], attempt: number): Promise<BatchOutcome> {
    const results = await Promise.allSettled(reminders.map((r) => this.send(r.reminderId, r.dueAt, attempt)));
    const outcome: BatchOutcome = { sent: 0, skipped: 0, failed: 0, not_due: 0 };
    const retry: unknown[] = [];
    for (const r of results) {
      if (r.status === 'fulfilled') outcome[r.value.status]++;
      else retry.push(r.reason);
    }
    if (retry.length > 0) {
      const first = retry[0] instanceof Error ? retry[0].message : String(retry[0]);
      throw new Error(`${retry.length} of ${reminders.length} reminders could not be sent yet, to be tried again: ${first}`);
    }
    return outcome;
  }

  /** Re-creates jobs for due reminders that have none (Redis flushed or restarted) and frees dead workers' claims. */
  async sweep(horizonSeconds: number): Promise<{ released: number; queued: number }> {
    const released = await this.repository.releaseStale(this.config.staleClaimSeconds);
    if (released.length > 0) await this.enqueue(released);
    let queued = 0;
    let after: string | null = null;
    for (;;) {
      const due = await this.repository.duePending(horizonSeconds, after, SWEEP_BATCH);
      if (due.length === 0) break;
      await this.enqueue(due);
      queued += due.length;
      after = due[due.length - 1].id;
    }
    return { released: released.length, queued };
  }

  /** Which channels this server has the settings of (SMTP, an SMS provider). */
  serverChannels(): Record<Channel, boolean> {
    return { email: this.channels.configured('email'), sms: this.channels.configured('sms') };
  }

  /**
   * Why a reminder that is still to go cannot go as things stand (no channel reaches the person:
   * none set up on this server, turned off by the organization, or no address or number), or
   * null. It stays pending, and goes should a channel be set up before it is due.
   */
  blocked(r: Pick<ReminderRow, 'status' | 'channel' | 'emailEnabled' | 'smsEnabled' | 'hasEmail' | 'hasPhone'>): NoChannelParams | null {
    if (r.status !== 'pending' && r.status !== 'sending') return null;
    const picked = pickChannel(r.channel ?? 'email', this.reach(r.emailEnabled, r.smsEnabled, r.hasEmail, r.hasPhone));
    return picked.ok ? null : picked.params;
  }

  private reach(emailEnabled: boolean, smsEnabled: boolean, hasEmail: boolean, hasPhone: boolean): Reach {
    return {
      configured: this.serverChannels(),
      enabled: { email: emailEnabled, sms: smsEnabled },
      contact: { email: hasEmail, sms: hasPhone },
    };
  }

  private reasonToStop(d: Delivery): { reason: string; code: ReminderReasonCode } | null {
    if (d.eventStatus === 'cancelled' && d.kind !== 'cancellation') return { reason: 'the event is cancelled', code: 'event_cancelled' };
    if (d.rsvpStatus === 'cancelled' && d.kind !== 'cancellation') return { reason: 'the RSVP is cancelled', code: 'rsvp_cancelled' };
    if (d.kind === 'reminder' && d.rsvpStatus !== 'confirmed') return { reason: 'not confirmed (waiting list)', code: 'waitlisted' };
    return null;
  }

  private compose(d: Delivery, channel: Channel): { subject: string | null; body: string } {
    const language = DEFAULT_TEMPLATES[d.language] ? d.language : 'en';
    const own = d.templates.find((t) => t.channel === channel && t.language === language);
    const template = own ?? DEFAULT_TEMPLATES[language][d.kind][channel];
    const link = rsvpLink(this.config, d.rsvpId);
    return render(template, {
      name: d.name,
      title: pick(d.title, language),
      when: this.when(new Date(d.startsAt), d.timeZone, language),
      place: d.address,
      calendarUrl: link.calendarUrl,
      cancelUrl: link.cancelUrl,
      organization: d.organizationName,
    });
  }
}
