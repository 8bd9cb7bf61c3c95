import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '@app/auth';
import { AuditService } from '@app/audit';
import { AppError, Clock, ValidationFailedError } from '@app/core';
import { TurfService } from '@app/turf';
import { PaperVisitsDto, PaperVisitsResultDto } from '../dto/paper.dto';
import { derivedVisitId } from '../sync/derived-id';
import { CLOCK_AHEAD_TOLERANCE_MS } from '../sync/sync.service';
import { NewVisit, SyncRepository } from '../sync/sync.repository';

/** What a sheet refers to, read in one round trip. */
interface SheetContext {
  purged: boolean;
  walkerActive: boolean;
  /** The sheet's doors that belong to the route (do-not-knock ones too: the sheet may predate the mark). */
  doors: string[];
  materials: string[];
}

/**
 * Results of a paper walk list, typed in by an organizer or coordinator after the volunteers
 * come back: paper is the fallback when phones fail, and what was written on it counts like what
 * a phone sends. The visits are the walker's (`walkedBy`), marked as entered by the caller.
 *
 * A sheet is one form, so it is all or nothing: any line that does not fit (a door not on the
 * route, the same door twice, an unknown material) refuses the whole sheet with every such line
 * named, and nothing is stored. Each visit's id comes from the sheet's id and the door, so a
 * sheet sent again stores nothing twice.
 */
@Injectable()
export class PaperVisitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly turfs: TurfService,
    private readonly sync: SyncRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async record(actor: Actor, turfId: string, sheet: PaperVisitsDto): Promise<PaperVisitsResultDto> {
    const { turf } = await this.turfs.get(actor, turfId);
    const fields: Record<string, string[]> = {};
    const walkedAt = new Date(sheet.walkedAt);
    if (walkedAt.getTime() > this.clock.now().getTime() + CLOCK_AHEAD_TOLERANCE_MS) {
      fields.walkedAt = ['is in the future'];
    }
    const doorIds = sheet.entries.map((e) => e.doorId.toLowerCase());
    const materialIds = [...new Set(sheet.entries.flatMap((e) => (e.materials ?? []).map((m) => m.materialId.toLowerCase())))];
    const context = await this.context(actor.organizationId, turf.id, sheet.walkedBy.toLowerCase(), doorIds, materialIds);
    if (context.purged) {
      throw new AppError('CONFLICT', "This campaign has ended and its records were deleted under the organization's retention");
    }
    if (!context.walkerActive) fields.walkedBy = ['is not an active member of this organization'];
    const onRoute = new Set(context.doors);
    const known = new Set(context.materials);
    const firstLine = new Map<string, number>();
    sheet.entries.forEach((entry, i) => {
      const doorId = doorIds[i];
      if (!onRoute.has(doorId)) fields[`entries.${i}.doorId`] = ['is not a door of this route'];
      else if (firstLine.has(doorId))
        fields[`entries.${i}.doorId`] = [`is already on line ${(firstLine.get(doorId) as number) + 1} of this sheet`];
      else firstLine.set(doorId, i);
      const seen = new Set<string>();
      (entry.materials ?? []).forEach((m, j) => {
        const id = m.materialId.toLowerCase();
        if (!known.has(id)) fields[`entries.${i}.materials.${j}.materialId`] = ['is not a material of this organization'];
        else if (seen.has(id)) fields[`entries.${i}.materials.${j}.materialId`] = ['is listed twice for this door'];
        seen.add(id);
      });
    });
    const wrong = Object.keys(fields);
    if (wrong.length > 0) {
      throw new ValidationFailedError(
        fields,
        `The sheet was not stored: ${wrong.length} ${wrong.length === 1 ? 'field does' : 'fields do'} not fit`,
      );
    }

    const visits: NewVisit[] = sheet.entries.map((entry, i) => ({
      id: derivedVisitId(sheet.sheetId.toLowerCase(), doorIds[i]),
      campaignId: turf.campaignId,
      turfId: turf.id,
      doorId: doorIds[i],
      shiftId: null,
      outcome: entry.outcome,
      language: entry.language ?? null,
      followUp: entry.followUp ?? false,
      note: null,
      recordedAt: walkedAt.toISOString(),
      clockFlag: null,
      status: 'accepted',
      quarantineReason: null,
      materials: (entry.materials ?? []).map((m) => ({ materialId: m.materialId.toLowerCase(), quantity: m.quantity })),
    }));
    const created = await this.dataSource.transaction(async (m) => {
      const written = await this.sync.write(
        {
          organizationId: actor.organizationId,
          userId: sheet.walkedBy.toLowerCase(),
          enteredByUserId: actor.userId,
          visits,
          shifts: [],
          checkouts: [],
        },
        m,
      );
      if (written.visits.size > 0) {
        await this.audit.record(
          {
            action: 'visits.entered_from_paper',
            organizationId: actor.organizationId,
            actorUserId: actor.userId,
            targetType: 'turf',
            targetId: turf.id,
            metadata: { sheetId: sheet.sheetId.toLowerCase(), walkedBy: sheet.walkedBy.toLowerCase(), visits: written.visits.size },
          },
          m,
        );
      }
      return written.visits.size;
    });
    return { sheetId: sheet.sheetId.toLowerCase(), created, duplicate: visits.length - created };
  }

  private async context(
    organizationId: string,
    turfId: string,
    walkedBy: string,
    doorIds: string[],
    materialIds: string[],
  ): Promise<SheetContext> {
    const [row] = await this.dataSource.query<SheetContext[]>(
      `SELECT EXISTS (SELECT 1 FROM purged_campaigns pc JOIN turfs t ON t.campaign_id = pc.campaign_id WHERE t.id = $2) AS purged,
              EXISTS (SELECT 1 FROM memberships ms WHERE ms.organization_id = $1 AND ms.user_id = $3 AND ms.status = 'active') AS "walkerActive",
              (SELECT coalesce(json_agg(td.door_id), '[]') FROM turf_doors td WHERE td.turf_id = $2 AND td.door_id = ANY($4::uuid[])) AS doors,
              (SELECT coalesce(json_agg(mt.id), '[]') FROM materials mt WHERE mt.organization_id = $1 AND mt.id = ANY($5::uuid[])) AS materials`,
      [organizationId, turfId, walkedBy, doorIds, materialIds],
    );
    return row;
  }
}
