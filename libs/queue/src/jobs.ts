/** Queue names. One queue per kind of work, so that a slow kind cannot starve another. */
export const QUEUE = {
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/** The payload of every job, by job name. */
export interface JobPayloads {
  'session-cleanup': { requestedAt: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: { [N in JobName]: QueueName } = {
  'session-cleanup': QUEUE.maintenance,
};
