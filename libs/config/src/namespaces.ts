import { ConfigType, registerAs } from '@nestjs/config';
import { parseEnvironment } from './environment';

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
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
export type DatabaseConfig = ConfigType<typeof databaseConfig>;
export type RedisConfig = ConfigType<typeof redisConfig>;
export type AuthConfig = ConfigType<typeof authConfig>;
