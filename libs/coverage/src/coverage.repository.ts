import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { lockCoverageRefresh } from '@app/database';

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

/** Each turf of campaign $1 with its figures from the rollups (and created_at, for the order): turfs() and turfsJson() read it. */
const TURF_FIGURES = `
  SELECT t.id AS "turfId", t.name, t.created_at, coalesce(tc.doors, t.door_count) AS doors, coalesce(tc.attempted, 0) AS attempted,
         coalesce(tc.reached, 0) AS reached, coalesce(tc.with_materials, 0) AS "withMaterials",
         coalesce(tc.do_not_knock, 0) AS "doNotKnock", coalesce(tc.visits, 0) AS visits,
         (SELECT a.status FROM route_assignments a WHERE a.turf_id = t.id ORDER BY a.created_at DESC LIMIT 1) AS "assignmentStatus"
    FROM turfs t LEFT JOIN turf_coverage tc ON tc.turf_id = t.id
   WHERE t.campaign_id = $1`;

export interface CampaignRef {
  id: string;
  organizationId: string;
  timeZone: string;
  /** Changes in the same transaction as anything the all-turfs answer shows. */
  turfsVersion: string;
}

/**
 * The snapshot the rollups were last brought up to, beside the cursor (its xmin): its xmax, and
 * one row per transaction then in progress (`coverage:xip:<id>`).
 */
const SNAPSHOT_XMAX = 'coverage:xmax';
const SNAPSHOT_XIP = 'coverage:xip:';
/** A bigger backlog (after the worker was down, say) is rebuilt key by key instead of added up. */
const DELTA_LIMIT = 100_000;
/** At most this many pairs in CoverageRepository.counted; then it starts again empty. */
const COUNTED_PAIRS_KEPT = 500_000;
/** Visits taken in by one refresh up to which nested-loop joins are fine. */
const NESTED_LOOPS_UP_TO = 300;

/** Whether the visit `v` (its writing transaction) is seen by the snapshot in parameter `param`. */
const visibleIn = (param: string, alias = 'v') => `pg_visible_in_snapshot(${alias}.txid::text::xid8, ${param}::pg_snapshot)`;

/**
 * Rows of a campaign whose visits retention purged: its rollups are final, never recomputed from
 * the visits (there are none left, or only part of them while the purge runs).
 */
const notPurged = (alias: string) => `NOT EXISTS (SELECT 1 FROM purged_campaigns pc WHERE pc.campaign_id = ${alias}.campaign_id)`;

/** What the door's accepted visits seen by the snapshot `$snapshot` add up to; the same expression rebuilds one door or all. */
const doorFigures = (snapshot: string) => `
  SELECT v.door_id, (array_agg(v.campaign_id))[1] AS campaign_id, count(*)::int AS attempts,
         (array_agg(v.outcome ORDER BY v.effective_at DESC, v.seq DESC))[1] AS outcome, max(v.effective_at) AS last_at,
         bool_or(v.outcome = 'talked') AS reached,
         coalesce((SELECT jsonb_object_agg(x.material_id, x.quantity) FROM
                     (SELECT vm.material_id, sum(vm.quantity)::int AS quantity FROM visit_materials vm
                       WHERE vm.visit_id = ANY(array_agg(v.id)) GROUP BY vm.material_id) x), '{}'::jsonb) AS materials
    FROM visits v WHERE v.status = 'accepted' AND ${visibleIn(snapshot)} AND ${notPurged('v')}`;

/** Two {material id: quantity} objects added up, in SQL. */
const addMaterials = (a: string, b: string) => `
  (SELECT coalesce(jsonb_object_agg(e.key, e.total), '{}'::jsonb) FROM
     (SELECT key, sum(value::int)::int AS total FROM (SELECT * FROM jsonb_each_text(${a}) UNION ALL SELECT * FROM jsonb_each_text(${b})) x
       GROUP BY key) e)`;

/**
 * The statement that takes in new visits ($1: the stored snapshot's xmin, $2: that snapshot).
 * `v` holds the accepted visits its snapshot sees and the stored one did not; nothing is written
 * if there are more than DELTA_LIMIT of them. Each door row gains the door's new visits (the
 * latest outcome if later than the row's), and what changed on the door rows (a first attempt, a
 * first conversation, the first materials) is added to their turfs and campaigns; each hour gains
 * its visits. Returns what the rest of the refresh needs.
 */
const TAKE_IN = `
  WITH v AS MATERIALIZED (
    SELECT v.id, v.campaign_id, v.door_id, v.user_id, v.outcome, v.effective_at, v.seq FROM visits v
     WHERE v.txid >= $1::bigint AND v.status = 'accepted' AND NOT ${visibleIn('$2')} LIMIT ${DELTA_LIMIT + 1}),
  go AS (SELECT count(*) <= ${DELTA_LIMIT} AS ok FROM v),
  vm AS MATERIALIZED (
    SELECT v.campaign_id, v.user_id, v.door_id, vm.material_id, vm.quantity FROM visit_materials vm JOIN v ON v.id = vm.visit_id),
  left_at AS (
    SELECT door_id, jsonb_object_agg(material_id, quantity) AS materials FROM
      (SELECT door_id, material_id, sum(quantity)::int AS quantity FROM vm GROUP BY 1, 2) x GROUP BY door_id),
  d AS (
    SELECT v.door_id, (array_agg(v.campaign_id))[1] AS campaign_id, count(*)::int AS visits,
           (array_agg(v.outcome ORDER BY v.effective_at DESC, v.seq DESC))[1] AS outcome, max(v.effective_at) AS last_at,
           bool_or(v.outcome = 'talked') AS reached, bool_or(v.outcome = 'do_not_knock') AS do_not_knock,
           coalesce(min(l.materials::text)::jsonb, '{}'::jsonb) AS materials
      FROM v LEFT JOIN left_at l USING (door_id) GROUP BY v.door_id),
  old AS (SELECT dc.door_id, dc.reached, dc.materials <> '{}'::jsonb AS has_materials, dc.last_at FROM door_coverage dc JOIN d USING (door_id)),
  up AS (
    INSERT INTO door_coverage AS dc (door_id, campaign_id, attempts, outcome, last_at, reached, materials)
    SELECT door_id, campaign_id, visits, outcome, last_at, reached, materials FROM d WHERE (SELECT ok FROM go)
    ON CONFLICT (door_id) DO UPDATE SET attempts = dc.attempts + excluded.attempts,
      outcome = CASE WHEN excluded.last_at > dc.last_at THEN excluded.outcome ELSE dc.outcome END,
      last_at = greatest(dc.last_at, excluded.last_at), reached = dc.reached OR excluded.reached,
      materials = CASE WHEN excluded.materials = '{}'::jsonb THEN dc.materials ELSE ${addMaterials('dc.materials', 'excluded.materials')} END
    RETURNING dc.door_id, dc.reached, dc.materials <> '{}'::jsonb AS has_materials),
  ch AS (
    SELECT d.door_id, d.campaign_id, td.turf_id, d.visits, old.door_id IS NULL AS first, up.reached AND NOT coalesce(old.reached, false) AS reached,
           up.has_materials AND NOT coalesce(old.has_materials, false) AS with_materials, coalesce(old.last_at = d.last_at, false) AS tie,
           d.do_not_knock
      FROM d JOIN up USING (door_id) LEFT JOIN old USING (door_id)
      LEFT JOIN turf_doors td ON td.campaign_id = d.campaign_id AND td.door_id = d.door_id),
  by_turf AS (
    SELECT turf_id, (count(*) FILTER (WHERE first))::int AS attempted, (count(*) FILTER (WHERE reached))::int AS reached,
           (count(*) FILTER (WHERE with_materials))::int AS with_materials, sum(visits)::int AS visits, bool_or(do_not_knock) AS do_not_knock
      FROM ch WHERE turf_id IS NOT NULL GROUP BY turf_id),
  turfs_added AS (
    UPDATE turf_coverage tc SET attempted = tc.attempted + x.attempted, reached = tc.reached + x.reached,
           with_materials = tc.with_materials + x.with_materials, visits = tc.visits + x.visits, updated_at = now()
      FROM by_turf x WHERE tc.turf_id = x.turf_id AND NOT x.do_not_knock RETURNING tc.turf_id),
  by_campaign AS (
    SELECT ch.campaign_id, (count(*) FILTER (WHERE first))::int AS attempted, (count(*) FILTER (WHERE reached))::int AS reached,
           (count(*) FILTER (WHERE with_materials))::int AS with_materials, sum(visits)::int AS visits,
           coalesce((SELECT jsonb_object_agg(material_id, quantity) FROM
                       (SELECT material_id, sum(quantity)::int AS quantity FROM vm WHERE vm.campaign_id = ch.campaign_id GROUP BY 1) x), '{}'::jsonb) AS materials
      FROM ch GROUP BY ch.campaign_id),
  campaigns_added AS (
    UPDATE campaign_coverage cc SET doors = n.doors, do_not_knock = n.do_not_knock, attempted = cc.attempted + x.attempted,
           reached = cc.reached + x.reached, with_materials = cc.with_materials + x.with_materials, visits = cc.visits + x.visits,
           materials = ${addMaterials('cc.materials', 'x.materials')}, updated_at = now()
      FROM by_campaign x CROSS JOIN LATERAL (SELECT count(*)::int AS doors, count(dd.do_not_knock_at)::int AS do_not_knock FROM doors dd
                                              WHERE dd.campaign_id = x.campaign_id) n
     WHERE cc.campaign_id = x.campaign_id RETURNING cc.campaign_id),
  hours_added AS (
    INSERT INTO coverage_hourly AS h (campaign_id, hour, visits, talked)
    SELECT campaign_id, date_trunc('hour', effective_at), count(*)::int, (count(*) FILTER (WHERE outcome = 'talked'))::int
      FROM v WHERE (SELECT ok FROM go) GROUP BY 1, 2
    ON CONFLICT (campaign_id, hour) DO UPDATE SET visits = h.visits + excluded.visits, talked = h.talked + excluded.talked)
  SELECT pg_current_snapshot()::text AS snapshot, (SELECT count(*)::int FROM v) AS visits, (SELECT count(*)::int FROM ch) AS doors,
         (SELECT coalesce(array_agg(campaign_id), '{}') FROM by_campaign) AS campaigns,
         (SELECT coalesce(array_agg(door_id), '{}') FROM ch WHERE tie) AS ties,
         (SELECT coalesce(array_agg(turf_id), '{}') FROM by_turf x WHERE NOT EXISTS (SELECT 1 FROM turfs_added a WHERE a.turf_id = x.turf_id))
           AS "recountTurfs",
         (SELECT coalesce(array_agg(campaign_id), '{}') FROM by_campaign x
           WHERE NOT EXISTS (SELECT 1 FROM campaigns_added a WHERE a.campaign_id = x.campaign_id)) AS "recountCampaigns",
         (SELECT coalesce(json_agg(json_build_array(p.campaign_id, p.user_id, p.door_id, p.visits, p.talked, ch.first)), '[]') FROM
            (SELECT campaign_id, user_id, door_id, count(*)::int AS visits, bool_or(outcome = 'talked') AS talked FROM v GROUP BY 1, 2, 3) p
            JOIN ch USING (door_id)) AS pairs,
         (SELECT coalesce(json_agg(json_build_array(campaign_id, user_id, quantity)), '[]') FROM
            (SELECT campaign_id, user_id, sum(quantity)::int AS quantity FROM vm GROUP BY 1, 2) x) AS "materialsLeft"`;

/** What TAKE_IN answers. */
interface TakenIn {
  snapshot: string;
  visits: number;
  doors: number;
  campaigns: string[];
  ties: string[];
  recountTurfs: string[];
  recountCampaigns: string[];
  /** [campaign, volunteer, door, visits, talked, the door had no visits before]. */
  pairs: [string, string, string, number, boolean, boolean][];
  /** [campaign, volunteer, quantity]. */
  materialsLeft: [string, string, number][];
}

@Injectable()
export class CoverageRepository {
  /**
   * "<campaign> <volunteer> <door>" pairs the volunteer figures already count, with whether as
   * reached: facts that stay true (accepted visits stay), so that a look at the door's visits is
   * needed only for a pair not seen yet, or for a first conversation. Kept per process, and only
   * after the refresh that counted them committed.
   */
  private readonly counted = new Map<string, boolean>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Brings the rollups up to date. Each refresh takes a snapshot and stores it (rollup_cursors);
   * the next one takes in exactly the accepted visits its own snapshot sees and the stored one did
   * not (written since, or accepted on review since), and adds them to every rollup: a door's
   * attempts, reach and materials, its turf's and campaign's counts, the hour's and the
   * volunteer's. The work is in proportion to the visits taken in, not to the size of the
   * campaign. Serialised by an advisory lock. `full` recomputes everything from the visits the
   * snapshot sees (the periodic reconciliation), as does a refresh without a stored snapshot; a
   * backlog of more than DELTA_LIMIT visits is recomputed key by key (each door, turf, campaign,
   * hour and volunteer it touches, whole).
   */
  async refresh(full: boolean): Promise<{ campaigns: string[]; doors: number }> {
    const learned = new Map<string, boolean>();
    const result = await this.dataSource.transaction(async (m): Promise<{ campaigns: string[]; doors: number }> => {
      await lockCoverageRefresh(m);
      const previous = await this.storedSnapshot(m);
      if (full || !previous) {
        const [{ snapshot }] = await m.query<{ snapshot: string }[]>('SELECT pg_current_snapshot()::text AS snapshot');
        if (full) {
          const campaigns = await this.recompute(m, null, snapshot);
          await this.recomputeSeries(m, null, null, snapshot);
          await this.storeSnapshot(m, snapshot);
          return { campaigns, doors: 0 };
        }
        return this.recomputeSince(m, previous?.xmin ?? '0', snapshot);
      }
      // One statement (TAKE_IN) takes the snapshot, reads the visits it adds and adds them to the
      // doors, turfs, campaigns and hours: all exactly consistent; the volunteers' figures follow,
      // from the pairs it returns. Its planner cannot know how many visits that is and guesses one:
      // thousands joined to thousands by nested loops would take minutes. Past a few hundred (a
      // count first), hash joins it is, and no JIT, which their cost estimates would set off.
      const [{ many }] = await m.query<{ many: boolean }[]>(
        `SELECT count(*) > ${NESTED_LOOPS_UP_TO} AS many FROM (SELECT 1 FROM visits v WHERE v.txid >= $1::bigint AND NOT ${visibleIn('$2')}
                                                            LIMIT ${NESTED_LOOPS_UP_TO + 1}) x`,
        [previous.xmin, previous.text],
      );
      if (many) await m.query('SET LOCAL enable_nestloop = off; SET LOCAL jit = off');
      const [taken] = await m.query<TakenIn[]>(TAKE_IN, [previous.xmin, previous.text]);
      if (many) await m.query('RESET enable_nestloop; RESET jit');
      const { snapshot } = taken;
      if (taken.visits > DELTA_LIMIT) return this.recomputeSince(m, previous.xmin, snapshot);
      if (taken.visits === 0) {
        await this.storeSnapshot(m, snapshot);
        return { campaigns: [], doors: 0 };
      }
      if (taken.ties.length > 0) {
        // A door's latest visit and one taken in now at the very same instant: the sequence decides, from all its visits.
        await m.query(
          `UPDATE door_coverage dc SET outcome = f.outcome FROM (${doorFigures('$2')} AND v.door_id = ANY($1::uuid[]) GROUP BY v.door_id) f
            WHERE dc.door_id = f.door_id`,
          [taken.ties, snapshot],
        );
      }
      // A turf without figures yet, or with a new "do not knock", is counted whole from its door rows; a campaign without figures too.
      await this.recountTurfs(m, taken.recountTurfs);
      await this.recountCampaigns(m, taken.recountCampaigns);
      await this.addToVolunteers(m, taken, previous.text, learned);
      await this.storeSnapshot(m, snapshot);
      return { campaigns: taken.campaigns, doors: taken.doors };
    });
    // Known only once committed: a refresh rolled back must count the same visits again.
    if (this.counted.size + learned.size > COUNTED_PAIRS_KEPT) this.counted.clear();
    for (const [key, reached] of learned) this.counted.set(key, reached);
    return result;
  }

  /**
   * The snapshot the rollups were last brought up to: every accepted visit it sees is counted
   * (retention deletes only those). Null before the first refresh.
   */
  async countedSnapshot(): Promise<string | null> {
    return (await this.storedSnapshot(this.dataSource.manager))?.text ?? null;
  }

  private async storedSnapshot(m: EntityManager): Promise<{ xmin: string; text: string } | null> {
    const rows = await m.query<{ name: string; txid: string }[]>(`SELECT name, txid FROM rollup_cursors WHERE name = $1 OR name LIKE $2`, [
      CURSOR,
      `${CURSOR}:%`,
    ]);
    const xmin = rows.find((r) => r.name === CURSOR)?.txid;
    const xmax = rows.find((r) => r.name === SNAPSHOT_XMAX)?.txid;
    if (xmin === undefined || xmax === undefined) return null;
    const xip = rows
      .filter((r) => r.name.startsWith(SNAPSHOT_XIP))
      .map((r) => BigInt(r.txid))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { xmin, text: `${xmin}:${xmax}:${xip.join(',')}` };
  }

  private async storeSnapshot(m: EntityManager, snapshot: string): Promise<void> {
    const [xmin, xmax, xip] = snapshot.split(':');
    const ids = xip ? xip.split(',').filter(Boolean) : [];
    await m.query('DELETE FROM rollup_cursors WHERE name LIKE $1', [`${CURSOR}:%`]);
    await m.query(
      `INSERT INTO rollup_cursors (name, txid) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (name) DO UPDATE SET txid = excluded.txid`,
      [
        [CURSOR, SNAPSHOT_XMAX, ...ids.map((id) => `${SNAPSHOT_XIP}${id}`)],
        [xmin, xmax, ...ids],
      ],
    );
  }

  /** Each door, turf, campaign, hour and volunteer with visits written since `since`, recomputed whole as `snapshot` sees it. */
  private async recomputeSince(m: EntityManager, since: string, snapshot: string): Promise<{ campaigns: string[]; doors: number }> {
    const [{ doors, hours, people }] = await m.query<{ doors: string[]; hours: [string, string][]; people: [string, string][] }[]>(
      `SELECT array(SELECT DISTINCT door_id FROM visits v WHERE v.txid >= $1::bigint AND ${visibleIn('$2')}) AS doors,
              (SELECT coalesce(json_agg(DISTINCT jsonb_build_array(campaign_id, date_trunc('hour', effective_at))), '[]')
                 FROM visits v WHERE v.txid >= $1::bigint AND ${visibleIn('$2')}) AS hours,
              (SELECT coalesce(json_agg(DISTINCT jsonb_build_array(campaign_id, user_id)), '[]')
                 FROM visits v WHERE v.txid >= $1::bigint AND ${visibleIn('$2')}) AS people`,
      [since, snapshot],
    );
    let campaigns: string[] = [];
    if (doors.length > 0) {
      campaigns = await this.recompute(m, doors, snapshot);
      await this.recomputeSeries(m, hours, people, snapshot);
    }
    await this.storeSnapshot(m, snapshot);
    return { campaigns, doors: doors.length };
  }

  /**
   * The volunteers' figures: a door counts for a volunteer once, the first time the rollups see
   * them there (or talking there). A door without a row before had no visits at all; pairs this
   * process has seen counted need no look either (but for a first conversation); for the others,
   * one look at the door's visits that `previous` saw.
   */
  private async addToVolunteers(m: EntityManager, taken: TakenIn, previous: string, learned: Map<string, boolean>): Promise<void> {
    const pairs = taken.pairs.map(([campaign, user, door, visits, talked, freshDoor]) => ({
      key: `${campaign} ${user} ${door}`,
      campaign,
      user,
      door,
      visits,
      talked,
      freshDoor,
    }));
    const toLook = pairs.filter((p) => !p.freshDoor && (!this.counted.has(p.key) || (p.talked && !this.counted.get(p.key))));
    const seen = new Map<string, boolean>();
    if (toLook.length > 0) {
      const before = await m.query<{ campaign_id: string; user_id: string; door_id: string; reached: boolean }[]>(
        `SELECT x.campaign_id, x.user_id, x.door_id, b.reached FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS x(campaign_id, user_id, door_id)
           CROSS JOIN LATERAL (
             SELECT bool_or(o.outcome = 'talked') AS reached FROM visits o
              WHERE o.door_id = x.door_id AND o.user_id = x.user_id AND o.campaign_id = x.campaign_id AND o.status = 'accepted'
                AND ${visibleIn('$4', 'o')}
             HAVING count(*) > 0) b`,
        [toLook.map((p) => p.campaign), toLook.map((p) => p.user), toLook.map((p) => p.door), previous],
      );
      for (const b of before) seen.set(`${b.campaign_id} ${b.user_id} ${b.door_id}`, b.reached);
    }
    const volunteers = new Map<
      string,
      { campaign: string; user: string; visits: number; attempted: number; reached: number; materials: number }
    >();
    const of = (campaign: string, user: string) => {
      const key = `${campaign} ${user}`;
      const v = volunteers.get(key) ?? { campaign, user, visits: 0, attempted: 0, reached: 0, materials: 0 };
      volunteers.set(key, v);
      return v;
    };
    for (const p of pairs) {
      const cached = this.counted.get(p.key);
      // undefined: no visit there before; false: visits, no conversation; true: a conversation.
      const before = cached === true ? true : seen.has(p.key) ? seen.get(p.key) : p.freshDoor ? undefined : cached;
      const v = of(p.campaign, p.user);
      v.visits += p.visits;
      v.attempted += before === undefined ? 1 : 0;
      v.reached += p.talked && !before ? 1 : 0;
      learned.set(p.key, Boolean(before) || p.talked);
    }
    for (const [campaign, user, quantity] of taken.materialsLeft) of(campaign, user).materials += quantity;
    const rows = [...volunteers.values()];
    await m.query(
      `INSERT INTO volunteer_coverage AS vc (campaign_id, user_id, visits, doors_attempted, doors_reached, materials_left)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[], $6::int[])
       ON CONFLICT (campaign_id, user_id) DO UPDATE SET visits = vc.visits + excluded.visits,
         doors_attempted = vc.doors_attempted + excluded.doors_attempted, doors_reached = vc.doors_reached + excluded.doors_reached,
         materials_left = vc.materials_left + excluded.materials_left`,
      [
        rows.map((v) => v.campaign),
        rows.map((v) => v.user),
        rows.map((v) => v.visits),
        rows.map((v) => v.attempted),
        rows.map((v) => v.reached),
        rows.map((v) => v.materials),
      ],
    );
  }

  /** Hourly visit counts and each volunteer's figures, for the (campaign, hour) and (campaign, person) pairs given (all with `null`), as `snapshot` sees the visits. */
  private async recomputeSeries(
    m: EntityManager,
    hours: [string, string][] | null,
    people: [string, string][] | null,
    snapshot: string,
  ): Promise<void> {
    const hourFilter =
      hours === null
        ? ''
        : `AND (v.campaign_id, date_trunc('hour', v.effective_at)) IN (SELECT * FROM unnest($2::uuid[], $3::timestamptz[]))`;
    const hourArgs = hours === null ? [] : [hours.map((h) => h[0]), hours.map((h) => h[1])];
    if (hours !== null) {
      await m.query(
        `DELETE FROM coverage_hourly h WHERE (campaign_id, hour) IN (SELECT * FROM unnest($1::uuid[], $2::timestamptz[])) AND ${notPurged('h')}`,
        hourArgs,
      );
    } else {
      await m.query(`DELETE FROM coverage_hourly h WHERE ${notPurged('h')}`);
    }
    await m.query(
      `INSERT INTO coverage_hourly (campaign_id, hour, visits, talked)
       SELECT v.campaign_id, date_trunc('hour', v.effective_at), count(*)::int, (count(*) FILTER (WHERE v.outcome = 'talked'))::int
         FROM visits v WHERE v.status = 'accepted' AND ${visibleIn('$1')} AND ${notPurged('v')} ${hourFilter} GROUP BY 1, 2`,
      [snapshot, ...hourArgs],
    );
    const peopleFilter = people === null ? '' : 'AND (v.user_id, v.campaign_id) IN (SELECT * FROM unnest($2::uuid[], $3::uuid[]))';
    const peopleArgs = people === null ? [] : [people.map((p) => p[1]), people.map((p) => p[0])];
    if (people !== null) {
      await m.query(
        `DELETE FROM volunteer_coverage vc WHERE (user_id, campaign_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND ${notPurged('vc')}`,
        peopleArgs,
      );
    } else {
      await m.query(`DELETE FROM volunteer_coverage vc WHERE ${notPurged('vc')}`);
    }
    await m.query(
      `INSERT INTO volunteer_coverage (campaign_id, user_id, visits, doors_attempted, doors_reached, materials_left)
       SELECT v.campaign_id, v.user_id, count(*)::int, count(DISTINCT v.door_id)::int,
              count(DISTINCT v.door_id) FILTER (WHERE v.outcome = 'talked')::int,
              coalesce(sum((SELECT sum(vm.quantity) FROM visit_materials vm WHERE vm.visit_id = v.id)), 0)::int
         FROM visits v WHERE v.status = 'accepted' AND ${visibleIn('$1')} AND ${notPurged('v')} ${peopleFilter} GROUP BY 1, 2`,
      [snapshot, ...peopleArgs],
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

  /** The doors given (all with `null`), then their turfs and campaigns, recomputed whole as `snapshot` sees the visits. */
  private async recompute(m: EntityManager, doors: string[] | null, snapshot: string): Promise<string[]> {
    const only = doors === null ? '' : 'AND v.door_id = ANY($2::uuid[])';
    const args = doors === null ? [snapshot] : [snapshot, doors];
    await m.query(
      `INSERT INTO door_coverage (door_id, campaign_id, attempts, outcome, last_at, reached, materials)
       SELECT door_id, campaign_id, attempts, outcome, last_at, reached, materials FROM (${doorFigures('$1')} ${only} GROUP BY v.door_id) f
       ON CONFLICT (door_id) DO UPDATE SET attempts = excluded.attempts, outcome = excluded.outcome, last_at = excluded.last_at,
         reached = excluded.reached, materials = excluded.materials`,
      args,
    );
    // A door whose only visits were discarded has no coverage any more.
    await m.query(
      `DELETE FROM door_coverage dc WHERE ${doors === null ? 'true' : 'dc.door_id = ANY($2::uuid[])'} AND ${notPurged('dc')}
          AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.door_id = dc.door_id AND v.status = 'accepted' AND ${visibleIn('$1')})`,
      args,
    );
    const campaigns = await m.query<{ campaign_id: string }[]>(
      doors === null ? 'SELECT id AS campaign_id FROM campaigns' : 'SELECT DISTINCT campaign_id FROM doors WHERE id = ANY($1::uuid[])',
      doors === null ? [] : [doors],
    );
    const ids = campaigns.map((c) => c.campaign_id);
    const turfs = await m.query<{ turf_id: string }[]>(
      doors === null
        ? 'SELECT id AS turf_id FROM turfs'
        : 'SELECT DISTINCT turf_id FROM turf_doors WHERE campaign_id = ANY($1::uuid[]) AND door_id = ANY($2::uuid[])',
      doors === null ? [] : [ids, doors],
    );
    await this.recountTurfs(
      m,
      turfs.map((t) => t.turf_id),
    );
    await this.recountCampaigns(m, ids);
    return ids;
  }

  /**
   * Turfs whose doors changed (moved, merged, split, new, marked "do not knock") are counted again
   * whole, and so are the campaigns named, in the transaction that changed them, serialised with
   * the refreshes that add to the same rows.
   */
  async turfsChanged(m: EntityManager, turfIds: string[], campaignIds: string[] = []): Promise<void> {
    await lockCoverageRefresh(m);
    await this.recountTurfs(m, turfIds);
    await this.recountCampaigns(m, campaignIds);
  }

  /** The turfs' figures counted whole from their door rows. */
  private async recountTurfs(m: EntityManager, turfIds: string[]): Promise<void> {
    if (turfIds.length === 0) return;
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
      [turfIds],
    );
  }

  /** The campaigns' figures counted whole from their doors and door rows. */
  private async recountCampaigns(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
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
  }

  /**
   * Whether the actor's session and membership still let it in, with the same role: the session
   * not revoked nor expired, the membership active (by the session's primary key, one row).
   */
  async actorHolds(actor: { sessionId: string; userId: string; organizationId: string; membershipId: string; role: string }, now: Date) {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM sessions s JOIN memberships m ON m.id = s.membership_id
        WHERE s.id = $1 AND s.user_id = $2 AND s.organization_id = $3 AND s.membership_id = $4
          AND s.revoked_at IS NULL AND s.expires_at > $5 AND m.status = 'active' AND m.role = $6`,
      [actor.sessionId, actor.userId, actor.organizationId, actor.membershipId, now, actor.role],
    );
    return rows.length > 0;
  }

  /**
   * What the access check and the time series need of a campaign (CampaignService.get also counts
   * its doors), and the version of its per-turf figures (see CoverageVersion; '0' before any turf).
   */
  async campaignRef(campaignId: string): Promise<CampaignRef | null> {
    const [row] = await this.dataSource.query<CampaignRef[]>(
      `SELECT c.id, c.organization_id AS "organizationId", c.time_zone AS "timeZone", coalesce(v.turfs, 0)::text AS "turfsVersion"
         FROM campaigns c LEFT JOIN coverage_versions v ON v.campaign_id = c.id WHERE c.id = $1`,
      [campaignId],
    );
    return row ?? null;
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

  /**
   * The small live counts that indexes answer at once: follow-ups, people out, routes by status.
   * "Today" starts at midnight in the campaign's time zone, as the time series do.
   */
  async live(organizationId: string, campaignId: string) {
    const [row] = await this.dataSource.query<
      {
        followUpsOpen: number;
        followUpsClosed: number;
        volunteersOut: number;
        shiftsToday: number;
        routes: Record<string, number>;
      }[]
    >(
      `SELECT (SELECT count(*)::int FROM follow_ups WHERE campaign_id = $2 AND status = 'open')
                + coalesce((SELECT follow_ups_open FROM purged_campaigns WHERE campaign_id = $2), 0) AS "followUpsOpen",
              (SELECT count(*)::int FROM follow_ups WHERE campaign_id = $2 AND status = 'closed')
                + coalesce((SELECT follow_ups_closed FROM purged_campaigns WHERE campaign_id = $2), 0) AS "followUpsClosed",
              (SELECT count(DISTINCT user_id)::int FROM shifts WHERE organization_id = $1 AND campaign_id = $2 AND ended_at IS NULL
                  AND status <> 'discarded') AS "volunteersOut",
              (SELECT count(*)::int FROM shifts s, campaigns c
                WHERE c.id = $2 AND s.campaign_id = $2 AND s.status <> 'discarded'
                  AND s.started_at >= date_trunc('day', now() AT TIME ZONE c.time_zone) AT TIME ZONE c.time_zone) AS "shiftsToday",
              (SELECT coalesce(jsonb_object_agg(s, n), '{}') FROM (
                 SELECT coalesce(a.status, 'unassigned') AS s, count(*)::int AS n
                   FROM turfs t LEFT JOIN LATERAL (SELECT CASE WHEN a.expires_at <= now() AND a.status IN ('assigned', 'in_progress') THEN 'expired' ELSE a.status END AS status
                                                     FROM route_assignments a WHERE a.turf_id = t.id ORDER BY a.created_at DESC LIMIT 1) a ON true
                  WHERE t.campaign_id = $2 GROUP BY 1) x) AS routes`,
      [organizationId, campaignId],
    );
    return row;
  }

  async turfs(campaignId: string): Promise<TurfFigures[]> {
    return this.dataSource.query<TurfFigures[]>(
      `SELECT "turfId", name, doors, attempted, reached, "withMaterials", "doNotKnock", visits, "assignmentStatus"
         FROM (${TURF_FIGURES}) f ORDER BY created_at, length(name), name`,
      [campaignId],
    );
  }

  /**
   * The same rows with their percentages, as the JSON text of the answer, built by PostgreSQL: the
   * all-turfs list of a city-wide campaign is thousands of rows that every dashboard asks for, and
   * serialising them on the API's one thread was most of its cost (D1). The percentages are
   * rounded as \`pct()\` does, to one decimal, halves up.
   */
  async turfsJson(campaignId: string): Promise<string> {
    // row_to_json writes no spaces (json_build_object would add some 60 KB to 2,000 turfs).
    const [row] = await this.dataSource.query<{ json: string }[]>(
      `SELECT coalesce(json_agg(row_to_json(r) ORDER BY f.created_at, length(f.name), f.name), '[]')::text AS json
         FROM (${TURF_FIGURES}) f,
              LATERAL (SELECT f."turfId", f.name, f.doors, f.attempted, f.reached, f."withMaterials", f."doNotKnock", f.visits, f."assignmentStatus",
                              CASE WHEN f.doors > 0 THEN (floor(1000.0 * f.attempted / f.doors + 0.5) / 10)::float8 ELSE 0 END AS "coveragePct",
                              CASE WHEN f.doors > 0 THEN (floor(1000.0 * f.reached / f.doors + 0.5) / 10)::float8 ELSE 0 END AS "reachedPct") r`,
      [campaignId],
    );
    return row.json;
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
