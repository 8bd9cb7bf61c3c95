/**
 * Wall-clock times in a chosen IANA zone, with nothing but Intl: the event form asks for a local
 * date and time "in America/New_York" whatever zone the browser is in, and the API wants an
 * ISO 8601 time with its offset.
 */
import { useState } from 'react';

/** The moment the screen opened: whether an event has ended need not change while one reads. */
export function useNow(): number {
  const [now] = useState(() => Date.now());
  return now;
}

/** The zones offered first; any other IANA zone can be typed. */
export const COMMON_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'America/Los_Angeles',
  'America/Anchorage',
  'Pacific/Honolulu',
  'America/Puerto_Rico',
] as const;

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isValidZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of an instant in a zone. */
function wallClock(ms: number, zone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** The zone's offset from UTC at an instant, in minutes (New York in winter: -300). */
export function offsetMinutes(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * "2026-11-16T17:00" in a zone as "2026-11-16T17:00:00-05:00", or null if the text is not a time.
 * A time that does not exist (skipped by a spring-forward change) moves forward with the clocks.
 */
export function localToOffsetIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  // The offset at the guess and at the instant it points to: one of the two is right on either
  // side of a change; in a skipped hour neither is, and the later one moves forward with the clocks.
  const first = guess - offsetMinutes(guess, zone) * 60_000;
  const second = guess - offsetMinutes(first, zone) * 60_000;
  const matches = (ms: number) => {
    const w = wallClock(ms, zone);
    return w.year === y && w.month === mo && w.day === d && w.hour === h && w.minute === mi;
  };
  const instant = matches(second) ? second : matches(first) ? first : Math.max(first, second);
  const w = wallClock(instant, zone);
  const offset = offsetMinutes(instant, zone);
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:00` +
    `${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/** A UTC instant as the "YYYY-MM-DDTHH:mm" a datetime-local input shows, in a zone. */
export function utcToLocalInput(iso: string, zone: string): string {
  const w = wallClock(new Date(iso).getTime(), zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** An instant in words, in the event's zone, with the zone's short name ("Nov 16, 2026, 5:00 PM EST"). */
export function formatInZone(iso: string, zone: string, lang: string): string {
  try {
    return (
      new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso)) +
      ` (${zoneName(iso, zone, lang)})`
    );
  } catch {
    return iso;
  }
}

function zoneName(iso: string, zone: string, lang: string): string {
  const part = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: 'short' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}
