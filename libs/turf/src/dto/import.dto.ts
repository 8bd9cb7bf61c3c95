import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageMetaDto } from '@app/core';
import { AddressImport, IMPORT_FORMATS, IMPORT_STATUSES, ImportFormat, ImportStatus, MERGE_WITHIN_METRES } from '../entities';
import { REJECTION_CODES, RejectionCode, RejectionParams } from '../import/address-row';
import { Rejection } from '../repositories/import.repository';

export class ImportQueryDto {
  @ApiPropertyOptional({ description: 'The name of the uploaded file, shown in the import list', example: 'reynoldstown.csv' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[\p{L}\p{N} ._()-]+$/u, { message: 'must be a plain file name (letters, digits, spaces, . _ - ( ))' })
  fileName?: string;
}

export class ImportProgressDto {
  @ApiProperty() rowsRead: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Data rows in the file (an estimate until the import ends)' }) rowsTotal:
    number | null;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent: number;
}

export class KeptApartDto {
  @ApiProperty({ example: 'Mission Road' }) street: string;
  @ApiProperty({ example: '1929' }) number: string;
  @ApiProperty({ nullable: true, type: String }) unit: string | null;
  @ApiProperty({ description: 'Doors (places) the campaign has for this address', example: 2 }) places: number;
  @ApiProperty({ description: 'Distance between the two places farthest apart, in metres', example: 15800 }) farthestMetres: number;
}

export class ImportReportDto {
  @ApiProperty({ description: 'New doors created' }) rowsImported: number;
  @ApiProperty({
    description:
      'Rows whose door (same normalised street, number and unit, within mergeWithinMetres) was already in the file or the campaign: near duplicates, merged',
  })
  duplicatesMerged: number;
  @ApiProperty({ description: 'Rows refused; see /imports/{id}/rejections' }) rowsRejected: number;
  @ApiProperty({
    description:
      'Addresses of the file (normalised street, number and unit) found at places more than mergeWithinMetres apart, kept as separate doors',
  })
  addressesKeptApart: number;
  @ApiProperty({ type: [KeptApartDto], description: 'The first of those addresses (at most 20), in file order' })
  keptApart: KeptApartDto[];
  @ApiProperty({ description: 'Rows of one address merge into one door only within this distance', example: MERGE_WITHIN_METRES })
  mergeWithinMetres: number;
}

export class ImportResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ enum: IMPORT_FORMATS }) format: ImportFormat;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ enum: IMPORT_STATUSES }) status: ImportStatus;
  @ApiProperty({ type: ImportProgressDto }) progress: ImportProgressDto;
  @ApiProperty({ type: ImportReportDto }) report: ImportReportDto;
  @ApiProperty({
    nullable: true,
    type: Object,
    description:
      'Why a file could not be read at all: the error code, the English message and, when known, details.reason (e.g. csv_missing_columns) with its params',
  })
  error: {
    code: string;
    message: string;
    details?: { reason: string; params: Record<string, string | number> };
  } | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export class ImportPageDto extends PageMetaDto {
  @ApiProperty({ type: [ImportResponseDto] }) items: ImportResponseDto[];
}

export class RejectionDto {
  @ApiProperty({ description: 'Line of the CSV file (the header is line 1), or position of the GeoJSON feature' }) line: number;
  @ApiProperty({
    enum: REJECTION_CODES,
    nullable: true,
    description: 'Why, as a stable code (null on imports made before codes)',
    example: 'missing_coordinate',
  })
  code: RejectionCode | null;
  @ApiPropertyOptional({ type: Object, description: 'What the code needs to be worded, e.g. { field, max } for field_too_long' })
  params?: RejectionParams;
  @ApiProperty({ description: 'Why, in English', example: 'missing coordinate' }) reason: string;
}

export class RejectionPageDto extends PageMetaDto {
  @ApiProperty({ type: [RejectionDto] }) items: RejectionDto[];
}

export function toImportResponse(i: AddressImport): ImportResponseDto {
  const done = i.status === 'completed';
  const percent = done ? 100 : i.rowsTotal ? Math.min(99, Math.floor((i.rowsRead / i.rowsTotal) * 100)) : 0;
  return {
    id: i.id,
    campaignId: i.campaignId,
    fileName: i.fileName,
    format: i.format,
    sizeBytes: i.sizeBytes,
    status: i.status,
    progress: { rowsRead: i.rowsRead, rowsTotal: i.rowsTotal, percent },
    report: {
      rowsImported: i.rowsImported,
      duplicatesMerged: i.duplicatesMerged,
      rowsRejected: i.rowsRejected,
      addressesKeptApart: i.addressesKeptApart,
      keptApart: i.keptApartExamples ?? [],
      mergeWithinMetres: MERGE_WITHIN_METRES,
    },
    error: i.errorCode
      ? { code: i.errorCode, message: i.errorMessage ?? '', ...(i.errorDetails ? { details: i.errorDetails } : {}) }
      : null,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt ? i.finishedAt.toISOString() : null,
  };
}

export const toRejection = (r: Rejection): RejectionDto => ({
  line: r.line,
  code: r.code,
  ...(r.params ? { params: r.params } : {}),
  reason: r.reason,
});
