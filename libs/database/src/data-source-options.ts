import { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { SafeQueryLogger } from './query-logger';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationList = MixedList<Function | string>;

export const MIGRATIONS_TABLE = 'schema_migrations';

/** The one place that says how Porchlight talks to PostgreSQL. `synchronize` is never on. */
export function buildDataSourceOptions(opts: {
  url: string;
  poolSize: number;
  applicationName: string;
  entities?: EntityList;
  migrations?: MigrationList;
}): DataSourceOptions {
  return {
    type: 'postgres',
    url: opts.url,
    entities: opts.entities ?? [],
    migrations: opts.migrations ?? [],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; no uuid-ossp needed.
    uuidExtension: 'pgcrypto',
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error', 'warn', 'migration'],
    logger: new SafeQueryLogger(['error', 'warn', 'migration']),
    maxQueryExecutionTime: 1000,
    extra: {
      max: opts.poolSize,
      application_name: opts.applicationName,
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
    },
  };
}
