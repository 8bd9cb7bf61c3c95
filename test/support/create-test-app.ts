import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp, createAdapter } from '../../apps/api/src/create-app';
import { assertTestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  http: () => ReturnType<typeof supertest>;
  db: DataSource;
  close: () => Promise<void>;
}

/** Boots the real ApiModule on the run's test database; `override` may replace outside edges only. */
export async function createTestApp(override?: (b: TestingModuleBuilder) => TestingModuleBuilder): Promise<TestApp> {
  assertTestDatabase(process.env.DATABASE_URL ?? '');
  let builder = Test.createTestingModule({ imports: [ApiModule] });
  if (override) builder = override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(), { bufferLogs: true });
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    http: () => supertest(app.getHttpServer()),
    db: app.get(DataSource),
    close: () => app.close(),
  };
}
