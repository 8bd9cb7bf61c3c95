import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigurationError } from '@app/config';
import { closeOnSignals } from '@app/core';
import { WorkerModule } from './worker.module';

/** The worker: BullMQ processors and schedules, no HTTP. SIGTERM closes workers, queues and the pool. */
async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, (m) => app.get(Logger).log(m));
  await app.init();
  app.get(Logger).log('Porchlight worker started');
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigurationError
      ? err.message
      : `Porchlight worker failed to start: ${String(err instanceof Error ? err.stack : err)}`,
  );
  process.exit(1);
});
