import { ConfigurationError, DEVELOPMENT_JWT_SECRET, DEVELOPMENT_NOTES_KEYS, parseEnvironment, parseNotesKeys } from './environment';

const NOTES_KEY = `k1:${'A'.repeat(43)}=`;

describe('parseEnvironment', () => {
  it('needs nothing set on a developer machine: defaults point at local PostgreSQL and Redis', () => {
    const env = parseEnvironment({});
    expect(env.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/porchlight');
    expect(env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(env.PORT).toBe(3000);
    expect(env.JWT_ACCESS_TTL_SECONDS).toBe(900);
    expect(env.INVITE_TTL_HOURS).toBe(168);
    expect(env.ARGON2_MEMORY_KIB).toBeGreaterThanOrEqual(19_456);
  });

  it('converts numbers and booleans from their text', () => {
    const env = parseEnvironment({ PORT: '8080', TRUST_PROXY: 'true', BODY_LIMIT_BYTES: '2048', COVERAGE_REFRESH_ON_SYNC: 'false' });
    expect(env).toMatchObject({ PORT: 8080, TRUST_PROXY: true, BODY_LIMIT_BYTES: 2048, COVERAGE_REFRESH_ON_SYNC: false });
    expect(parseEnvironment({}).COVERAGE_REFRESH_ON_SYNC).toBe(true);
  });

  it('lists every wrong value at once, with a hint, and hides secrets', () => {
    let error: unknown;
    try {
      parseEnvironment({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'localhost',
        JWT_ACCESS_SECRET: 'short-secret',
        ARGON2_MEMORY_KIB: '1024',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems.map((p) => p.split('=')[0].split(':')[0]).sort()).toEqual([
      'ARGON2_MEMORY_KIB',
      'DATABASE_URL',
      'JWT_ACCESS_SECRET',
      'PORT',
      'REDIS_URL',
    ]);
    expect(problems.find((p) => p.startsWith('DATABASE_URL'))).toContain('e.g. postgres://');
    expect(problems.find((p) => p.startsWith('ARGON2_MEMORY_KIB'))).toContain('OWASP');
    expect((error as Error).message).not.toContain('short-secret');
  });

  it('refuses the development JWT secret in production, and accepts a real one', () => {
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow(/production refuses the development secret/);
    expect(() => parseEnvironment({ NODE_ENV: 'production', JWT_ACCESS_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(ConfigurationError);
    expect(parseEnvironment({ NODE_ENV: 'production', JWT_ACCESS_SECRET: 'x'.repeat(48), NOTES_ENCRYPTION_KEYS: NOTES_KEY }).NODE_ENV).toBe(
      'production',
    );
  });

  it('refuses the development notes key in production, even as an old key, and accepts real ones', () => {
    const production = { NODE_ENV: 'production', JWT_ACCESS_SECRET: 'x'.repeat(48) };
    expect(() => parseEnvironment(production)).toThrow(/NOTES_ENCRYPTION_KEYS: production refuses the development key/);
    expect(() => parseEnvironment({ ...production, NOTES_ENCRYPTION_KEYS: `${NOTES_KEY},${DEVELOPMENT_NOTES_KEYS}` })).toThrow(
      /production refuses the development key/,
    );
    expect(
      parseEnvironment({ ...production, NOTES_ENCRYPTION_KEYS: `${NOTES_KEY}, k0:${'B'.repeat(43)}=` }).NOTES_ENCRYPTION_KEYS,
    ).toContain('k1:');
    expect(parseNotesKeys(`${NOTES_KEY}, k0:${'B'.repeat(43)}=`).keys.map((k) => k.id)).toEqual(['k1', 'k0']);
  });

  it('checks each notes key and never quotes one', () => {
    const secret = 'A'.repeat(43) + '=';
    let error: unknown;
    try {
      parseEnvironment({ NOTES_ENCRYPTION_KEYS: `k1:${secret},k1:${secret},short:${'C'.repeat(20)},:${secret},nocolon` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.filter((p) => p.startsWith('NOTES_ENCRYPTION_KEYS'));
    expect(problems.map((p) => p.split(' (')[0])).toEqual([
      'NOTES_ENCRYPTION_KEYS: key id "k1" appears twice',
      'NOTES_ENCRYPTION_KEYS: key "short" must be 32 bytes in base64',
      'NOTES_ENCRYPTION_KEYS: key 4 must start with an id of 1 to 32 letters, digits, "_" or "-", then ":"',
      'NOTES_ENCRYPTION_KEYS: key 5 must start with an id of 1 to 32 letters, digits, "_" or "-", then ":"',
    ]);
    expect((error as Error).message).not.toContain(secret);
    expect((error as Error).message).not.toContain('C'.repeat(20));
  });

  it('requires a sign-up code when sign-up is by code', () => {
    expect(() => parseEnvironment({ SIGNUP_MODE: 'code' })).toThrow(/SIGNUP_CODE: required/);
    expect(parseEnvironment({ SIGNUP_MODE: 'code', SIGNUP_CODE: 'coalition-2026' }).SIGNUP_CODE).toBe('coalition-2026');
  });
});
