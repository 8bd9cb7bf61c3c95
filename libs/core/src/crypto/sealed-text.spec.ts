import { randomBytes } from 'node:crypto';
import { SealedText, SealedTextError } from './sealed-text';

const key = (id: string) => ({ id, secret: randomBytes(32) });

describe('SealedText', () => {
  const k1 = key('k1');
  const k2 = key('k2');

  it('seals to v1:<key>:<iv>:<ciphertext>:<tag> with a fresh IV each time, and opens what it sealed', () => {
    const sealed = new SealedText([k1]);
    const a = sealed.seal('Perro en el patio; volver el martes', 'visits.note:a');
    const b = sealed.seal('Perro en el patio; volver el martes', 'visits.note:a');
    expect(a).toMatch(/^v1:k1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]+={0,2}:[A-Za-z0-9+/]{22}==$/);
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(a).not.toContain('Perro');
    expect(sealed.open(a, 'visits.note:a')).toBe('Perro en el patio; volver el martes');
    expect(sealed.open(sealed.seal('', 'c'), 'c')).toBe('');
    expect(sealed.open(sealed.seal('😀'.repeat(500), 'c'), 'c')).toBe('😀'.repeat(500));
  });

  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof SealedTextError ? err.reason : `other: ${String(err)}`;
    }
    return 'opened';
  };

  it('refuses a value altered anywhere, or opened in another context, with a reason and no plain text', () => {
    const sealed = new SealedText([k1]);
    const value = sealed.seal('ask for the hotline card', 'visits.note:a');
    const [v, id, iv, body, tag] = value.split(':');
    const flip = (s: string) => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect(failure(() => sealed.open(value, 'visits.note:b'))).toBe('not_authentic');
    expect(failure(() => sealed.open([v, id, flip(iv), body, tag].join(':'), 'visits.note:a'))).toBe('not_authentic');
    expect(failure(() => sealed.open([v, id, iv, flip(body), tag].join(':'), 'visits.note:a'))).toBe('not_authentic');
    expect(failure(() => sealed.open([v, id, iv, body, flip(tag)].join(':'), 'visits.note:a'))).toBe('not_authentic');
    expect(failure(() => sealed.open([v, id, iv, '', tag].join(':'), 'visits.note:a'))).toBe('not_authentic');
    expect(failure(() => sealed.open(['v2', id, iv, body, tag].join(':'), 'visits.note:a'))).toBe('malformed');
    expect(failure(() => sealed.open([v, id, iv.slice(4), body, tag].join(':'), 'visits.note:a'))).toBe('malformed');
    expect(failure(() => sealed.open('ask for the hotline card', 'visits.note:a'))).toBe('malformed');
    expect(failure(() => sealed.open(value, 'visits.note:a'))).toBe('opened');
  });

  it('seals with the first key, opens with any key of the ring, and names a missing key', () => {
    const old = new SealedText([k1]);
    const sealedOld = old.seal('note', 'ctx');
    const rotated = new SealedText([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.open(sealedOld, 'ctx')).toBe('note');
    expect(rotated.needsReseal(sealedOld)).toBe(true);
    const sealedNew = rotated.seal('note', 'ctx');
    expect(SealedText.keyIdOf(sealedNew)).toBe('k2');
    expect(rotated.needsReseal(sealedNew)).toBe(false);
    const onlyNew = new SealedText([k2]);
    expect(onlyNew.open(sealedNew, 'ctx')).toBe('note');
    expect(failure(() => onlyNew.open(sealedOld, 'ctx'))).toBe('unknown_key');
    // The key id is authenticated: relabelling a value with another configured key does not open it.
    expect(failure(() => rotated.open(sealedOld.replace('v1:k1:', 'v1:k2:'), 'ctx'))).toBe('not_authentic');
  });

  it('refuses a ring without keys, with a key of the wrong size, or with an id twice', () => {
    expect(() => new SealedText([])).toThrow(/at least one key/);
    expect(() => new SealedText([{ id: 'k1', secret: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new SealedText([k1, { id: 'k1', secret: randomBytes(32) }])).toThrow(/twice/);
    expect(() => new SealedText([{ id: 'a:b', secret: randomBytes(32) }])).toThrow(/letters, digits/);
  });
});
