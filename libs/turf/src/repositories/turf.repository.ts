import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { lockCoverageRefresh } from '@app/database';
import { MAX_DOORS_PER_TURF } from '@app/geo';
import { AssignmentStatus } from '../entities';
import { PlanDoor, PlannedTurf } from '../services/turf-planner';

export interface TurfRow {
  id: string;
  organizationId: string;
  campaignId: string;
  /** The campaign's name, so that a volunteer with routes in two campaigns can tell them apart. */
  campaignName: string;
  name: string;
  code: string;
  doorCount: number;
  walkMetres: number;
  walkMinutes: number;
  meetingDoorId: string | null;
  outline: object | null;
  assignmentId: string | null;
  assignmentStatus: AssignmentStatus | null;
  assigneeIds: string[] | null;
  assignmentExpiresAt: Date | null;
}

export interface RouteStop {
  position: number;
  doorId: string;
  buildingId: string;
  number: string;
  street: string;
  unit: string | null;
  lon: number;
  lat: number;
}

/** Codes people read aloud or type: no 0/O or 1/I. */
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const newCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

const ACTIVE = `a.status IN ('assigned', 'in_progress') AND a.expires_at > now()`;
const COLUMNS = `t.id, t.organization_id AS "organizationId", t.campaign_id AS "campaignId",
  (SELECT cn.name FROM campaigns cn WHERE cn.id = t.campaign_id) AS "campaignName", t.name, t.code,
  t.door_count AS "doorCount", t.walk_metres AS "walkMetres", t.walk_minutes AS "walkMinutes", t.meeting_door_id AS "meetingDoorId",
  ST_AsGeoJSON(t.outline)::json AS outline,
  a.id AS "assignmentId", a.status AS "assignmentStatus", a.assignee_ids AS "assigneeIds", a.expires_at AS "assignmentExpiresAt"`;
const FROM = `turfs t LEFT JOIN LATERAL (
  SELECT * FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE} ORDER BY a.created_at DESC LIMIT 1) a ON true`;

@Injectable()
export class TurfRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Doors of the campaign that a new cut may use: not "do not knock", not already in a turf. */
  async doorsToCut(m: EntityManager, campaignId: string, area: object | null): Promise<PlanDoor[]> {
    return m.query<PlanDoor[]>(
      `SELECT d.id, d.building_id AS "buildingId", ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat, d.unit_key AS "unitKey"
         FROM doors d JOIN buildings b ON b.id = d.building_id
        WHERE d.campaign_id = $1 AND d.do_not_knock_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM turf_doors td WHERE td.campaign_id = $1 AND td.door_id = d.id)
          AND ($2::text IS NULL OR ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location))
        ORDER BY d.id`,
      [campaignId, area ? JSON.stringify(area) : null],
    );
  }

  /**
   * Removes the campaign's turfs that nobody is walking (within an area: those with a door
   * inside it), so that their doors can be cut again.
   */
  async deleteUnassigned(m: EntityManager, campaignId: string, area: object | null): Promise<number> {
    // Deleting turfs writes their coverage rows: the refreshes' lock first (see lockCampaignTurfs).
    await lockCoverageRefresh(m);
    const [{ count }] = await m.query<{ count: number }[]>(
      `WITH gone AS (
         DELETE FROM turfs t WHERE t.campaign_id = $1
            AND NOT EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE})
            AND ($2::text IS NULL OR EXISTS (
                  SELECT 1 FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
                   WHERE td.turf_id = t.id AND ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location)))
         RETURNING 1)
       SELECT count(*)::int AS count FROM gone`,
      [campaignId, area ? JSON.stringify(area) : null],
    );
    return count;
  }

  /**
   * Takes these turfs apart for merging or splitting: locks them, checks that they are of the
   * campaign and that nobody walks them, deletes them and returns their doors (not "do not knock").
   */
  async dissolve(
    m: EntityManager,
    campaignId: string,
    turfIds: string[],
  ): Promise<{ doors: PlanDoor[]; problem?: 'not_found' | 'assigned' }> {
    await this.lockCampaignTurfs(m, campaignId);
    const rows = await m.query<{ id: string; assigned: boolean }[]>(
      `SELECT t.id, EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE}) AS assigned
         FROM turfs t WHERE t.campaign_id = $1 AND t.id = ANY($2::uuid[]) FOR UPDATE OF t`,
      [campaignId, turfIds],
    );
    if (rows.length !== new Set(turfIds).size) return { doors: [], problem: 'not_found' };
    if (rows.some((r) => r.assigned)) return { doors: [], problem: 'assigned' };
    const doors = await m.query<PlanDoor[]>(
      `SELECT d.id, d.building_id AS "buildingId", ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat, d.unit_key AS "unitKey"
         FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
        WHERE td.turf_id = ANY($1::uuid[]) AND d.do_not_knock_at IS NULL ORDER BY d.id`,
      [turfIds],
    );
    await m.query('DELETE FROM turfs WHERE id = ANY($1::uuid[])', [turfIds]);
    return { doors };
  }

  /**
   * Edits that take turfs apart or move doors between them lock several turfs, found as they go;
   * one lock per campaign first makes two such edits wait for each other instead of deadlocking,
   * and makes a cut's writes wait for another cut of the campaign to finish before reading which
   * doors are free. Then the coverage refreshes' lock, which their writes to turfs would take
   * anyway: taken before any row, it cannot be waited for while holding rows a refresh needs.
   */
  async lockCampaignTurfs(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('porchlight-turfs:' || $1))`, [campaignId]);
    await lockCoverageRefresh(m);
  }

  async save(m: EntityManager, organizationId: string, campaignId: string, plans: PlannedTurf[]): Promise<{ id: string; name: string }[]> {
    // A made-up name is the number alone, which the app words in the reader's language ("Turf 3",
    // "Zona 3"). Numbered after the highest left (older turfs may be named "Turf <n>"), so that
    // names stay unique after merges and splits.
    const [{ next }] = await m.query<{ next: number }[]>(
      `SELECT coalesce(max(substring(name FROM '^(?:Turf )?(\\d{1,9})$')::int), 0) + 1 AS next FROM turfs WHERE campaign_id = $1`,
      [campaignId],
    );
    const saved: { id: string; name: string }[] = [];
    for (const [i, plan] of plans.entries()) {
      const [{ id, name }] = await m.query<{ id: string; name: string }[]>(
        `INSERT INTO turfs (organization_id, campaign_id, name, code, door_count, walk_metres, walk_minutes, meeting_door_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, name`,
        [
          organizationId,
          campaignId,
          String(next + i),
          newCode(),
          plan.doorIds.length,
          plan.walkMetres,
          plan.walkMinutes,
          plan.meetingDoorId,
        ],
      );
      await m.query(
        `INSERT INTO turf_doors (turf_id, door_id, campaign_id, position)
         SELECT $1, door_id, $2, position - 1 FROM unnest($3::uuid[]) WITH ORDINALITY AS x(door_id, position)`,
        [id, campaignId, plan.doorIds],
      );
      saved.push({ id, name });
    }
    await this.drawOutlines(
      m,
      saved.map((t) => t.id),
    );
    return saved;
  }

  /** The outline for the map: the hull of each turf's buildings with a margin, always a polygon. */
  private async drawOutlines(m: EntityManager, turfIds: string[]): Promise<void> {
    await m.query(
      `UPDATE turfs t SET outline = x.outline FROM (
         SELECT td.turf_id, ST_Buffer(ST_ConvexHull(ST_Collect(b.location::geometry))::geography, 15) AS outline
           FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
          WHERE td.turf_id = ANY($1::uuid[]) GROUP BY td.turf_id) x
        WHERE t.id = x.turf_id`,
      [turfIds],
    );
  }

  /**
   * Moves doors into a turf, each with the other units of its building, out of whichever turfs
   * held them (or none). Locks the turfs concerned; the destination and every turf the doors
   * leave must be of the campaign and walked by nobody. Returns the doors each of those turfs now
   * holds (all of them, "do not knock" too, so that they stay where they were put), for new routes.
   */
  async moveDoors(
    m: EntityManager,
    campaignId: string,
    toTurfId: string,
    doorIds: string[],
  ): Promise<
    | { problem: 'not_found' | 'assigned' | 'unknown_doors' | 'nothing_to_move' | 'too_many'; count: number }
    | { moved: number; turfs: { id: string; doors: PlanDoor[]; doNotKnock: string[] }[] }
  > {
    await this.lockCampaignTurfs(m, campaignId);
    const [dest] = await m.query<{ assigned: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE}) AS assigned
         FROM turfs t WHERE t.id = $1 AND t.campaign_id = $2 FOR UPDATE OF t`,
      [toTurfId, campaignId],
    );
    if (!dest) return { problem: 'not_found', count: 0 };
    if (dest.assigned) return { problem: 'assigned', count: 1 };
    const [{ known }] = await m.query<{ known: number }[]>(
      'SELECT count(*)::int AS known FROM doors WHERE campaign_id = $1 AND id = ANY($2::uuid[])',
      [campaignId, doorIds],
    );
    if (known !== doorIds.length) return { problem: 'unknown_doors', count: doorIds.length - known };
    // Whole buildings, and only what is not in the destination already.
    const moving = await m.query<{ id: string; turfId: string | null }[]>(
      `SELECT d.id, td.turf_id AS "turfId" FROM doors d LEFT JOIN turf_doors td ON td.campaign_id = d.campaign_id AND td.door_id = d.id
        WHERE d.campaign_id = $1 AND d.building_id IN (SELECT building_id FROM doors WHERE campaign_id = $1 AND id = ANY($2::uuid[]))
          AND td.turf_id IS DISTINCT FROM $3
        ORDER BY d.id`,
      [campaignId, doorIds, toTurfId],
    );
    if (moving.length === 0) return { problem: 'nothing_to_move', count: 0 };
    const sources = [...new Set(moving.map((d) => d.turfId).filter((id): id is string => id !== null))].sort();
    if (sources.length > 0) {
      const locked = await m.query<{ assigned: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE}) AS assigned
           FROM turfs t WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR UPDATE OF t`,
        [sources],
      );
      const walked = locked.filter((t) => t.assigned).length;
      if (walked > 0) return { problem: 'assigned', count: walked };
    }
    const [{ total }] = await m.query<{ total: number }[]>('SELECT count(*)::int + $2 AS total FROM turf_doors WHERE turf_id = $1', [
      toTurfId,
      moving.length,
    ]);
    if (total > MAX_DOORS_PER_TURF) return { problem: 'too_many', count: total };
    await m.query('DELETE FROM turf_doors WHERE campaign_id = $1 AND door_id = ANY($2::uuid[])', [campaignId, moving.map((d) => d.id)]);
    // Moved doors go at the end for now; the new route orders them.
    await m.query(
      `INSERT INTO turf_doors (turf_id, door_id, campaign_id, position)
       SELECT $1, x.door_id, $2, coalesce((SELECT max(position) + 1 FROM turf_doors WHERE turf_id = $1), 0) + x.n - 1
         FROM unnest($3::uuid[]) WITH ORDINALITY AS x(door_id, n)`,
      [toTurfId, campaignId, moving.map((d) => d.id)],
    );
    const affected = [toTurfId, ...sources];
    const doors = await m.query<(PlanDoor & { turfId: string; doNotKnock: boolean })[]>(
      `SELECT td.turf_id AS "turfId", d.id, d.building_id AS "buildingId", ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat,
              d.unit_key AS "unitKey", d.do_not_knock_at IS NOT NULL AS "doNotKnock"
         FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
        WHERE td.turf_id = ANY($1::uuid[]) ORDER BY d.id`,
      [affected],
    );
    return {
      moved: moving.length,
      turfs: affected.map((id) => {
        const held = doors.filter((d) => d.turfId === id);
        return {
          id,
          doors: held.filter((d) => !d.doNotKnock).map(({ turfId: _t, doNotKnock: _d, ...d }) => d),
          doNotKnock: held.filter((d) => d.doNotKnock).map((d) => d.id),
        };
      }),
    };
  }

  /**
   * Writes new routes for existing turfs (door order, meeting point, walk, outline), with their
   * "do not knock" doors kept after the route, where no route shows them; a turf left without a
   * door to knock is deleted (its "do not knock" doors become free). Returns the turfs kept.
   */
  async rewrite(
    m: EntityManager,
    routes: { turfId: string; plan: PlannedTurf | null; doNotKnock: string[] }[],
  ): Promise<{ id: string; name: string }[]> {
    const emptied = routes.filter((r) => r.plan === null).map((r) => r.turfId);
    if (emptied.length > 0) await m.query('DELETE FROM turfs WHERE id = ANY($1::uuid[])', [emptied]);
    const kept = routes.filter((r): r is { turfId: string; plan: PlannedTurf; doNotKnock: string[] } => r.plan !== null);
    for (const { turfId, plan, doNotKnock } of kept) {
      await this.reorder(m, turfId, [...plan.doorIds, ...doNotKnock], plan.walkMetres, plan.walkMinutes);
      await m.query('UPDATE turfs SET door_count = $2 WHERE id = $1', [turfId, plan.doorIds.length]);
    }
    const ids = kept.map((r) => r.turfId);
    await this.drawOutlines(m, ids);
    const names = await m.query<{ id: string; name: string }[]>('SELECT id, name FROM turfs WHERE id = ANY($1::uuid[])', [ids]);
    return ids.map((id) => names.find((n) => n.id === id)!);
  }

  /**
   * Gives a turf a name its organizer chose; false when another turf of the campaign has it
   * already (compared without regard to case).
   */
  async rename(id: string, name: string): Promise<boolean> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH renamed AS (
         UPDATE turfs t SET name = $2
          WHERE t.id = $1
            AND NOT EXISTS (SELECT 1 FROM turfs o WHERE o.campaign_id = t.campaign_id AND o.id <> t.id AND lower(o.name) = lower($2))
         RETURNING 1)
       SELECT count(*)::int AS count FROM renamed`,
      [id, name],
    );
    return count === 1;
  }

  /**
   * Takes out of the campaign's turfs the doors whose buildings stand inside `area` (whole
   * buildings, as a building has one location), so that a drawn turf can have them. Locks the
   * turfs concerned; refuses, changing nothing, when somebody walks one of them. Returns the
   * turfs that gave doors, with the doors each still holds, for new routes.
   */
  async releaseDoorsInArea(
    m: EntityManager,
    campaignId: string,
    area: object,
  ): Promise<{ walked: string[] } | { turfs: { id: string; doors: PlanDoor[]; doNotKnock: string[] }[] }> {
    const geometry = JSON.stringify(area);
    const touched = await m.query<{ id: string; name: string; assigned: boolean }[]>(
      `SELECT t.id, t.name, EXISTS (SELECT 1 FROM route_assignments a WHERE a.turf_id = t.id AND ${ACTIVE}) AS assigned
         FROM turfs t
        WHERE t.campaign_id = $1
          AND EXISTS (SELECT 1 FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
                       WHERE td.turf_id = t.id AND ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location))
        ORDER BY t.id FOR UPDATE OF t`,
      [campaignId, geometry],
    );
    const walked = touched.filter((t) => t.assigned).map((t) => t.name);
    if (walked.length > 0) return { walked };
    if (touched.length === 0) return { turfs: [] };
    const ids = touched.map((t) => t.id);
    await m.query(
      `DELETE FROM turf_doors td USING doors d, buildings b
        WHERE td.turf_id = ANY($1::uuid[]) AND d.id = td.door_id AND b.id = d.building_id
          AND ST_Covers(ST_GeomFromGeoJSON($2)::geography, b.location)`,
      [ids, geometry],
    );
    const doors = await m.query<(PlanDoor & { turfId: string; doNotKnock: boolean })[]>(
      `SELECT td.turf_id AS "turfId", d.id, d.building_id AS "buildingId", ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat,
              d.unit_key AS "unitKey", d.do_not_knock_at IS NOT NULL AS "doNotKnock"
         FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
        WHERE td.turf_id = ANY($1::uuid[]) ORDER BY d.id`,
      [ids],
    );
    return {
      turfs: ids.map((id) => {
        const held = doors.filter((d) => d.turfId === id);
        return {
          id,
          doors: held.filter((d) => !d.doNotKnock).map(({ turfId: _t, doNotKnock: _d, ...d }) => d),
          doNotKnock: held.filter((d) => d.doNotKnock).map((d) => d.id),
        };
      }),
    };
  }

  async findById(id: string): Promise<TurfRow | null> {
    const rows = await this.dataSource.query<TurfRow[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** All the turf's doors (including "do not knock" ones) in route order, with their positions. */
  async routeDoorIds(turfId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ doorId: string }[]>(
      'SELECT door_id AS "doorId" FROM turf_doors WHERE turf_id = $1 ORDER BY position',
      [turfId],
    );
    return rows.map((r) => r.doorId);
  }

  /** Writes a new route order; positions move out of the way first, as (turf, position) is unique. */
  async reorder(m: EntityManager, turfId: string, doorIds: string[], walkMetres: number, walkMinutes: number): Promise<void> {
    await m.query('UPDATE turf_doors SET position = position + 1000000 WHERE turf_id = $1', [turfId]);
    await m.query(
      `UPDATE turf_doors td SET position = x.position - 1
         FROM unnest($2::uuid[]) WITH ORDINALITY AS x(door_id, position)
        WHERE td.turf_id = $1 AND td.door_id = x.door_id`,
      [turfId, doorIds],
    );
    await m.query('UPDATE turfs SET meeting_door_id = $2, walk_metres = $3, walk_minutes = $4, updated_at = now() WHERE id = $1', [
      turfId,
      doorIds[0],
      walkMetres,
      walkMinutes,
    ]);
  }

  /** A route by the code on its walk list or QR code, within one organization. */
  async findByCode(organizationId: string, code: string): Promise<(TurfRow & { allowSelfAssignment: boolean }) | null> {
    const rows = await this.dataSource.query<(TurfRow & { allowSelfAssignment: boolean })[]>(
      `SELECT ${COLUMNS}, c.allow_self_assignment AS "allowSelfAssignment"
         FROM ${FROM} JOIN campaigns c ON c.id = t.campaign_id
        WHERE t.organization_id = $1 AND t.code = $2`,
      [organizationId, code],
    );
    return rows[0] ?? null;
  }

  /** Adds a partner to a running assignment of one person, if it still has one. */
  async joinAssignment(m: EntityManager, assignmentId: string, userId: string): Promise<boolean> {
    const [{ count }] = await m.query<{ count: number }[]>(
      `WITH joined AS (
         UPDATE route_assignments SET assignee_ids = assignee_ids || $2::uuid, updated_at = now()
          WHERE id = $1 AND cardinality(assignee_ids) = 1 AND NOT assignee_ids @> ARRAY[$2::uuid]
         RETURNING 1)
       SELECT count(*)::int AS count FROM joined`,
      [assignmentId, userId],
    );
    return count === 1;
  }

  async listForCampaign(campaignId: string, limit: number, offset: number): Promise<[TurfRow[], number]> {
    const rows = await this.dataSource.query<TurfRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE t.campaign_id = $1 ORDER BY t.created_at, length(t.name), t.name LIMIT $2 OFFSET $3`,
      [campaignId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM turfs WHERE campaign_id = $1', [
      campaignId,
    ]);
    return [rows, n];
  }

  /** Routes handed to this person and still running. */
  async listAssignedTo(organizationId: string, userId: string, limit: number, offset: number): Promise<[TurfRow[], number]> {
    const where = `t.organization_id = $1 AND a.assignee_ids @> ARRAY[$2::uuid]`;
    const rows = await this.dataSource.query<TurfRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} ORDER BY a.expires_at, t.name LIMIT $3 OFFSET $4`,
      [organizationId, userId, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${FROM} WHERE ${where}`, [
      organizationId,
      userId,
    ]);
    return [rows, n];
  }

  async route(turfId: string): Promise<RouteStop[]> {
    return this.stops(turfId, false);
  }

  async routeStopsIncludingDoNotKnock(turfId: string): Promise<RouteStop[]> {
    return this.stops(turfId, true);
  }

  private stops(turfId: string, includeDoNotKnock: boolean): Promise<RouteStop[]> {
    return this.dataSource.query<RouteStop[]>(
      `SELECT td.position, d.id AS "doorId", d.building_id AS "buildingId", b.number, b.street, d.unit,
              ST_X(b.location::geometry) AS lon, ST_Y(b.location::geometry) AS lat
         FROM turf_doors td JOIN doors d ON d.id = td.door_id JOIN buildings b ON b.id = d.building_id
        WHERE td.turf_id = $1 AND ($2 OR d.do_not_knock_at IS NULL)
        ORDER BY td.position`,
      [turfId, includeDoNotKnock],
    );
  }

  /** Ends the turf's running assignment (if any) and starts a new one, in one transaction. */
  async assign(m: EntityManager, turf: TurfRow, assigneeIds: string[], expiresAt: Date, byUserId: string): Promise<void> {
    await this.release(m, turf.id);
    await m.query(
      `INSERT INTO route_assignments (organization_id, turf_id, assignee_ids, status, expires_at, assigned_by_user_id)
       VALUES ($1, $2, $3::uuid[], 'assigned', $4, $5)`,
      [turf.organizationId, turf.id, assigneeIds, expiresAt, byUserId],
    );
  }

  async release(m: EntityManager, turfId: string): Promise<number> {
    const [{ count }] = await m.query<{ count: number }[]>(
      `WITH released AS (
         UPDATE route_assignments a SET status = 'released', updated_at = now()
          WHERE a.turf_id = $1 AND a.status IN ('assigned', 'in_progress')
         RETURNING 1)
       SELECT count(*)::int AS count FROM released`,
      [turfId],
    );
    return count;
  }

  /** Marks assignments past their expiry as expired (they already stop counting at expiry; this records it). */
  async expireDue(): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH expired AS (
         UPDATE route_assignments SET status = 'expired', updated_at = now()
          WHERE status IN ('assigned', 'in_progress') AND expires_at <= now()
         RETURNING 1)
       SELECT count(*)::int AS count FROM expired`,
    );
    return count;
  }
}
