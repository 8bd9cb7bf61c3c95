import { createHash, randomBytes } from 'node:crypto';

/** A high-entropy opaque token: 32 random bytes. Only its SHA-256 is stored. */
export function newOpaqueToken(prefix: 'rt' | 'inv' | 'pr'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
