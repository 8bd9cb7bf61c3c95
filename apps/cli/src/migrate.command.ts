import { migrate, schemaDrift } from '@app/database';
import { createMigrationDataSource } from './data-source';

/** Runs pending migrations under an advisory lock, then fails if the schema and the entities differ. */
export async function runMigrate(url?: string): Promise<void> {
  const ds = createMigrationDataSource(url);
  await ds.initialize();
  try {
    const ran = await migrate(ds);
    console.log(ran.length > 0 ? `Migrations applied: ${ran.join(', ')}` : 'Database schema is up to date.');
  } finally {
    await ds.destroy();
  }
}

/** Exits non-zero if migrations are pending or the migrated schema differs from the entities. */
export async function runCheck(url?: string): Promise<void> {
  const ds = createMigrationDataSource(url);
  await ds.initialize();
  try {
    if (await ds.showMigrations()) throw new Error('Migrations are pending: run `npm run migrate`.');
    const drift = await schemaDrift(ds);
    if (drift.length > 0)
      throw new Error(`Schema drift: the entities need statements no migration has:\n${drift.map((s) => `  ${s};`).join('\n')}`);
    console.log('No drift: the migrations build exactly the schema the entities describe.');
  } finally {
    await ds.destroy();
  }
}
