import { MigrationInterface, QueryRunner } from 'typeorm';

/** PostGIS for door locations and turf polygons; citext for case-insensitive e-mail addresses. */
export class Extensions1764000000000 implements MigrationInterface {
  name = 'Extensions1764000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP EXTENSION IF EXISTS citext`);
    await q.query(`DROP EXTENSION IF EXISTS postgis`);
  }
}
