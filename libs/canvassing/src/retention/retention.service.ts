import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { RetentionRepository } from './retention.repository';

/** Rows changed per statement: short transactions and locks, however much has fallen due. */
export const RETENTION_BATCH = 1000;

export interface FieldPurgeResult {
  notes: number;
  locations: number;
  campaigns: number;
  visits: number;
}

/**
 * Purges the field records each organization no longer keeps: visit notes and coarse check-in
 * locations, then the door-level visits of finished campaigns. The coverage figures and the
 * follow-up counts of a purged campaign stay; its visits never come back (see SyncService).
 */
@Injectable()
export class FieldRetentionService {
  constructor(
    private readonly repository: RetentionRepository,
    private readonly clock: Clock,
  ) {}

  async purgeNotesAndLocations(): Promise<Pick<FieldPurgeResult, 'notes' | 'locations'>> {
    const now = this.clock.now();
    return {
      notes: await this.drain(() => this.repository.clearNotes(now, RETENTION_BATCH)),
      locations: await this.drain(() => this.repository.clearLocations(now, RETENTION_BATCH)),
    };
  }

  /** Finished campaigns whose visits are past their retention. */
  campaignsDue(): Promise<string[]> {
    return this.repository.campaignsDue(this.clock.now());
  }

  /**
   * Deletes the campaign's visits that `counted` (the coverage rollups' snapshot) has counted, and
   * its follow-ups, after recording the campaign as purged. Returns the visits deleted.
   */
  async purgeCampaign(campaignId: string, counted: string | null): Promise<number> {
    await this.repository.markPurged(campaignId);
    return this.drain(() => this.repository.deleteVisits(campaignId, counted, RETENTION_BATCH));
  }

  /** Runs a batch until one comes back short. */
  private async drain(batch: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await batch();
      total += n;
      if (n < RETENTION_BATCH) return total;
    }
  }
}
