import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { parseEnvironment } from './environment';
import { appConfig, authConfig, databaseConfig, messagingConfig, notesConfig, redisConfig } from './namespaces';

/** The only global module: validates the whole environment once at start-up, then serves typed namespaces. */
@Global()
@Module({
  imports: [
    NestConfigModule.forRoot({
      ignoreEnvFile: true,
      cache: false,
      load: [appConfig, databaseConfig, redisConfig, authConfig, messagingConfig, notesConfig],
      validate: (raw) => {
        parseEnvironment(raw as NodeJS.ProcessEnv);
        return raw;
      },
    }),
  ],
  exports: [NestConfigModule],
})
export class ConfigModule {}
