import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor, assertInOrganization } from '@app/auth';
import { messagingConfig, MessagingConfig } from '@app/config';
import { AppError, Clock, NotFoundError, Page, PageQueryDto } from '@app/core';
import { normalizePhone } from '@app/organizations';
import { CreateEventDto, EventResponseDto, PublicSignupDto, ReminderRuleDto, UpdateEventDto } from './dto/event.dto';
import { Channel, ReminderKind, ReminderRule, RsvpResponse, RsvpStatus } from './entities/event.entity';
import { EventInput, EventRow, EventsRepository, NewReminder, RsvpRow, ScheduledReminder } from './events.repository';
import { RemindersService, rsvpTokenMatches } from './reminders.service';
import { DEFAULT_SCHEDULE, isValidTimeZone, noticeTime } from './schedule/reminder-times';

/** Someone signing up again is sent their confirmation again, at most this many times (the first included) in this many minutes. */
const REPEAT_NOTICE_LIMIT = 3;
const REPEAT_NOTICE_MINUTES = 60;

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, { fields: { [field]: [message] } });

/** The fields whose change is a change of time or place: recorded, and announced to everyone registered. */
type TimeAndPlace = Pick<EventRow, 'startsAt' | 'endsAt' | 'timeZone' | 'address' | 'location'>;

/**
 * Events, RSVPs with capacity and a waiting list, and the reminders they imply. Every change of
 * RSVP or schedule writes its reminder rows in the same transaction; jobs follow the commit.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    private readonly reminders: RemindersService,
    private readonly clock: Clock,
    @Inject(messagingConfig.KEY) private readonly config: MessagingConfig,
  ) {}

  async create(actor: Actor, dto: CreateEventDto): Promise<EventRow> {
    const settings = await this.repository.organizationSettings(actor.organizationId);
    const input = this.input(dto, null, settings.reminderSchedule ?? DEFAULT_SCHEDULE);
    const token = input.visibility === 'public' ? randomBytes(16).toString('hex') : null;
    const id = await this.repository.transaction((m) => this.repository.insertEvent(m, actor.organizationId, input, token, actor.userId));
    return (await this.repository.findEvent(id))!;
  }

  async get(actor: Actor, id: string): Promise<EventRow> {
    return assertInOrganization(actor, await this.repository.findEvent(id), 'Event');
  }

  /** How the caller answered each of these events, if they did. */
  async myRsvps(actor: Actor, eventIds: string[]): Promise<Map<string, { response: RsvpResponse; status: RsvpStatus }>> {
    const rows = await this.repository.rsvpsOf(actor.userId, eventIds);
    return new Map(rows.map((r) => [r.eventId, { response: r.response, status: r.status }]));
  }

  async list(actor: Actor, past: boolean, page: PageQueryDto): Promise<Page<EventRow>> {
    const [items, total] = await this.repository.listEvents(actor.organizationId, !past, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  async changes(actor: Actor, id: string) {
    await this.get(actor, id);
    return this.repository.changes(id);
  }

  /**
   * Changes an event. A new time or place is recorded, everyone registered gets a change notice
   * at once, and pending reminders move with the event; more places move the waiting list up.
   */
  async update(actor: Actor, id: string, dto: UpdateEventDto): Promise<EventRow> {
    let queued: ScheduledReminder[] = [];
    await this.repository.transaction(async (m) => {
      const event = assertInOrganization(actor, await this.repository.findEvent(id, m, true), 'Event');
      if (event.status === 'cancelled') throw new AppError('CONFLICT', 'This event is cancelled; create a new one instead');
      const input = this.input({ ...this.toDto(event), ...dto }, event, event.reminderSchedule);
      const token = input.visibility === 'public' ? (event.publicToken ?? randomBytes(16).toString('hex')) : null;
      await this.repository.updateEvent(m, id, input, token);
      const before = this.timeAndPlace(event);
      const after = this.timeAndPlace({ ...event, ...input });
      const moved = JSON.stringify(before) !== JSON.stringify(after);
      const rescheduled = moved || JSON.stringify(input.reminderSchedule) !== JSON.stringify(event.reminderSchedule);
      const updated = (await this.repository.findEvent(id, m))!;
      const rows: NewReminder[] = [];
      if (moved) {
        await this.repository.recordChange(m, id, actor.userId, before, after);
        const registered = await this.repository.activeRsvps(m, id, ['confirmed', 'waitlisted']);
        const at = noticeTime(this.clock.now(), new Date(updated.startsAt), updated.timeZone);
        for (const r of registered) rows.push(this.notice(r.id, 'change', at));
      }
      if (rescheduled) {
        // The schedule is worked out again from the new time: what was pending is replaced.
        await this.repository.cancelPending(m, { eventId: id, kinds: ['reminder'] }, 'the event moved: rescheduled', 'event_moved');
        const confirmed = await this.repository.activeRsvps(m, id, ['confirmed']);
        for (const r of confirmed) rows.push(...this.reminders.scheduledFor(updated, r.id, this.clock.now()));
      }
      queued = await this.repository.insertReminders(m, event.organizationId, id, rows);
      queued = queued.concat(await this.promote(m, updated));
    });
    await this.reminders.enqueue(queued);
    return (await this.repository.findEvent(id))!;
  }

  /** Cancels the event: everyone registered gets a cancellation notice, and nothing else. */
  async cancel(actor: Actor, id: string): Promise<EventRow> {
    let queued: ScheduledReminder[] = [];
    await this.repository.transaction(async (m) => {
      const event = assertInOrganization(actor, await this.repository.findEvent(id, m, true), 'Event');
      if (event.status === 'cancelled') return;
      await this.repository.setEventStatus(m, id, 'cancelled');
      await this.repository.cancelPending(m, { eventId: id }, 'the event was cancelled', 'event_cancelled');
      const registered = await this.repository.activeRsvps(m, id, ['confirmed', 'waitlisted']);
      const at = noticeTime(this.clock.now(), new Date(event.startsAt), event.timeZone);
      queued = await this.repository.insertReminders(
        m,
        event.organizationId,
        id,
        registered.map((r) => this.notice(r.id, 'cancellation', at)),
      );
    });
    await this.reminders.enqueue(queued);
    return (await this.repository.findEvent(id))!;
  }

  // ---------------------------------------------------------------------------------------------
  // RSVPs

  /** A member answers: going or maybe takes a place (or a place on the waiting list); not going gives it back. */
  async respond(actor: Actor, eventId: string, response: RsvpResponse): Promise<RsvpRow> {
    let queued: ScheduledReminder[] = [];
    let rsvpId = '';
    await this.repository.transaction(async (m) => {
      const event = this.open(assertInOrganization(actor, await this.repository.findEvent(eventId, m, true), 'Event'));
      const existing = await this.repository.memberRsvp(m, eventId, actor.userId);
      if (response === 'not_going') {
        if (!existing) {
          rsvpId = await this.repository.insertRsvp(m, this.memberRow(event, actor.userId, response, 'cancelled'));
          return;
        }
        rsvpId = existing.id;
        queued = await this.withdraw(m, event, existing, response);
        return;
      }
      if (existing && existing.status !== 'cancelled') {
        rsvpId = existing.id;
        await this.repository.updateRsvp(m, existing.id, response, existing.status);
        return;
      }
      const status = await this.placeFor(m, event);
      rsvpId = existing?.id ?? (await this.repository.insertRsvp(m, this.memberRow(event, actor.userId, response, status)));
      if (existing) await this.repository.updateRsvp(m, existing.id, response, status);
      queued = await this.welcome(m, event, rsvpId, status);
    });
    await this.reminders.enqueue(queued);
    return (await this.repository.rsvp(rsvpId))!;
  }

  /**
   * A supporter signs up through a public event's link, with explicit consent to be contacted.
   * Every accepted signup gets the same answer, whether the e-mail address or phone number was
   * already signed up or not: the link to the RSVP goes by the person's own channel, never in the
   * answer. Someone already signed up is sent their confirmation (with its link) again instead of
   * a second RSVP, at most a few times an hour.
   */
  async signup(token: string, dto: PublicSignupDto): Promise<{ received: true }> {
    const email = dto.email?.toLowerCase() ?? null;
    if (!email && !dto.phone?.trim()) throw invalid('email', 'give an e-mail address or a phone number so we can send the reminders');
    const found = await this.repository.findEventByToken(token);
    if (!found) throw new NotFoundError('Event');
    // Numbers are read as dialled in the organization's country ("404-555-0199" in the US).
    const phone = dto.phone?.trim()
      ? normalizePhone(dto.phone, (await this.repository.organizationSettings(found.organizationId)).country)
      : null;
    const queued = await this.repository.transaction(async (m) => {
      const event = this.open((await this.repository.findEvent(found.id, m, true))!);
      if (event.visibility !== 'public') throw new NotFoundError('Event');
      const existing = await this.repository.existingSupporter(m, event.id, email, phone);
      if (existing) {
        // Sent to the contact the RSVP holds, in its language: not to what this request gave.
        if ((await this.repository.recentNotices(m, existing.id, REPEAT_NOTICE_MINUTES)) >= REPEAT_NOTICE_LIMIT) return [];
        const kind = existing.status === 'confirmed' ? 'confirmation' : 'waitlisted';
        return this.repository.insertReminders(m, event.organizationId, event.id, this.reminders.plan(event, existing, kind, false));
      }
      const status = await this.placeFor(m, event);
      const id = await this.repository.insertRsvp(m, {
        organizationId: event.organizationId,
        eventId: event.id,
        userId: null,
        name: dto.name,
        email,
        phone,
        language: dto.language,
        response: dto.response ?? 'going',
        status,
        consent: true,
      });
      return this.welcome(m, event, id, status);
    });
    await this.reminders.enqueue(queued);
    return { received: true };
  }

  async publicEvent(token: string): Promise<EventRow> {
    const event = await this.repository.findEventByToken(token);
    if (!event) throw new NotFoundError('Event');
    return event;
  }

  /** What the link in a message opens: the event and the person's RSVP. */
  async byLink(rsvpId: string, token: string): Promise<{ rsvp: RsvpRow; event: EventRow }> {
    if (!/^[0-9a-f-]{36}$/i.test(rsvpId) || !rsvpTokenMatches(this.config, rsvpId, token)) throw new NotFoundError('RSVP');
    const rsvp = await this.repository.rsvp(rsvpId);
    if (!rsvp) throw new NotFoundError('RSVP');
    return { rsvp, event: (await this.repository.findEvent(rsvp.eventId))! };
  }

  /** Cancels through the link in a message; cancelling again changes nothing. */
  async cancelByLink(rsvpId: string, token: string): Promise<RsvpRow> {
    const { rsvp } = await this.byLink(rsvpId, token);
    let queued: ScheduledReminder[] = [];
    await this.repository.transaction(async (m) => {
      const event = (await this.repository.findEvent(rsvp.eventId, m, true))!;
      const current = (await this.repository.rsvp(rsvp.id, m))!;
      if (current.status === 'cancelled') return;
      queued = await this.withdraw(m, event, current, 'not_going');
    });
    await this.reminders.enqueue(queued);
    return (await this.repository.rsvp(rsvp.id))!;
  }

  async rsvps(actor: Actor, eventId: string, page: PageQueryDto) {
    await this.get(actor, eventId);
    const [items, total] = await this.repository.listRsvps(eventId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /**
   * The event's reminders and notices with their delivery. One still to go that no channel can
   * carry as things stand (say no e-mail nor SMS is set up on this server) says so: `blocked`,
   * with the reason code `no_channel`, rather than plain "pending".
   */
  async reminderStatus(actor: Actor, eventId: string, rsvpId: string | null, page: PageQueryDto) {
    await this.get(actor, eventId);
    const [rows, total] = await this.repository.reminders(eventId, rsvpId, page.limit, page.offset);
    const items = rows.map((r) => {
      const blocked = this.reminders.blocked(r);
      return blocked ? { ...r, blocked: true, reasonCode: 'no_channel' as const, reasonParams: blocked } : { ...r, blocked: false };
    });
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** Which channels this server can send on: a channel without its settings (SMTP_URL, SMS_API_URL...) sends nothing. */
  messageChannels(): Record<Channel, boolean> {
    return this.reminders.serverChannels();
  }

  async defaultSchedule(actor: Actor): Promise<ReminderRule[]> {
    return (await this.repository.organizationSettings(actor.organizationId)).reminderSchedule ?? DEFAULT_SCHEDULE;
  }

  async setDefaultSchedule(actor: Actor, rules: ReminderRuleDto[]): Promise<ReminderRule[]> {
    await this.repository.setDefaultSchedule(actor.organizationId, this.rules(rules));
    return this.defaultSchedule(actor);
  }

  /** `mine`: the caller's own answer, when the answer is for one person (list and get). */
  toResponse(e: EventRow, mine?: { response: RsvpResponse; status: RsvpStatus } | null): EventResponseDto {
    return {
      ...(mine === undefined ? {} : { myRsvp: mine }),
      id: e.id,
      title: e.title,
      description: e.description,
      kind: e.kind,
      address: e.address,
      location: e.location,
      startsAt: new Date(e.startsAt).toISOString(),
      endsAt: new Date(e.endsAt).toISOString(),
      timeZone: e.timeZone,
      localStartsAt: DateTime.fromJSDate(new Date(e.startsAt), { zone: e.timeZone }).toISO()!,
      capacity: e.capacity,
      visibility: e.visibility,
      signupUrl: e.publicToken ? `${this.config.publicUrl}/e/${e.publicToken}` : null,
      status: e.status,
      reminderSchedule: e.reminderSchedule,
      confirmed: e.confirmed,
      waitlisted: e.waitlisted,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private open(event: EventRow): EventRow {
    if (event.status === 'cancelled') throw new AppError('EVENT_CLOSED', 'This event is cancelled');
    if (new Date(event.endsAt).getTime() <= this.clock.now().getTime()) throw new AppError('EVENT_CLOSED', 'This event is over');
    return event;
  }

  private async placeFor(m: EntityManager, event: EventRow): Promise<RsvpStatus> {
    if (event.capacity === null) return 'confirmed';
    return (await this.repository.confirmedCount(m, event.id)) < event.capacity ? 'confirmed' : 'waitlisted';
  }

  private async welcome(m: EntityManager, event: EventRow, rsvpId: string, status: RsvpStatus): Promise<ScheduledReminder[]> {
    const rows = this.reminders.plan(event, { id: rsvpId }, status === 'confirmed' ? 'confirmation' : 'waitlisted', status === 'confirmed');
    return this.repository.insertReminders(m, event.organizationId, event.id, rows);
  }

  /** Gives a place back: the RSVP's pending reminders go, and the waiting list moves up. */
  private async withdraw(m: EntityManager, event: EventRow, rsvp: RsvpRow, response: RsvpResponse): Promise<ScheduledReminder[]> {
    await this.repository.updateRsvp(m, rsvp.id, response, 'cancelled');
    await this.repository.cancelPending(m, { rsvpId: rsvp.id }, 'the RSVP was cancelled', 'rsvp_cancelled');
    return rsvp.status === 'confirmed' ? this.promote(m, event) : [];
  }

  /** Moves the waiting list up into any free places, oldest first, each with a notice and the schedule. */
  private async promote(m: EntityManager, event: EventRow): Promise<ScheduledReminder[]> {
    if (event.status === 'cancelled') return [];
    const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : event.capacity - (await this.repository.confirmedCount(m, event.id));
    if (free <= 0) return [];
    const lucky = await this.repository.waitlist(m, event.id, Math.min(free, 10_000));
    const rows: NewReminder[] = [];
    for (const r of lucky) {
      await this.repository.updateRsvp(m, r.id, r.response, 'confirmed');
      await this.repository.cancelPending(m, { rsvpId: r.id, kinds: ['waitlisted'] }, 'a place opened', 'place_opened');
      rows.push(...this.reminders.plan(event, r, 'promoted', true));
    }
    return this.repository.insertReminders(m, event.organizationId, event.id, rows);
  }

  private notice(rsvpId: string, kind: ReminderKind, at: Date): NewReminder {
    return { rsvpId, kind, rule: null, channel: 'email', dueAt: at, status: 'pending', reason: null, reasonCode: null };
  }

  private memberRow(event: EventRow, userId: string, response: RsvpResponse, status: RsvpStatus) {
    return {
      organizationId: event.organizationId,
      eventId: event.id,
      userId,
      name: null,
      email: null,
      phone: null,
      language: null,
      response,
      status,
      consent: false,
    };
  }

  private rules(rules: ReminderRuleDto[]): ReminderRule[] {
    return rules.map((r) =>
      r.type === 'before' ? { type: r.type, minutes: r.minutes!, channel: r.channel } : { type: r.type, at: r.at!, channel: r.channel },
    );
  }

  private toDto(e: EventRow): CreateEventDto {
    return {
      title: e.title,
      description: e.description,
      kind: e.kind,
      address: e.address,
      location: e.location,
      startsAt: new Date(e.startsAt).toISOString(),
      endsAt: new Date(e.endsAt).toISOString(),
      timeZone: e.timeZone,
      capacity: e.capacity,
      visibility: e.visibility,
      reminderSchedule: e.reminderSchedule,
    };
  }

  private timeAndPlace(e: TimeAndPlace): Record<string, unknown> {
    return {
      startsAt: new Date(e.startsAt).toISOString(),
      endsAt: new Date(e.endsAt).toISOString(),
      timeZone: e.timeZone,
      address: e.address,
      location: e.location ?? null,
    };
  }

  /** Checks what the DTO cannot: the zone exists, the end follows the start, the start is ahead. */
  private input(dto: CreateEventDto, existing: EventRow | null, fallbackSchedule: ReminderRule[]): EventInput {
    if (!isValidTimeZone(dto.timeZone)) throw invalid('timeZone', `is not an IANA time zone such as America/New_York or America/Chicago`);
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    if (endsAt.getTime() <= startsAt.getTime()) throw invalid('endsAt', 'must be after startsAt');
    const timeChanged = !existing || startsAt.getTime() !== new Date(existing.startsAt).getTime();
    if (timeChanged && startsAt.getTime() <= this.clock.now().getTime()) throw invalid('startsAt', 'must be in the future');
    return {
      title: dto.title,
      description: dto.description ?? {},
      kind: dto.kind,
      address: dto.address,
      location: dto.location ?? null,
      startsAt,
      endsAt,
      timeZone: dto.timeZone,
      capacity: dto.capacity ?? null,
      visibility: dto.visibility ?? 'members',
      reminderSchedule: dto.reminderSchedule ? this.rules(dto.reminderSchedule) : fallbackSchedule,
    };
  }
}
