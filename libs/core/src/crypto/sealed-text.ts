import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key of a key ring, named so that a sealed value says which key sealed it. */
export interface SealingKey {
  id: string;
  secret: Buffer;
}

/** Why a value could not be opened. The message never contains the value or a key. */
export type SealedTextFailure = 'malformed' | 'unknown_key' | 'not_authentic';

export class SealedTextError extends Error {
  constructor(
    readonly reason: SealedTextFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SealedTextError';
  }
}

export const SEALING_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64 = '[A-Za-z0-9+/]*={0,2}';
const SEALED = new RegExp(`^${VERSION}:([A-Za-z0-9_-]{1,32}):(${B64}):(${B64}):(${B64})$`);

/**
 * Seals short texts with AES-256-GCM for storage: `v1:<keyId>:<iv>:<ciphertext>:<tag>` (base64),
 * a random 96-bit IV each time. The caller names a context (e.g. `visits.note:<visit id>`) that
 * is authenticated with the text, so a value copied to another row does not open there.
 *
 * The first key of the ring seals; every key opens, which is what lets keys be rotated: add the
 * new key first, re-seal, then drop the old one.
 */
export class SealedText {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(ring: readonly SealingKey[]) {
    if (ring.length === 0) throw new Error('A sealing key ring needs at least one key');
    for (const { id, secret } of ring) {
      if (!SEALING_KEY_ID.test(id)) throw new Error(`Sealing key id "${id}" must be 1 to 32 letters, digits, "_" or "-"`);
      if (secret.length !== 32) throw new Error(`Sealing key "${id}" must be 32 bytes`);
      if (this.keys.has(id)) throw new Error(`Sealing key id "${id}" appears twice`);
      this.keys.set(id, secret);
    }
    this.currentKeyId = ring[0].id;
  }

  /** Whether a stored value has the sealed form (says nothing about whether it opens). */
  static isSealed(value: string): boolean {
    return SEALED.test(value);
  }

  /** The id of the key a stored value was sealed with, or null if it is not in the sealed form. */
  static keyIdOf(value: string): string | null {
    return SEALED.exec(value)?.[1] ?? null;
  }

  seal(plain: string, context: string): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(keyId, context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, keyId, iv.toString('base64'), body.toString('base64'), cipher.getAuthTag().toString('base64')].join(':');
  }

  /** Opens a value sealed for this context; throws a SealedTextError if it cannot be trusted. */
  open(sealed: string, context: string): string {
    const parts = SEALED.exec(sealed);
    if (!parts) throw new SealedTextError('malformed', 'The value is not in the sealed form (v1:<key>:<iv>:<ciphertext>:<tag>)');
    const [, keyId, ivText, bodyText, tagText] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new SealedTextError('unknown_key', `The value was sealed with key "${keyId}", which is not configured`);
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new SealedTextError('malformed', 'The value has an IV or an authentication tag of the wrong length');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(keyId, context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedTextError('not_authentic', 'The value does not authenticate: it was altered, or it belongs to another row');
    }
  }

  /** Whether a stored value should be sealed again under the current key. */
  needsReseal(sealed: string): boolean {
    return SealedText.keyIdOf(sealed) !== this.currentKeyId;
  }
}

/** The format's version and the key id are authenticated too, so neither can be relabelled. */
function aad(keyId: string, context: string): Buffer {
  return Buffer.from(`porchlight:${VERSION}:${keyId}:${context}`, 'utf8');
}
