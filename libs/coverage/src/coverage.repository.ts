import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface CampaignFigures {
  doors: number;
  attempted: number;
  reached: number;
  withMaterials: number;
  doNotKnock: number;
  visits: number;
  materials: Record<string, number>;
  updatedAt: Date | null;
}

export interface TurfFigures {
  turfId: string;
  name: string;
  doors: number;
  attempted: number;
  reached: number;
  withMaterials: number;
  doNotKnock: number;
  visits: number;
  assignmentStatus: string | null;
}

const CURSOR = 'coverage';

/** What the door's accepted visits add up to; the same expression rebuilds one door or all. */
const DOOR_FIGURES = `
  SELECT v.door_id, (array_agg(v.campaign_id))[1] AS campaign_id, count(*)::int AS attempts,
         (array_agg(v.outcome ORDER BY v.effective_at DESC, v.seq DESC))[1] AS outcome, max(v.effective_at) AS last_at,
         bool_or(v.outcome = 'talked') AS reached,
         coalesce((SELECT jsonb_object_agg(x.material_id, x.quantity) FROM
                     (SELECT vm.material_id, sum(vm.quantity)::int AS quantity FROM visit_materials vm JOIN visits w ON w.id = vm.visit_id
                       WHERE w.door_id = v.door_id AND w.status = 'accepted' GROUP BY vm.material_id) x), '{}'::jsonb) AS materials
    FROM visits v`;

@Injectable()
export class CoverageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Brings the rollups up to date: the doors with visits written since the cursor are
   * recomputed from their visits, then their turfs and campaigns. Serialised by an advisory lock.
   * `full` recomputes everything (the periodic reconciliation, and organizers' own "do not knock" marks).
   */
  async refresh(full: boolean): Promise<{ campaigns: string[]; doors: number }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-coverage-refresh'))`);
      const [cursorRow] = await m.query<{ txid: string }[]>('SELECT txid FROM rollup_cursors WHERE name = $1', [CURSOR]);
      const since = full ? '0' : (cursorRow?.txid ?? '0');
      const [{ horizon, doors, hours, people }] = await m.query<{ horizon: string; doors: string[]; hours: unknown; people: unknown }[]>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
                array(SELECT DISTINCT door_id FROM visits WHERE txid >= $1::bigint) AS doors,
                (SELECT coalesce(json_agg(DISTINCT jsonb_build_array(campaign_id, date_trunc('hour', effective_at))), '[]')
                   FROM visits WHERE txid >= $1::bigint) AS hours,
                (SELECT coalesce(json_agg(DISTINCT jsonb_build_array(campaign_id, user_id)), '[]') FROM visits WHERE txid >= $1::bigint) AS people`,
        [since],
      );
      let campaigns: string[] = [];
      if (doors.length > 0 || full) {
        campaigns = await this.recompute(m, full ? null : doors);
        await this.recomputeSeries(m, full ? null : (hours as [string, string][]), full ? null : (people as [string, string][]));
      }
      await m.query(
        `INSERT INTO rollup_cursors (name, txid) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET txid = greatest(rollup_cursors.txid, excluded.txid)`,
        [CURSOR, horizon],
      );
      return { campaigns, doors: doors.length };
    });
  }

  /** Hourly visit counts and each volunteer's figures, for the (campaign, hour) and (campaign, person) pairs touched. */
  private async recomputeSeries(m: EntityManager, hours: [string, string][] | null, people: [string, string][] | null): Promise<void> {
    const hourFilter =
      hours === null
        ? 'true'
        : `(v.campaign_id, date_trunc('hour', v.effective_at)) IN (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]))`;
    const hourArgs = hours === null ? [] : [hours.map((h) => h[0]), hours.map((h) => h[1])];
    if (hours !== null) {
      await m.query(
        `DELETE FROM coverage_hourly WHERE (campaign_id, hour) IN (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]))`,
        hourArgs,
      );
    } else {
      await m.query('DELETE FROM coverage_hourly');
    }
    await m.query(
      `INSERT INTO coverage_hourly (campaign_id, hour, visits, talked)
       SELECT v.campaign_id, date_trunc('hour', v.effective_at), count(*)::int, (count(*) FILTER (WHERE v.outcome = 'talked'))::int
         FROM visits v WHERE ${hourFilter} AND v.status = 'accepted' GROUP BY 1, 2`,
      hourArgs,
    );
    const peopleFilter = people === null ? 'true' : '(v.user_id, v.campaign_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))';
    const peopleArgs = people === null ? [] : [people.map((p) => p[1]), people.map((p) => p[0])];
    if (people !== null) {
      await m.query(
        'DELETE FROM volunteer_coverage WHERE (user_id, campaign_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))',
        peopleArgs,
      );
    } else {
      await m.query('DELETE FROM volunteer_coverage');
    }
    await m.query(
      `INSERT INTO volunteer_coverage (campaign_id, user_id, visits, doors_attempted, doors_reached, materials_left)
       SELECT v.campaign_id, v.user_id, count(*)::int, count(DISTINCT v.door_id)::int,
              count(DISTINCT v.door_id) FILTER (WHERE v.outcome = 'talked')::int,
              coalesce(sum((SELECT sum(vm.quantity) FROM visit_materials vm WHERE vm.visit_id = v.id)), 0)::int
         FROM visits v WHERE ${peopleFilter} AND v.status = 'accepted' GROUP BY 1, 2`,
      peopleArgs,
    );
  }

  /** Visits per hour or per day in the zone given, oldest first. */
  async series(campaignId: string, zone: string, bucket: 'hour' | 'day'): Promise<{ at: string; visits: number; talked: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(date_trunc($3, h.hour AT TIME ZONE $2), 'YYYY-MM-DD"T"HH24:MI') AS at, sum(h.visits)::int AS visits, sum(h.talked)::int AS talked
         FROM coverage_hourly h WHERE h.campaign_id = $1 GROUP BY 1 ORDER BY 1`,
      [campaignId, zone, bucket],
    );
  }

  async volunteers(
    campaignId: string,
  ): Promise<{ userId: string; name: string; visits: number; doorsAttempted: number; doorsReached: number; materialsLeft: number }[]> {
    return this.dataSource.query(
      `SELECT vc.user_id AS "userId", u.display_name AS name, vc.visits, vc.doors_attempted AS "doorsAttempted", vc.doors_reached AS "doorsReached",
              vc.materials_left AS "materialsLeft"
         FROM volunteer_coverage vc JOIN users u ON u.id = vc.user_id
        WHERE vc.campaign_id = $1 ORDER BY vc.doors_attempted DESC, u.display_name, vc.user_id`,
      [campaignId],
    );
  }

  /** Outlines PostGIS finds invalid (a self-intersection, say), by position, with its reason; they are repaired on import. */
  async outlineProblems(geometries: object[]): Promise<{ index: number; reason: string }[]> {
    return this.dataSource.query(
      `SELECT (x.i - 1)::int AS index, ST_IsValidReason(g) AS reason
         FROM (SELECT i, ST_GeomFromGeoJSON(j) AS g FROM unnest($1::text[]) WITH ORDINALITY AS u(j, i)) x
        WHERE NOT ST_IsValid(g)`,
      [geometries.map((g) => JSON.stringify(g))],
    );
  }

  /** Replaces the campaign's neighbourhoods and works out which doors lie in each. */
  async replaceNeighbourhoods(organizationId: string, campaignId: string, items: { name: string; geometry: object }[]): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM neighbourhoods WHERE campaign_id = $1', [campaignId]);
      await m.query(
        `INSERT INTO neighbourhoods (organization_id, campaign_id, name, area)
         SELECT $1, $2, x.name, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_GeomFromGeoJSON(x.g)), 3))::geography
           FROM unnest($3::text[], $4::text[]) AS x(name, g)`,
        [organizationId, campaignId, items.map((i) => i.name), items.map((i) => JSON.stringify(i.geometry))],
      );
      const [{ n }] = await m.query<{ n: number }[]>(
        `WITH placed AS (
           INSERT INTO neighbourhood_doors (neighbourhood_id, door_id)
           SELECT n.id, d.id FROM neighbourhoods n JOIN buildings b ON ST_Covers(n.area, b.location) JOIN doors d ON d.building_id = b.id
            WHERE n.campaign_id = $1 AND b.campaign_id = $1
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM placed`,
        [campaignId],
      );
      return n;
    });
  }

  async neighbourhoods(campaignId: string): Promise<(Omit<TurfFigures, 'turfId' | 'assignmentStatus'> & { neighbourhoodId: string })[]> {
    return this.dataSource.query(
      `SELECT n.id AS "neighbourhoodId", n.name, count(nd.door_id)::int AS doors, count(dc.door_id)::int AS attempted,
              (count(*) FILTER (WHERE dc.reached))::int AS reached, (count(*) FILTER (WHERE dc.materials <> '{}'::jsonb))::int AS "withMaterials",
              (count(*) FILTER (WHERE d.do_not_knock_at IS NOT NULL))::int AS "doNotKnock", coalesce(sum(dc.attempts), 0)::int AS visits
         FROM neighbourhoods n LEFT JOIN neighbourhood_doors nd ON nd.neighbourhood_id = n.id LEFT JOIN doors d ON d.id = nd.door_id
         LEFT JOIN door_coverage dc ON dc.door_id = nd.door_id
        WHERE n.campaign_id = $1 GROUP BY n.id ORDER BY n.name, n.id`,
      [campaignId],
    );
  }

  async leaderboardsEnabled(organizationId: string): Promise<boolean> {
    const [row] = await this.dataSource.query<{ on: boolean }[]>('SELECT leaderboards_enabled AS on FROM organizations WHERE id = $1', [
      organizationId,
    ]);
    return row?.on ?? false;
  }

  private async recompute(m: EntityManager, doors: string[] | null): Promise<string[]> {
    const only = doors === null ? 'true' : 'v.door_id = ANY($1::uuid[])';
    const args = doors === null ? [] : [doors];
    await m.query(
      `INSERT INTO door_coverage (door_id, campaign_id, attempts, outcome, last_at, reached, materials)
       SELECT door_id, campaign_id, attempts, outcome, last_at, reached, materials FROM (${DOOR_FIGURES}
        WHERE ${only} AND v.status = 'accepted' GROUP BY v.door_id) f
       ON CONFLICT (door_id) DO UPDATE SET attempts = excluded.attempts, outcome = excluded.outcome, last_at = excluded.last_at,
         reached = excluded.reached, materials = excluded.materials`,
      args,
    );
    // A door whose only visits were discarded has no coverage any more.
    await m.query(
      `DELETE FROM door_coverage dc WHERE ${doors === null ? 'true' : 'dc.door_id = ANY($1::uuid[])'}
          AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.door_id = dc.door_id AND v.status = 'accepted')`,
      args,
    );
    const turfs = await m.query<{ turf_id: string }[]>(
      doors === null ? 'SELECT id AS turf_id FROM turfs' : 'SELECT DISTINCT turf_id FROM turf_doors WHERE door_id = ANY($1::uuid[])',
      args,
    );
    await m.query(
      `INSERT INTO turf_coverage (turf_id, campaign_id, doors, attempted, reached, with_materials, do_not_knock, visits, updated_at)
       SELECT t.id, t.campaign_id, count(td.door_id)::int, count(dc.door_id)::int, (count(*) FILTER (WHERE dc.reached))::int,
              (count(*) FILTER (WHERE dc.materials <> '{}'::jsonb))::int, (count(*) FILTER (WHERE d.do_not_knock_at IS NOT NULL))::int,
              coalesce(sum(dc.attempts), 0)::int, now()
         FROM turfs t JOIN turf_doors td ON td.turf_id = t.id JOIN doors d ON d.id = td.door_id
         LEFT JOIN door_coverage dc ON dc.door_id = td.door_id
        WHERE t.id = ANY($1::uuid[]) GROUP BY t.id
       ON CONFLICT (turf_id) DO UPDATE SET doors = excluded.doors, attempted = excluded.attempted, reached = excluded.reached,
         with_materials = excluded.with_materials, do_not_knock = excluded.do_not_knock, visits = excluded.visits, updated_at = now()`,
      [turfs.map((t) => t.turf_id)],
    );
    const campaigns = await m.query<{ campaign_id: string }[]>(
      doors === null ? 'SELECT id AS campaign_id FROM campaigns' : 'SELECT DISTINCT campaign_id FROM doors WHERE id = ANY($1::uuid[])',
      args,
    );
    const ids = campaigns.map((c) => c.campaign_id);
    await m.query(
      `INSERT INTO campaign_coverage (campaign_id, doors, attempted, reached, with_materials, do_not_knock, visits, materials, updated_at)
       SELECT c.id,
              (SELECT count(*)::int FROM doors d WHERE d.campaign_id = c.id),
              (SELECT count(*)::int FROM door_coverage dc WHERE dc.campaign_id = c.id),
              (SELECT count(*)::int FROM door_coverage dc WHERE dc.campaign_id = c.id AND dc.reached),
              (SELECT count(*)::int FROM door_coverage dc WHERE dc.campaign_id = c.id AND dc.materials <> '{}'::jsonb),
              (SELECT count(*)::int FROM doors d WHERE d.campaign_id = c.id AND d.do_not_knock_at IS NOT NULL),
              (SELECT coalesce(sum(dc.attempts), 0)::int FROM door_coverage dc WHERE dc.campaign_id = c.id),
              coalesce((SELECT jsonb_object_agg(k, s) FROM (SELECT e.key AS k, sum(e.value::int)::int AS s
                          FROM door_coverage dc, jsonb_each_text(dc.materials) e WHERE dc.campaign_id = c.id GROUP BY e.key) x), '{}'::jsonb),
              now()
         FROM campaigns c WHERE c.id = ANY($1::uuid[])
       ON CONFLICT (campaign_id) DO UPDATE SET doors = excluded.doors, attempted = excluded.attempted, reached = excluded.reached,
         with_materials = excluded.with_materials, do_not_knock = excluded.do_not_knock, visits = excluded.visits,
         materials = excluded.materials, updated_at = now()`,
      [ids],
    );
    return ids;
  }

  async campaign(campaignId: string): Promise<CampaignFigures> {
    const [row] = await this.dataSource.query<CampaignFigures[]>(
      `SELECT coalesce(cc.doors, (SELECT count(*)::int FROM doors d WHERE d.campaign_id = c.id)) AS doors,
              coalesce(cc.attempted, 0) AS attempted, coalesce(cc.reached, 0) AS reached, coalesce(cc.with_materials, 0) AS "withMaterials",
              coalesce(cc.do_not_knock, 0) AS "doNotKnock", coalesce(cc.visits, 0) AS visits, coalesce(cc.materials, '{}') AS materials,
              cc.updated_at AS "updatedAt"
         FROM campaigns c LEFT JOIN campaign_coverage cc ON cc.campaign_id = c.id WHERE c.id = $1`,
      [campaignId],
    );
    return row;
  }

  /** The small live counts that indexes answer at once: follow-ups, people out, routes by status. */
  async live(organizationId: string, campaignId: string, dayStart: Date) {
    const [row] = await this.dataSource.query<
      {
        followUpsOpen: number;
        followUpsClosed: number;
        volunteersOut: number;
        shiftsToday: number;
        routes: Record<string, number>;
      }[]
    >(
      `SELECT (SELECT count(*)::int FROM follow_ups WHERE campaign_id = $2 AND status = 'open') AS "followUpsOpen",
              (SELECT count(*)::int FROM follow_ups WHERE campaign_id = $2 AND status = 'closed') AS "followUpsClosed",
              (SELECT count(DISTINCT user_id)::int FROM shifts WHERE organization_id = $1 AND campaign_id = $2 AND ended_at IS NULL
                  AND status <> 'discarded') AS "volunteersOut",
              (SELECT count(*)::int FROM shifts WHERE campaign_id = $2 AND started_at >= $3 AND status <> 'discarded') AS "shiftsToday",
              (SELECT coalesce(jsonb_object_agg(s, n), '{}') FROM (
                 SELECT coalesce(a.status, 'unassigned') AS s, count(*)::int AS n
                   FROM turfs t LEFT JOIN LATERAL (SELECT CASE WHEN a.expires_at <= now() AND a.status IN ('assigned', 'in_progress') THEN 'expired' ELSE a.status END AS status
                                                     FROM route_assignments a WHERE a.turf_id = t.id ORDER BY a.created_at DESC LIMIT 1) a ON true
                  WHERE t.campaign_id = $2 GROUP BY 1) x) AS routes`,
      [organizationId, campaignId, dayStart],
    );
    return row;
  }

  async turfs(campaignId: string): Promise<TurfFigures[]> {
    return this.dataSource.query<TurfFigures[]>(
      `SELECT t.id AS "turfId", t.name, coalesce(tc.doors, t.door_count) AS doors, coalesce(tc.attempted, 0) AS attempted,
              coalesce(tc.reached, 0) AS reached, coalesce(tc.with_materials, 0) AS "withMaterials", coalesce(tc.do_not_knock, 0) AS "doNotKnock",
              coalesce(tc.visits, 0) AS visits,
              (SELECT a.status FROM route_assignments a WHERE a.turf_id = t.id ORDER BY a.created_at DESC LIMIT 1) AS "assignmentStatus"
         FROM turfs t LEFT JOIN turf_coverage tc ON tc.turf_id = t.id
        WHERE t.campaign_id = $1 ORDER BY t.created_at, length(t.name), t.name`,
      [campaignId],
    );
  }

  /** Turf outlines with their figures, for the map. */
  async turfMap(campaignId: string): Promise<(TurfFigures & { outline: object | null })[]> {
    return this.dataSource.query(
      `SELECT t.id AS "turfId", t.name, ST_AsGeoJSON(t.outline)::json AS outline, coalesce(tc.doors, t.door_count) AS doors,
              coalesce(tc.attempted, 0) AS attempted, coalesce(tc.reached, 0) AS reached, coalesce(tc.with_materials, 0) AS "withMaterials",
              coalesce(tc.do_not_knock, 0) AS "doNotKnock", coalesce(tc.visits, 0) AS visits, NULL AS "assignmentStatus"
         FROM turfs t LEFT JOIN turf_coverage tc ON tc.turf_id = t.id
        WHERE t.campaign_id = $1 ORDER BY t.created_at, length(t.name), t.name`,
      [campaignId],
    );
  }

  /** Every door of the campaign with its status: door-level data, for organizers only. */
  async doorMap(campaignId: string): Promise<
    {
      doorId: string;
      lon: number;
      lat: number;
      number: string;
      street: string;
      unit: string | null;
      outcome: string | null;
      attempts: number;
      doNotKnock: boolean;
    }[]
  > {
    return this.dataSource.query(
      `SELECT d.id AS "doorId", ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat, b.number, b.street, d.unit,
              dc.outcome, coalesce(dc.attempts, 0) AS attempts, d.do_not_knock_at IS NOT NULL AS "doNotKnock"
         FROM doors d JOIN buildings b ON b.id = d.building_id LEFT JOIN door_coverage dc ON dc.door_id = d.id
        WHERE d.campaign_id = $1 ORDER BY b.street, b.number, d.unit_key`,
      [campaignId],
    );
  }

  async materialNames(ids: string[]): Promise<{ id: string; name: string; kind: string; language: string }[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query(
      'SELECT id, name, kind, language FROM materials WHERE id = ANY($1::uuid[]) ORDER BY kind, name, language',
      [ids],
    );
  }
}
