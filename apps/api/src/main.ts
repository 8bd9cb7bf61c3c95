import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { appConfig, AppConfig, ConfigurationError } from '@app/config';
import { closeOnSignals } from '@app/core';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const app = await createApiApp();
  const config = app.get<AppConfig>(appConfig.KEY);
  closeOnSignals(app, (m) => app.get(Logger).log(m));
  await app.listen({ port: config.port, host: config.host });
  app.get(Logger).log(`Porchlight API listening on ${config.publicUrl} (docs at ${config.publicUrl}/docs)`);
}

main().catch((err: unknown) => {
  console.error(
    err instanceof ConfigurationError ? err.message : `Porchlight API failed to start: ${String(err instanceof Error ? err.stack : err)}`,
  );
  process.exit(1);
});
