import { Injectable } from '@nestjs/common';
import * as QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, assertInOrganization, assertVisibleTo } from '@app/auth';
import { AuditService } from '@app/audit';
import {
  AppError,
  Clock,
  csvDocument,
  ErrorCode,
  ErrorReason,
  ForbiddenError,
  NotFoundError,
  Page,
  PageQueryDto,
  reasonDetails,
  ValidationFailedError,
} from '@app/core';
import { haversineMetres, MAX_DOORS_PER_TURF, MIN_DOORS_PER_TURF } from '@app/geo';
import { MembershipService } from '@app/organizations';
import { JobPayloads, JobProducer } from '@app/queue';
import { CampaignRepository } from '../repositories/campaign.repository';
import { RouteStop, TurfRepository, TurfRow } from '../repositories/turf.repository';
import { TurfChanges } from './turf-changes';
import { PlanDoor, planDrawnTurf, PlannedTurf, planTurfs } from './turf-planner';
import { renderWalkListPdf, WalkListMaterial } from './walk-list-pdf';

export interface CutInput {
  /** Only the doors inside this GeoJSON Polygon or MultiPolygon; the whole campaign when absent. */
  area?: object | null;
  doorsPerTurf: number;
  walkingSpeedKmh: number;
  minutesPerDoor: number;
  save: boolean;
  replace: boolean;
}

export interface CutTurfResult {
  id: string | null;
  name: string | null;
  doorCount: number;
  walkMetres: number;
  walkMinutes: number;
  meetingDoorId: string;
  centroid: { lon: number; lat: number };
  doorIds: string[];
}

export interface CutResult {
  saved: boolean;
  turfs: CutTurfResult[];
  summary: { turfCount: number; doorCount: number; minDoors: number; maxDoors: number; totalWalkMetres: number };
}

/** A turf a drawn turf took doors from, with the doors it still holds. */
type ReleasedTurf = { id: string; doors: PlanDoor[]; doNotKnock: string[] };

/** What the worker answers: a result, or an error the API gives back as it is. */
export type PlanJobResult =
  | { ok: true; result: CutResult }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      fields?: Record<string, string[]>;
      /** The case, for the app to word (see ERROR_REASONS). */
      reason?: { reason: ErrorReason; params: Record<string, string | number> };
    };

/** Cutting and routing take CPU seconds on a large campaign: the API waits for the worker rather than block its event loop. */
const PLAN_TIMEOUT_MS = 120_000;
const DEFAULT_ASSIGNMENT_DAYS = 7;
export const DEFAULT_WALKING_SPEED_KMH = 4.5;
export const DEFAULT_MINUTES_PER_DOOR = 2;
const PLAN_DEFAULTS = { walkingSpeedKmh: DEFAULT_WALKING_SPEED_KMH, minutesPerDoor: DEFAULT_MINUTES_PER_DOOR };

@Injectable()
export class TurfService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly turfs: TurfRepository,
    private readonly campaigns: CampaignRepository,
    private readonly memberships: MembershipService,
    private readonly jobs: JobProducer,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly changes: TurfChanges,
  ) {}

  /** Cuts the campaign's free doors into turfs with routes: a preview, or saved when `save` is set. */
  async cut(actor: Actor, campaignId: string, input: CutInput): Promise<CutResult> {
    return this.runPlan(actor, campaignId, { ...input, area: input.area ?? null, drawn: false });
  }

  /** Merges turfs of one campaign that nobody is walking into one turf with a new route. */
  async merge(actor: Actor, turfIds: string[]): Promise<CutResult> {
    const first = assertInOrganization(actor, await this.turfs.findById(turfIds[0]), 'Turf');
    return this.runPlan(actor, first.campaignId, {
      ...PLAN_DEFAULTS,
      doorsPerTurf: MAX_DOORS_PER_TURF,
      area: null,
      save: true,
      replace: false,
      drawn: true,
      fromTurfIds: [...new Set(turfIds)],
    });
  }

  /** Splits a turf nobody is walking into `parts` balanced turfs with their routes. */
  async split(actor: Actor, turfId: string, parts: number): Promise<CutResult> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Turf');
    return this.runPlan(actor, turf.campaignId, {
      ...PLAN_DEFAULTS,
      doorsPerTurf: MAX_DOORS_PER_TURF,
      area: null,
      save: true,
      replace: false,
      drawn: false,
      fromTurfIds: [turf.id],
      parts,
    });
  }

  /**
   * Moves doors into this turf, each with the other units of its building, from the turfs that
   * held them (or from none); this turf and those they left get new routes. Only turfs nobody is
   * walking change; a turf left with no door to knock is deleted.
   */
  async moveDoors(actor: Actor, turfId: string, doorIds: string[]): Promise<CutResult> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Turf');
    return this.runPlan(actor, turf.campaignId, {
      ...PLAN_DEFAULTS,
      doorsPerTurf: MAX_DOORS_PER_TURF,
      area: null,
      save: true,
      replace: false,
      drawn: true,
      moveDoors: { toTurfId: turf.id, doorIds: [...new Set(doorIds)] },
    });
  }

  /**
   * A turf the organizer drew: all the free doors inside the polygon, as one turf with its route.
   * With `takeFromTurfs`, the doors inside it that other turfs hold come too (whole buildings);
   * those turfs get new routes, and one left with no door to knock is removed. Refused when
   * somebody walks one of them.
   */
  async draw(
    actor: Actor,
    campaignId: string,
    input: { area: object; walkingSpeedKmh: number; minutesPerDoor: number; takeFromTurfs?: boolean },
  ): Promise<CutResult> {
    const { takeFromTurfs, ...rest } = input;
    return this.runPlan(actor, campaignId, {
      ...rest,
      doorsPerTurf: MAX_DOORS_PER_TURF,
      save: true,
      replace: false,
      drawn: true,
      ...(takeFromTurfs ? { takeFromTurfs: true } : {}),
    });
  }

  /** Gives a turf the name its organizer chose (unique within the campaign, whatever the case). */
  async rename(actor: Actor, turfId: string, name: string): Promise<TurfRow> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Turf');
    const wanted = name.trim().replace(/\s+/g, ' ');
    if (wanted.length === 0) throw new ValidationFailedError({ name: ['must not be empty'] }, 'A turf needs a name');
    if (wanted !== turf.name) {
      if (!(await this.turfs.rename(turf.id, wanted))) {
        throw new AppError('CONFLICT', 'Another turf of this campaign has this name already', {
          fields: { name: ['is taken by another turf of this campaign'] },
          ...reasonDetails('turf_name_taken'),
        });
      }
      await this.audit.record({
        action: 'turf.renamed',
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        targetType: 'turf',
        targetId: turf.id,
      });
    }
    return (await this.turfs.findById(turf.id))!;
  }

  private async runPlan(
    actor: Actor,
    campaignId: string,
    input: Omit<JobPayloads['plan-turfs'], 'organizationId' | 'campaignId' | 'requestedByUserId'>,
  ): Promise<CutResult> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    if (input.area) {
      const problem = await this.campaigns.geometryProblem(input.area);
      if (problem) throw new AppError('INVALID_GEOMETRY', `The area is not a valid polygon: ${problem}`, { fields: { area: [problem] } });
    }
    const answer = await this.jobs.runAndWait<'plan-turfs', PlanJobResult>(
      'plan-turfs',
      { organizationId: actor.organizationId, campaignId, requestedByUserId: actor.userId, ...input },
      PLAN_TIMEOUT_MS,
    );
    if (!answer.ok) {
      const details = { ...(answer.fields ? { fields: answer.fields } : {}), ...(answer.reason ?? {}) };
      throw new AppError(answer.code, answer.message, Object.keys(details).length > 0 ? details : undefined);
    }
    return answer.result;
  }

  /**
   * The worker's half. Cutting and routing can take CPU seconds, and the locks a cut's writes
   * need (the campaign's, and the coverage refreshes' that every organization's refreshes and
   * route-starting check-ins also take) must not be held that long. So the doors are read first,
   * in a transaction that is rolled back (a re-cut or merge reads them by deleting turfs, as it
   * will for real), and planned with no transaction open. Saving then takes the locks, reads the
   * doors again the same way, and writes the plans if the doors are the same; if they changed in
   * between (an import, a door marked "do not knock", another cut), it plans again on what is
   * there now, holding the locks, so that what is saved always fits what is stored. A preview
   * stops after planning. All or nothing, either way.
   */
  async plan(job: JobPayloads['plan-turfs']): Promise<PlanJobResult> {
    if (job.moveDoors) {
      const move = job.moveDoors;
      return this.inTransaction(async (m) => {
        const moved = await this.planMove(m, job, move);
        return { keep: moved.ok, value: moved };
      });
    }
    const read = await this.inTransaction(async (m) => ({ keep: false, value: await this.collectDoors(m, job) }));
    if (!read.ok) return read;
    const planned = this.planDoors(read.doors, job);
    if (!job.save) return { ok: true, result: cutResult(false, planned, []) };
    return this.inTransaction(async (m) => {
      await this.turfs.lockCampaignTurfs(m, job.campaignId);
      const now = await this.collectDoors(m, job);
      if (!now.ok) return { keep: false, value: now };
      const plans = sameDoors(now.doors, read.doors) ? planned : this.planDoors(now.doors, job);
      const saved = await this.turfs.save(m, job.organizationId, job.campaignId, plans);
      // Turfs a drawn turf took doors from walk what they have left.
      const rerouted = now.released
        ? await this.turfs.rewrite(
            m,
            now.released.map((t) => ({
              turfId: t.id,
              plan: t.doors.length > 0 ? planDrawnTurf(t.doors, job) : null,
              doNotKnock: t.doNotKnock,
            })),
          )
        : [];
      await this.changes.changed(m, [...saved.map((t) => t.id), ...rerouted.map((t) => t.id)]);
      await this.audit.record(
        {
          action: 'turfs.cut',
          organizationId: job.organizationId,
          actorUserId: job.requestedByUserId,
          targetType: 'campaign',
          targetId: job.campaignId,
          metadata: { turfs: saved.length, doors: now.doors.length, doorsPerTurf: job.doorsPerTurf },
        },
        m,
      );
      return { keep: true, value: { ok: true, result: cutResult(true, plans, saved) } as PlanJobResult };
    });
  }

  /** Runs `work` in a transaction, committed when it says `keep`, rolled back otherwise (and on any error). */
  private async inTransaction<T>(work: (m: EntityManager) => Promise<{ keep: boolean; value: T }>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const { keep, value } = await work(runner.manager);
      if (keep) await runner.commitTransaction();
      else await runner.rollbackTransaction();
      return value;
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    } finally {
      await runner.release();
    }
  }

  /**
   * The doors a plan job cuts: the free doors (after deleting the turfs nobody walks, for a
   * re-cut), or the doors of the turfs merged or split (deleting them). Refuses what cannot be cut.
   */
  private async collectDoors(
    m: EntityManager,
    job: JobPayloads['plan-turfs'],
  ): Promise<{ ok: true; doors: PlanDoor[]; released?: ReleasedTurf[] } | Extract<PlanJobResult, { ok: false }>> {
    if (job.replace) await this.turfs.deleteUnassigned(m, job.campaignId, job.area);
    let doors: PlanDoor[];
    let released: ReleasedTurf[] | undefined;
    if (job.takeFromTurfs && job.area) {
      await this.turfs.lockCampaignTurfs(m, job.campaignId);
      const taken = await this.turfs.releaseDoorsInArea(m, job.campaignId, job.area);
      if ('walked' in taken) {
        return {
          ok: false,
          code: 'TURF_ASSIGNED',
          message: `Someone is walking ${taken.walked.join(', ')}, inside this area; release its route first, or draw around it`,
          reason: reasonDetails('turf_being_walked', { turfs: taken.walked.join(', ') }),
          fields: { area: taken.walked.map((name) => `${name} is being walked`) },
        };
      }
      released = taken.turfs;
    }
    if (job.fromTurfIds) {
      const dissolved = await this.turfs.dissolve(m, job.campaignId, job.fromTurfIds);
      if (dissolved.problem) {
        return dissolved.problem === 'assigned'
          ? {
              ok: false,
              code: 'TURF_ASSIGNED',
              message: 'Someone is walking one of these turfs; release its route first',
              reason: reasonDetails('turf_being_walked', { turfs: '' }),
            }
          : { ok: false, code: 'NOT_FOUND', message: 'Turf not found' };
      }
      doors = dissolved.doors;
    } else {
      doors = await this.turfs.doorsToCut(m, job.campaignId, job.area);
    }
    if (doors.length === 0) {
      return {
        ok: false,
        code: 'NOTHING_TO_CUT',
        message: job.area
          ? 'No free doors inside this area: it holds no doors, or they are all in turfs already'
          : 'No doors are left to cut: import addresses first, or re-cut with "replace" to cut again the turfs nobody is walking',
        reason: reasonDetails(job.area ? 'no_free_doors_in_area' : 'no_doors_left'),
      };
    }
    if (job.drawn && doors.length > MAX_DOORS_PER_TURF) {
      return {
        ok: false,
        code: 'VALIDATION_FAILED',
        message: `A turf holds at most ${MAX_DOORS_PER_TURF} doors; this area has ${doors.length}: cut it instead`,
        reason: reasonDetails('turf_too_big', { max: MAX_DOORS_PER_TURF, count: doors.length }),
      };
    }
    if (job.parts && doors.length < job.parts * MIN_DOORS_PER_TURF) {
      return {
        ok: false,
        code: 'VALIDATION_FAILED',
        message: `${doors.length} doors cannot make ${job.parts} turfs of at least ${MIN_DOORS_PER_TURF}`,
        reason: reasonDetails('too_few_doors_for_parts', { count: doors.length, parts: job.parts, min: MIN_DOORS_PER_TURF }),
      };
    }
    return { ok: true, doors, ...(released ? { released } : {}) };
  }

  private planDoors(doors: PlanDoor[], job: JobPayloads['plan-turfs']): PlannedTurf[] {
    if (job.drawn) return [planDrawnTurf(doors, job)];
    return planTurfs(doors, job.parts ? { ...job, doorsPerTurf: doors.length / job.parts } : job);
  }

  /** The worker's half of moveDoors, in one transaction: its routes are few and short. */
  private async planMove(
    m: EntityManager,
    job: JobPayloads['plan-turfs'],
    move: { toTurfId: string; doorIds: string[] },
  ): Promise<PlanJobResult> {
    const moved = await this.turfs.moveDoors(m, job.campaignId, move.toTurfId, move.doorIds);
    if ('problem' in moved) {
      switch (moved.problem) {
        case 'not_found':
          return { ok: false, code: 'NOT_FOUND', message: 'Turf not found' };
        case 'assigned':
          return {
            ok: false,
            code: 'TURF_ASSIGNED',
            message: 'Someone is walking this turf or one the doors are in; release its route first',
            reason: reasonDetails('turf_being_walked', { turfs: '' }),
          };
        case 'unknown_doors':
          return {
            ok: false,
            code: 'VALIDATION_FAILED',
            message: 'Some of these doors are not in this campaign',
            fields: { doorIds: [`${moved.count} of the doors are not in this turf's campaign`] },
          };
        case 'nothing_to_move':
          return {
            ok: false,
            code: 'VALIDATION_FAILED',
            message: 'These doors are in this turf already',
            fields: { doorIds: ['every door given (with its building) is in this turf already'] },
          };
        case 'too_many':
          return {
            ok: false,
            code: 'VALIDATION_FAILED',
            message: `A turf holds at most ${MAX_DOORS_PER_TURF} doors; this one would hold ${moved.count}`,
            reason: reasonDetails('turf_too_big', { max: MAX_DOORS_PER_TURF, count: moved.count }),
            fields: { doorIds: [`too many: the turf would hold ${moved.count} doors, at most ${MAX_DOORS_PER_TURF}`] },
          };
      }
    }
    const plans = moved.turfs.map((t) => ({
      turfId: t.id,
      plan: t.doors.length > 0 ? planDrawnTurf(t.doors, job) : null,
      doNotKnock: t.doNotKnock,
    }));
    const kept = await this.turfs.rewrite(m, plans);
    await this.changes.changed(
      m,
      kept.map((t) => t.id),
    );
    await this.audit.record(
      {
        action: 'turf.doors_moved',
        organizationId: job.organizationId,
        actorUserId: job.requestedByUserId,
        targetType: 'turf',
        targetId: move.toTurfId,
        metadata: { doors: moved.moved, turfs: moved.turfs.length },
      },
      m,
    );
    return {
      ok: true,
      result: cutResult(
        true,
        kept.map((k) => plans.find((x) => x.turfId === k.id)!.plan!),
        kept,
      ),
    };
  }

  async list(actor: Actor, campaignId: string, page: PageQueryDto): Promise<Page<TurfRow>> {
    assertInOrganization(actor, await this.campaigns.findById(campaignId), 'Campaign');
    const [items, total] = await this.turfs.listForCampaign(campaignId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** Routes handed to the caller and still running. */
  async mine(actor: Actor, page: PageQueryDto): Promise<Page<TurfRow>> {
    const [items, total] = await this.turfs.listAssignedTo(actor.organizationId, actor.userId, page.limit, page.offset);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  /** A turf with its route. Volunteers see only the routes handed to them; any other answers 404. */
  async get(actor: Actor, turfId: string): Promise<{ turf: TurfRow; route: RouteStop[] }> {
    const turf = assertVisibleTo(actor, await this.turfs.findById(turfId), (t) => t.assigneeIds ?? [], 'Route');
    return { turf, route: await this.turfs.route(turf.id) };
  }

  /**
   * The route as a CSV walk list, the paper fallback when phones fail: one line per door in
   * walking order, with empty columns to write the outcome, materials and language in.
   */
  async walkListCsv(actor: Actor, turfId: string): Promise<{ fileName: string; csv: string }> {
    const { turf, route } = await this.get(actor, turfId);
    const csv = csvDocument(
      ['order', 'number', 'street', 'unit', 'outcome', 'materials', 'language', 'follow_up'],
      route.map((s) => [s.position + 1, s.number, s.street, s.unit, '', '', '', '']),
    );
    return { fileName: `walk-list-${turf.code}.csv`, csv };
  }

  /**
   * The route as a printable PDF walk list in English and Spanish: a map outline, what each box
   * means, the campaign's materials by number (named in both languages), blanks for who walked it
   * and when, and page numbers.
   */
  async walkListPdf(actor: Actor, turfId: string): Promise<{ fileName: string; pdf: Buffer }> {
    const { turf, route } = await this.get(actor, turfId);
    const campaign = await this.campaigns.findById(turf.campaignId);
    const materials = await this.dataSource.query<WalkListMaterial[]>(
      `SELECT m.name, m.names, m.language
         FROM campaign_materials cm JOIN materials m ON m.id = cm.material_id
        WHERE cm.campaign_id = $1 AND m.retired_at IS NULL
        ORDER BY m.kind, m.name, m.language`,
      [turf.campaignId],
    );
    return { fileName: `walk-list-${turf.code}.pdf`, pdf: await renderWalkListPdf(turf, route, campaign?.name ?? '', materials) };
  }

  /** Hands the route to one volunteer or a pair until it expires (default a week); any earlier assignment is released. */
  async assign(actor: Actor, turfId: string, assigneeIds: string[], expiresInDays: number): Promise<TurfRow> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Route');
    const unique = [...new Set(assigneeIds)];
    const members = new Set(await this.memberships.activeUserIds(actor, unique));
    const strangers = unique.filter((id) => !members.has(id));
    if (strangers.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'Routes go only to active members of this organization', {
        fields: { volunteerIds: strangers.map((id) => `${id} is not an active member`) },
      });
    }
    const expiresAt = new Date(this.clock.now().getTime() + expiresInDays * 24 * 3600 * 1000);
    await this.dataSource.transaction(async (m) => {
      await this.turfs.assign(m, turf, unique, expiresAt, actor.userId);
      await this.audit.record(
        {
          action: 'route.assigned',
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          targetType: 'turf',
          targetId: turf.id,
          metadata: { people: unique.length },
        },
        m,
      );
    });
    return (await this.turfs.findById(turf.id))!;
  }

  /**
   * A volunteer takes a route by its code (typed, or scanned from the QR code), when the
   * campaign allows it: alone, or as the partner of the one person already walking it.
   */
  async claim(actor: Actor, code: string): Promise<TurfRow> {
    const turf = await this.turfs.findByCode(actor.organizationId, code.trim().toUpperCase());
    if (!turf) throw new NotFoundError('Route');
    if (!turf.allowSelfAssignment) throw new ForbiddenError("This campaign's routes are handed out by its organizers; ask one of them");
    const assignees = turf.assigneeIds ?? [];
    if (assignees.includes(actor.userId)) return turf;
    if (assignees.length >= 2) throw new AppError('ROUTE_TAKEN', 'Two people are already walking this route; ask an organizer for another');
    await this.dataSource.transaction(async (m) => {
      const joined = turf.assignmentId ? await this.turfs.joinAssignment(m, turf.assignmentId, actor.userId) : false;
      if (turf.assignmentId && !joined)
        throw new AppError('ROUTE_TAKEN', 'Someone took this route a moment ago; ask an organizer for another');
      if (!turf.assignmentId) {
        await this.turfs.assign(
          m,
          turf,
          [actor.userId],
          new Date(this.clock.now().getTime() + DEFAULT_ASSIGNMENT_DAYS * 24 * 3600 * 1000),
          actor.userId,
        );
      }
      await this.audit.record(
        { action: 'route.claimed', organizationId: actor.organizationId, actorUserId: actor.userId, targetType: 'turf', targetId: turf.id },
        m,
      );
    });
    return (await this.turfs.findById(turf.id))!;
  }

  /** The link a QR code carries: the app opens it and claims the route (the code travels after '#'). */
  claimUrl(publicUrl: string, turf: Pick<TurfRow, 'code'>): string {
    return `${publicUrl}/claim#${turf.code}`;
  }

  async qrSvg(actor: Actor, turfId: string, publicUrl: string): Promise<string> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Route');
    return QRCode.toString(this.claimUrl(publicUrl, turf), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /**
   * The organizer's own order for a route: the same doors, each once, the units of a building
   * together. The walk is measured again along the new order (time at the default pace).
   */
  async reorder(actor: Actor, turfId: string, doorIds: string[]): Promise<{ turf: TurfRow; route: RouteStop[] }> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Route');
    const current = await this.turfs.routeDoorIds(turf.id);
    const given = new Set(doorIds);
    const missing = current.filter((id) => !given.has(id));
    const unknown = doorIds.filter((id) => !current.includes(id));
    if (given.size !== doorIds.length || missing.length > 0 || unknown.length > 0) {
      throw new AppError('VALIDATION_FAILED', "The new order must list each of the route's doors exactly once", {
        fields: { doorIds: [`${missing.length} missing, ${unknown.length} not in this route, ${doorIds.length - given.size} repeated`] },
      });
    }
    const stops = new Map((await this.turfs.routeStopsIncludingDoNotKnock(turf.id)).map((s) => [s.doorId, s]));
    const ordered = doorIds.map((id) => stops.get(id)!);
    const seen = new Set<string>();
    for (let i = 0; i < ordered.length; i++) {
      const building = ordered[i].buildingId;
      if (i > 0 && ordered[i - 1].buildingId !== building && seen.has(building)) {
        throw new AppError('VALIDATION_FAILED', 'The units of a building must stay together in the route', {
          fields: { doorIds: [`${ordered[i].number} ${ordered[i].street} appears in two places`] },
        });
      }
      seen.add(building);
    }
    let metres = 0;
    for (let i = 1; i < ordered.length; i++) metres += haversineMetres(ordered[i - 1], ordered[i]);
    const minutes = Math.round(metres / ((DEFAULT_WALKING_SPEED_KMH * 1000) / 60) + ordered.length * DEFAULT_MINUTES_PER_DOOR);
    await this.dataSource.transaction((m) => this.turfs.reorder(m, turf.id, doorIds, Math.round(metres), minutes));
    return this.get(actor, turf.id);
  }

  /** Run by the worker on a schedule. */
  async expireAssignments(): Promise<{ expired: number }> {
    return { expired: await this.turfs.expireDue() };
  }

  async release(actor: Actor, turfId: string): Promise<TurfRow> {
    const turf = assertInOrganization(actor, await this.turfs.findById(turfId), 'Route');
    await this.dataSource.transaction(async (m) => {
      if ((await this.turfs.release(m, turf.id)) > 0) {
        await this.audit.record(
          {
            action: 'route.released',
            organizationId: actor.organizationId,
            actorUserId: actor.userId,
            targetType: 'turf',
            targetId: turf.id,
          },
          m,
        );
      }
    });
    return (await this.turfs.findById(turf.id))!;
  }
}

/** What a cut, merge, split or move answers: each turf planned (with its id and name once saved) and the totals. */
/** Whether two reads of a job's doors found the same doors, in the same places. */
function sameDoors(a: readonly PlanDoor[], b: readonly PlanDoor[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (d, i) =>
        d.id === b[i].id && d.buildingId === b[i].buildingId && d.lon === b[i].lon && d.lat === b[i].lat && d.unitKey === b[i].unitKey,
    )
  );
}

function cutResult(saved: boolean, plans: PlannedTurf[], ids: { id: string; name: string }[]): CutResult {
  const turfs = plans.map((p, i) => ({
    id: ids[i]?.id ?? null,
    name: ids[i]?.name ?? null,
    doorCount: p.doorIds.length,
    walkMetres: p.walkMetres,
    walkMinutes: p.walkMinutes,
    meetingDoorId: p.meetingDoorId,
    centroid: p.centroid,
    doorIds: p.doorIds,
  }));
  const counts = turfs.map((t) => t.doorCount);
  return {
    saved,
    turfs,
    summary: {
      turfCount: turfs.length,
      doorCount: counts.reduce((a, b) => a + b, 0),
      minDoors: Math.min(...counts),
      maxDoors: Math.max(...counts),
      totalWalkMetres: turfs.reduce((s, t) => s + t.walkMetres, 0),
    },
  };
}
