import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateBy } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '@app/core';
import { RECORD_STATUSES, RecordStatus, VISIT_OUTCOMES, VisitOutcome } from '../entities/field.entity';
import { DoorStatusRow, FollowUpRow, ShiftRow, VisitRow } from '../field/field.repository';

/** Query strings carry text: "true" and "false" only. */
const queryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

export class ShiftQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only shifts not yet checked out (who is out now)' })
  @IsOptional()
  @queryBoolean()
  @IsBoolean({ message: 'must be true or false' })
  open?: boolean;
}

export class FollowUpQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
}

export class VisitQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RECORD_STATUSES, description: 'quarantined: held for review' })
  @IsOptional()
  @IsIn(RECORD_STATUSES)
  status?: RecordStatus;

  @ApiPropertyOptional({ description: 'Only visits whose phone clock is doubted (ahead of the server, or before the assignment)' })
  @IsOptional()
  @queryBoolean()
  @IsBoolean({ message: 'must be true or false' })
  flagged?: boolean;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  turfId?: string;
}

export class ReviewVisitDto {
  @ApiProperty({
    enum: ['accept', 'discard'],
    description: 'accept: the visit counts as if it had just arrived; discard: it is kept but never counts',
  })
  @IsIn(['accept', 'discard'])
  decision: 'accept' | 'discard';
}

/** The largest cursor: change numbers are PostgreSQL bigints. */
const MAX_CURSOR = BigInt('9223372036854775807');
const isCursor = (value: unknown): boolean => typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_CURSOR;

export class ChangesQueryDto {
  @ApiPropertyOptional({ description: 'The cursor of the previous answer; none for everything' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ValidateBy({ name: 'isCursor', validator: { validate: isCursor, defaultMessage: () => 'is not a cursor this server gave out' } })
  cursor?: string;
}

export class ShiftMaterialDto {
  @ApiProperty({ format: 'uuid' }) materialId: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty() language: string;
  @ApiProperty() taken: number;
  @ApiProperty({ nullable: true, type: Number }) returned: number | null;
}

export class ShiftResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) turfId: string;
  @ApiProperty({ nullable: true, type: String }) turfName: string | null;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() volunteerName: string;
  @ApiProperty({ nullable: true, type: String }) partnerUserId: string | null;
  @ApiProperty({ nullable: true, type: String }) partnerName: string | null;
  @ApiProperty({ description: 'Phone time' }) startedAt: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ nullable: true, type: String }) endedAt: string | null;
  @ApiProperty({ nullable: true, enum: ['volunteer', 'auto'] }) endedBy: 'volunteer' | 'auto' | null;
  @ApiProperty({ enum: RECORD_STATUSES }) status: RecordStatus;
  @ApiProperty({ nullable: true, type: String }) clockFlag: string | null;
  @ApiProperty({ nullable: true, description: 'Shared by the volunteer at check-in, rounded to about 100 m' })
  coarseLocation: { lat: number; lon: number } | null;
  @ApiProperty({ type: [ShiftMaterialDto] }) materials: ShiftMaterialDto[];
}

export class ShiftPageDto extends PageMetaDto {
  @ApiProperty({ type: [ShiftResponseDto] }) items: ShiftResponseDto[];
}

export class FollowUpResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: 'open' | 'closed';
  @ApiProperty({ format: 'uuid' }) doorId: string;
  @ApiProperty() number: string;
  @ApiProperty() street: string;
  @ApiProperty({ nullable: true, type: String }) unit: string | null;
  @ApiProperty({ format: 'uuid' }) turfId: string;
  @ApiProperty({ nullable: true, type: String }) turfName: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
}

export class FollowUpPageDto extends PageMetaDto {
  @ApiProperty({ type: [FollowUpResponseDto] }) items: FollowUpResponseDto[];
}

export class QuantityDto {
  @ApiProperty({ format: 'uuid' }) materialId: string;
  @ApiProperty() quantity: number;
}

export class VisitResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) turfId: string;
  @ApiProperty({ format: 'uuid' }) doorId: string;
  @ApiProperty() number: string;
  @ApiProperty() street: string;
  @ApiProperty({ nullable: true, type: String }) unit: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Null once the route was re-cut away' }) turfName: string | null;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() volunteerName: string;
  @ApiProperty({ nullable: true, type: String }) shiftId: string | null;
  @ApiProperty({ enum: VISIT_OUTCOMES }) outcome: VisitOutcome;
  @ApiProperty({ nullable: true, type: String }) language: string | null;
  @ApiProperty() followUp: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Organizers only' }) note?: string | null;
  @ApiProperty({ description: 'Phone time' }) recordedAt: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ enum: RECORD_STATUSES }) status: RecordStatus;
  @ApiProperty({ nullable: true, type: String }) quarantineReason: string | null;
  @ApiProperty({ nullable: true, type: String }) clockFlag: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Who typed the visit in from a paper walk list; null when it came from a phone',
  })
  enteredByUserId: string | null;
  @ApiProperty({ type: [QuantityDto] }) materials: QuantityDto[];
}

export class VisitPageDto extends PageMetaDto {
  @ApiProperty({ type: [VisitResponseDto] }) items: VisitResponseDto[];
}

export class DoorStatusDto {
  @ApiProperty({ format: 'uuid' }) doorId: string;
  @ApiProperty() position: number;
  @ApiProperty() doNotKnock: boolean;
  @ApiProperty({ description: 'Accepted visits so far' }) attempts: number;
  @ApiProperty({ nullable: true, enum: VISIT_OUTCOMES, description: 'Outcome of the latest visit; null if never visited' })
  outcome: VisitOutcome | null;
  @ApiProperty({ nullable: true, type: String }) at: string | null;
}

export class MaterialCountDto {
  @ApiProperty({ format: 'uuid' }) materialId: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty() language: string;
  @ApiProperty({ description: 'Taken out at check-in, all shifts' }) taken: number;
  @ApiProperty({ description: 'Brought back at check-out' }) returned: number;
  @ApiProperty({ description: 'Left at doors' }) leftAtDoors: number;
  @ApiProperty({ description: 'In the hands of volunteers whose shift is still open' }) outNow: number;
  @ApiProperty({
    description: 'The name in each interface language that has one',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  names: Record<string, string>;
  @ApiProperty({ description: "The organization's stock on hand, all campaigns" }) stock: number;
  @ApiProperty({ nullable: true, type: Number, description: 'The stock at or below which the dashboard warns' })
  lowStockThreshold: number | null;
  @ApiProperty({ description: 'Stock at or below the threshold: time to print or fetch more' }) lowStock: boolean;
  @ApiProperty({ description: 'No longer handed out' }) retired: boolean;
}

export class RouteChangeDto {
  @ApiProperty({ format: 'uuid' }) turfId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: "The campaign's name, to tell routes of two campaigns apart" }) campaignName: string;
  @ApiProperty() code: string;
  @ApiProperty() doorCount: number;
  @ApiProperty({ description: 'Changes when the route is re-ordered: fetch the route again' }) routeUpdatedAt: string;
  @ApiProperty({ format: 'uuid' }) assignmentId: string;
  @ApiProperty({ type: [String] }) assigneeIds: string[];
  @ApiProperty() assignmentStatus: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ type: [String] }) doNotKnockDoorIds: string[];
}

export class PulledVisitDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) turfId: string;
  @ApiProperty({ format: 'uuid' }) doorId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: VISIT_OUTCOMES }) outcome: VisitOutcome;
  @ApiProperty({ nullable: true, type: String }) language: string | null;
  @ApiProperty() followUp: boolean;
  @ApiProperty() recordedAt: string;
  @ApiProperty() effectiveAt: string;
  @ApiProperty({ type: [QuantityDto] }) materials: QuantityDto[];
}

export class ChangesResponseDto {
  @ApiProperty({ description: 'Send it back as ?cursor= next time' }) cursor: string;
  @ApiProperty({ type: [RouteChangeDto], description: "The caller's routes now, in full: a route missing here is no longer theirs" })
  routes: RouteChangeDto[];
  @ApiProperty({ type: [PulledVisitDto], description: 'Visits on those routes since the cursor (the partner’s among them)' })
  visits: PulledVisitDto[];
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toShiftResponse(s: ShiftRow): ShiftResponseDto {
  return {
    id: s.id,
    turfId: s.turfId,
    turfName: s.turfName,
    userId: s.userId,
    volunteerName: s.volunteerName,
    partnerUserId: s.partnerUserId,
    partnerName: s.partnerName,
    startedAt: iso(s.startedAt)!,
    receivedAt: iso(s.receivedAt)!,
    endedAt: iso(s.endedAt),
    endedBy: s.endedBy,
    status: s.status,
    clockFlag: s.clockFlag,
    coarseLocation: s.coarseLat !== null && s.coarseLon !== null ? { lat: Number(s.coarseLat), lon: Number(s.coarseLon) } : null,
    materials: s.materials,
  };
}

export function toFollowUpResponse(f: FollowUpRow): FollowUpResponseDto {
  return {
    id: f.id,
    status: f.status,
    doorId: f.doorId,
    number: f.number,
    street: f.street,
    unit: f.unit,
    turfId: f.turfId,
    turfName: f.turfName,
    createdAt: iso(f.createdAt)!,
    closedAt: iso(f.closedAt),
  };
}

export function toVisitResponse(v: VisitRow, withNote: boolean): VisitResponseDto {
  return {
    id: v.id,
    turfId: v.turfId,
    doorId: v.doorId,
    number: v.number,
    street: v.street,
    unit: v.unit,
    turfName: v.turfName,
    userId: v.userId,
    volunteerName: v.volunteerName,
    shiftId: v.shiftId,
    outcome: v.outcome,
    language: v.language,
    followUp: v.followUp,
    ...(withNote ? { note: v.note } : {}),
    recordedAt: iso(v.recordedAt)!,
    receivedAt: iso(v.receivedAt)!,
    status: v.status,
    quarantineReason: v.quarantineReason,
    clockFlag: v.clockFlag,
    enteredByUserId: v.enteredByUserId,
    materials: v.materials,
  };
}

export function toDoorStatus(d: DoorStatusRow): DoorStatusDto {
  return { ...d, at: iso(d.at) };
}
