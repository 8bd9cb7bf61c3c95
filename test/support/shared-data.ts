import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/data beside the repository: there in CI and for developers, absent on a user's fresh clone. */
export const SHARED_DATA = join(__dirname, '..', '..', '..', 'shared', 'data');
export const hasSharedData = existsSync(SHARED_DATA);

export function sharedFile(relative: string): Buffer {
  return readFileSync(join(SHARED_DATA, relative));
}

/** `describe` when ../shared/data is present, else a skipped block that says why. */
export const describeWithSharedData = hasSharedData
  ? describe
  : (name: string, fn: () => void) => describe.skip(`${name} (skipped: ../shared/data is absent)`, fn);
