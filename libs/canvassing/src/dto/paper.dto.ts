import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Matches,
  ValidateNested,
} from 'class-validator';
import { VISIT_OUTCOMES, VisitOutcome } from '../entities/field.entity';
import { MaterialQuantityDto } from './sync.dto';

/** A paper walk list has one line per door; the largest route the cutter makes holds 500. */
export const MAX_PAPER_ENTRIES = 500;

const lower = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/** One line of a paper walk list: the door and what its boxes say. */
export class PaperEntryDto {
  @ApiProperty({ format: 'uuid', description: 'A door of this route' })
  @IsUUID()
  doorId: string;

  @ApiProperty({ enum: VISIT_OUTCOMES })
  @IsIn(VISIT_OUTCOMES)
  outcome: VisitOutcome;

  @ApiPropertyOptional({ example: 'es', description: "The conversation's language (ISO 639-1)" })
  @IsOptional()
  @lower()
  @Matches(/^[a-z]{2}$/, { message: 'must be a two-letter ISO 639-1 code such as en or es' })
  language?: string;

  @ApiPropertyOptional({ description: 'The household asked for legal follow-up' })
  @IsOptional()
  @IsBoolean()
  followUp?: boolean;

  @ApiPropertyOptional({ type: [MaterialQuantityDto], description: 'Materials left at the door (also when nobody answered)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MaterialQuantityDto)
  materials?: MaterialQuantityDto[];
}

/** A paper walk list brought back from the field, typed in by a coordinator. */
export class PaperVisitsDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Made by the client for this sheet; the same sheet sent again (after a lost answer, say) stores nothing twice',
  })
  @IsUUID()
  sheetId: string;

  @ApiProperty({ format: 'uuid', description: 'The member who walked the list: the visits are theirs' })
  @IsUUID()
  walkedBy: string;

  @ApiProperty({ description: 'When the list was walked (ISO 8601 with offset); not in the future' })
  @IsISO8601(
    { strict: true, strictSeparator: true },
    { message: 'must be an ISO 8601 time with its offset, such as 2026-07-14T10:31:00-04:00' },
  )
  walkedAt: string;

  @ApiProperty({
    type: [PaperEntryDto],
    minItems: 1,
    maxItems: MAX_PAPER_ENTRIES,
    description: 'One entry per door visited, each door once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PAPER_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => PaperEntryDto)
  entries: PaperEntryDto[];
}

export class PaperVisitsResultDto {
  @ApiProperty({ format: 'uuid' }) sheetId: string;
  @ApiProperty({ description: 'Visits stored by this request' }) created: number;
  @ApiProperty({ description: 'Visits of this sheet that were already stored (the sheet was sent before)' }) duplicate: number;
}
