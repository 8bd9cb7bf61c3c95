import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { VISIT_OUTCOMES, VisitOutcome } from '../entities/field.entity';

export const MAX_SYNC_ITEMS = 500;
export const MAX_NOTE_LENGTH = 500;
/** "Nobody home" for every unit of a building: the largest building in the data has 452. */
export const MAX_NOT_HOME_DOORS = 500;
export const SYNC_ITEM_KINDS = ['visit', 'not_home', 'check_in', 'check_out'] as const;
export type SyncItemKind = (typeof SYNC_ITEM_KINDS)[number];

const lower = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));
const LANGUAGE_MESSAGE = 'must be a two-letter ISO 639-1 code such as en or es';
const TIME_MESSAGE = 'must be an ISO 8601 time with its offset, such as 2026-07-14T10:31:00-04:00';

export class MaterialQuantityDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  materialId: string;

  @ApiProperty({ minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity: number;
}

/** At check-out a volunteer may bring back none of a material. */
export class ReturnedQuantityDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  materialId: string;

  @ApiProperty({ minimum: 0, maximum: 10000 })
  @IsInt()
  @Min(0)
  @Max(10000)
  quantity: number;
}

export class CoarseLocationDto {
  @ApiProperty({ minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lon: number;
}

abstract class SyncItemBase {
  @ApiProperty({ enum: SYNC_ITEM_KINDS })
  @IsIn(SYNC_ITEM_KINDS)
  kind: SyncItemKind;

  @ApiProperty({ format: 'uuid', description: 'Made on the phone; becomes the record id, so the same record sent again is stored once' })
  @IsUUID()
  id: string;
}

export class VisitItemDto extends SyncItemBase {
  declare kind: 'visit';

  @ApiProperty({ format: 'uuid', description: 'The route (turf) walked' })
  @IsUUID()
  turfId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  doorId: string;

  @ApiProperty({ enum: VISIT_OUTCOMES })
  @IsIn(VISIT_OUTCOMES)
  outcome: VisitOutcome;

  @ApiProperty({ description: 'The time on the phone' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  recordedAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The shift the visit was made in' })
  @IsOptional()
  @IsUUID()
  shiftId?: string;

  @ApiPropertyOptional({ example: 'es', description: "The conversation's language (ISO 639-1)" })
  @IsOptional()
  @lower()
  @Matches(/^[a-z]{2}$/, { message: LANGUAGE_MESSAGE })
  language?: string;

  @ApiPropertyOptional({ description: 'The household asked for legal follow-up' })
  @IsOptional()
  @IsBoolean()
  followUp?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_NOTE_LENGTH, description: 'Only when the organization has enabled notes' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;

  @ApiPropertyOptional({ type: [MaterialQuantityDto], description: 'Materials left at the door (also when nobody answered)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaterialQuantityDto)
  materials?: MaterialQuantityDto[];
}

export class NotHomeItemDto extends SyncItemBase {
  declare kind: 'not_home';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  turfId: string;

  @ApiProperty({ type: [String], description: 'The doors nobody answered (the units of a building, say)', maxItems: MAX_NOT_HOME_DOORS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_NOT_HOME_DOORS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  doorIds: string[];

  @ApiProperty({ description: 'The time on the phone' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  recordedAt: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  shiftId?: string;

  @ApiPropertyOptional({ type: [MaterialQuantityDto], description: 'Left under each of the doors' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaterialQuantityDto)
  materialsPerDoor?: MaterialQuantityDto[];
}

export class CheckInItemDto extends SyncItemBase {
  declare kind: 'check_in';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  turfId: string;

  @ApiProperty({ description: 'The time on the phone' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  startedAt: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The member walking with this volunteer' })
  @IsOptional()
  @IsUUID()
  partnerUserId?: string;

  @ApiPropertyOptional({
    type: CoarseLocationDto,
    description: 'Opt-in; stored rounded to about 100 m, and only if the organization allows it',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CoarseLocationDto)
  location?: CoarseLocationDto;

  @ApiPropertyOptional({ type: [MaterialQuantityDto], description: 'Materials taken out for the shift' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MaterialQuantityDto)
  materialsTaken?: MaterialQuantityDto[];
}

export class CheckOutItemDto extends SyncItemBase {
  declare kind: 'check_out';

  @ApiProperty({ format: 'uuid', description: "The check-in's id" })
  @IsUUID()
  shiftId: string;

  @ApiProperty({ description: 'The time on the phone' })
  @IsISO8601({ strict: true, strictSeparator: true }, { message: TIME_MESSAGE })
  endedAt: string;

  @ApiPropertyOptional({ type: [ReturnedQuantityDto], description: 'Materials brought back' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ReturnedQuantityDto)
  materialsReturned?: ReturnedQuantityDto[];
}

export type SyncItem = VisitItemDto | NotHomeItemDto | CheckInItemDto | CheckOutItemDto;

export const SYNC_ITEM_CLASSES = {
  visit: VisitItemDto,
  not_home: NotHomeItemDto,
  check_in: CheckInItemDto,
  check_out: CheckOutItemDto,
} as const;

export class SyncRequestDto {
  @ApiProperty({
    description: `Up to ${MAX_SYNC_ITEMS} records from the phone's outbox, each checked on its own`,
    type: 'array',
    items: {
      oneOf: [
        { $ref: '#/components/schemas/VisitItemDto' },
        { $ref: '#/components/schemas/NotHomeItemDto' },
        { $ref: '#/components/schemas/CheckInItemDto' },
        { $ref: '#/components/schemas/CheckOutItemDto' },
      ],
    },
    maxItems: MAX_SYNC_ITEMS,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SYNC_ITEMS, { message: `must hold at most ${MAX_SYNC_ITEMS} records; send the rest in another batch` })
  @IsObject({ each: true, message: 'each record must be a JSON object' })
  items: Record<string, unknown>[];
}

export const SYNC_STATUSES = ['created', 'duplicate', 'rejected', 'quarantined'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Why a record was refused: the phone shows the message and keeps the record for the volunteer to see. */
export const SYNC_REJECTIONS = [
  'INVALID',
  'UNKNOWN_ROUTE',
  'NOT_YOUR_ROUTE',
  'DOOR_NOT_ON_ROUTE',
  'UNKNOWN_MATERIAL',
  'UNKNOWN_PARTNER',
  'NOTES_DISABLED',
  'UNKNOWN_SHIFT',
  'ALREADY_CHECKED_OUT',
  'ID_TAKEN',
  'PURGED',
] as const;
export type SyncRejection = (typeof SYNC_REJECTIONS)[number];

export class SyncResultDto {
  @ApiProperty({ description: 'Position of the record in the batch' }) index: number;
  @ApiProperty({ nullable: true, type: String, description: 'The record id as sent (null when it was not a string)' }) id: string | null;
  @ApiProperty({ nullable: true, enum: SYNC_ITEM_KINDS }) kind: SyncItemKind | null;
  @ApiProperty({ enum: SYNC_STATUSES }) status: SyncStatus;
  @ApiPropertyOptional({ enum: SYNC_REJECTIONS }) code?: SyncRejection;
  @ApiPropertyOptional({ description: 'Why it was rejected or quarantined, for the volunteer' }) message?: string;
  @ApiPropertyOptional({ description: 'For INVALID: each field path with its messages' }) fields?: Record<string, string[]>;
  @ApiPropertyOptional({ type: [String], description: "Clock doubts: 'ahead' (phone time in the future) or 'before_assignment'" })
  flags?: string[];
  @ApiPropertyOptional({ type: [String], description: 'For "not_home": the id of the visit stored for each door, in the order sent' })
  visitIds?: string[];
}

export class SyncResponseDto {
  @ApiProperty({ type: [SyncResultDto] }) results: SyncResultDto[];
  @ApiProperty({ description: 'How many records of the batch had each status' })
  counts: Record<SyncStatus, number>;
}
