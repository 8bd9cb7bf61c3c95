/**
 * True when a Redis command failed because Redis cannot be reached: ioredis gave up on the
 * command while reconnecting (`maxRetriesPerRequest`), or the connection is closed. The request
 * may be retried once Redis is back.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'MaxRetriesPerRequestError') return true;
  return /^Connection is closed\.?$|Stream isn't writeable and enableOfflineQueue options is false/.test(err.message);
}
