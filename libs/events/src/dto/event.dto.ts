import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageMetaDto, PageQueryDto } from '@app/core';
import {
  CHANNELS,
  EVENT_KINDS,
  EVENT_VISIBILITIES,
  EventKind,
  EventVisibility,
  Localized,
  REMINDER_KINDS,
  REMINDER_STATUSES,
  ReminderKind,
  ReminderStatus,
  RSVP_RESPONSES,
  RsvpResponse,
  RsvpStatus,
  Channel,
} from '../entities/event.entity';
import { ReminderRow, RsvpRow } from '../events.repository';
import { REMINDER_REASON_CODES, ReminderReasonCode } from '../reminder-reasons';

const trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
const TIME_MESSAGE = 'must be an ISO 8601 time with its offset, such as 2026-11-16T17:00:00-05:00';

export class ReminderRuleDto {
  @ApiProperty({ enum: ['day_before', 'morning_of', 'before'] })
  @IsIn(['day_before', 'morning_of', 'before'])
  type: 'day_before' | 'morning_of' | 'before';

  @ApiPropertyOptional({ example: '11:00', description: 'Local time for day_before and morning_of' })
  @ValidateIf((r: ReminderRuleDto) => r.type !== 'before')
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time of day such as 11:00' })
  at?: string;

  @ApiPropertyOptional({ example: 30, description: 'Minutes before the start, for before' })
  @ValidateIf((r: ReminderRuleDto) => r.type === 'before')
  @IsInt()
  @Min(5)
  @Max(14 * 24 * 60)
  minutes?: number;

  @ApiProperty({ enum: CHANNELS, description: "Tried first; the person's other channel is used when this one cannot reach them" })
  @IsIn(CHANNELS)
  channel: Channel;
}

export class LocationDto {
  @ApiProperty() @IsNumber() @Min(-180) @Max(180) lon: number;
  @ApiProperty() @IsNumber() @Min(-90) @Max(90) lat: number;
}

/** Texts by ISO 639-1 language: at least one, at most 10, none empty or longer than `max`. */
function IsLocalized(max: number) {
  return ValidateBy({
    name: 'localized',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length >= 1 &&
        Object.keys(value).length <= 10 &&
        Object.entries(value).every(([k, v]) => /^[a-z]{2}$/.test(k) && typeof v === 'string' && v.trim().length > 0 && v.length <= max),
      defaultMessage: () =>
        `must be texts by language, e.g. {"en": "...", "es": "..."}: two-letter codes, each text 1 to ${max} characters`,
    },
  });
}

export class CreateEventDto {
  @ApiProperty({ example: { en: 'Monday demonstration at the ICE office', es: 'Manifestación del lunes en la oficina de ICE' } })
  @IsLocalized(200)
  title: Localized;

  @ApiPropertyOptional({ example: { en: 'Bring water.', es: 'Traiga agua.' } })
  @IsOptional()
  @IsLocalized(5000)
  description?: Localized;

  @ApiProperty({ enum: EVENT_KINDS })
  @IsIn(EVENT_KINDS)
  kind: EventKind;

  @ApiProperty({ example: '180 Ted Turner Dr SW, Atlanta, GA 30303', maxLength: 300 })
  @trim()
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  address: string;

  @ApiPropertyOptional({ type: LocationDto })
  @IsOptional()
  // ValidateNested alone lets an array through in place of the object.
  @IsObject()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto | null;

  @ApiProperty({ example: '2026-11-16T17:00:00-05:00' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  startsAt: string;

  @ApiProperty({ example: '2026-11-16T19:00:00-05:00' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  endsAt: string;

  @ApiProperty({ example: 'America/New_York', description: 'IANA time zone the event is shown in' })
  @IsString()
  @MaxLength(64)
  timeZone: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, nullable: true, description: 'Places; a waiting list takes the rest' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity?: number | null;

  @ApiPropertyOptional({ enum: EVENT_VISIBILITIES, default: 'members' })
  @IsOptional()
  @IsIn(EVENT_VISIBILITIES)
  visibility?: EventVisibility;

  @ApiPropertyOptional({ type: [ReminderRuleDto], description: "The organization's default schedule when absent" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReminderRuleDto)
  reminderSchedule?: ReminderRuleDto[];
}

export class UpdateEventDto extends PartialType(CreateEventDto) {}

export class EventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Include past events' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  past?: boolean;
}

export class RsvpDto {
  @ApiProperty({ enum: RSVP_RESPONSES })
  @IsIn(RSVP_RESPONSES)
  response: RsvpResponse;
}

export class PublicSignupDto {
  @ApiProperty({ maxLength: 100 })
  @trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 'ana@example.org' })
  @IsOptional()
  @trim()
  @Matches(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'must be an e-mail address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({
    example: '404-555-0123',
    description: "As dialled in the organization's country (its `country`), or international with +; stored as E.164",
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiProperty({ enum: ['en', 'es'] })
  @IsIn(['en', 'es'], { message: 'must be a language Porchlight writes messages in: en or es' })
  language: string;

  @ApiProperty({ description: 'Explicit consent to be contacted about this event; must be true' })
  @Equals(true, { message: 'must be true: we only write to people who agreed to it' })
  consent: boolean;

  @ApiPropertyOptional({ enum: ['going', 'maybe'], default: 'going' })
  @IsOptional()
  @IsIn(['going', 'maybe'])
  response?: 'going' | 'maybe';
}

export class TemplateDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true, description: 'E-mail only' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string | null;

  @ApiProperty({
    maxLength: 2000,
    description: 'Placeholders: {{name}} {{title}} {{when}} {{place}} {{calendarUrl}} {{cancelUrl}} {{organization}}',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  body: string;
}

export class ScheduleDto {
  @ApiProperty({ type: [ReminderRuleDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReminderRuleDto)
  reminderSchedule: ReminderRuleDto[];
}

export class ReminderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: "One person's reminders" })
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'must be a UUID' })
  rsvpId?: string;
}

export class MyRsvpDto {
  @ApiProperty({ enum: RSVP_RESPONSES }) response: RsvpResponse;
  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'cancelled'], description: '"not going", or cancelled through a link, is cancelled' })
  status: RsvpStatus;
}

export class EventResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: Localized;
  @ApiProperty() description: Localized;
  @ApiProperty({ enum: EVENT_KINDS }) kind: EventKind;
  @ApiProperty() address: string;
  @ApiProperty({ nullable: true, type: LocationDto }) location: { lon: number; lat: number } | null;
  @ApiProperty({ description: 'UTC' }) startsAt: string;
  @ApiProperty({ description: 'UTC' }) endsAt: string;
  @ApiProperty() timeZone: string;
  @ApiProperty({ description: 'The start in the event’s zone, e.g. 2026-11-16T17:00:00.000-05:00' }) localStartsAt: string;
  @ApiProperty({ nullable: true, type: Number }) capacity: number | null;
  @ApiProperty({ enum: EVENT_VISIBILITIES }) visibility: EventVisibility;
  @ApiProperty({ nullable: true, type: String, description: 'Public events: the signup link' }) signupUrl: string | null;
  @ApiProperty({ enum: ['scheduled', 'cancelled'] }) status: 'scheduled' | 'cancelled';
  @ApiProperty({ type: [ReminderRuleDto] }) reminderSchedule: ReminderRuleDto[];
  @ApiProperty() confirmed: number;
  @ApiProperty() waitlisted: number;
  @ApiPropertyOptional({
    nullable: true,
    type: MyRsvpDto,
    description: "The caller's own answer (going / maybe / not going, confirmed or on the waiting list), in lists and single events",
  })
  myRsvp?: MyRsvpDto | null;
}

export class EventPageDto extends PageMetaDto {
  @ApiProperty({ type: [EventResponseDto] }) items: EventResponseDto[];
}

export class RsvpResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ nullable: true, type: String }) userId: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: RSVP_RESPONSES }) response: RsvpResponse;
  @ApiProperty({ enum: ['confirmed', 'waitlisted', 'cancelled'] }) status: string;
  @ApiProperty() createdAt: string;
  @ApiPropertyOptional({ description: 'Reminders by status, e.g. {"sent": 2, "pending": 1}' }) reminders?: Record<string, number>;
}

export class RsvpPageDto extends PageMetaDto {
  @ApiProperty({ type: [RsvpResponseDto] }) items: RsvpResponseDto[];
}

/**
 * The same for every accepted signup, new or already made: the confirmation, with the link to the
 * RSVP, goes to the person's e-mail or phone.
 */
export class PublicSignupResponseDto {
  @ApiProperty({ enum: [true] }) received: true;
}

export class ReminderResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) rsvpId: string;
  @ApiProperty({ nullable: true, type: String }) person: string | null;
  @ApiProperty({ enum: REMINDER_KINDS }) kind: ReminderKind;
  @ApiProperty({ nullable: true, type: String }) channel: Channel | null;
  @ApiProperty() dueAt: string;
  @ApiProperty({ enum: REMINDER_STATUSES }) status: ReminderStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Why it failed or was skipped, in English' }) reason: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: REMINDER_REASON_CODES,
    description: 'The same as a code to word in the reader’s language',
  })
  reasonCode: ReminderReasonCode | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'no_channel: why each channel cannot carry it ({"email": "not_configured", "sms": "no_contact"}; also "disabled" by the organization); provider_failed: {"channel"}',
  })
  reasonParams: Record<string, string> | null;
  @ApiProperty({
    description:
      'Still to go, but no channel can carry it as things stand (reasonCode no_channel says why); it goes if one is set up before it is due',
  })
  blocked: boolean;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentChannel: Channel | null;
}

export class ReminderPageDto extends PageMetaDto {
  @ApiProperty({ type: [ReminderResponseDto] }) items: ReminderResponseDto[];
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toRsvpResponse(r: RsvpRow & { reminders?: Record<string, number> }, withName: boolean): RsvpResponseDto {
  return {
    id: r.id,
    eventId: r.eventId,
    userId: r.userId,
    name: withName ? r.name : null,
    response: r.response,
    status: r.status,
    createdAt: iso(r.createdAt)!,
    ...(r.reminders ? { reminders: r.reminders } : {}),
  };
}

export class MessageChannelsDto {
  @ApiProperty({ description: 'This server can send e-mail (SMTP_URL is set)' }) email: boolean;
  @ApiProperty({ description: 'This server can send SMS (SMS_API_URL and the provider account are set)' }) sms: boolean;
}

export function toReminderResponse(r: ReminderRow & { blocked?: boolean }): ReminderResponseDto {
  return {
    id: r.id,
    rsvpId: r.rsvpId,
    person: r.person,
    kind: r.kind,
    channel: r.channel,
    dueAt: iso(r.dueAt)!,
    status: r.status,
    reason: r.reason,
    reasonCode: r.reasonCode,
    reasonParams: r.reasonParams,
    blocked: r.blocked ?? false,
    attempts: r.attempts,
    sentAt: iso(r.sentAt),
    sentChannel: r.sentChannel,
  };
}
