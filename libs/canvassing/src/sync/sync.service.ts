import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Actor } from '@app/auth';
import { Clock, fieldErrors } from '@app/core';
import { ClockFlag, RecordStatus } from '../entities/field.entity';
import {
  CheckInItemDto,
  CheckOutItemDto,
  NotHomeItemDto,
  SYNC_ITEM_CLASSES,
  SYNC_ITEM_KINDS,
  SyncItem,
  SyncItemKind,
  SyncRejection,
  SyncResponseDto,
  SyncResultDto,
  VisitItemDto,
} from '../dto/sync.dto';
import { derivedVisitId } from './derived-id';
import { NewShift, NewVisit, ShiftCheckout, SyncRepository, SyncTurf } from './sync.repository';

/** A phone clock more than this far ahead of the server is not believed. */
export const CLOCK_AHEAD_TOLERANCE_MS = 10 * 60 * 1000;
/** Coarse locations are kept to three decimals of a degree: about 100 m. */
const COARSE_DECIMALS = 3;

const VALIDATION = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/** A record refused on its own; caught per record and answered, never thrown out of the batch. */
class Rejected extends Error {
  constructor(
    readonly code: SyncRejection,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
}

interface Verdict {
  status: RecordStatus;
  quarantineReason: string | null;
  assignment: { id: string; createdAt: string } | null;
}

type Planned =
  | { kind: 'visits'; index: number; ids: string[]; status: RecordStatus; flags: ClockFlag[]; single: boolean }
  | { kind: 'shift'; index: number; id: string; status: RecordStatus; flags: ClockFlag[] }
  | { kind: 'checkout'; index: number; id: string; viaShift: string | null };

/**
 * The offline outbox's way in. Each record is checked on its own and answered on its own
 * (created, duplicate, rejected or quarantined); every record that passes is written in a
 * single statement, so a batch never lands half-way, and ids made on the phone make a resent
 * batch (after a lost reply, say) store nothing twice.
 */
@Injectable()
export class SyncService {
  constructor(
    private readonly repository: SyncRepository,
    private readonly clock: Clock,
  ) {}

  async sync(actor: Actor, raw: Record<string, unknown>[]): Promise<SyncResponseDto> {
    const now = this.clock.now().getTime();
    const results: SyncResultDto[] = [];
    const items: { index: number; item: SyncItem }[] = [];
    const seen = new Set<string>();

    raw.forEach((record, index) => {
      const id = typeof record.id === 'string' ? record.id.toLowerCase() : null;
      const kind = SYNC_ITEM_KINDS.includes(record.kind as SyncItemKind) ? (record.kind as SyncItemKind) : null;
      results[index] = { index, id, kind, status: 'rejected' };
      if (!kind) {
        return this.reject(
          results[index],
          new Rejected('INVALID', 'Unknown kind of record', { kind: [`must be one of ${SYNC_ITEM_KINDS.join(', ')}`] }),
        );
      }
      const cls: new () => SyncItem = SYNC_ITEM_CLASSES[kind];
      const item = plainToInstance(cls, record);
      const errors = validateSync(item, VALIDATION);
      if (errors.length > 0) {
        const fields = fieldErrors(errors);
        return this.reject(results[index], new Rejected('INVALID', `The record is not valid: ${Object.keys(fields).join(', ')}`, fields));
      }
      lowerIds(item);
      if (seen.has(item.id)) {
        results[index] = { ...results[index], status: 'duplicate', message: 'The same record appears twice in this batch' };
        return;
      }
      seen.add(item.id);
      items.push({ index, item });
    });

    const context = await this.repository.context(this.contextQuery(actor, items));
    const turfs = new Map(context.turfs.map((t) => [t.id, t]));
    const onRoute = new Set(context.doors.map(([turfId, doorId]) => `${turfId} ${doorId}`));
    const materials = new Set(context.materials);
    const shifts = new Map(context.shifts.map((s) => [s.id, s]));
    const checkedOut = new Map(context.shifts.filter((s) => s.checkoutId).map((s) => [s.checkoutId!, s]));
    const existingVisits = new Map(context.visits.map((v) => [v.id, v.userId]));

    const visits: NewVisit[] = [];
    const newShifts = new Map<string, NewShift>();
    const checkouts: ShiftCheckout[] = [];
    const closing = new Set<string>();
    const planned: Planned[] = [];
    const ownShift = (shiftId: string | undefined) =>
      shiftId &&
      ((shifts.get(shiftId)?.userId === actor.userId && shifts.get(shiftId)?.organizationId === actor.organizationId) ||
        newShifts.has(shiftId))
        ? shiftId
        : null;

    // Check-ins first, so that visits and check-outs of the same batch can refer to them.
    const ordered = [...items].sort((a, b) => Number(b.item.kind === 'check_in') - Number(a.item.kind === 'check_in'));
    for (const { index, item } of ordered) {
      const result = results[index];
      try {
        switch (item.kind) {
          case 'visit':
          case 'not_home': {
            const doorIds = item.kind === 'visit' ? [item.doorId] : item.doorIds;
            const ids = item.kind === 'visit' ? [item.id] : doorIds.map((doorId) => derivedVisitId(item.id, doorId));
            const taken = ids.filter((id) => existingVisits.has(id));
            if (taken.some((id) => existingVisits.get(id) !== actor.userId)) {
              throw new Rejected('ID_TAKEN', 'Another record already has this id; the app must make a new one');
            }
            if (taken.length === ids.length) {
              Object.assign(result, { status: 'duplicate' }, item.kind === 'not_home' ? { visitIds: ids } : {});
              break;
            }
            const turf = this.turf(turfs, item.turfId);
            const verdict = this.verdict(turf);
            const missing = doorIds.map((d, i) => [d, i] as const).filter(([d]) => !onRoute.has(`${turf.id} ${d}`));
            if (missing.length > 0) {
              const field =
                item.kind === 'visit'
                  ? { doorId: ['is not on this route'] }
                  : Object.fromEntries(missing.map(([, i]) => [`doorIds.${i}`, ['is not on this route']]));
              throw new Rejected('DOOR_NOT_ON_ROUTE', 'This door is not on the route', field);
            }
            const left = item.kind === 'visit' ? (item.materials ?? []) : (item.materialsPerDoor ?? []);
            this.checkMaterials(materials, left, item.kind === 'visit' ? 'materials' : 'materialsPerDoor');
            const note = item.kind === 'visit' && item.note?.trim() ? item.note.trim() : null;
            if (note && !context.notesEnabled) {
              throw new Rejected('NOTES_DISABLED', 'This organization does not keep notes; send the visit without one', {
                note: ['notes are turned off for this organization'],
              });
            }
            const flags = this.clockFlags(item.recordedAt, verdict, now);
            const fresh = new Set(ids.filter((id) => !existingVisits.has(id)));
            doorIds.forEach((doorId, i) => {
              if (!fresh.has(ids[i])) return;
              visits.push({
                id: ids[i],
                campaignId: turf.campaignId,
                turfId: turf.id,
                doorId,
                shiftId: ownShift(item.shiftId),
                outcome: item.kind === 'visit' ? item.outcome : 'not_home',
                language: item.kind === 'visit' ? (item.language ?? null) : null,
                followUp: item.kind === 'visit' ? (item.followUp ?? false) : false,
                note,
                recordedAt: item.recordedAt,
                clockFlag: flags[0] ?? null,
                status: verdict.status,
                quarantineReason: verdict.quarantineReason,
                materials: mergeQuantities(left),
              });
            });
            planned.push({ kind: 'visits', index, ids, status: verdict.status, flags, single: item.kind === 'visit' });
            break;
          }
          case 'check_in': {
            const existing = shifts.get(item.id);
            if (existing) {
              if (existing.userId !== actor.userId)
                throw new Rejected('ID_TAKEN', 'Another record already has this id; the app must make a new one');
              result.status = 'duplicate';
              break;
            }
            const turf = this.turf(turfs, item.turfId);
            const verdict = this.verdict(turf);
            if (item.partnerUserId && (item.partnerUserId === actor.userId || !context.partners.includes(item.partnerUserId))) {
              throw new Rejected('UNKNOWN_PARTNER', 'The partner must be another active member of this organization', {
                partnerUserId: ['is not another active member'],
              });
            }
            this.checkMaterials(materials, item.materialsTaken ?? [], 'materialsTaken');
            const flags = this.clockFlags(item.startedAt, verdict, now);
            const location = item.location && context.coarseLocationEnabled ? item.location : null;
            newShifts.set(item.id, {
              id: item.id,
              campaignId: turf.campaignId,
              turfId: turf.id,
              assignmentId: verdict.assignment?.id ?? null,
              partnerUserId: item.partnerUserId ?? null,
              startedAt: item.startedAt,
              coarseLat: location ? round(location.lat) : null,
              coarseLon: location ? round(location.lon) : null,
              clockFlag: flags[0] ?? null,
              status: verdict.status,
              quarantineReason: verdict.quarantineReason,
              taken: mergeQuantities(item.materialsTaken ?? []),
              checkout: null,
            });
            planned.push({ kind: 'shift', index, id: item.id, status: verdict.status, flags });
            break;
          }
          case 'check_out': {
            const done = checkedOut.get(item.id);
            if (done) {
              if (done.userId !== actor.userId)
                throw new Rejected('ID_TAKEN', 'Another record already has this id; the app must make a new one');
              result.status = 'duplicate';
              break;
            }
            const stored = shifts.get(item.shiftId);
            const inBatch = newShifts.get(item.shiftId);
            const shift = inBatch
              ? { startedAt: inBatch.startedAt, checkoutId: inBatch.checkout?.checkoutId ?? null }
              : stored && stored.userId === actor.userId && stored.organizationId === actor.organizationId
                ? stored
                : null;
            if (!shift) throw new Rejected('UNKNOWN_SHIFT', 'No check-in of yours has this id', { shiftId: ['is not one of your shifts'] });
            if (shift.checkoutId || closing.has(item.shiftId))
              throw new Rejected('ALREADY_CHECKED_OUT', 'This shift was already checked out');
            if (Date.parse(item.endedAt) < Date.parse(shift.startedAt)) {
              throw new Rejected('INVALID', 'The check-out is earlier than the check-in', { endedAt: ['is before the check-in'] });
            }
            this.checkMaterials(materials, item.materialsReturned ?? [], 'materialsReturned');
            const checkout = {
              shiftId: item.shiftId,
              checkoutId: item.id,
              endedAt: item.endedAt,
              returned: mergeQuantities(item.materialsReturned ?? []),
            };
            closing.add(item.shiftId);
            if (inBatch) inBatch.checkout = checkout;
            else checkouts.push(checkout);
            planned.push({ kind: 'checkout', index, id: item.id, viaShift: inBatch ? inBatch.id : null });
            break;
          }
        }
      } catch (error) {
        if (!(error instanceof Rejected)) throw error;
        this.reject(result, error);
      }
    }

    const written = await this.repository.write({
      organizationId: actor.organizationId,
      userId: actor.userId,
      visits,
      shifts: [...newShifts.values()],
      checkouts,
    });

    for (const p of planned) {
      const result = results[p.index];
      if (p.kind === 'visits') {
        const wrote = p.ids.some((id) => written.visits.has(id));
        Object.assign(result, this.outcome(wrote, p.status, p.flags), p.single ? {} : { visitIds: p.ids });
      } else if (p.kind === 'shift') {
        Object.assign(result, this.outcome(written.shifts.has(p.id), p.status, p.flags));
      } else {
        const wrote = p.viaShift ? written.shifts.has(p.viaShift) : written.checkouts.has(p.id);
        result.status = wrote ? 'created' : 'duplicate';
      }
    }
    const counts = { created: 0, duplicate: 0, rejected: 0, quarantined: 0 };
    for (const r of results) counts[r.status]++;
    return { results, counts };
  }

  private contextQuery(actor: Actor, items: { item: SyncItem }[]) {
    const turfIds = new Set<string>();
    const routeDoors: { turfId: string; doorId: string }[] = [];
    const materialIds = new Set<string>();
    const partnerIds = new Set<string>();
    const shiftIds = new Set<string>();
    const checkoutIds: string[] = [];
    const visitIds: string[] = [];
    const addMaterials = (list?: { materialId: string }[]) => list?.forEach((m) => materialIds.add(m.materialId));
    for (const { item } of items) {
      if (item.kind === 'visit' || item.kind === 'not_home') {
        turfIds.add(item.turfId);
        const doorIds = item.kind === 'visit' ? [item.doorId] : item.doorIds;
        for (const doorId of doorIds) routeDoors.push({ turfId: item.turfId, doorId });
        visitIds.push(...(item.kind === 'visit' ? [item.id] : doorIds.map((d) => derivedVisitId(item.id, d))));
        addMaterials(item.kind === 'visit' ? item.materials : item.materialsPerDoor);
        if (item.shiftId) shiftIds.add(item.shiftId);
      } else if (item.kind === 'check_in') {
        turfIds.add(item.turfId);
        shiftIds.add(item.id);
        if (item.partnerUserId) partnerIds.add(item.partnerUserId);
        addMaterials(item.materialsTaken);
      } else {
        shiftIds.add(item.shiftId);
        checkoutIds.push(item.id);
        addMaterials(item.materialsReturned);
      }
    }
    return {
      organizationId: actor.organizationId,
      userId: actor.userId,
      turfIds: [...turfIds],
      routeDoors,
      materialIds: [...materialIds],
      partnerIds: [...partnerIds],
      shiftIds: [...shiftIds],
      checkoutIds,
      visitIds,
    };
  }

  private turf(turfs: Map<string, SyncTurf>, turfId: string): SyncTurf {
    const turf = turfs.get(turfId);
    if (!turf)
      throw new Rejected('UNKNOWN_ROUTE', 'This route does not exist in your organization (it may have been re-cut)', {
        turfId: ['is not a route of this organization'],
      });
    // An old phone's outbox must not bring back what retention deleted.
    if (turf.purged)
      throw new Rejected(
        'PURGED',
        "This campaign has ended and its records were deleted under the organization's retention; nothing was kept",
      );
    return turf;
  }

  /** Work on a route that is yours counts; work on a route taken off you while you were offline is kept for review. */
  private verdict(turf: SyncTurf): Verdict {
    if (turf.current) return { status: 'accepted', quarantineReason: null, assignment: turf.current };
    if (turf.latest) {
      const reason = turf.latest.status === 'released' ? 'assignment_released' : 'assignment_ended';
      return { status: 'quarantined', quarantineReason: reason, assignment: turf.latest };
    }
    throw new Rejected('NOT_YOUR_ROUTE', 'This route is not assigned to you', { turfId: ['is not assigned to you'] });
  }

  private clockFlags(phoneTime: string, verdict: Verdict, now: number): ClockFlag[] {
    const at = Date.parse(phoneTime);
    if (at > now + CLOCK_AHEAD_TOLERANCE_MS) return ['ahead'];
    if (verdict.assignment && at < Date.parse(verdict.assignment.createdAt)) return ['before_assignment'];
    return [];
  }

  private checkMaterials(known: Set<string>, list: { materialId: string }[], field: string): void {
    const unknown = list.map((m, i) => [m.materialId, i] as const).filter(([id]) => !known.has(id));
    if (unknown.length > 0) {
      throw new Rejected(
        'UNKNOWN_MATERIAL',
        "A material is not in this organization's catalogue",
        Object.fromEntries(unknown.map(([, i]) => [`${field}.${i}.materialId`, ['is not in the catalogue']])),
      );
    }
  }

  private outcome(wrote: boolean, status: RecordStatus, flags: ClockFlag[]): Partial<SyncResultDto> {
    if (!wrote) return { status: 'duplicate' };
    const flagged = flags.length > 0 ? { flags } : {};
    if (status === 'quarantined') {
      return {
        status: 'quarantined',
        message: 'The route was taken off you while you were offline: the record is kept for a coordinator to review',
        ...flagged,
      };
    }
    return { status: 'created', ...flagged };
  }

  private reject(result: SyncResultDto, error: Rejected): void {
    Object.assign(result, { status: 'rejected', code: error.code, message: error.message }, error.fields ? { fields: error.fields } : {});
  }
}

function round(degrees: number): number {
  const f = 10 ** COARSE_DECIMALS;
  return Math.round(degrees * f) / f;
}

/** The same material listed twice counts once, with the quantities added. */
function mergeQuantities(list: { materialId: string; quantity: number }[]): { materialId: string; quantity: number }[] {
  const sums = new Map<string, number>();
  for (const m of list) sums.set(m.materialId, (sums.get(m.materialId) ?? 0) + m.quantity);
  return [...sums].map(([materialId, quantity]) => ({ materialId, quantity }));
}

function lowerIds(item: SyncItem): void {
  const lower = (s: string) => s.toLowerCase();
  item.id = lower(item.id);
  const withTurf = item as VisitItemDto | NotHomeItemDto | CheckInItemDto;
  if ('turfId' in withTurf && withTurf.turfId) withTurf.turfId = lower(withTurf.turfId);
  if (item.kind === 'visit') item.doorId = lower(item.doorId);
  if (item.kind === 'not_home') item.doorIds = item.doorIds.map(lower);
  if ((item.kind === 'visit' || item.kind === 'not_home') && item.shiftId) item.shiftId = lower(item.shiftId);
  if (item.kind === 'check_in' && item.partnerUserId) item.partnerUserId = lower(item.partnerUserId);
  if (item.kind === 'check_out') item.shiftId = lower(item.shiftId);
  const lists = [
    (item as VisitItemDto).materials,
    (item as NotHomeItemDto).materialsPerDoor,
    (item as CheckInItemDto).materialsTaken,
    (item as CheckOutItemDto).materialsReturned,
  ];
  for (const list of lists) list?.forEach((m) => (m.materialId = lower(m.materialId)));
}
