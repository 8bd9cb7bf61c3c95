import { DEFAULT_SCHEDULE, isValidTimeZone, noticeTime, ruleTimes } from './reminder-times';

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

  it('moves the morning reminder to two hours before an event that starts before 10:00, and flags quiet hours', () => {
    // 09:00 in Chicago (CST, UTC-6): morning-of becomes 07:00 (quiet), 30 minutes before is 08:30.
    const times = ruleTimes(new Date('2026-12-07T15:00:00Z'), 'America/Chicago', DEFAULT_SCHEDULE);
    expect(iso(times[1].dueAt)).toBe('2026-12-07T13:00:00.000Z');
    expect(times.map((t) => t.quiet)).toEqual([false, true, false]);
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
