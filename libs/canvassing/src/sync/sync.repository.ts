import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ClockFlag, RecordStatus, VisitOutcome } from '../entities/field.entity';
import { NoteSealer } from '../notes/note-sealer';

export interface AssignmentRef {
  id: string;
  createdAt: string;
}

export interface SyncTurf {
  id: string;
  campaignId: string;
  /** The campaign's door-level records were deleted under retention (see RetentionService). */
  purged: boolean;
  /** The caller's running assignment of this route, if any. */
  current: AssignmentRef | null;
  /** The caller's latest assignment of this route, running or ended. */
  latest: (AssignmentRef & { status: string; expiresAt: string }) | null;
}

export interface SyncShift {
  id: string;
  userId: string;
  organizationId: string;
  turfId: string;
  startedAt: string;
  checkoutId: string | null;
}

/** What the records of one batch refer to, read in one round trip. */
export interface SyncContext {
  notesEnabled: boolean;
  coarseLocationEnabled: boolean;
  turfs: SyncTurf[];
  /** [turfId, doorId] pairs that are on the route, among the routes and doors asked about. */
  doors: [string, string][];
  materials: string[];
  partners: string[];
  shifts: SyncShift[];
  /** Visits already stored under the ids sent, with their author. */
  visits: { id: string; userId: string }[];
}

export interface SyncContextQuery {
  organizationId: string;
  userId: string;
  turfIds: string[];
  routeDoors: { turfId: string; doorId: string }[];
  materialIds: string[];
  partnerIds: string[];
  /** Check-in ids, and the shifts visits and check-outs refer to. */
  shiftIds: string[];
  checkoutIds: string[];
  visitIds: string[];
}

export interface NewVisit {
  id: string;
  campaignId: string;
  turfId: string;
  doorId: string;
  shiftId: string | null;
  outcome: VisitOutcome;
  language: string | null;
  followUp: boolean;
  /** Plain text here; sealed (bound to the visit's id) on its way into the table. */
  note: string | null;
  recordedAt: string;
  clockFlag: ClockFlag | null;
  status: RecordStatus;
  quarantineReason: string | null;
  materials: { materialId: string; quantity: number }[];
}

export interface NewShift {
  id: string;
  campaignId: string;
  turfId: string;
  assignmentId: string | null;
  partnerUserId: string | null;
  startedAt: string;
  coarseLat: number | null;
  coarseLon: number | null;
  clockFlag: ClockFlag | null;
  status: RecordStatus;
  quarantineReason: string | null;
  taken: { materialId: string; quantity: number }[];
  /** Set when the check-out came in the same batch as the check-in. */
  checkout: ShiftCheckout | null;
}

export interface ShiftCheckout {
  shiftId: string;
  checkoutId: string;
  endedAt: string;
  returned: { materialId: string; quantity: number }[];
}

export interface SyncWrite {
  organizationId: string;
  /** The author of every record: the volunteer who walked. */
  userId: string;
  /** The coordinator who typed the visits in from a paper walk list; absent for a phone's records. */
  enteredByUserId?: string;
  visits: NewVisit[];
  shifts: NewShift[];
  checkouts: ShiftCheckout[];
}

export interface SyncWritten {
  visits: Set<string>;
  shifts: Set<string>;
  checkouts: Set<string>;
}

const RUNNING = `a.status IN ('assigned', 'in_progress') AND a.expires_at > now()`;

@Injectable()
export class SyncRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly notes: NoteSealer,
  ) {}

  /**
   * One round trip. A list the batch names nothing in is answered with `[]` without a subquery,
   * so that the usual batch (visits only) plans and runs none for materials, partners or shifts.
   */
  async context(q: SyncContextQuery): Promise<SyncContext> {
    const params: unknown[] = [q.organizationId];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const none = `'[]'::json`;
    let turfs = none;
    if (q.turfIds.length > 0) {
      const user = p(q.userId);
      turfs = `(SELECT coalesce(json_agg(json_build_object(
                   'id', t.id, 'campaignId', t.campaign_id,
                   'purged', EXISTS (SELECT 1 FROM purged_campaigns pc WHERE pc.campaign_id = t.campaign_id),
                   'current', (SELECT json_build_object('id', a.id, 'createdAt', a.created_at) FROM route_assignments a
                                WHERE a.turf_id = t.id AND ${RUNNING} AND a.assignee_ids @> ARRAY[${user}::uuid]
                                ORDER BY a.created_at DESC LIMIT 1),
                   'latest', (SELECT json_build_object('id', a.id, 'createdAt', a.created_at, 'status', a.status, 'expiresAt', a.expires_at)
                                FROM route_assignments a
                               WHERE a.turf_id = t.id AND a.assignee_ids @> ARRAY[${user}::uuid]
                               ORDER BY a.created_at DESC LIMIT 1))), '[]')
            FROM turfs t WHERE t.id = ANY(${p(q.turfIds)}::uuid[]) AND t.organization_id = $1)`;
    }
    // Probes of the primary key (turf_id, door_id) for the routes and doors named; joining the
    // pairs instead let the planner hash the whole of turf_doors on every request. The answer may
    // hold pairs that were not asked about together: each is on its route all the same.
    const doors =
      q.routeDoors.length === 0
        ? none
        : `(SELECT coalesce(json_agg(json_build_array(td.turf_id, td.door_id)), '[]') FROM turf_doors td
             WHERE td.turf_id = ANY(${p([...new Set(q.routeDoors.map((d) => d.turfId))])}::uuid[])
               AND td.door_id = ANY(${p([...new Set(q.routeDoors.map((d) => d.doorId))])}::uuid[]))`;
    const materials =
      q.materialIds.length === 0
        ? none
        : `(SELECT coalesce(json_agg(m.id), '[]') FROM materials m WHERE m.id = ANY(${p(q.materialIds)}::uuid[]) AND m.organization_id = $1)`;
    const partners =
      q.partnerIds.length === 0
        ? none
        : `(SELECT coalesce(json_agg(ms.user_id), '[]') FROM memberships ms
             WHERE ms.organization_id = $1 AND ms.user_id = ANY(${p(q.partnerIds)}::uuid[]) AND ms.status = 'active')`;
    const shifts =
      q.shiftIds.length === 0 && q.checkoutIds.length === 0
        ? none
        : `(SELECT coalesce(json_agg(json_build_object('id', s.id, 'userId', s.user_id, 'organizationId', s.organization_id,
                   'turfId', s.turf_id, 'startedAt', s.started_at, 'checkoutId', s.checkout_id)), '[]')
            FROM shifts s WHERE s.id = ANY(${p(q.shiftIds)}::uuid[]) OR s.checkout_id = ANY(${p(q.checkoutIds)}::uuid[]))`;
    const visits =
      q.visitIds.length === 0
        ? none
        : `(SELECT coalesce(json_agg(json_build_object('id', v.id, 'userId', v.user_id)), '[]')
            FROM visits v WHERE v.id = ANY(${p(q.visitIds)}::uuid[]))`;
    const [row] = await this.dataSource.query<SyncContext[]>(
      `SELECT o.notes_enabled AS "notesEnabled", o.coarse_location_enabled AS "coarseLocationEnabled",
              ${turfs} AS turfs, ${doors} AS doors, ${materials} AS materials, ${partners} AS partners,
              ${shifts} AS shifts, ${visits} AS visits
         FROM organizations o WHERE o.id = $1`,
      params,
    );
    return row;
  }

  /**
   * Writes the batch's accepted and quarantined records in one statement, so it is all or
   * nothing. Ids already stored are skipped (ON CONFLICT), which makes a resent batch harmless
   * even when two copies race; the answer says which ids this statement wrote.
   */
  async write(w: SyncWrite, manager?: EntityManager): Promise<SyncWritten> {
    const params: unknown[] = [w.organizationId, w.userId];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const ctes: string[] = [];
    const selects: string[] = [];
    /** The CTEs whose rows move the stock, each `(material_id, delta)`. */
    const moves: string[] = [];

    if (w.visits.length > 0) {
      const v = w.visits;
      ctes.push(
        `v AS (
          INSERT INTO visits (id, organization_id, campaign_id, turf_id, door_id, user_id, shift_id, outcome, language, follow_up, note,
                              recorded_at, effective_at, txid, clock_flag, status, quarantine_reason${w.enteredByUserId ? ', entered_by_user_id' : ''})
          SELECT x.id, $1, x.campaign_id, x.turf_id, x.door_id, $2, x.shift_id, x.outcome, x.language, x.follow_up, x.note,
                 x.recorded_at, least(x.recorded_at, now()), pg_current_xact_id()::text::bigint, x.clock_flag, x.status, x.quarantine_reason
                 ${w.enteredByUserId ? `, ${p(w.enteredByUserId)}::uuid` : ''}
            FROM unnest(${p(v.map((x) => x.id))}::uuid[], ${p(v.map((x) => x.campaignId))}::uuid[], ${p(v.map((x) => x.turfId))}::uuid[],
                        ${p(v.map((x) => x.doorId))}::uuid[], ${p(v.map((x) => x.shiftId))}::uuid[], ${p(v.map((x) => x.outcome))}::text[],
                        ${p(v.map((x) => x.language))}::text[], ${p(v.map((x) => x.followUp))}::bool[],
                        ${p(v.map((x) => (x.note === null ? null : this.notes.seal(x.id, x.note))))}::text[],
                        ${p(v.map((x) => x.recordedAt))}::timestamptz[], ${p(v.map((x) => x.clockFlag))}::text[],
                        ${p(v.map((x) => x.status))}::text[], ${p(v.map((x) => x.quarantineReason))}::text[])
              AS x(id, campaign_id, turf_id, door_id, shift_id, outcome, language, follow_up, note, recorded_at, clock_flag, status, quarantine_reason)
          ON CONFLICT (id) DO NOTHING
          RETURNING id, campaign_id, door_id, outcome, follow_up, status)`,
      );
      const left = v.flatMap((x) => x.materials.map((m) => ({ visitId: x.id, ...m })));
      if (left.length > 0) {
        ctes.push(
          `vm AS (
            INSERT INTO visit_materials (visit_id, material_id, quantity)
            SELECT x.visit_id, x.material_id, x.quantity
              FROM unnest(${p(left.map((m) => m.visitId))}::uuid[], ${p(left.map((m) => m.materialId))}::uuid[], ${p(left.map((m) => m.quantity))}::int[])
                AS x(visit_id, material_id, quantity)
              JOIN v ON v.id = x.visit_id)`,
        );
      }
      if (v.some((x) => x.followUp && x.status === 'accepted')) {
        ctes.push(
          `fu AS (
            INSERT INTO follow_ups (organization_id, campaign_id, door_id, visit_id)
            SELECT $1, v.campaign_id, v.door_id, v.id FROM v WHERE v.follow_up AND v.status = 'accepted')`,
        );
      }
      if (v.some((x) => x.outcome === 'do_not_knock' && x.status === 'accepted')) {
        ctes.push(
          `dnk AS (
            UPDATE doors d SET do_not_knock_at = now()
              FROM v WHERE v.outcome = 'do_not_knock' AND v.status = 'accepted' AND d.id = v.door_id AND d.do_not_knock_at IS NULL)`,
        );
      }
      selects.push(`(SELECT coalesce(array_agg(id), '{}') FROM v) AS visits`);
    }

    if (w.shifts.length > 0) {
      const s = w.shifts;
      ctes.push(
        `s AS (
          INSERT INTO shifts (id, organization_id, campaign_id, turf_id, assignment_id, user_id, partner_user_id, started_at,
                              coarse_lat, coarse_lon, clock_flag, status, quarantine_reason, ended_at, ended_by, checkout_id)
          SELECT x.id, $1, x.campaign_id, x.turf_id, x.assignment_id, $2, x.partner_user_id, x.started_at,
                 x.coarse_lat, x.coarse_lon, x.clock_flag, x.status, x.quarantine_reason,
                 x.ended_at, CASE WHEN x.ended_at IS NULL THEN NULL ELSE 'volunteer' END, x.checkout_id
            FROM unnest(${p(s.map((x) => x.id))}::uuid[], ${p(s.map((x) => x.campaignId))}::uuid[], ${p(s.map((x) => x.turfId))}::uuid[],
                        ${p(s.map((x) => x.assignmentId))}::uuid[], ${p(s.map((x) => x.partnerUserId))}::uuid[],
                        ${p(s.map((x) => x.startedAt))}::timestamptz[], ${p(s.map((x) => x.coarseLat))}::numeric[],
                        ${p(s.map((x) => x.coarseLon))}::numeric[], ${p(s.map((x) => x.clockFlag))}::text[], ${p(s.map((x) => x.status))}::text[],
                        ${p(s.map((x) => x.quarantineReason))}::text[], ${p(s.map((x) => x.checkout?.endedAt ?? null))}::timestamptz[],
                        ${p(s.map((x) => x.checkout?.checkoutId ?? null))}::uuid[])
              AS x(id, campaign_id, turf_id, assignment_id, partner_user_id, started_at, coarse_lat, coarse_lon, clock_flag, status,
                   quarantine_reason, ended_at, checkout_id)
          ON CONFLICT (id) DO NOTHING
          RETURNING id, assignment_id, status)`,
      );
      const counts = new Map<string, { shiftId: string; materialId: string; taken: number; returned: number | null }>();
      for (const x of s) {
        for (const m of x.taken)
          counts.set(`${x.id} ${m.materialId}`, { shiftId: x.id, materialId: m.materialId, taken: m.quantity, returned: null });
        for (const m of x.checkout?.returned ?? []) {
          const key = `${x.id} ${m.materialId}`;
          counts.set(key, { shiftId: x.id, materialId: m.materialId, taken: counts.get(key)?.taken ?? 0, returned: m.quantity });
        }
      }
      const rows = [...counts.values()];
      if (rows.length > 0) {
        moves.push('SELECT material_id, delta FROM sm');
        ctes.push(
          `sm AS (
            INSERT INTO shift_materials (shift_id, material_id, taken, returned)
            SELECT x.shift_id, x.material_id, x.taken, x.returned
              FROM unnest(${p(rows.map((r) => r.shiftId))}::uuid[], ${p(rows.map((r) => r.materialId))}::uuid[],
                          ${p(rows.map((r) => r.taken))}::int[], ${p(rows.map((r) => r.returned))}::int[]) AS x(shift_id, material_id, taken, returned)
              JOIN s ON s.id = x.shift_id
            RETURNING material_id, coalesce(returned, 0) - taken AS delta)`,
        );
      }
      ctes.push(
        `started AS (
          UPDATE route_assignments a SET status = 'in_progress', updated_at = now()
            FROM s WHERE a.id = s.assignment_id AND s.status = 'accepted' AND a.status = 'assigned')`,
      );
      selects.push(`(SELECT coalesce(array_agg(id), '{}') FROM s) AS shifts`);
    }

    if (w.checkouts.length > 0) {
      const c = w.checkouts;
      ctes.push(
        `co AS (
          UPDATE shifts sh SET ended_at = x.ended_at, ended_by = 'volunteer', checkout_id = x.checkout_id
            FROM unnest(${p(c.map((x) => x.shiftId))}::uuid[], ${p(c.map((x) => x.checkoutId))}::uuid[], ${p(c.map((x) => x.endedAt))}::timestamptz[])
              AS x(shift_id, checkout_id, ended_at)
           WHERE sh.id = x.shift_id AND sh.organization_id = $1 AND sh.user_id = $2 AND sh.checkout_id IS NULL
          RETURNING sh.id, x.checkout_id)`,
      );
      const back = c.flatMap((x) => x.returned.map((m) => ({ shiftId: x.shiftId, ...m })));
      if (back.length > 0) {
        moves.push('SELECT material_id, delta FROM cm');
        ctes.push(
          `cm AS (
            INSERT INTO shift_materials (shift_id, material_id, taken, returned)
            SELECT x.shift_id, x.material_id, 0, x.returned
              FROM unnest(${p(back.map((m) => m.shiftId))}::uuid[], ${p(back.map((m) => m.materialId))}::uuid[], ${p(back.map((m) => m.quantity))}::int[])
                AS x(shift_id, material_id, returned)
              JOIN co ON co.id = x.shift_id
            ON CONFLICT (shift_id, material_id) DO UPDATE SET returned = excluded.returned
            RETURNING material_id, returned AS delta)`,
        );
      }
      selects.push(`(SELECT coalesce(array_agg(checkout_id), '{}') FROM co) AS checkouts`);
    }

    // The stock moves with the counts written above, so only for check-ins and check-outs this
    // statement stores: a batch sent again moves nothing. One UPDATE for the whole batch (a row may
    // not be changed twice in one statement); a count larger than the stock empties it.
    if (moves.length > 0) {
      ctes.push(
        `stock AS (
          UPDATE materials m SET stock = greatest(m.stock + d.delta, 0), updated_at = now()
            FROM (SELECT material_id, sum(delta)::int AS delta FROM (${moves.join(' UNION ALL ')}) x GROUP BY material_id) d
           WHERE m.id = d.material_id AND m.organization_id = $1 AND d.delta <> 0)`,
      );
    }

    if (selects.length === 0) return { visits: new Set(), shifts: new Set(), checkouts: new Set() };
    const [row] = await (manager ?? this.dataSource).query<{ visits?: string[]; shifts?: string[]; checkouts?: string[] }[]>(
      `WITH ${ctes.join(',\n')} SELECT ${selects.join(', ')}`,
      params,
    );
    return { visits: new Set(row.visits ?? []), shifts: new Set(row.shifts ?? []), checkouts: new Set(row.checkouts ?? []) };
  }
}
