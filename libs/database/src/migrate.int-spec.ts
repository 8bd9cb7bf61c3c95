import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
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

  it('reads the schema without pg’s warning about queued queries at every start, and lets other warnings out', () => {
    // pg warns once per process, so the check runs in a process of its own, as the migrator does.
    const script = `
      require('reflect-metadata');
      const { createMigrationDataSource } = require('./apps/cli/src/data-source');
      const { schemaDrift } = require('./libs/database/src/migrate');
      (async () => {
        const ds = createMigrationDataSource(process.env.CHECK_URL);
        await ds.initialize();
        const drift = await schemaDrift(ds);
        await ds.destroy();
        process.emitWarning('another warning');
        console.log(JSON.stringify(drift));
      })();`;
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script], {
      cwd: join(__dirname, '../../..'),
      env: { ...process.env, CHECK_URL: url },
      encoding: 'utf8',
    });
    expect(run.stdout.trim()).toBe('[]');
    expect(run.stderr).toContain('another warning');
    expect(run.stderr).not.toContain('already executing a query');
  }, 60_000);

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
