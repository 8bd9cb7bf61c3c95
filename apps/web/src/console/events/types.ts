/** The shapes of the events API's answers. */
export type Localized = Record<string, string>;

export interface ReminderRule {
  type: 'day_before' | 'morning_of' | 'before';
  at?: string;
  minutes?: number;
  channel: 'email' | 'sms';
}

export interface EventItem {
  id: string;
  title: Localized;
  description: Localized;
  kind: 'action' | 'training' | 'canvass_shift' | 'meeting';
  address: string;
  location: { lon: number; lat: number } | null;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  localStartsAt: string;
  capacity: number | null;
  visibility: 'members' | 'public';
  signupUrl: string | null;
  status: 'scheduled' | 'cancelled';
  reminderSchedule: ReminderRule[];
  confirmed: number;
  waitlisted: number;
}

export const EVENT_KINDS = ['action', 'training', 'canvass_shift', 'meeting'] as const;

export interface Rsvp {
  id: string;
  userId: string | null;
  name: string | null;
  response: 'going' | 'maybe' | 'not_going';
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  createdAt: string;
  reminders?: Record<string, number>;
}

export interface Reminder {
  id: string;
  rsvpId: string;
  person: string | null;
  kind: string;
  channel: string | null;
  dueAt: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'skipped' | 'cancelled';
  /** English; the app words reasonCode instead when it knows it. */
  reason: string | null;
  reasonCode: string | null;
  reasonParams: Record<string, string> | null;
  /** Still to go, but no channel can carry it as things stand (reasonCode says why). */
  blocked: boolean;
  attempts: number;
  sentAt: string | null;
  sentChannel: string | null;
}

export interface EventChange {
  changedAt: string;
  changedByUserId: string | null;
  before: { startsAt?: string; endsAt?: string; timeZone?: string; address?: string };
  after: { startsAt?: string; endsAt?: string; timeZone?: string; address?: string };
}

/** The title in the reader's language, else English, else whichever there is. */
export const localized = (text: Localized | undefined, lang: string) => text?.[lang] ?? text?.en ?? Object.values(text ?? {})[0] ?? '';

/** Which channels this server can send on (GET /message-channels). */
export interface MessageChannels {
  email: boolean;
  sms: boolean;
}
