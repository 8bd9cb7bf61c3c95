import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '@app/migrations';
import { createMigrationDataSource } from '../../../apps/cli/src/data-source';
import { adminQuery, withDatabase } from '../../../test/support/test-database';
import { migrate, schemaDrift } from './migrate';

describe('migrations (real PostgreSQL)', () => {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL!;
  const database = `${process.env.TEST_DATABASE_NAME}_migrate`;
  const url = withDatabase(adminUrl, database);

  beforeAll(() => adminQuery(adminUrl, `CREATE DATABASE "${database}"`));
  afterAll(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));

  it('lists every migration file in migrations/index.ts, in order', () => {
    const files = readdirSync(join(__dirname, '../../../migrations'))
      .filter((f) => /^\d{13}-[A-Za-z]+\.ts$/.test(f))
      .sort();
    const listed = MIGRATIONS.map((m) => `${/(\d{13})$/.exec(m.name)![1]}-${m.name.replace(/\d{13}$/, '')}.ts`);
    expect(listed).toEqual(files);
  });

  it('lets two migrators start together: the advisory lock makes one wait, both succeed, each migration runs once', async () => {
    const a = createMigrationDataSource(url);
    const b = createMigrationDataSource(url);
    await Promise.all([a.initialize(), b.initialize()]);
    try {
      const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
      expect([...ranA, ...ranB].sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      const rows = await a.query('SELECT name FROM schema_migrations');
      expect(rows).toHaveLength(MIGRATIONS.length);
      expect(await schemaDrift(a)).toEqual([]);
      const extensions = (await a.query(`SELECT extname FROM pg_extension`)).map((r: { extname: string }) => r.extname);
      expect(extensions).toEqual(expect.arrayContaining(['postgis', 'citext']));
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });

  it('fails with the missing statements when the schema differs from the entities', async () => {
    const ds = createMigrationDataSource(url);
    await ds.initialize();
    try {
      await ds.query('ALTER TABLE invites DROP COLUMN revoked_at');
      await expect(migrate(ds)).rejects.toThrow(/revoked_at/);
    } finally {
      await ds.query('ALTER TABLE invites ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE');
      await ds.destroy();
    }
  });
});
