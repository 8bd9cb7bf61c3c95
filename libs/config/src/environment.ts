import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

/** Signs access tokens on development machines only; production refuses to start with it. */
export const DEVELOPMENT_JWT_SECRET = 'porchlight-development-secret-do-not-use-in-production';

/** Seals visit notes on development machines only; production refuses to start with it. */
export const DEVELOPMENT_NOTES_KEYS = 'dev:uy8qGexqZ/mvdc1oOE31Smm8vKs7g4cTce0zG9uVUuc=';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off', ''].includes(v)) return false;
  return value;
};

/**
 * Every setting the product reads, with its default. Defaults point at a local
 * PostgreSQL and Redis so that a developer machine needs nothing set.
 */
export class Environment {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @Matches(/^https?:\/\/[^\s/]+(:\d+)?(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  /** The built web app (`vite build`), served at `/`; relative paths are taken from the working directory. */
  @IsString()
  WEB_DIR = 'dist/web';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/porchlight';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9:_-]{1,40}$/, { message: 'must be 1 to 40 letters, digits, ":", "_" or "-"' })
  REDIS_KEY_PREFIX = 'porchlight';

  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_ACCESS_SECRET = DEVELOPMENT_JWT_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(90 * 24 * 3600)
  JWT_REFRESH_TTL_SECONDS = 30 * 24 * 3600;

  @IsIn(['open', 'code'])
  SIGNUP_MODE: 'open' | 'code' = 'open';

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'must be at least 8 characters' })
  SIGNUP_CODE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90 * 24)
  INVITE_TTL_HOURS = 7 * 24;

  @IsString()
  CORS_ORIGINS = '';

  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  BODY_LIMIT_BYTES = 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  IMPORT_MAX_BYTES = 50 * 1024 * 1024;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /**
   * Each sync that stores records asks the worker to bring the coverage figures up to date at
   * once; `false` leaves that to the worker's own catch-up timer (every 5 seconds).
   */
  @Transform(toBool)
  @IsBoolean()
  COVERAGE_REFRESH_ON_SYNC = true;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_LIMIT_PER_ACCOUNT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  LOGIN_LIMIT_PER_IP = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 3600)
  LOGIN_LIMIT_WINDOW_SECONDS = 15 * 60;

  /**
   * Requests a minute from one address to each route anyone may call without signing in and that
   * no other limit covers (trading a refresh token, public event pages, RSVP links, calendars).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  PUBLIC_LIMIT_PER_MINUTE = 300;

  @Transform(toInt)
  @IsInt()
  @Min(19_456)
  @Max(1_048_576)
  ARGON2_MEMORY_KIB = 19_456;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(20)
  ARGON2_TIME_COST = 2;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  ARGON2_PARALLELISM = 1;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  SESSION_RETENTION_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(7 * 24 * 3600)
  SESSION_CLEANUP_EVERY_SECONDS = 3600;

  /** Where e-mail goes out; empty leaves the e-mail channel unconfigured. */
  @ValidateIf((o: Environment) => o.SMTP_URL !== '')
  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = '';

  @IsString()
  MAIL_FROM = 'Porchlight <no-reply@localhost>';

  /** The SMS provider's REST base URL; empty leaves the SMS channel unconfigured. */
  @ValidateIf((o: Environment) => o.SMS_API_URL !== '')
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL' })
  SMS_API_URL = '';

  @IsString()
  SMS_ACCOUNT_ID = '';

  @IsString()
  SMS_AUTH_TOKEN = '';

  @ValidateIf((o: Environment) => o.SMS_FROM !== '')
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be a phone number in E.164 form, e.g. +14045550100' })
  SMS_FROM = '';

  /** How often the worker re-creates reminder jobs that Redis no longer has. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  REMINDER_SWEEP_EVERY_SECONDS = 60;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(20)
  REMINDER_MAX_ATTEMPTS = 6;

  /** A claim this old belongs to a worker that stopped mid-send: the reminder is sent again. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  REMINDER_STALE_CLAIM_SECONDS = 120;

  /** First retry delay; each further retry waits twice as long. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  REMINDER_BACKOFF_MS = 30_000;

  /**
   * The keys that seal visit notes, `keyId:base64-of-32-bytes`, comma-separated: the first seals,
   * the others only open (kept while `rotate-notes-key` re-seals what they sealed).
   */
  @IsString()
  NOTES_ENCRYPTION_KEYS = DEVELOPMENT_NOTES_KEYS;
}

/** What to tell a person who set a variable wrong. */
const HINTS: Partial<Record<keyof Environment, string>> = {
  NODE_ENV: 'use development, test or production',
  PORT: 'a TCP port such as 3000',
  PUBLIC_URL: 'the address people open, e.g. https://canvass.example.org',
  DATABASE_URL: 'e.g. postgres://postgres@127.0.0.1:5432/porchlight',
  REDIS_URL: 'e.g. redis://127.0.0.1:6379',
  JWT_ACCESS_SECRET: "generate one with: node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\"",
  SIGNUP_MODE: 'open lets anyone create an organization; code requires SIGNUP_CODE',
  SIGNUP_CODE: 'set a code of 8 characters or more and share it with the groups you host',
  CORS_ORIGINS: 'a comma-separated list of origins, e.g. https://app.example.org',
  TRUST_PROXY: 'true only behind a reverse proxy that sets X-Forwarded-For',
  COVERAGE_REFRESH_ON_SYNC: 'true or false',
  ARGON2_MEMORY_KIB: 'OWASP asks for at least 19456 (19 MiB)',
  SMTP_URL: 'e.g. smtp://user:password@mail.example.org:587, or leave empty to send no e-mail',
  SMS_API_URL: "the provider's REST base URL, e.g. https://api.twilio.com, or leave empty to send no SMS",
  NOTES_ENCRYPTION_KEYS:
    "keyId:base64 pairs, comma-separated, the sealing key first; make a key with: node -e \"console.log('k1:' + require('crypto').randomBytes(32).toString('base64'))\"",
};

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Porchlight cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and checks the environment; throws a ConfigurationError listing every problem at once. */
export function parseEnvironment(raw: NodeJS.ProcessEnv = process.env): Environment {
  const known = Object.keys(new Environment());
  const input: Record<string, unknown> = {};
  for (const key of known.concat('SIGNUP_CODE')) {
    const value = raw[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const env = plainToInstance(Environment, input);
  const problems: string[] = [];
  for (const error of validateSync(env, { skipMissingProperties: false })) {
    const key = error.property as keyof Environment;
    const reasons = Object.values(error.constraints ?? {}).join('; ');
    const shown = ['JWT_ACCESS_SECRET', 'SIGNUP_CODE', 'SMS_AUTH_TOKEN', 'SMTP_URL', 'NOTES_ENCRYPTION_KEYS'].includes(key)
      ? '(hidden)'
      : JSON.stringify(raw[key]);
    const hint = HINTS[key] ? ` (${HINTS[key]})` : '';
    problems.push(`${key}=${shown}: ${reasons}${hint}`);
  }
  if (env.NODE_ENV === 'production' && env.JWT_ACCESS_SECRET === DEVELOPMENT_JWT_SECRET) {
    problems.push(`JWT_ACCESS_SECRET: production refuses the development secret (${HINTS.JWT_ACCESS_SECRET})`);
  }
  const notesKeys = parseNotesKeys(env.NOTES_ENCRYPTION_KEYS);
  for (const problem of notesKeys.problems) problems.push(`NOTES_ENCRYPTION_KEYS: ${problem} (${HINTS.NOTES_ENCRYPTION_KEYS})`);
  const developmentKey = parseNotesKeys(DEVELOPMENT_NOTES_KEYS).keys[0].secret;
  if (env.NODE_ENV === 'production' && notesKeys.keys.some((k) => k.secret.equals(developmentKey))) {
    problems.push(`NOTES_ENCRYPTION_KEYS: production refuses the development key (${HINTS.NOTES_ENCRYPTION_KEYS})`);
  }
  if (env.SIGNUP_MODE === 'code' && !env.SIGNUP_CODE) {
    problems.push(`SIGNUP_CODE: required when SIGNUP_MODE=code (${HINTS.SIGNUP_CODE})`);
  }
  if (env.SMS_API_URL !== '' && (!env.SMS_ACCOUNT_ID || !env.SMS_AUTH_TOKEN || !env.SMS_FROM)) {
    problems.push('SMS_API_URL: SMS also needs SMS_ACCOUNT_ID, SMS_AUTH_TOKEN and SMS_FROM');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return env;
}

/** One key of NOTES_ENCRYPTION_KEYS. */
export interface NotesKey {
  id: string;
  secret: Buffer;
}

/** Reads `keyId:base64,...`; the problems never quote a key. */
export function parseNotesKeys(spec: string): { keys: NotesKey[]; problems: string[] } {
  const keys: NotesKey[] = [];
  const problems: string[] = [];
  const entries = spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push('needs at least one key');
  entries.forEach((entry, i) => {
    const at = entry.indexOf(':');
    const id = at > 0 ? entry.slice(0, at) : '';
    const material = at > 0 ? entry.slice(at + 1) : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      problems.push(`key ${i + 1} must start with an id of 1 to 32 letters, digits, "_" or "-", then ":"`);
      return;
    }
    const secret = Buffer.from(material, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(material) || secret.length !== 32) {
      problems.push(`key "${id}" must be 32 bytes in base64 (44 characters)`);
      return;
    }
    if (keys.some((k) => k.id === id)) problems.push(`key id "${id}" appears twice`);
    else keys.push({ id, secret });
  });
  return { keys, problems };
}
