// Written by hand, then checked against `npm run migration:generate`: a material's name in each
// interface language, the stock at which the dashboard warns, and retiring a material.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class MaterialNamesStockRetire1796430161573 implements MigrationInterface {
  name = 'MaterialNamesStockRetire1796430161573';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "materials" ADD "names" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "materials" ADD "low_stock_threshold" integer`);
    await queryRunner.query(`ALTER TABLE "materials" ADD "retired_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "materials" ADD CONSTRAINT "ck_materials_low_stock_threshold" CHECK ("low_stock_threshold" IS NULL OR "low_stock_threshold" >= 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "materials" DROP CONSTRAINT "ck_materials_low_stock_threshold"`);
    await queryRunner.query(`ALTER TABLE "materials" DROP COLUMN "retired_at"`);
    await queryRunner.query(`ALTER TABLE "materials" DROP COLUMN "low_stock_threshold"`);
    await queryRunner.query(`ALTER TABLE "materials" DROP COLUMN "names"`);
  }
}
