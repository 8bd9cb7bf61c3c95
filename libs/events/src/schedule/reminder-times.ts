import { DateTime, IANAZone } from 'luxon';
import { ReminderRule } from '../entities/event.entity';

/** Modelled on the best event tools: the day before at 11:00, the morning of at 08:00, and 30 minutes before by SMS. */
export const DEFAULT_SCHEDULE: ReminderRule[] = [
  { type: 'day_before', at: '11:00', channel: 'email' },
  { type: 'morning_of', at: '08:00', channel: 'email' },
  { type: 'before', minutes: 30, channel: 'sms' },
];

/** No reminder goes out from 21:00 to 08:00 in the event's zone. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 8;
/**
 * The "morning of" reminder must leave people this long to get there. When the morning's time
 * does not (an event before 10:00 with the default 08:00), the reminder goes the evening before at
 * EVENING_BEFORE instead: the morning of such an event is in the quiet hours or too close to the
 * start, while 19:00 the day before is awake time, two hours before the quiet hours begin (room
 * for the retries of a failed send), and early enough to plan the morning.
 */
export const MORNING_LEAD_MINUTES = 120;
export const EVENING_BEFORE = '19:00';
/** Change and cancellation notices break the quiet hours when the event is this close. */
export const URGENT_WITHIN_MS = 12 * 3600 * 1000;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const hhmm = (at: string | undefined): { hour: number; minute: number } => {
  const [hour, minute] = (at ?? '00:00').split(':').map(Number);
  return { hour, minute };
};

/**
 * When each rule of the schedule falls for an event starting at `startsAt`, in its zone (daylight
 * saving included). "Morning of" is at its time on the day when that leaves MORNING_LEAD_MINUTES
 * before the start, else at EVENING_BEFORE the day before: with the default 08:00, an event at
 * 10:00 or later is reminded at 08:00, one at 07:30, 08:30 or 09:59 at 19:00 the evening before.
 */
export function ruleTimes(startsAt: Date, zone: string, rules: readonly ReminderRule[]): { rule: number; dueAt: Date; quiet: boolean }[] {
  const start = DateTime.fromJSDate(startsAt, { zone });
  return rules.map((r, rule) => {
    let due: DateTime;
    if (r.type === 'day_before') {
      due = start.minus({ days: 1 }).set({ ...hhmm(r.at), second: 0, millisecond: 0 });
    } else if (r.type === 'morning_of') {
      const morning = start.set({ ...hhmm(r.at), second: 0, millisecond: 0 });
      due =
        morning.plus({ minutes: MORNING_LEAD_MINUTES }) <= start
          ? morning
          : start.minus({ days: 1 }).set({ ...hhmm(EVENING_BEFORE), second: 0, millisecond: 0 });
    } else {
      due = start.minus({ minutes: r.minutes ?? 0 });
    }
    const dueAt = due.toJSDate();
    return { rule, dueAt, quiet: isQuietHour(dueAt, zone) };
  });
}

export function isQuietHour(at: Date, zone: string): boolean {
  const hour = DateTime.fromJSDate(at, { zone }).hour;
  return hour >= QUIET_FROM_HOUR || hour < QUIET_UNTIL_HOUR;
}

/**
 * When a change or cancellation notice may go: now, unless it is the quiet hours and the event
 * is more than 12 hours away, in which case at 08:00 local.
 */
export function noticeTime(now: Date, startsAt: Date, zone: string): Date {
  if (!isQuietHour(now, zone) || startsAt.getTime() - now.getTime() <= URGENT_WITHIN_MS) return now;
  const local = DateTime.fromJSDate(now, { zone });
  const morning = local.set({ hour: QUIET_UNTIL_HOUR, minute: 0, second: 0, millisecond: 0 });
  return (local.hour >= QUIET_FROM_HOUR ? morning.plus({ days: 1 }) : morning).toJSDate();
}
