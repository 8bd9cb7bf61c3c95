import { Channel } from './entities/event.entity';

/**
 * Why a reminder was not sent (or not yet): a stable code the web app words in the reader's
 * language, beside the English text kept in `reason` for logs and the API's older readers.
 */
export const REMINDER_REASON_CODES = [
  /** Due between 21:00 and 08:00 in the event's zone. */
  'quiet_hours',
  'event_cancelled',
  'event_moved',
  'rsvp_cancelled',
  /** A scheduled reminder of someone still on the waiting list. */
  'waitlisted',
  /** A waiting-list notice made pointless by a place that opened. */
  'place_opened',
  /** Neither of the person's channels can carry it; params say why, for each channel. */
  'no_channel',
  /** The provider refused it, or every try failed; `reason` holds the provider's words. */
  'provider_failed',
  /** A try failed in a way that may pass; it will be tried again. */
  'retrying',
  /** A worker stopped while sending it; it is sent again. */
  'worker_stopped',
] as const;
export type ReminderReasonCode = (typeof REMINDER_REASON_CODES)[number];

/** Why one channel cannot carry a message to a person. */
export type ChannelProblem = 'not_configured' | 'disabled' | 'no_contact';
export type NoChannelParams = Record<Channel, ChannelProblem>;

/** Everything that decides whether a channel can reach a person. */
export interface Reach {
  /** The server has the channel's settings (SMTP, the SMS provider). */
  configured: Record<Channel, boolean>;
  /** The organization sends on the channel. */
  enabled: Record<Channel, boolean>;
  /** The person has an address or a number for it. */
  contact: Record<Channel, boolean>;
}

export function channelProblem(channel: Channel, reach: Reach): ChannelProblem | null {
  if (!reach.configured[channel]) return 'not_configured';
  if (!reach.enabled[channel]) return 'disabled';
  if (!reach.contact[channel]) return 'no_contact';
  return null;
}

const ENGLISH: Record<ChannelProblem, (c: Channel) => string> = {
  not_configured: (c) => `${c === 'email' ? 'e-mail' : 'SMS'} is not configured on this server`,
  disabled: (c) => `the organization does not send ${c === 'email' ? 'e-mail' : 'SMS'}`,
  no_contact: (c) => `no ${c === 'email' ? 'e-mail address' : 'phone number'}`,
};

/**
 * The channel a message goes on: its own if it can reach the person, else the other one; or,
 * when neither can, why not (a code with each channel's problem, and the same in English).
 */
export function pickChannel(
  first: Channel,
  reach: Reach,
): { ok: true; channel: Channel } | { ok: false; code: 'no_channel'; params: NoChannelParams; reason: string } {
  const second: Channel = first === 'email' ? 'sms' : 'email';
  const a = channelProblem(first, reach);
  if (!a) return { ok: true, channel: first };
  const b = channelProblem(second, reach);
  if (!b) return { ok: true, channel: second };
  const params = { [first]: a, [second]: b } as NoChannelParams;
  return { ok: false, code: 'no_channel', params, reason: `no channel reaches this person: ${ENGLISH[a](first)}; ${ENGLISH[b](second)}` };
}
