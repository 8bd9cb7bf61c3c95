import { randomUUID } from 'node:crypto';
import { batchJobIdFor, jobIdFor, jobsFor, REMINDERS_PER_JOB } from './reminders.service';

describe('jobsFor', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 16) + ms);

  it('puts reminders due at one instant together, sorted by id, up to a job', () => {
    const burst = Array.from({ length: REMINDERS_PER_JOB + 3 }, () => ({ id: randomUUID(), dueAt: at(0) }));
    const jobs = jobsFor(burst);
    expect(jobs.map((j) => j.length)).toEqual([REMINDERS_PER_JOB, 3]);
    const ids = jobs.flat().map((r) => r.id);
    expect(ids).toEqual([...burst.map((r) => r.id)].sort());
  });

  it('makes the same jobs, with the same ids, from the same reminders in any order', () => {
    const burst = Array.from({ length: 12 }, () => ({ id: randomUUID(), dueAt: at(0) }));
    const once = jobsFor(burst).map(batchJobIdFor);
    const again = jobsFor([...burst].reverse()).map(batchJobIdFor);
    expect(again).toEqual(once);
  });

  it('keeps apart reminders of different instants, a millisecond apart too, and those freed from a dead worker', () => {
    const a = { id: randomUUID(), dueAt: at(0) };
    const b = { id: randomUUID(), dueAt: at(1) };
    const freed = { id: randomUUID(), dueAt: at(0), retry: 2 };
    const jobs = jobsFor([a, b, freed]);
    expect(jobs).toHaveLength(3);
    expect(jobs.every((j) => j.length === 1)).toBe(true);
    expect(jobIdFor(freed)).toMatch(/-retry2$/);
  });
});
