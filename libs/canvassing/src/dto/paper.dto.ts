import { ApiProperty, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsUUID, ValidateNested } from 'class-validator';
import { VisitItemDto } from './sync.dto';

/** A paper walk list has one line per door; the largest route the cutter makes holds 500. */
export const MAX_PAPER_ENTRIES = 500;

/** One line of a paper walk list: the door and what its boxes say, checked as a phone's visit is. */
export class PaperEntryDto extends PickType(VisitItemDto, ['doorId', 'outcome', 'language', 'followUp', 'materials'] as const) {}

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
