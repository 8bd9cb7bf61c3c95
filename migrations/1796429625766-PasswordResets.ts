// Written to match the entity (as `npm run migration:generate` would), then read: password reset links sent by e-mail.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordResets1796429625766 implements MigrationInterface {
  name = 'PasswordResets1796429625766';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "password_resets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_password_resets_token_hash" UNIQUE ("token_hash"), CONSTRAINT "pk_password_resets" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_password_resets_expires" ON "password_resets" ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_password_resets_user" ON "password_resets" ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "password_resets" ADD CONSTRAINT "fk_password_resets_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "password_resets" DROP CONSTRAINT "fk_password_resets_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_password_resets_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_password_resets_expires"`);
    await queryRunner.query(`DROP TABLE "password_resets"`);
  }
}
