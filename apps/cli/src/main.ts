import 'reflect-metadata';
import { ConfigurationError } from '@app/config';
import { runChannels } from './channels.command';
import { runCheck, runMigrate } from './migrate.command';
import { runRotateNotesKey } from './rotate-notes-key.command';
import { runSeed } from './seed.command';

const USAGE = `Usage: porchlight-cli <command>

  migrate   run pending migrations (one transaction each, under an advisory lock), then check for drift
  check     fail if migrations are pending or the schema differs from the entities
  seed      create the demo organization if the database has no organization yet, and print its logins
  channels  say which reminder channels (e-mail, SMS) this server's settings turn on
  rotate-notes-key [--batch-size=N]
            re-seal every visit note under the first key of NOTES_ENCRYPTION_KEYS (see docs/privacy.md)`;

async function main(argv: string[]): Promise<void> {
  switch (argv[0]) {
    case 'migrate':
      return runMigrate();
    case 'check':
      return runCheck();
    case 'seed':
      return runSeed();
    case 'channels':
      return runChannels();
    case 'rotate-notes-key':
      await runRotateNotesKey(argv.slice(1));
      return;
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof ConfigurationError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(1);
});
