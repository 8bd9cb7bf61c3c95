import { Injectable } from '@nestjs/common';
import { Actor, assertInOrganization } from '@app/auth';
import { AuditService } from '@app/audit';
import { AppError, csvDocument, Page } from '@app/core';
import { CampaignService, TurfService } from '@app/turf';
import { ChangesResponseDto, FollowUpQueryDto, ShiftQueryDto, VisitQueryDto } from '../dto/field.dto';
import { DoorStatusRow, FieldRepository, FollowUpRow, MaterialCountRow, ShiftRow, VisitRow } from './field.repository';

/** A shift left open this long closes itself. */
export const SHIFT_AUTO_CLOSE_HOURS = 12;

/** What coordinators and organizers see of the work in the field, and the decisions they take on it. */
@Injectable()
export class FieldService {
  constructor(
    private readonly field: FieldRepository,
    private readonly campaigns: CampaignService,
    private readonly turfs: TurfService,
    private readonly audit: AuditService,
  ) {}

  async shifts(actor: Actor, campaignId: string, query: ShiftQueryDto): Promise<Page<ShiftRow>> {
    await this.campaigns.get(actor, campaignId);
    const [items, total] = await this.field.shifts(campaignId, query.open ?? false, query.limit, query.offset);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** Run by the worker on a schedule. */
  async closeStaleShifts(): Promise<{ closed: number }> {
    return { closed: await this.field.closeStale(SHIFT_AUTO_CLOSE_HOURS) };
  }

  async followUps(actor: Actor, campaignId: string, query: FollowUpQueryDto): Promise<Page<FollowUpRow>> {
    await this.campaigns.get(actor, campaignId);
    const [items, total] = await this.field.followUps(campaignId, query.status ?? null, query.limit, query.offset);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /**
   * Every follow-up of the campaign as CSV: door-level data, for organizers who confirmed their
   * password (the controller checks it); audited with the reason they gave.
   */
  async followUpsCsv(actor: Actor, campaignId: string, reason: string): Promise<string> {
    await this.campaigns.get(actor, campaignId);
    const [rows] = await this.field.followUps(campaignId, null, 1_000_000, 0);
    await this.audit.record({
      action: 'export.follow_ups',
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      targetType: 'campaign',
      targetId: campaignId,
      metadata: { rows: rows.length, format: 'csv', reason },
    });
    return csvDocument(
      ['status', 'number', 'street', 'unit', 'turf', 'created_at', 'closed_at'],
      rows.map((r) => [
        r.status,
        r.number,
        r.street,
        r.unit,
        r.turfName,
        new Date(r.createdAt).toISOString(),
        r.closedAt ? new Date(r.closedAt).toISOString() : '',
      ]),
    );
  }

  async closeFollowUp(actor: Actor, id: string): Promise<FollowUpRow> {
    const followUp = assertInOrganization(actor, await this.field.followUp(id), 'Follow-up');
    if (await this.field.closeFollowUp(followUp.id, actor.userId)) {
      await this.audit.record({
        action: 'follow_up.closed',
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        targetType: 'follow_up',
        targetId: followUp.id,
      });
    }
    return (await this.field.followUp(followUp.id))!;
  }

  async visits(actor: Actor, campaignId: string, query: VisitQueryDto): Promise<Page<VisitRow>> {
    await this.campaigns.get(actor, campaignId);
    const filter = { status: query.status ?? null, flagged: query.flagged ?? false, turfId: query.turfId ?? null };
    const [items, total] = await this.field.visits(campaignId, filter, query.limit, query.offset);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  async review(actor: Actor, visitId: string, decision: 'accept' | 'discard'): Promise<VisitRow> {
    const visit = assertInOrganization(actor, await this.field.visit(visitId), 'Visit');
    if (visit.status !== 'quarantined') {
      throw new AppError('CONFLICT', `Only quarantined visits are reviewed; this one is ${visit.status}`);
    }
    if (await this.field.review(visit.id, decision, actor.userId)) {
      await this.audit.record({
        action: 'visit.reviewed',
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        targetType: 'visit',
        targetId: visit.id,
        metadata: { decision },
      });
    }
    return (await this.field.visit(visit.id))!;
  }

  /** Each door of a route with its status; volunteers see only their own routes. */
  async doorStatus(actor: Actor, turfId: string): Promise<DoorStatusRow[]> {
    const { turf } = await this.turfs.get(actor, turfId);
    return this.field.doorStatus(turf.id);
  }

  async materialCounts(actor: Actor, campaignId: string): Promise<MaterialCountRow[]> {
    await this.campaigns.get(actor, campaignId);
    return this.field.materialCounts(actor.organizationId, campaignId);
  }

  async changes(actor: Actor, cursor: string | undefined): Promise<ChangesResponseDto> {
    const { horizon, routes, visits } = await this.field.changes(actor.organizationId, actor.userId, cursor ?? '0');
    return { cursor: horizon, routes, visits };
  }
}
