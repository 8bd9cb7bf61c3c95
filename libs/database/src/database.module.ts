import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseConfig, DatabaseConfig } from '@app/config';
import { buildDataSourceOptions } from './data-source-options';

/** The TypeORM connection of an app; entities come from the context modules' `forFeature`. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (db: DatabaseConfig) => ({
        ...buildDataSourceOptions({ url: db.url, poolSize: db.poolSize, applicationName: 'porchlight' }),
        autoLoadEntities: true,
        // Fail fast at start-up; the orchestrator restarts us. Retrying for minutes hides a wrong DATABASE_URL.
        retryAttempts: 2,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
