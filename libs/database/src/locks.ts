import type { EntityManager } from 'typeorm';

/**
 * Takes, until the transaction ends, the advisory lock that serialises the coverage refreshes with
 * every other writer of per-turf figures: the recounts after turf edits, and the triggers that
 * keep coverage_versions (migration CoverageVersions names the same lock in SQL). A transaction
 * that will delete or rewrite turfs takes it before its first row lock, so that it never holds rows
 * a refresh needs while waiting for the lock the refresh holds.
 */
export async function lockCoverageRefresh(m: EntityManager): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-coverage-refresh'))`);
}
