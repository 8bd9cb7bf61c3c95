import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseEnvironment } from '@app/config';
import { buildDataSourceOptions } from '@app/database';
import { MIGRATIONS } from '@app/migrations';
import { ALL_ENTITIES } from './entities';

/** The data source of the migrator, and of `npm run migration:generate`. */
export function createMigrationDataSource(url = parseEnvironment().DATABASE_URL): DataSource {
  return new DataSource(
    buildDataSourceOptions({ url, poolSize: 2, applicationName: 'porchlight-migrator', entities: ALL_ENTITIES, migrations: MIGRATIONS }),
  );
}

export default createMigrationDataSource();
