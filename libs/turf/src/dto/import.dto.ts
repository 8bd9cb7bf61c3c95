import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageMetaDto } from '@app/core';
import { AddressImport, IMPORT_FORMATS, IMPORT_STATUSES, ImportFormat, ImportStatus } from '../entities';
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

export class ImportReportDto {
  @ApiProperty({ description: 'New doors created' }) rowsImported: number;
  @ApiProperty({ description: 'Rows whose door (same normalised street, number and unit) was already in the file or the campaign' })
  duplicatesMerged: number;
  @ApiProperty({ description: 'Rows refused; see /imports/{id}/rejections' }) rowsRejected: number;
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
  @ApiProperty({ nullable: true, type: Object, description: 'Why a file could not be read at all' }) error: {
    code: string;
    message: string;
  } | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
}

export class ImportPageDto extends PageMetaDto {
  @ApiProperty({ type: [ImportResponseDto] }) items: ImportResponseDto[];
}

export class RejectionDto {
  @ApiProperty({ description: 'Line of the CSV file (the header is line 1), or position of the GeoJSON feature' }) line: number;
  @ApiProperty({ example: 'missing coordinate' }) reason: string;
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
    report: { rowsImported: i.rowsImported, duplicatesMerged: i.duplicatesMerged, rowsRejected: i.rowsRejected },
    error: i.errorCode ? { code: i.errorCode, message: i.errorMessage ?? '' } : null,
    createdAt: i.createdAt.toISOString(),
    finishedAt: i.finishedAt ? i.finishedAt.toISOString() : null,
  };
}

export const toRejection = (r: Rejection): RejectionDto => ({ line: r.line, reason: r.reason });
