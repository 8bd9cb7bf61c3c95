import { NoteRotationReport, NoteRotationService, NoteSealer } from '@app/canvassing';
import { parseEnvironment, parseNotesKeys } from '@app/config';
import { createMigrationDataSource } from './data-source';

/**
 * `rotate-notes-key [--batch-size=N]`: re-seals every visit note under the first key of
 * NOTES_ENCRYPTION_KEYS. Run it after putting a new key first (the old ones stay listed so that
 * notes open meanwhile); when it reports nothing left under an old key, that key can be removed.
 * Safe to run while the API takes syncs, and to run again after an interruption.
 */
export async function runRotateNotesKey(args: string[] = [], log: (line: string) => void = console.log): Promise<NoteRotationReport> {
  const option = args.find((a) => a.startsWith('--batch-size='));
  const batchSize = option ? Number(option.split('=')[1]) : 500;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)
    throw new Error('--batch-size must be a whole number from 1 to 10000');
  const env = parseEnvironment();
  const ds = createMigrationDataSource(env.DATABASE_URL);
  await ds.initialize();
  try {
    if (await ds.showMigrations()) throw new Error('Migrations are pending: run `npm run migrate` first.');
    const sealer = new NoteSealer({ keys: parseNotesKeys(env.NOTES_ENCRYPTION_KEYS).keys });
    const rotation = new NoteRotationService(ds, sealer);
    log(`Re-sealing visit notes under key "${sealer.currentKeyId}", ${batchSize} at a time...`);
    const report = await rotation.rotate(batchSize, (r) => log(`  ${r.resealed} re-sealed so far`));
    log(`Done: ${report.resealed} notes re-sealed; every readable note is now under key "${report.keyId}".`);
    if (report.unreadable.length > 0) {
      log(
        `${report.unreadable.length} notes open with none of the configured keys and were left as they are (visits ${report.unreadable.join(', ')}).`,
      );
      process.exitCode = 1;
    }
    return report;
  } finally {
    await ds.destroy();
  }
}
