/** Queue names. One queue per kind of work, so that a slow kind cannot starve another. */
export const QUEUE = {
  maintenance: 'maintenance',
  imports: 'imports',
  planning: 'planning',
  reminders: 'reminders',
  coverage: 'coverage',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** The payload of every job, by job name. */
export interface JobPayloads {
  'session-cleanup': { requestedAt: string };
  'assignments-expire': { requestedAt: string };
  'shifts-close': { requestedAt: string };
  /** Delete what each organization keeps no longer (notes, locations, supporters' contacts, finished campaigns' visits). */
  'retention-purge': { requestedAt: string };
  /** Send one reminder, if it is still due at `dueAt` (a moved event leaves stale jobs behind). */
  'reminder-send': { reminderId: string; dueAt: string };
  /** Send reminders due at the same instant, each if it is still due at its `dueAt`: one job for many (see RemindersService.enqueue). */
  'reminders-send': { reminders: { reminderId: string; dueAt: string }[] };
  /** Bring the coverage rollups up to date with the visits committed so far. */
  'coverage-refresh': { full: boolean };
  'address-import': { importId: string };
  'plan-turfs': {
    organizationId: string;
    campaignId: string;
    requestedByUserId: string;
    doorsPerTurf: number;
    walkingSpeedKmh: number;
    minutesPerDoor: number;
    save: boolean;
    replace: boolean;
    /** Only the doors inside this GeoJSON polygon (already checked). */
    area: object | null;
    /** One turf of all the free doors inside `area`, as drawn by the organizer. */
    drawn: boolean;
    /** With `drawn`: take the doors inside `area` out of the turfs that hold them first (none may be walked). */
    takeFromTurfs?: boolean;
    /** Re-plan these turfs' doors instead (merge: into one turf; split: into `parts`). */
    fromTurfIds?: string[];
    parts?: number;
    /** Move these doors (with their buildings) into this turf instead; it and the turfs they leave get new routes. */
    moveDoors?: { toTurfId: string; doorIds: string[] };
  };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE = {
  'session-cleanup': QUEUE.maintenance,
  'assignments-expire': QUEUE.maintenance,
  'shifts-close': QUEUE.maintenance,
  'retention-purge': QUEUE.maintenance,
  'reminder-send': QUEUE.reminders,
  'reminders-send': QUEUE.reminders,
  'coverage-refresh': QUEUE.coverage,
  'address-import': QUEUE.imports,
  'plan-turfs': QUEUE.planning,
} as const satisfies { [N in JobName]: QueueName };

/** The job names a queue carries, so each processor's switch can be checked for exhaustiveness. */
export type JobNameOf<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];
