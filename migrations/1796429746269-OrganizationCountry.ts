// The country an organization works in, for reading the phone numbers its people type.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationCountry1796429746269 implements MigrationInterface {
  name = 'OrganizationCountry1796429746269';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" ADD "country" character(2) NOT NULL DEFAULT 'US'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organizations" DROP COLUMN "country"`);
  }
}
