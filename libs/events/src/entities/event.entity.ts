import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  Point,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Organization } from '@app/organizations';

export const EVENT_KINDS = ['action', 'training', 'canvass_shift', 'meeting'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const EVENT_VISIBILITIES = ['members', 'public'] as const;
export type EventVisibility = (typeof EVENT_VISIBILITIES)[number];
export const EVENT_STATUSES = ['scheduled', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/** Texts by ISO 639-1 language: `{ en: 'Monday demonstration', es: 'Manifestación del lunes' }`. */
export type Localized = Record<string, string>;

/** One reminder of a schedule: the day before at a local time, the morning of, or some minutes before. */
export interface ReminderRule {
  type: 'day_before' | 'morning_of' | 'before';
  /** Local time, HH:MM, for day_before and morning_of. */
  at?: string;
  /** For before. */
  minutes?: number;
  /** The channel to try first; the person's other channel is used when this one cannot reach them. */
  channel: 'email' | 'sms';
}

/** An action, training, canvass shift or meeting people are called to. Times in UTC, shown in `timeZone`. */
@Entity({ name: 'events' })
@Index('ix_events_organization', ['organizationId', 'startsAt'])
@Unique('uq_events_public_token', ['publicToken'])
@Check('ck_events_kind', `"kind" IN ('action', 'training', 'canvass_shift', 'meeting')`)
@Check('ck_events_visibility', `"visibility" IN ('members', 'public')`)
@Check('ck_events_status', `"status" IN ('scheduled', 'cancelled')`)
@Check('ck_events_times', `"ends_at" > "starts_at"`)
@Check('ck_events_capacity', `"capacity" IS NULL OR "capacity" > 0`)
export class Event {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_events' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_events_organization' })
  organization?: Organization;

  @Column({ type: 'jsonb' })
  title: Localized;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  description: Localized;

  @Column({ type: 'varchar', length: 20 })
  kind: EventKind;

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ type: 'geography', spatialFeatureType: 'Point', srid: 4326, nullable: true })
  location: Point | null;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  /** IANA zone, e.g. America/New_York. */
  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  @Column({ type: 'varchar', length: 10, default: 'members' })
  visibility: EventVisibility;

  /** The secret in a public event's signup link. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  publicToken: string | null;

  @Column({ type: 'varchar', length: 12, default: 'scheduled' })
  status: EventStatus;

  @Column({ type: 'jsonb' })
  reminderSchedule: ReminderRule[];

  @Column({ type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Every change of an event's time or place, with what it was and what it became. */
@Entity({ name: 'event_changes' })
@Index('ix_event_changes_event', ['eventId', 'changedAt'])
export class EventChange {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_event_changes' })
  id: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_event_changes_event' })
  event?: Event;

  @Column({ type: 'uuid', nullable: true })
  changedByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  changedAt: Date;

  @Column({ type: 'jsonb' })
  before: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  after: Record<string, unknown>;
}

export const RSVP_RESPONSES = ['going', 'maybe', 'not_going'] as const;
export type RsvpResponse = (typeof RSVP_RESPONSES)[number];
export const RSVP_STATUSES = ['confirmed', 'waitlisted', 'cancelled'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

/**
 * A member's or a supporter's answer to an event. Supporters (public signups) leave their name
 * and contact here, with their consent; members' contact stays on their account.
 */
@Entity({ name: 'rsvps' })
@Index('ix_rsvps_event', ['eventId', 'status', 'createdAt'])
@Index('uq_rsvps_event_user', ['eventId', 'userId'], { unique: true, where: '"user_id" IS NOT NULL' })
@Index('uq_rsvps_event_email', ['eventId', 'email'], { unique: true, where: `"email" IS NOT NULL AND "status" <> 'cancelled'` })
@Index('uq_rsvps_event_phone', ['eventId', 'phone'], { unique: true, where: `"phone" IS NOT NULL AND "status" <> 'cancelled'` })
@Check('ck_rsvps_response', `"response" IN ('going', 'maybe', 'not_going')`)
@Check('ck_rsvps_status', `"status" IN ('confirmed', 'waitlisted', 'cancelled')`)
@Check(
  'ck_rsvps_person',
  `"user_id" IS NOT NULL OR "contact_purged_at" IS NOT NULL OR ("name" IS NOT NULL AND ("email" IS NOT NULL OR "phone" IS NOT NULL) AND "consent_at" IS NOT NULL)`,
)
export class Rsvp {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_rsvps' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_rsvps_event' })
  event?: Event;

  /** A member's RSVP; null for a supporter's public signup. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  name: string | null;

  @Column({ type: 'citext', nullable: true })
  email: string | null;

  /** E.164. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', length: 5, nullable: true })
  language: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentAt: Date | null;

  /** When a supporter's name and contact were deleted, past the organization's retention after the event; the answer stays, for the counts. */
  @Column({ type: 'timestamptz', nullable: true })
  contactPurgedAt: Date | null;

  @Column({ type: 'varchar', length: 10 })
  response: RsvpResponse;

  @Column({ type: 'varchar', length: 12 })
  status: RsvpStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export const REMINDER_KINDS = ['confirmation', 'waitlisted', 'promoted', 'reminder', 'change', 'cancellation'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];
export const REMINDER_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];
export const CHANNELS = ['email', 'sms'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * One message to one person, due at one instant: the source of truth. A job in Redis carries it
 * out; a sweeper re-creates jobs Redis lost; a conditional claim stops a second send.
 */
@Entity({ name: 'reminders' })
@Index('ix_reminders_due', ['dueAt'], { where: `"status" IN ('pending', 'sending')` })
@Index('ix_reminders_event', ['eventId', 'dueAt'])
@Index('ix_reminders_rsvp', ['rsvpId'])
@Check('ck_reminders_kind', `"kind" IN ('confirmation', 'waitlisted', 'promoted', 'reminder', 'change', 'cancellation')`)
@Check('ck_reminders_status', `"status" IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')`)
@Check('ck_reminders_channel', `"channel" IS NULL OR "channel" IN ('email', 'sms')`)
export class Reminder {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_reminders' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_reminders_event' })
  event?: Event;

  @Column({ type: 'uuid' })
  rsvpId: string;

  @ManyToOne(() => Rsvp, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rsvp_id', foreignKeyConstraintName: 'fk_reminders_rsvp' })
  rsvp?: Rsvp;

  @Column({ type: 'varchar', length: 20 })
  kind: ReminderKind;

  /** Which rule of the schedule made it (index), for scheduled reminders. */
  @Column({ type: 'integer', nullable: true })
  rule: number | null;

  /** The channel to try first. */
  @Column({ type: 'varchar', length: 5, nullable: true })
  channel: Channel | null;

  @Column({ type: 'timestamptz' })
  dueAt: Date;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status: ReminderStatus;

  /** Why it failed or was skipped, in English. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  /** The same as a code the web app words in the reader's language (see reminder-reasons.ts), with its parameters. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  reasonCode: string | null;

  @Column({ type: 'jsonb', nullable: true })
  reasonParams: Record<string, string> | null;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** The channel it went out on, and the provider's id for it. */
  @Column({ type: 'varchar', length: 5, nullable: true })
  sentChannel: Channel | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  providerId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** An organization's own wording of a message, by kind, channel and language. */
@Entity({ name: 'message_templates' })
@Unique('uq_message_templates', ['organizationId', 'kind', 'channel', 'language'])
export class MessageTemplate {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_message_templates' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'fk_message_templates_organization' })
  organization?: Organization;

  @Column({ type: 'varchar', length: 20 })
  kind: ReminderKind;

  @Column({ type: 'varchar', length: 5 })
  channel: Channel;

  @Column({ type: 'varchar', length: 5 })
  language: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  subject: string | null;

  @Column({ type: 'text' })
  body: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A member's private calendar feed of the events they RSVPed to; only the token's hash is kept. */
@Entity({ name: 'calendar_feeds' })
@Unique('uq_calendar_feeds_token', ['tokenHash'])
@Unique('uq_calendar_feeds_member', ['organizationId', 'userId'])
export class CalendarFeed {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_calendar_feeds' })
  id: string;

  @Column({ type: 'uuid' })
  organizationId: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'char', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export const EVENTS_ENTITIES = [Event, EventChange, Rsvp, Reminder, MessageTemplate, CalendarFeed];
