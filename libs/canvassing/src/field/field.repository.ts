import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecordStatus, VisitOutcome } from '../entities/field.entity';
import { NoteSealer } from '../notes/note-sealer';

export interface ShiftRow {
  id: string;
  turfId: string;
  turfName: string | null;
  userId: string;
  volunteerName: string;
  partnerUserId: string | null;
  partnerName: string | null;
  startedAt: Date;
  receivedAt: Date;
  endedAt: Date | null;
  endedBy: 'volunteer' | 'auto' | null;
  status: RecordStatus;
  clockFlag: string | null;
  coarseLat: string | null;
  coarseLon: string | null;
  materials: { materialId: string; name: string; kind: string; language: string; taken: number; returned: number | null }[];
}

export interface FollowUpRow {
  id: string;
  organizationId: string;
  campaignId: string;
  status: 'open' | 'closed';
  doorId: string;
  number: string;
  street: string;
  unit: string | null;
  turfId: string;
  turfName: string | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface VisitRow {
  id: string;
  organizationId: string;
  campaignId: string;
  turfId: string;
  doorId: string;
  number: string;
  street: string;
  unit: string | null;
  /** Null once the route was re-cut away. */
  turfName: string | null;
  userId: string;
  volunteerName: string;
  shiftId: string | null;
  outcome: VisitOutcome;
  language: string | null;
  followUp: boolean;
  note: string | null;
  recordedAt: Date;
  receivedAt: Date;
  status: RecordStatus;
  quarantineReason: string | null;
  clockFlag: string | null;
  enteredByUserId: string | null;
  materials: { materialId: string; quantity: number }[];
}

export interface DoorStatusRow {
  doorId: string;
  position: number;
  doNotKnock: boolean;
  attempts: number;
  outcome: VisitOutcome | null;
  at: Date | null;
}

export interface MaterialCountRow {
  materialId: string;
  name: string;
  names: Record<string, string>;
  kind: string;
  language: string;
  taken: number;
  returned: number;
  leftAtDoors: number;
  outNow: number;
  stock: number;
  lowStockThreshold: number | null;
  lowStock: boolean;
  retired: boolean;
}

export interface RouteChange {
  turfId: string;
  name: string;
  campaignName: string;
  code: string;
  doorCount: number;
  routeUpdatedAt: string;
  assignmentId: string;
  assigneeIds: string[];
  assignmentStatus: string;
  expiresAt: string;
  doNotKnockDoorIds: string[];
}

export interface PulledVisit {
  id: string;
  turfId: string;
  doorId: string;
  userId: string;
  outcome: VisitOutcome;
  language: string | null;
  followUp: boolean;
  recordedAt: string;
  effectiveAt: string;
  materials: { materialId: string; quantity: number }[];
}

const VISIT_COLUMNS = `v.id, v.organization_id AS "organizationId", v.campaign_id AS "campaignId", v.turf_id AS "turfId", v.door_id AS "doorId",
  v.user_id AS "userId", u.display_name AS "volunteerName", v.shift_id AS "shiftId", v.outcome, v.language, v.follow_up AS "followUp", v.note,
  v.recorded_at AS "recordedAt", v.received_at AS "receivedAt", v.status, v.quarantine_reason AS "quarantineReason", v.clock_flag AS "clockFlag",
  v.entered_by_user_id AS "enteredByUserId", b.number, b.street, d.unit, t.name AS "turfName",
  (SELECT coalesce(json_agg(json_build_object('materialId', vm.material_id, 'quantity', vm.quantity)), '[]')
     FROM visit_materials vm WHERE vm.visit_id = v.id) AS materials`;

const VISIT_FROM = `visits v JOIN users u ON u.id = v.user_id JOIN doors d ON d.id = v.door_id JOIN buildings b ON b.id = d.building_id
  LEFT JOIN turfs t ON t.id = v.turf_id`;

/** A door's status: its latest accepted visit, by the time it counts at, then by server order. */
const LATEST_VISIT = `SELECT v.outcome, v.effective_at FROM visits v
  WHERE v.door_id = td.door_id AND v.status = 'accepted' ORDER BY v.effective_at DESC, v.seq DESC LIMIT 1`;

@Injectable()
export class FieldRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notes: NoteSealer,
  ) {}

  /** Notes are stored sealed to their visit; what leaves this repository is plain text. */
  private opened(row: VisitRow): VisitRow {
    return row.note === null ? row : { ...row, note: this.notes.open(row.id, row.note) };
  }

  async shifts(campaignId: string, openOnly: boolean, limit: number, offset: number): Promise<[ShiftRow[], number]> {
    const where = `s.campaign_id = $1 AND s.status <> 'discarded' AND ($2::bool IS NOT TRUE OR s.ended_at IS NULL)`;
    const rows = await this.dataSource.query<ShiftRow[]>(
      `SELECT s.id, s.turf_id AS "turfId", t.name AS "turfName", s.user_id AS "userId", u.display_name AS "volunteerName",
              s.partner_user_id AS "partnerUserId", p.display_name AS "partnerName", s.started_at AS "startedAt",
              s.received_at AS "receivedAt", s.ended_at AS "endedAt", s.ended_by AS "endedBy", s.status, s.clock_flag AS "clockFlag",
              s.coarse_lat AS "coarseLat", s.coarse_lon AS "coarseLon",
              (SELECT coalesce(json_agg(json_build_object('materialId', m.id, 'name', m.name, 'kind', m.kind, 'language', m.language,
                        'taken', sm.taken, 'returned', sm.returned) ORDER BY m.kind, m.name, m.language), '[]')
                 FROM shift_materials sm JOIN materials m ON m.id = sm.material_id WHERE sm.shift_id = s.id) AS materials
         FROM shifts s JOIN users u ON u.id = s.user_id LEFT JOIN users p ON p.id = s.partner_user_id LEFT JOIN turfs t ON t.id = s.turf_id
        WHERE ${where} ORDER BY s.started_at DESC, s.id LIMIT $3 OFFSET $4`,
      [campaignId, openOnly, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM shifts s WHERE ${where}`, [
      campaignId,
      openOnly,
    ]);
    return [rows, n];
  }

  /** The worker's job: a shift open for 12 hours ends at its 12th hour. */
  async closeStale(hours: number): Promise<number> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH closed AS (
         UPDATE shifts SET ended_at = least(started_at, received_at) + make_interval(hours => $1), ended_by = 'auto'
          WHERE ended_at IS NULL AND least(started_at, received_at) <= now() - make_interval(hours => $1)
         RETURNING 1)
       SELECT count(*)::int AS count FROM closed`,
      [hours],
    );
    return count;
  }

  async followUps(campaignId: string, status: 'open' | 'closed' | null, limit: number, offset: number): Promise<[FollowUpRow[], number]> {
    const where = `f.campaign_id = $1 AND ($2::text IS NULL OR f.status = $2)`;
    const rows = await this.dataSource.query<FollowUpRow[]>(
      `SELECT ${FOLLOW_UP_COLUMNS} FROM ${FOLLOW_UP_FROM} WHERE ${where} ORDER BY f.created_at, f.id LIMIT $3 OFFSET $4`,
      [campaignId, status, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM follow_ups f WHERE ${where}`, [
      campaignId,
      status,
    ]);
    return [rows, n];
  }

  async followUp(id: string): Promise<FollowUpRow | null> {
    const rows = await this.dataSource.query<FollowUpRow[]>(`SELECT ${FOLLOW_UP_COLUMNS} FROM ${FOLLOW_UP_FROM} WHERE f.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async closeFollowUp(id: string, userId: string): Promise<boolean> {
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH closed AS (
         UPDATE follow_ups SET status = 'closed', closed_at = now(), closed_by_user_id = $2 WHERE id = $1 AND status = 'open' RETURNING 1)
       SELECT count(*)::int AS count FROM closed`,
      [id, userId],
    );
    return count === 1;
  }

  async visits(
    campaignId: string,
    filter: { status: RecordStatus | null; flagged: boolean; turfId: string | null },
    limit: number,
    offset: number,
  ): Promise<[VisitRow[], number]> {
    const where = `v.campaign_id = $1 AND ($2::text IS NULL OR v.status = $2) AND ($3::bool IS NOT TRUE OR v.clock_flag IS NOT NULL)
      AND ($4::uuid IS NULL OR v.turf_id = $4)`;
    const args = [campaignId, filter.status, filter.flagged, filter.turfId];
    const rows = await this.dataSource.query<VisitRow[]>(
      `SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE ${where}
        ORDER BY v.received_at DESC, v.seq DESC LIMIT $5 OFFSET $6`,
      [...args, limit, offset],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM visits v WHERE ${where}`, args);
    return [rows.map((r) => this.opened(r)), n];
  }

  async visit(id: string): Promise<VisitRow | null> {
    const rows = await this.dataSource.query<VisitRow[]>(`SELECT ${VISIT_COLUMNS} FROM ${VISIT_FROM} WHERE v.id = $1`, [id]);
    return rows[0] ? this.opened(rows[0]) : null;
  }

  /**
   * A coordinator's decision on a quarantined visit. Accepting it makes it count as if it had
   * arrived now: the partner's phone pulls it, its follow-up opens, a "do not knock" marks the door.
   */
  async review(id: string, decision: 'accept' | 'discard', userId: string): Promise<boolean> {
    const status = decision === 'accept' ? 'accepted' : 'discarded';
    const [{ count }] = await this.dataSource.query<{ count: number }[]>(
      `WITH v AS (
         UPDATE visits SET status = $2, reviewed_by_user_id = $3, reviewed_at = now(), txid = pg_current_xact_id()::text::bigint
          WHERE id = $1 AND status = 'quarantined'
         RETURNING id, organization_id, campaign_id, door_id, outcome, follow_up, status),
       fu AS (
         INSERT INTO follow_ups (organization_id, campaign_id, door_id, visit_id)
         SELECT organization_id, campaign_id, door_id, id FROM v WHERE v.follow_up AND v.status = 'accepted'
         ON CONFLICT (visit_id) DO NOTHING),
       dnk AS (
         UPDATE doors d SET do_not_knock_at = now()
           FROM v WHERE v.outcome = 'do_not_knock' AND v.status = 'accepted' AND d.id = v.door_id AND d.do_not_knock_at IS NULL)
       SELECT count(*)::int AS count FROM v`,
      [id, status, userId],
    );
    return count === 1;
  }

  async doorStatus(turfId: string): Promise<DoorStatusRow[]> {
    return this.dataSource.query<DoorStatusRow[]>(
      `SELECT td.door_id AS "doorId", td.position, d.do_not_knock_at IS NOT NULL AS "doNotKnock",
              (SELECT count(*)::int FROM visits v WHERE v.door_id = td.door_id AND v.status = 'accepted') AS attempts,
              last.outcome, last.effective_at AS at
         FROM turf_doors td JOIN doors d ON d.id = td.door_id LEFT JOIN LATERAL (${LATEST_VISIT}) last ON true
        WHERE td.turf_id = $1 ORDER BY td.position`,
      [turfId],
    );
  }

  async materialCounts(organizationId: string, campaignId: string): Promise<MaterialCountRow[]> {
    return this.dataSource.query<MaterialCountRow[]>(
      `WITH taken AS (
         SELECT sm.material_id, sum(sm.taken)::int AS taken, sum(coalesce(sm.returned, 0))::int AS returned,
                (sum(sm.taken) FILTER (WHERE s.ended_at IS NULL))::int AS taken_open
           FROM shift_materials sm JOIN shifts s ON s.id = sm.shift_id
          WHERE s.campaign_id = $2 AND s.status <> 'discarded' GROUP BY sm.material_id),
       left_at AS (
         SELECT vm.material_id, sum(vm.quantity)::int AS left_at_doors,
                (sum(vm.quantity) FILTER (WHERE s.id IS NOT NULL AND s.ended_at IS NULL))::int AS left_open
           FROM visit_materials vm JOIN visits v ON v.id = vm.visit_id LEFT JOIN shifts s ON s.id = v.shift_id
          WHERE v.campaign_id = $2 AND v.status = 'accepted' GROUP BY vm.material_id)
       SELECT m.id AS "materialId", m.name, m.names, m.kind, m.language,
              coalesce(t.taken, 0) AS taken, coalesce(t.returned, 0) AS returned, coalesce(l.left_at_doors, 0) AS "leftAtDoors",
              greatest(coalesce(t.taken_open, 0) - coalesce(l.left_open, 0), 0) AS "outNow",
              m.stock, m.low_stock_threshold AS "lowStockThreshold",
              coalesce(m.stock <= m.low_stock_threshold, false) AS "lowStock", m.retired_at IS NOT NULL AS retired
         FROM materials m LEFT JOIN taken t ON t.material_id = m.id LEFT JOIN left_at l ON l.material_id = m.id
        WHERE m.organization_id = $1
          AND (t.material_id IS NOT NULL OR l.material_id IS NOT NULL
               OR EXISTS (SELECT 1 FROM campaign_materials cm WHERE cm.campaign_id = $2 AND cm.material_id = m.id))
        ORDER BY m.kind, m.name, m.language`,
      [organizationId, campaignId],
    );
  }

  /**
   * What changed on the caller's routes since a cursor: the routes themselves (assignees,
   * status, expiry, doors marked "do not knock") in full, as they are few, and the accepted
   * visits written by transactions the cursor had not seen. The new cursor is the oldest
   * transaction still running when this was read, so a visit committed late is never skipped
   * (one seen twice is harmless: the phone knows it by id).
   */
  async changes(
    organizationId: string,
    userId: string,
    sinceTxid: string,
  ): Promise<{ horizon: string; routes: RouteChange[]; visits: PulledVisit[] }> {
    const [row] = await this.dataSource.query<{ horizon: string; routes: RouteChange[]; visits: PulledVisit[] }[]>(
      `WITH mine AS (
         SELECT t.id, t.name, c.name AS campaign_name, t.code, t.door_count, t.updated_at, a.id AS assignment_id, a.assignee_ids, a.status, a.expires_at
           FROM route_assignments a JOIN turfs t ON t.id = a.turf_id JOIN campaigns c ON c.id = t.campaign_id
          WHERE a.organization_id = $1 AND a.assignee_ids @> ARRAY[$2::uuid]
            AND a.status IN ('assigned', 'in_progress') AND a.expires_at > now())
       SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon,
         (SELECT coalesce(json_agg(json_build_object(
                   'turfId', mine.id, 'name', mine.name, 'campaignName', mine.campaign_name, 'code', mine.code, 'doorCount', mine.door_count, 'routeUpdatedAt', mine.updated_at,
                   'assignmentId', mine.assignment_id, 'assigneeIds', mine.assignee_ids, 'assignmentStatus', mine.status,
                   'expiresAt', mine.expires_at,
                   'doNotKnockDoorIds', (SELECT coalesce(json_agg(td.door_id ORDER BY td.position), '[]')
                                           FROM turf_doors td JOIN doors d ON d.id = td.door_id
                                          WHERE td.turf_id = mine.id AND d.do_not_knock_at IS NOT NULL)) ORDER BY mine.name), '[]')
            FROM mine) AS routes,
         (SELECT coalesce(json_agg(json_build_object(
                   'id', v.id, 'turfId', v.turf_id, 'doorId', v.door_id, 'userId', v.user_id, 'outcome', v.outcome, 'language', v.language,
                   'followUp', v.follow_up, 'recordedAt', v.recorded_at, 'effectiveAt', v.effective_at,
                   'materials', (SELECT coalesce(json_agg(json_build_object('materialId', vm.material_id, 'quantity', vm.quantity)), '[]')
                                   FROM visit_materials vm WHERE vm.visit_id = v.id)) ORDER BY v.txid, v.seq), '[]')
            FROM visits v WHERE v.turf_id IN (SELECT id FROM mine) AND v.status = 'accepted' AND v.txid >= $3::bigint) AS visits`,
      [organizationId, userId, sinceTxid],
    );
    return row;
  }
}

const FOLLOW_UP_COLUMNS = `f.id, f.organization_id AS "organizationId", f.campaign_id AS "campaignId", f.status, f.door_id AS "doorId",
  b.number, b.street, d.unit, v.turf_id AS "turfId", t.name AS "turfName", f.created_at AS "createdAt", f.closed_at AS "closedAt"`;
const FOLLOW_UP_FROM = `follow_ups f JOIN doors d ON d.id = f.door_id JOIN buildings b ON b.id = d.building_id
  JOIN visits v ON v.id = f.visit_id LEFT JOIN turfs t ON t.id = v.turf_id`;
