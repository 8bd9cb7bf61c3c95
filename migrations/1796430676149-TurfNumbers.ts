// The cutter names turfs by their number alone, which the web app words in the reader's language
// ("Turf 3", "Zona 3"): turfs it named "Turf <n>" before become "<n>", unless the campaign already
// has a turf of that name. Names organizers chose stay as they are.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class TurfNumbers1796430676149 implements MigrationInterface {
  name = 'TurfNumbers1796430676149';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE turfs t SET name = substring(t.name FROM '^Turf (\\d{1,9})$')
        WHERE t.name ~ '^Turf \\d{1,9}$'
          AND NOT EXISTS (SELECT 1 FROM turfs o WHERE o.campaign_id = t.campaign_id AND o.name = substring(t.name FROM '^Turf (\\d{1,9})$'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE turfs t SET name = 'Turf ' || t.name
        WHERE t.name ~ '^\\d{1,9}$'
          AND NOT EXISTS (SELECT 1 FROM turfs o WHERE o.campaign_id = t.campaign_id AND o.name = 'Turf ' || t.name)`,
    );
  }
}
