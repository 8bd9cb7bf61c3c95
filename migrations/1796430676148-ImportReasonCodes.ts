// Import rejections and failures carry a stable code (and its params) beside the English text,
// so that the web app words them in the reader's language. Rows refused earlier keep a null code.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ImportReasonCodes1796430676148 implements MigrationInterface {
  name = 'ImportReasonCodes1796430676148';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "address_import_rejections" ADD "reason_code" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "address_import_rejections" ADD "reason_params" jsonb`);
    await queryRunner.query(`ALTER TABLE "address_imports" ADD "error_details" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "address_imports" DROP COLUMN "error_details"`);
    await queryRunner.query(`ALTER TABLE "address_import_rejections" DROP COLUMN "reason_params"`);
    await queryRunner.query(`ALTER TABLE "address_import_rejections" DROP COLUMN "reason_code"`);
  }
}
