// Why a reminder was not sent, as a code the web app words in the reader's language.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReminderReasonCodes1796429747269 implements MigrationInterface {
  name = 'ReminderReasonCodes1796429747269';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reminders" ADD "reason_code" character varying(40)`);
    await queryRunner.query(`ALTER TABLE "reminders" ADD "reason_params" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reminders" DROP COLUMN "reason_params"`);
    await queryRunner.query(`ALTER TABLE "reminders" DROP COLUMN "reason_code"`);
  }
}
