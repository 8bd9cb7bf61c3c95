import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageMetaDto } from '@app/core';
import { Material, MATERIAL_KINDS, MaterialKind } from '../entities/material.entity';

const trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

export class CreateMaterialDto {
  @ApiProperty({ example: 'Know your rights card', maxLength: 120 })
  @trim()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: MATERIAL_KINDS })
  @IsIn(MATERIAL_KINDS)
  kind: MaterialKind;

  @ApiProperty({ example: 'es', description: 'ISO 639-1 code' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @Matches(/^[a-z]{2}$/, { message: 'must be a two-letter ISO 639-1 code such as en or es' })
  language: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Where the printable file is' })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true })
  @MaxLength(2000)
  linkUrl?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  stock?: number;
}

export class UpdateMaterialDto extends PartialType(CreateMaterialDto) {}

export class MaterialResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: MATERIAL_KINDS }) kind: MaterialKind;
  @ApiProperty() language: string;
  @ApiProperty({ nullable: true, type: String }) linkUrl: string | null;
  @ApiProperty() stock: number;
}

export class MaterialPageDto extends PageMetaDto {
  @ApiProperty({ type: [MaterialResponseDto] }) items: MaterialResponseDto[];
}

export class CampaignMaterialsDto {
  @ApiProperty({ type: [String], description: 'The materials the campaign hands out (replaces the current set)' })
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  materialIds: string[];
}

export function toMaterialResponse(m: Material): MaterialResponseDto {
  return { id: m.id, name: m.name, kind: m.kind, language: m.language, linkUrl: m.linkUrl, stock: m.stock };
}
