import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  Channel,
  EventKind,
  EventVisibility,
  Localized,
  ReminderKind,
  ReminderRule,
  ReminderStatus,
  RsvpResponse,
  RsvpStatus,
} from './entities/event.entity';
import { ReminderReasonCode } from './reminder-reasons';

export interface EventRow {
  id: string;
  organizationId: string;
  title: Localized;
  description: Localized;
  kind: EventKind;
  address: string;
  location: { lon: number; lat: number } | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  capacity: number | null;
  visibility: EventVisibility;
  publicToken: string | null;
  status: 'scheduled' | 'cancelled';
  reminderSchedule: ReminderRule[];
  createdAt: Date;
  updatedAt: Date;
  confirmed: number;
  waitlisted: number;
}

export interface EventInput {
  title: Localized;
  description: Localized;
  kind: EventKind;
  address: string;
  location: { lon: number; lat: number } | null;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  capacity: number | null;
  visibility: EventVisibility;
  reminderSchedule: ReminderRule[];
}

export interface RsvpRow {
  id: string;
  organizationId: string;
  eventId: string;
  userId: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  response: RsvpResponse;
  status: RsvpStatus;
  createdAt: Date;
}

export interface NewReminder {
  rsvpId: string;
  kind: ReminderKind;
  rule: number | null;
  channel: Channel;
  dueAt: Date;
  status: ReminderStatus;
  reason: string | null;
  /** The reason as a code (see reminder-reasons.ts); none when absent. */
  reasonCode?: ReminderReasonCode | null;
}

export interface ScheduledReminder {
  id: string;
  dueAt: Date;
  /**
   * Set when a dead worker's claim was given back: the try it was on. The job the dead worker held
   * may sit in Redis as "active" until BullMQ sees it stalled (a minute or more), and a job with the
   * same id cannot be added meanwhile; the retry gets an id of its own (the claim keeps it to one send).
   */
  retry?: number;
}

/** Everything needed to write one message, read when the worker claims it. */
export interface Delivery {
  id: string;
  kind: ReminderKind;
  channel: Channel | null;
  dueAt: Date;
  attempts: number;
  eventId: string;
  eventStatus: 'scheduled' | 'cancelled';
  title: Localized;
  address: string;
  startsAt: Date;
  timeZone: string;
  rsvpId: string;
  rsvpStatus: RsvpStatus;
  organizationId: string;
  organizationName: string;
  emailEnabled: boolean;
  smsEnabled: boolean;
  name: string;
  email: string | null;
  phone: string | null;
  language: string;
  /** The organization's own wording of this kind of message, by channel and language, read with the claim. */
  templates: OwnTemplate[];
}

export interface OwnTemplate {
  channel: Channel;
  language: string;
  subject: string | null;
  body: string;
}

export interface ReminderRow {
  id: string;
  rsvpId: string;
  person: string;
  kind: ReminderKind;
  rule: number | null;
  channel: Channel | null;
  dueAt: Date;
  status: ReminderStatus;
  reason: string | null;
  reasonCode: ReminderReasonCode | null;
  reasonParams: Record<string, string> | null;
  attempts: number;
  sentAt: Date | null;
  sentChannel: Channel | null;
  /** What decides whether a channel can reach the person now (see pickChannel). */
  emailEnabled: boolean;
  smsEnabled: boolean;
  hasEmail: boolean;
  hasPhone: boolean;
}

const EVENT_COLUMNS = `e.id, e.organization_id AS "organizationId", e.title, e.description, e.kind, e.address,
  CASE WHEN e.location IS NULL THEN NULL ELSE json_build_object('lon', ST_X(e.location::geometry), 'lat', ST_Y(e.location::geometry)) END AS location,
  e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.time_zone AS "timeZone", e.capacity, e.visibility, e.public_token AS "publicToken",
  e.status, e.reminder_schedule AS "reminderSchedule", e.created_at AS "createdAt", e.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM rsvps r WHERE r.event_id = e.id AND r.status = 'confirmed') AS confirmed,
  (SELECT count(*)::int FROM rsvps r WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted`;

const RSVP_COLUMNS = `r.id, r.organization_id AS "organizationId", r.event_id AS "eventId", r.user_id AS "userId",
  coalesce(r.name, u.display_name) AS name, coalesce(r.email::text, u.email::text) AS email, coalesce(r.phone, u.phone) AS phone,
  coalesce(r.language, u.language) AS language, r.response, r.status, r.created_at AS "createdAt"`;

const point = (p: { lon: number; lat: number } | null) => (p ? JSON.stringify({ type: 'Point', coordinates: [p.lon, p.lat] }) : null);

interface Call<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a statement that many jobs run at once. A call made while `limit` batches are
 * already running waits and goes with the others in the next batch, as one statement; at low load
 * each call runs alone, at once. Two calls for the same key never share a batch, so the second
 * sees what the first did, as if they had run one after the other. A batch that fails is run
 * again call by call, so that a bad call fails alone and the others are not dragged along.
 */
class Coalesced<I, O> {
  private waiting: Call<I, O>[] = [];
  private running = 0;
  private flushQueued = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    private readonly keyOf: (input: I) => string,
    private readonly limit: number,
    private readonly maxBatch: number,
  ) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.queueFlush();
    });
  }

  private queueFlush(): void {
    if (this.flushQueued || this.running >= this.limit || this.waiting.length === 0) return;
    this.flushQueued = true;
    // The calls of the same turn of the event loop go together.
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.limit && this.waiting.length > 0) {
      const batch: Call<I, O>[] = [];
      const later: Call<I, O>[] = [];
      const keys = new Set<string>();
      for (const call of this.waiting) {
        const key = this.keyOf(call.input);
        if (batch.length < this.maxBatch && !keys.has(key)) {
          keys.add(key);
          batch.push(call);
        } else {
          later.push(call);
        }
      }
      this.waiting = later;
      this.running++;
      void this.runBatch(batch).finally(() => {
        this.running--;
        this.queueFlush();
      });
    }
  }

  private async runBatch(batch: Call<I, O>[]): Promise<void> {
    let outputs: O[];
    try {
      outputs = await this.run(batch.map((c) => c.input));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      await Promise.all(batch.map((c) => this.run([c.input]).then(([output]) => c.resolve(output), c.reject)));
      return;
    }
    batch.forEach((c, i) => c.resolve(outputs[i]));
  }
}

/** How many claim (and record) statements may run at once before calls start to wait for the next batch. */
const SEND_STATEMENTS_IN_FLIGHT = 2;
const SEND_BATCH_MAX = 500;

type Finish = {
  id: string;
  status: 'sent' | 'failed' | 'skipped';
  detail: {
    channel?: Channel;
    providerId?: string;
    reason?: string;
    reasonCode?: ReminderReasonCode;
    reasonParams?: Record<string, string>;
  };
};

@Injectable()
export class EventsRepository {
  /** Claims and records of reminders being sent: one statement for all the jobs that ask at the same time. */
  private readonly claims = new Coalesced<{ id: string; dueAt: Date }, Delivery | null>(
    (wanted) => this.claimMany(wanted),
    (w) => w.id,
    SEND_STATEMENTS_IN_FLIGHT,
    SEND_BATCH_MAX,
  );
  private readonly finishes = new Coalesced<Finish, void>(
    (done) => this.finishMany(done),
    (f) => f.id,
    SEND_STATEMENTS_IN_FLIGHT,
    SEND_BATCH_MAX,
  );

  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  // ---------------------------------------------------------------------------------------------
  // Events

  async insertEvent(
    m: EntityManager,
    organizationId: string,
    input: EventInput,
    publicToken: string | null,
    userId: string,
  ): Promise<string> {
    const [{ id }] = await m.query<{ id: string }[]>(
      `INSERT INTO events (organization_id, title, description, kind, address, location, starts_at, ends_at, time_zone, capacity,
                           visibility, public_token, reminder_schedule, created_by_user_id)
       VALUES ($1, $2, $3, $4, $5, ST_GeomFromGeoJSON($6)::geography, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [
        organizationId,
        JSON.stringify(input.title),
        JSON.stringify(input.description),
        input.kind,
        input.address,
        point(input.location),
        input.startsAt,
        input.endsAt,
        input.timeZone,
        input.capacity,
        input.visibility,
        publicToken,
        JSON.stringify(input.reminderSchedule),
        userId,
      ],
    );
    return id;
  }

  async updateEvent(m: EntityManager, id: string, input: EventInput, publicToken: string | null): Promise<void> {
    await m.query(
      `UPDATE events SET title = $2, description = $3, kind = $4, address = $5, location = ST_GeomFromGeoJSON($6)::geography,
              starts_at = $7, ends_at = $8, time_zone = $9, capacity = $10, visibility = $11, public_token = $12,
              reminder_schedule = $13, updated_at = now()
        WHERE id = $1`,
      [
        id,
        JSON.stringify(input.title),
        JSON.stringify(input.description),
        input.kind,
        input.address,
        point(input.location),
        input.startsAt,
        input.endsAt,
        input.timeZone,
        input.capacity,
        input.visibility,
        publicToken,
        JSON.stringify(input.reminderSchedule),
      ],
    );
  }

  async setEventStatus(m: EntityManager, id: string, status: 'cancelled'): Promise<void> {
    await m.query('UPDATE events SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  async recordChange(m: EntityManager, eventId: string, userId: string, before: object, after: object): Promise<void> {
    await m.query('INSERT INTO event_changes (event_id, changed_by_user_id, before, after) VALUES ($1, $2, $3, $4)', [
      eventId,
      userId,
      JSON.stringify(before),
      JSON.stringify(after),
    ]);
  }

  async changes(eventId: string): Promise<{ changedAt: Date; changedByUserId: string | null; before: object; after: object }[]> {
    return this.dataSource.query(
      `SELECT changed_at AS "changedAt", changed_by_user_id AS "changedByUserId", before, after
         FROM event_changes WHERE event_id = $1 ORDER BY changed_at, id`,
      [eventId],
    );
  }

  async findEvent(id: string, m?: EntityManager, lock = false): Promise<EventRow | null> {
    if (lock) await (m ?? this.dataSource.manager).query('SELECT 1 FROM events WHERE id = $1 FOR UPDATE', [id]);
    const rows = await (m ?? this.dataSource.manager).query<EventRow[]>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findEventByToken(token: string): Promise<EventRow | null> {
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.public_token = $1 AND e.visibility = 'public'`,
      [token],
    );
    return rows[0] ?? null;
  }

  /** The person's own answers to these events ("not going" is kept as a cancelled RSVP). */
  async rsvpsOf(userId: string, eventIds: string[]): Promise<{ eventId: string; response: RsvpResponse; status: RsvpStatus }[]> {
    if (eventIds.length === 0) return [];
    return this.dataSource.query(
      `SELECT event_id AS "eventId", response, status FROM rsvps
        WHERE user_id = $1 AND event_id = ANY($2::uuid[])`,
      [userId, eventIds],
    );
  }

  async listEvents(organizationId: string, upcomingOnly: boolean, limit: number, offset: number): Promise<[EventRow[], number]> {
    const where = `e.organization_id = $1 AND ($2::bool IS NOT TRUE OR e.ends_at > now())`;
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e WHERE ${where} ORDER BY e.starts_at, e.id LIMIT $3 OFFSET $4`,
      [organizationId, upcomingOnly, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM events e WHERE ${where}`, [
      organizationId,
      upcomingOnly,
    ]);
    return [rows, n];
  }

  async organizationSettings(
    organizationId: string,
  ): Promise<{ name: string; country: string; reminderSchedule: ReminderRule[] | null; emailEnabled: boolean; smsEnabled: boolean }> {
    const [row] = await this.dataSource.query<
      { name: string; country: string; reminderSchedule: ReminderRule[] | null; emailEnabled: boolean; smsEnabled: boolean }[]
    >(
      `SELECT name, country, reminder_schedule AS "reminderSchedule", email_reminders_enabled AS "emailEnabled",
              sms_reminders_enabled AS "smsEnabled"
         FROM organizations WHERE id = $1`,
      [organizationId],
    );
    return row;
  }

  async setDefaultSchedule(organizationId: string, schedule: ReminderRule[] | null): Promise<void> {
    await this.dataSource.query('UPDATE organizations SET reminder_schedule = $2, updated_at = now() WHERE id = $1', [
      organizationId,
      schedule === null ? null : JSON.stringify(schedule),
    ]);
  }

  // ---------------------------------------------------------------------------------------------
  // RSVPs

  async memberRsvp(m: EntityManager, eventId: string, userId: string): Promise<RsvpRow | null> {
    const rows = await m.query<RsvpRow[]>(
      `SELECT ${RSVP_COLUMNS} FROM rsvps r LEFT JOIN users u ON u.id = r.user_id WHERE r.event_id = $1 AND r.user_id = $2`,
      [eventId, userId],
    );
    return rows[0] ?? null;
  }

  async rsvp(id: string, m: EntityManager = this.dataSource.manager): Promise<RsvpRow | null> {
    const rows = await m.query<RsvpRow[]>(`SELECT ${RSVP_COLUMNS} FROM rsvps r LEFT JOIN users u ON u.id = r.user_id WHERE r.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  /** A supporter already signed up (and not cancelled) with this e-mail address or phone number. */
  /** The active RSVP already made for this event with this e-mail address or phone number, if any. */
  async existingSupporter(
    m: EntityManager,
    eventId: string,
    email: string | null,
    phone: string | null,
  ): Promise<{ id: string; status: RsvpStatus } | null> {
    const rows = await m.query<{ id: string; status: RsvpStatus }[]>(
      `SELECT id, status FROM rsvps WHERE event_id = $1 AND status <> 'cancelled' AND ((email IS NOT NULL AND email = $2::citext) OR (phone IS NOT NULL AND phone = $3))
       ORDER BY created_at LIMIT 1`,
      [eventId, email, phone],
    );
    return rows[0] ?? null;
  }

  /** How many confirmations (or waiting-list notices) the RSVP was given within the last `minutes`. */
  async recentNotices(m: EntityManager, rsvpId: string, minutes: number): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM reminders WHERE rsvp_id = $1 AND kind IN ('confirmation', 'waitlisted', 'promoted') AND created_at > now() - make_interval(mins => $2)`,
      [rsvpId, minutes],
    );
    return n;
  }

  async insertRsvp(
    m: EntityManager,
    r: Pick<RsvpRow, 'organizationId' | 'eventId' | 'userId' | 'name' | 'email' | 'phone' | 'language' | 'response' | 'status'> & {
      consent: boolean;
    },
  ): Promise<string> {
    const [{ id }] = await m.query<{ id: string }[]>(
      `INSERT INTO rsvps (organization_id, event_id, user_id, name, email, phone, language, consent_at, response, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::bool THEN now() END, $9, $10) RETURNING id`,
      [r.organizationId, r.eventId, r.userId, r.name, r.email, r.phone, r.language, r.consent, r.response, r.status],
    );
    return id;
  }

  async updateRsvp(m: EntityManager, id: string, response: RsvpResponse, status: RsvpStatus): Promise<void> {
    await m.query('UPDATE rsvps SET response = $2, status = $3, updated_at = now() WHERE id = $1', [id, response, status]);
  }

  async confirmedCount(m: EntityManager, eventId: string): Promise<number> {
    const [{ n }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM rsvps WHERE event_id = $1 AND status = 'confirmed'`, [
      eventId,
    ]);
    return n;
  }

  /** The waiting list, first come first served. */
  async waitlist(m: EntityManager, eventId: string, limit: number): Promise<RsvpRow[]> {
    return m.query<RsvpRow[]>(
      `SELECT ${RSVP_COLUMNS} FROM rsvps r LEFT JOIN users u ON u.id = r.user_id
        WHERE r.event_id = $1 AND r.status = 'waitlisted' ORDER BY r.created_at, r.id LIMIT $2`,
      [eventId, limit],
    );
  }

  async activeRsvps(m: EntityManager, eventId: string, statuses: RsvpStatus[]): Promise<RsvpRow[]> {
    return m.query<RsvpRow[]>(
      `SELECT ${RSVP_COLUMNS} FROM rsvps r LEFT JOIN users u ON u.id = r.user_id
        WHERE r.event_id = $1 AND r.status = ANY($2::text[]) ORDER BY r.created_at, r.id`,
      [eventId, statuses],
    );
  }

  async listRsvps(eventId: string, limit: number, offset: number): Promise<[(RsvpRow & { reminders: Record<string, number> })[], number]> {
    const rows = await this.dataSource.query<(RsvpRow & { reminders: Record<string, number> })[]>(
      `SELECT ${RSVP_COLUMNS},
              (SELECT coalesce(json_object_agg(s.status, s.n), '{}') FROM
                 (SELECT status, count(*)::int AS n FROM reminders WHERE rsvp_id = r.id GROUP BY status) s) AS reminders
         FROM rsvps r LEFT JOIN users u ON u.id = r.user_id WHERE r.event_id = $1
        ORDER BY r.created_at, r.id LIMIT $2 OFFSET $3`,
      [eventId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM rsvps WHERE event_id = $1', [eventId]);
    return [rows, n];
  }

  /** Events the member is going to (or may go to), for their calendar feed. */
  async memberEvents(organizationId: string, userId: string): Promise<EventRow[]> {
    return this.dataSource.query<EventRow[]>(
      `SELECT ${EVENT_COLUMNS} FROM events e JOIN rsvps r ON r.event_id = e.id
        WHERE e.organization_id = $1 AND r.user_id = $2 AND r.status IN ('confirmed', 'waitlisted')
        ORDER BY e.starts_at`,
      [organizationId, userId],
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Reminders

  async insertReminders(m: EntityManager, organizationId: string, eventId: string, rows: NewReminder[]): Promise<ScheduledReminder[]> {
    if (rows.length === 0) return [];
    const inserted = await m.query<(ScheduledReminder & { status: ReminderStatus })[]>(
      `INSERT INTO reminders (organization_id, event_id, rsvp_id, kind, rule, channel, due_at, status, reason, reason_code)
       SELECT $1, $2, x.rsvp_id, x.kind, x.rule, x.channel, x.due_at, x.status, x.reason, x.reason_code
         FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[], $7::timestamptz[], $8::text[], $9::text[], $10::text[])
           AS x(rsvp_id, kind, rule, channel, due_at, status, reason, reason_code)
       RETURNING id, due_at AS "dueAt", status`,
      [
        organizationId,
        eventId,
        rows.map((r) => r.rsvpId),
        rows.map((r) => r.kind),
        rows.map((r) => r.rule),
        rows.map((r) => r.channel),
        rows.map((r) => r.dueAt),
        rows.map((r) => r.status),
        rows.map((r) => r.reason),
        rows.map((r) => r.reasonCode ?? null),
      ],
    );
    return inserted.filter((r) => r.status === 'pending').map(({ id, dueAt }) => ({ id, dueAt }));
  }

  /** Cancels what has not gone out yet: of one RSVP, or of the whole event; optionally only scheduled reminders. */
  async cancelPending(
    m: EntityManager,
    where: { eventId?: string; rsvpId?: string; kinds?: ReminderKind[] },
    reason: string,
    reasonCode: ReminderReasonCode,
  ): Promise<number> {
    const [{ count }] = await m.query<{ count: number }[]>(
      `WITH cancelled AS (
         UPDATE reminders SET status = 'cancelled', reason = $4, reason_code = $5, reason_params = NULL
          WHERE status IN ('pending', 'skipped') AND ($1::uuid IS NULL OR event_id = $1) AND ($2::uuid IS NULL OR rsvp_id = $2)
            AND ($3::text[] IS NULL OR kind = ANY($3::text[]))
         RETURNING 1)
       SELECT count(*)::int AS count FROM cancelled`,
      [where.eventId ?? null, where.rsvpId ?? null, where.kinds ?? null, reason, reasonCode],
    );
    return count;
  }

  /**
   * Claims a reminder for sending: only one claim can succeed, and only while it is pending and
   * still due at the job's time (a moved event leaves its old jobs pointing at another time).
   * Claims made at the same time go to the database together (see Coalesced).
   */
  claim(id: string, dueAt: Date): Promise<Delivery | null> {
    return this.claims.call({ id, dueAt });
  }

  private async claimMany(wanted: { id: string; dueAt: Date }[]): Promise<(Delivery | null)[]> {
    // Rows in the order of their ids, so that two batches that meet lock them in the same order.
    const sorted = [...wanted].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows = await this.dataSource.query<Delivery[]>(
      `WITH claimed AS (
         UPDATE reminders m SET status = 'sending', claimed_at = now(), attempts = m.attempts + 1
           FROM unnest($1::uuid[], $2::timestamptz[]) AS w(id, due_at)
          WHERE m.id = w.id AND m.status = 'pending' AND m.due_at = w.due_at AND m.due_at <= now() + interval '2 seconds'
         RETURNING m.*)
       SELECT c.id, c.kind, c.channel, c.due_at AS "dueAt", c.attempts, e.id AS "eventId", e.status AS "eventStatus", e.title, e.address,
              e.starts_at AS "startsAt", e.time_zone AS "timeZone", r.id AS "rsvpId", r.status AS "rsvpStatus",
              o.id AS "organizationId", o.name AS "organizationName", o.email_reminders_enabled AS "emailEnabled",
              o.sms_reminders_enabled AS "smsEnabled",
              coalesce(r.name, u.display_name) AS name, coalesce(r.email::text, u.email::text) AS email, coalesce(r.phone, u.phone) AS phone,
              coalesce(r.language, u.language, 'en') AS language,
              (SELECT coalesce(json_agg(json_build_object('channel', t.channel, 'language', t.language, 'subject', t.subject, 'body', t.body)), '[]')
                 FROM message_templates t WHERE t.organization_id = c.organization_id AND t.kind = c.kind) AS templates
         FROM claimed c JOIN events e ON e.id = c.event_id JOIN rsvps r ON r.id = c.rsvp_id
         JOIN organizations o ON o.id = c.organization_id LEFT JOIN users u ON u.id = r.user_id`,
      [sorted.map((w) => w.id), sorted.map((w) => w.dueAt)],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return wanted.map((w) => byId.get(w.id) ?? null);
  }

  /** Records how a claimed reminder ended; records made at the same time go to the database together. */
  finish(id: string, status: 'sent' | 'failed' | 'skipped', detail: Finish['detail']): Promise<void> {
    return this.finishes.call({ id, status, detail });
  }

  private async finishMany(batch: Finish[]): Promise<void[]> {
    const done = [...batch].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    await this.dataSource.query(
      `UPDATE reminders m SET status = f.status, sent_at = CASE WHEN f.status = 'sent' THEN now() END, sent_channel = f.channel,
              provider_id = f.provider_id, reason = f.reason, reason_code = f.reason_code, reason_params = f.reason_params::jsonb
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS f(id, status, channel, provider_id, reason, reason_code, reason_params)
        WHERE m.id = f.id AND m.status = 'sending'`,
      [
        done.map((f) => f.id),
        done.map((f) => f.status),
        done.map((f) => f.detail.channel ?? null),
        done.map((f) => f.detail.providerId ?? null),
        done.map((f) => f.detail.reason?.slice(0, 200) ?? null),
        done.map((f) => f.detail.reasonCode ?? null),
        done.map((f) => (f.detail.reasonParams ? JSON.stringify(f.detail.reasonParams) : null)),
      ],
    );
    return done.map(() => undefined);
  }

  /** Gives a claimed reminder back after a failed try, for the next one. */
  async release(id: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reminders SET status = 'pending', reason = $2, reason_code = 'retrying', reason_params = NULL WHERE id = $1 AND status = 'sending'`,
      [id, reason.slice(0, 200)],
    );
  }

  /**
   * Claims left by a worker that died mid-send go back to pending after `staleSeconds`: the one
   * window where a message can go twice (the provider took it, the worker died before recording it).
   */
  async releaseStale(staleSeconds: number): Promise<ScheduledReminder[]> {
    return this.dataSource.query<ScheduledReminder[]>(
      `WITH released AS (
         UPDATE reminders SET status = 'pending', reason = 'the worker stopped while sending; sent again', reason_code = 'worker_stopped',
                reason_params = NULL
          WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1)
         RETURNING id, due_at, attempts)
       SELECT id, due_at AS "dueAt", attempts AS retry FROM released`,
      [staleSeconds],
    );
  }

  /** Pending reminders due before `horizonSeconds` from now, oldest first: the sweeper makes sure each has a job. */
  async duePending(horizonSeconds: number, afterId: string | null, limit: number): Promise<ScheduledReminder[]> {
    return this.dataSource.query<ScheduledReminder[]>(
      `SELECT id, due_at AS "dueAt" FROM reminders
        WHERE status = 'pending' AND due_at <= now() + make_interval(secs => $1) AND ($2::uuid IS NULL OR id > $2)
        ORDER BY id LIMIT $3`,
      [horizonSeconds, afterId, limit],
    );
  }

  async reminders(eventId: string, rsvpId: string | null, limit: number, offset: number): Promise<[ReminderRow[], number]> {
    const where = `m.event_id = $1 AND ($2::uuid IS NULL OR m.rsvp_id = $2)`;
    const rows = await this.dataSource.query<ReminderRow[]>(
      `SELECT m.id, m.rsvp_id AS "rsvpId", coalesce(r.name, u.display_name) AS person, m.kind, m.rule, m.channel, m.due_at AS "dueAt",
              m.status, m.reason, m.reason_code AS "reasonCode", m.reason_params AS "reasonParams", m.attempts, m.sent_at AS "sentAt",
              m.sent_channel AS "sentChannel", o.email_reminders_enabled AS "emailEnabled", o.sms_reminders_enabled AS "smsEnabled",
              coalesce(r.email::text, u.email::text) IS NOT NULL AS "hasEmail", coalesce(r.phone, u.phone) IS NOT NULL AS "hasPhone"
         FROM reminders m JOIN rsvps r ON r.id = m.rsvp_id LEFT JOIN users u ON u.id = r.user_id
         JOIN organizations o ON o.id = m.organization_id
        WHERE ${where} ORDER BY m.due_at, m.created_at, m.id LIMIT $3 OFFSET $4`,
      [eventId, rsvpId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM reminders m WHERE ${where}`, [
      eventId,
      rsvpId,
    ]);
    return [rows, n];
  }

  // ---------------------------------------------------------------------------------------------
  // Templates and calendar feeds

  async templates(
    organizationId: string,
  ): Promise<{ kind: ReminderKind; channel: Channel; language: string; subject: string | null; body: string }[]> {
    return this.dataSource.query(
      'SELECT kind, channel, language, subject, body FROM message_templates WHERE organization_id = $1 ORDER BY kind, channel, language',
      [organizationId],
    );
  }

  async saveTemplate(
    organizationId: string,
    kind: ReminderKind,
    channel: Channel,
    language: string,
    subject: string | null,
    body: string,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO message_templates (organization_id, kind, channel, language, subject, body) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT uq_message_templates DO UPDATE SET subject = excluded.subject, body = excluded.body, updated_at = now()`,
      [organizationId, kind, channel, language, subject, body],
    );
  }

  async deleteTemplate(organizationId: string, kind: ReminderKind, channel: Channel, language: string): Promise<void> {
    await this.dataSource.query(
      'DELETE FROM message_templates WHERE organization_id = $1 AND kind = $2 AND channel = $3 AND language = $4',
      [organizationId, kind, channel, language],
    );
  }

  async saveFeed(organizationId: string, userId: string, tokenHash: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO calendar_feeds (organization_id, user_id, token_hash) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT uq_calendar_feeds_member DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`,
      [organizationId, userId, tokenHash],
    );
  }

  async feed(tokenHash: string): Promise<{ organizationId: string; userId: string } | null> {
    const rows = await this.dataSource.query<{ organizationId: string; userId: string }[]>(
      `SELECT f.organization_id AS "organizationId", f.user_id AS "userId" FROM calendar_feeds f
         JOIN memberships ms ON ms.organization_id = f.organization_id AND ms.user_id = f.user_id AND ms.status = 'active'
        WHERE f.token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }
}
