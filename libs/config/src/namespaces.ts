import { createHmac } from 'node:crypto';
import { ConfigType, registerAs } from '@nestjs/config';
import { parseEnvironment, parseNotesKeys } from './environment';

export const appConfig = registerAs('app', () => {
  const env = parseEnvironment();
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    importMaxBytes: env.IMPORT_MAX_BYTES,
    logLevel: env.LOG_LEVEL,
    webDir: env.WEB_DIR,
    /** Whether a sync that stored records asks the worker for a coverage refresh (else the worker's timer catches up). */
    coverageRefreshOnSync: env.COVERAGE_REFRESH_ON_SYNC,
  };
});

export const databaseConfig = registerAs('database', () => {
  const env = parseEnvironment();
  return { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
});

export const redisConfig = registerAs('redis', () => {
  const env = parseEnvironment();
  return { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX };
});

export const authConfig = registerAs('auth', () => {
  const env = parseEnvironment();
  return {
    accessSecret: env.JWT_ACCESS_SECRET,
    accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
    refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
    signupMode: env.SIGNUP_MODE,
    signupCode: env.SIGNUP_CODE,
    inviteTtlHours: env.INVITE_TTL_HOURS,
    sessionRetentionDays: env.SESSION_RETENTION_DAYS,
    sessionCleanupEverySeconds: env.SESSION_CLEANUP_EVERY_SECONDS,
    loginLimitPerAccount: env.LOGIN_LIMIT_PER_ACCOUNT,
    loginLimitPerIp: env.LOGIN_LIMIT_PER_IP,
    loginLimitWindowSeconds: env.LOGIN_LIMIT_WINDOW_SECONDS,
    publicLimitPerMinute: env.PUBLIC_LIMIT_PER_MINUTE,
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
  };
});

export const messagingConfig = registerAs('messaging', () => {
  const env = parseEnvironment();
  return {
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM,
    sms: env.SMS_API_URL
      ? { apiUrl: env.SMS_API_URL.replace(/\/+$/, ''), accountId: env.SMS_ACCOUNT_ID, authToken: env.SMS_AUTH_TOKEN, from: env.SMS_FROM }
      : null,
    sweepEverySeconds: env.REMINDER_SWEEP_EVERY_SECONDS,
    maxAttempts: env.REMINDER_MAX_ATTEMPTS,
    backoffMs: env.REMINDER_BACKOFF_MS,
    staleClaimSeconds: env.REMINDER_STALE_CLAIM_SECONDS,
    /** Signs the cancel and calendar links in messages; derived, so that it changes with the access-token secret. */
    linkKey: createHmac('sha256', env.JWT_ACCESS_SECRET).update('porchlight-message-links').digest(),
  };
});

/** The keys that seal visit notes: the first seals, every one opens. */
export const notesConfig = registerAs('notes', () => {
  const env = parseEnvironment();
  return { keys: parseNotesKeys(env.NOTES_ENCRYPTION_KEYS).keys };
});

export type MessagingConfig = ConfigType<typeof messagingConfig>;
export type NotesConfig = ConfigType<typeof notesConfig>;
export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
