import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * When a campaign's records fall due, with the organization's periods: the day after the
 * campaign's last day, in its time zone, plus the days set. A campaign without an end date never
 * finishes; its notes and locations then count from the moment they were recorded.
 */
const due = (days: string, since: string) =>
  `coalesce(((c.ends_on + 1)::timestamp AT TIME ZONE c.time_zone), ${since}) + make_interval(days => o.${days}) <= $1`;

/** The finished campaigns whose visits are past the organization's retention. */
const CAMPAIGN_DUE = `c.ends_on IS NOT NULL AND ((c.ends_on + 1)::timestamp AT TIME ZONE c.time_zone) + make_interval(days => o.visits_retention_days) <= $1`;

/** The purges of field records (retention), in batches; and what sync needs to know of purged campaigns. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Clears up to `batch` notes past their time; returns how many. */
  async clearNotes(now: Date, batch: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH x AS (
         UPDATE visits SET note = NULL WHERE id IN (
           SELECT v.id FROM visits v JOIN campaigns c ON c.id = v.campaign_id JOIN organizations o ON o.id = v.organization_id
            WHERE v.note IS NOT NULL AND ${due('notes_retention_days', 'v.recorded_at')} LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM x`,
      [now, batch],
    );
    return n;
  }

  /** Clears up to `batch` shifts' coarse locations past their time; returns how many. */
  async clearLocations(now: Date, batch: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH x AS (
         UPDATE shifts SET coarse_lat = NULL, coarse_lon = NULL WHERE id IN (
           SELECT s.id FROM shifts s JOIN campaigns c ON c.id = s.campaign_id JOIN organizations o ON o.id = s.organization_id
            WHERE (s.coarse_lat IS NOT NULL OR s.coarse_lon IS NOT NULL) AND ${due('locations_retention_days', 's.started_at')} LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM x`,
      [now, batch],
    );
    return n;
  }

  /** Finished campaigns past their visits' retention that still hold visits or follow-ups (a purge left half-done included). */
  async campaignsDue(now: Date): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT c.id FROM campaigns c JOIN organizations o ON o.id = c.organization_id
        WHERE ${CAMPAIGN_DUE}
          AND (EXISTS (SELECT 1 FROM visits v WHERE v.campaign_id = c.id) OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.campaign_id = c.id)
               OR NOT EXISTS (SELECT 1 FROM purged_campaigns pc WHERE pc.campaign_id = c.id))
        ORDER BY c.ends_on, c.id`,
      [now],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Records the campaign as purged (from then on sync refuses its visits and check-ins) and deletes
   * its follow-ups, keeping their counts, in one transaction: the dashboard never counts one twice.
   */
  async markPurged(campaignId: string): Promise<void> {
    await this.dataSource.query(
      `WITH f AS (DELETE FROM follow_ups WHERE campaign_id = $1 RETURNING status)
       INSERT INTO purged_campaigns AS pc (campaign_id, organization_id, follow_ups_open, follow_ups_closed)
       SELECT c.id, c.organization_id, (SELECT count(*)::int FROM f WHERE status = 'open'), (SELECT count(*)::int FROM f WHERE status = 'closed')
         FROM campaigns c WHERE c.id = $1
       ON CONFLICT (campaign_id) DO UPDATE SET follow_ups_open = pc.follow_ups_open + excluded.follow_ups_open,
         follow_ups_closed = pc.follow_ups_closed + excluded.follow_ups_closed`,
      [campaignId],
    );
  }

  /**
   * Deletes up to `batch` of the campaign's visits (their materials with them): those the coverage
   * rollups have counted (seen by `counted`, the snapshot they were last brought up to) and those
   * never counted (quarantined, discarded). An accepted visit not yet counted waits for the next
   * run, so that deleting it cannot change the figures. Returns how many.
   */
  async deleteVisits(campaignId: string, counted: string | null, batch: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(
      `WITH x AS (
         DELETE FROM visits WHERE id IN (
           SELECT v.id FROM visits v
            WHERE v.campaign_id = $1
              AND (v.status <> 'accepted' OR ($2::text IS NOT NULL AND pg_visible_in_snapshot(v.txid::text::xid8, $2::text::pg_snapshot)))
            LIMIT $3)
         RETURNING 1)
       SELECT count(*)::int AS n FROM x`,
      [campaignId, counted, batch],
    );
    return n;
  }
}
