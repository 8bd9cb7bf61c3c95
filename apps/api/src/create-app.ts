import helmet from '@fastify/helmet';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { appConfig, AppConfig, parseEnvironment } from '@app/config';
import { ApiModule } from './api.module';
import { requestIdFor } from './common/request-id';
import { registerJsonBody } from './common/json-body';
import { registerNoStore } from './common/no-store';
import { TileOrigins } from './common/tile-origins';
import { createValidationPipe } from './common/validation';
import { registerFileUploads } from './turf/file-upload';
import { mountOpenApi } from './openapi';
import { mountWebApp } from './web-app';

export function createAdapter(): FastifyAdapter {
  const env = parseEnvironment();
  return new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: env.TRUST_PROXY,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    // Poisoned prototypes are refused by the parser before any handler sees them (deep JSON too, see json-body.ts).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
}

/** Everything that happens to the app after it is created, for `main.ts` and the tests alike. */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  registerFileUploads(fastify, config.importMaxBytes);
  registerJsonBody(app);
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  registerNoStore(fastify);

  const tiles = new TileOrigins(app.get(DataSource));
  await tiles.start();
  fastify.addHook('onClose', (_instance, done) => {
    tiles.stop();
    done();
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        // The app itself, and the tile servers organizations configured (see docs/security.md, M3): no other image source.
        imgSrc: [`'self'`, 'data:', 'blob:', () => tiles.directive],
        scriptSrc: [`'self'`],
      },
    },
  });
  if (config.corsOrigins.length > 0) app.enableCors({ origin: config.corsOrigins, credentials: false, maxAge: 600 });
  mountOpenApi(app);
  await mountWebApp(app, config.webDir);
  return app;
}

export async function createApiApp(): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, createAdapter(), { bufferLogs: true });
  return configureApp(app);
}
