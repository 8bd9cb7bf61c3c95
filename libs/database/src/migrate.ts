import { DataSource } from 'typeorm';

/** Any constant will do; it only has to be the same for every migrator of this product. */
const MIGRATION_LOCK_KEY = 7_031_994_202;

export class SchemaDriftError extends Error {
  constructor(readonly statements: string[]) {
    super(
      `The database schema and the entities differ; a migration is missing or wrong. ` +
        `Statements that would align the schema:\n${statements.map((s) => `  ${s};`).join('\n')}`,
    );
    this.name = 'SchemaDriftError';
  }
}

/** What pg 8 says when a client is handed a query while it runs another (pg 9 will refuse it). */
const CONCURRENT_QUERY_WARNING = 'Calling client.query() when the client is already executing a query';

/**
 * The SQL that TypeORM would run to make the schema match the entities (empty when they agree).
 * TypeORM reads the schema with parallel queries on one client, which pg queues safely but warns
 * about on every start; that one warning is held back while it reads, every other one goes out.
 */
export async function schemaDrift(dataSource: DataSource): Promise<string[]> {
  const original = Reflect.get(process, 'emitWarning') as (...args: unknown[]) => void;
  Reflect.set(process, 'emitWarning', (warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!text.startsWith(CONCURRENT_QUERY_WARNING)) Reflect.apply(original, process, [warning, ...rest]);
  });
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  } finally {
    Reflect.set(process, 'emitWarning', original);
  }
}

/**
 * Runs the pending migrations, each in its own transaction, while holding a PostgreSQL
 * advisory lock so that two migrators started together cannot both run them; then fails
 * if the entities and the schema still differ.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    const drift = await schemaDrift(dataSource);
    if (drift.length > 0) throw new SchemaDriftError(drift);
    return ran.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}
