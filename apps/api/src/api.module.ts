import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from '@app/audit';
import { JwtAuthGuard, RolesGuard } from '@app/auth';
import { appConfig, AppConfig, authConfig, AuthConfig, ConfigModule } from '@app/config';
import { Clock } from '@app/core';
import { DatabaseModule } from '@app/database';
import { OrganizationsModule } from '@app/organizations';
import { REDIS_CLIENT, RedisModule } from '@app/queue';
import { TurfModule } from '@app/turf';
import { CanvassingModule } from '@app/canvassing';
import { Channels, EventsModule } from '@app/events';
import { CoverageModule } from '@app/coverage';
import { accountTracker, THROTTLE_ACCOUNT, THROTTLE_IP } from './auth/rate-limits';
import { AuthController } from './auth/auth.controller';
import { JwtStrategy } from './auth/jwt.strategy';
import { LocalStrategy } from './auth/local.strategy';
import { PasswordResetMailer } from './auth/password-reset-mailer';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { pathForLog } from './common/log-path';
import { requestIdFor } from './common/request-id';
import { CoverageController } from './canvassing/coverage.controller';
import { FieldController } from './canvassing/field.controller';
import { MaterialsController } from './canvassing/materials.controller';
import { SyncController } from './canvassing/sync.controller';
import { EventsController } from './events/events.controller';
import { PublicEventsController } from './events/public-events.controller';
import { HealthController } from './health/health.controller';
import { AuditController } from './organizations/audit.controller';
import { InvitesController } from './organizations/invites.controller';
import { MeController } from './organizations/me.controller';
import { MembersController } from './organizations/members.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { CampaignsController } from './turf/campaigns.controller';
import { DoorsController } from './turf/doors.controller';
import { ImportsController } from './turf/imports.controller';
import { TurfsController } from './turf/turfs.controller';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: AppConfig) => ({
        pinoHttp: {
          level: app.logLevel,
          genReqId: (req) => requestIdFor(req),
          // Never request or response bodies, headers, query strings, link tokens or client addresses.
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, path: pathForLog(req.url) }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: { paths: ['req.headers', 'res.headers', 'body', 'password', 'token', 'refreshToken'], remove: true },
          customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          autoLogging: { ignore: (req) => pathForLog(req.url).startsWith('/health') },
        },
      }),
    }),
    DatabaseModule,
    RedisModule,
    TerminusModule.forRoot({ logger: false }),
    PassportModule,
    ThrottlerModule.forRootAsync({
      imports: [RedisModule],
      inject: [authConfig.KEY, REDIS_CLIENT],
      useFactory: (auth: AuthConfig, redis: Redis) => ({
        throttlers: [
          { name: THROTTLE_IP, ttl: auth.loginLimitWindowSeconds * 1000, limit: auth.loginLimitPerIp },
          {
            name: THROTTLE_ACCOUNT,
            ttl: auth.loginLimitWindowSeconds * 1000,
            limit: auth.loginLimitPerAccount,
            getTracker: accountTracker,
          },
        ],
        storage: new ThrottlerStorageRedisService(redis),
      }),
    }),
    AuditModule,
    OrganizationsModule,
    TurfModule,
    CanvassingModule,
    EventsModule,
    CoverageModule,
  ],
  controllers: [
    HealthController,
    AuthController,
    MeController,
    OrganizationsController,
    InvitesController,
    MembersController,
    AuditController,
    CampaignsController,
    ImportsController,
    DoorsController,
    TurfsController,
    MaterialsController,
    SyncController,
    FieldController,
    EventsController,
    CoverageController,
    PublicEventsController,
  ],
  providers: [
    Clock,
    JwtStrategy,
    LocalStrategy,
    Channels,
    PasswordResetMailer,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
  ],
})
export class ApiModule {}
