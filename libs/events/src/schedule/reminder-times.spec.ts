import { DateTime } from 'luxon';
import { DEFAULT_SCHEDULE, isValidTimeZone, MORNING_LEAD_MINUTES, noticeTime, ruleTimes } from './reminder-times';

const NY = 'America/New_York';
const iso = (d: Date) => d.toISOString();

describe('reminder times', () => {
  it('puts the default schedule at local times, in UTC, for a Monday evening action', () => {
    // Monday 16 November 2026, 17:00 in New York (EST, UTC-5).
    const times = ruleTimes(new Date('2026-11-16T22:00:00Z'), NY, DEFAULT_SCHEDULE);
    expect(times.map((t) => iso(t.dueAt))).toEqual(['2026-11-15T16:00:00.000Z', '2026-11-16T13:00:00.000Z', '2026-11-16T21:30:00.000Z']);
    expect(times.every((t) => !t.quiet)).toBe(true);
  });

  it('follows the daylight-saving change between the day before and the day of', () => {
    // DST ends on Sunday 1 November 2026 at 02:00 in New York: Sunday 11:00 is EST (UTC-5)...
    const monday = ruleTimes(new Date('2026-11-02T22:00:00Z'), NY, DEFAULT_SCHEDULE);
    expect(iso(monday[0].dueAt)).toBe('2026-11-01T16:00:00.000Z');
    // ...while Saturday 31 October 11:00 was still EDT (UTC-4).
    const sunday = ruleTimes(new Date('2026-11-01T22:00:00Z'), NY, DEFAULT_SCHEDULE);
    expect(iso(sunday[0].dueAt)).toBe('2026-10-31T15:00:00.000Z');
    // Spring forward: Sunday 8 March 2026; Saturday 11:00 EST, Sunday 08:00 EDT.
    const march = ruleTimes(new Date('2026-03-08T21:00:00Z'), NY, DEFAULT_SCHEDULE);
    expect(march.map((t) => iso(t.dueAt))).toEqual(['2026-03-07T16:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-03-08T20:30:00.000Z']);
  });

  describe('the morning-of reminder of an early event', () => {
    // Thursday 10 December 2026 in Chicago (CST, UTC-6); the default schedule.
    const at = (hhmm: string) => DateTime.fromISO(`2026-12-10T${hhmm}`, { zone: 'America/Chicago' }).toJSDate();
    const local = (d: Date) => DateTime.fromJSDate(d, { zone: 'America/Chicago' }).toFormat('yyyy-MM-dd HH:mm');
    const morningOf = (hhmm: string) => ruleTimes(at(hhmm), 'America/Chicago', DEFAULT_SCHEDULE)[1];

    it.each(['07:30', '08:30', '09:59'])('goes the evening before at 19:00 for an event at %s, outside the quiet hours', (start) => {
      const t = morningOf(start);
      expect(local(t.dueAt)).toBe('2026-12-09 19:00');
      expect(t.quiet).toBe(false);
    });

    it('stays at 08:00 on the day for an event at 10:00, two hours ahead', () => {
      const t = morningOf('10:00');
      expect(local(t.dueAt)).toBe('2026-12-10 08:00');
      expect(t.quiet).toBe(false);
    });

    it('never falls in the quiet hours nor after the start, whatever the start between 00:00 and 23:59', () => {
      for (let minutes = 0; minutes < 24 * 60; minutes += 1) {
        const start = DateTime.fromObject({ year: 2026, month: 12, day: 10, hour: 0 }, { zone: 'America/Chicago' }).plus({ minutes });
        const t = ruleTimes(start.toJSDate(), 'America/Chicago', DEFAULT_SCHEDULE)[1];
        expect(t.quiet).toBe(false);
        expect(start.toMillis() - t.dueAt.getTime()).toBeGreaterThanOrEqual(MORNING_LEAD_MINUTES * 60_000);
      }
    });

    it('uses the evening before in the zone across a daylight-saving change (Sunday 8 March 2026, 07:30 EDT)', () => {
      const times = ruleTimes(new Date('2026-03-08T11:30:00Z'), NY, DEFAULT_SCHEDULE);
      // Saturday 19:00 was still EST (UTC-5).
      expect(iso(times[1].dueAt)).toBe('2026-03-08T00:00:00.000Z');
    });
  });

  it('sends change notices at once, unless it is night and the event is more than 12 hours away', () => {
    const start = new Date('2026-11-20T22:00:00Z'); // Friday 17:00 EST
    expect(noticeTime(new Date('2026-11-18T15:00:00Z'), start, NY)).toEqual(new Date('2026-11-18T15:00:00Z'));
    // 23:30 local on Wednesday: wait until Thursday 08:00.
    expect(iso(noticeTime(new Date('2026-11-19T04:30:00Z'), start, NY))).toBe('2026-11-19T13:00:00.000Z');
    // 06:00 local on the day, 11 hours before: urgent, at once.
    expect(noticeTime(new Date('2026-11-20T11:00:00Z'), start, NY)).toEqual(new Date('2026-11-20T11:00:00Z'));
  });

  it('knows IANA zones', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('EST5EDT')).toBe(true);
  });
});
