import { AppError } from '@app/core';
import { PasswordService } from './password.service';

describe('PasswordService', () => {
  const service = new PasswordService({ argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 } } as never);

  const reasons = (password: string, email?: string): string[] => {
    try {
      service.assertAcceptable(password, { email });
      return [];
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('WEAK_PASSWORD');
      return ((e as AppError).details as { fields: { password: string[] } }).fields.password;
    }
  };

  it('accepts a long uncommon passphrase', () => {
    expect(reasons('tres tristes tigres 1984')).toEqual([]);
  });

  it('refuses short, common (any case), repeated and e-mail passwords', () => {
    expect(reasons('Tiny-Pw9')).toEqual([expect.stringMatching(/at least 12/)]);
    expect(reasons('Qwerty123456')).toEqual([expect.stringMatching(/most common/)]);
    expect(reasons('zzzzzzzzzzzzzz')).toEqual([expect.stringMatching(/repeat one character/)]);
    expect(reasons('maria.lopez.2026@example.org', 'Maria.Lopez.2026@example.org')).toEqual([expect.stringMatching(/e-mail/)]);
    expect(reasons('x'.repeat(300))).toContainEqual(expect.stringMatching(/at most 256/));
  });

  it('hashes with argon2id at OWASP parameters and verifies', async () => {
    const hash = await service.hash('tres tristes tigres 1984');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    await expect(service.verify(hash, 'tres tristes tigres 1984')).resolves.toBe(true);
    await expect(service.verify(hash, 'tres tristes tigres 1985')).resolves.toBe(false);
    await expect(service.verify('not a hash', 'anything')).resolves.toBe(false);
    expect(service.needsRehash(hash)).toBe(false);
  });
});
