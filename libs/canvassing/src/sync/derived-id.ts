import { createHash } from 'node:crypto';

/**
 * A name-based (version 5, RFC 9562) UUID: the same record id and door always give the same
 * visit id, so a "nobody home" record for six units sent twice stores six visits once.
 */
export function derivedVisitId(recordId: string, doorId: string): string {
  const namespace = Buffer.from(recordId.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(doorId.toLowerCase()).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
