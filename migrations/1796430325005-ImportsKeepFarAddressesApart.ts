// The statements of TypeORM's schema diff, then read: the same address far apart is two buildings,
// so the address of a building is indexed instead of unique, and imports report those addresses.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportsKeepFarAddressesApart1796430325005 implements MigrationInterface {
  name = 'ImportsKeepFarAddressesApart1796430325005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "buildings" DROP CONSTRAINT "uq_buildings_address"`);
    await queryRunner.query(`CREATE INDEX "ix_buildings_campaign_address" ON "buildings" ("campaign_id", "street_key", "number_key") `);
    await queryRunner.query(`ALTER TABLE "address_imports" ADD "addresses_kept_apart" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "address_imports" ADD "kept_apart_examples" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "address_imports" DROP COLUMN "kept_apart_examples"`);
    await queryRunner.query(`ALTER TABLE "address_imports" DROP COLUMN "addresses_kept_apart"`);
    await queryRunner.query(`DROP INDEX "public"."ix_buildings_campaign_address"`);
    // Fails where a campaign already holds the same address twice: those buildings must be merged by hand first.
    await queryRunner.query(
      `ALTER TABLE "buildings" ADD CONSTRAINT "uq_buildings_address" UNIQUE ("campaign_id", "street_key", "number_key")`,
    );
  }
}
