import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
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
  ValidateNested,
} from 'class-validator';
import { PageMetaDto, PageQueryDto } from '@app/core';
import { Material, MATERIAL_KINDS, MaterialKind, MaterialNames } from '../entities/material.entity';

const trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A material's name in each interface language; a language left out falls back to the catalogue name. */
export class MaterialNamesDto {
  @ApiPropertyOptional({ example: 'Know your rights card (Spanish)', maxLength: 120 })
  @IsOptional()
  @trim()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  en?: string;

  @ApiPropertyOptional({ example: 'Tarjeta conozca sus derechos (español)', maxLength: 120 })
  @IsOptional()
  @trim()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  es?: string;
}

export class CreateMaterialDto {
  @ApiPropertyOptional({
    example: 'Know your rights card',
    maxLength: 120,
    description: 'The catalogue name; may be left out when `names` are given (then the English name, else the Spanish one)',
  })
  @ValidateIf((o: CreateMaterialDto) => o.name !== undefined || !(o.names?.en || o.names?.es))
  @trim()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ type: MaterialNamesDto, description: 'The name in each interface language (en, es)' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MaterialNamesDto)
  names?: MaterialNamesDto;

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

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 1_000_000,
    description: 'The dashboard warns when the stock is at or below this; null: never',
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  lowStockThreshold?: number | null;
}

export class UpdateMaterialDto extends PartialType(CreateMaterialDto) {}

export const MATERIAL_LIST_STATUSES = ['active', 'retired', 'all'] as const;

export class MaterialQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MATERIAL_LIST_STATUSES, default: 'active', description: 'Materials in use, retired ones, or both' })
  @IsOptional()
  @IsIn(MATERIAL_LIST_STATUSES)
  status: (typeof MATERIAL_LIST_STATUSES)[number] = 'active';
}

export class MaterialNamesResponseDto {
  @ApiPropertyOptional() en?: string;
  @ApiPropertyOptional() es?: string;
}

export class MaterialResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The catalogue name' }) name: string;
  @ApiProperty({ type: MaterialNamesResponseDto, description: 'The name in each interface language that has one' })
  names: MaterialNames;
  @ApiProperty({ enum: MATERIAL_KINDS }) kind: MaterialKind;
  @ApiProperty() language: string;
  @ApiProperty({ nullable: true, type: String }) linkUrl: string | null;
  @ApiProperty() stock: number;
  @ApiProperty({ nullable: true, type: Number }) lowStockThreshold: number | null;
  @ApiProperty({ description: 'Stock at or below the threshold' }) lowStock: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When it was retired; null while in use' })
  retiredAt: string | null;
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

export const isLowStock = (m: { stock: number; lowStockThreshold: number | null }) =>
  m.lowStockThreshold !== null && m.stock <= m.lowStockThreshold;

export function toMaterialResponse(m: Material): MaterialResponseDto {
  return {
    id: m.id,
    name: m.name,
    names: m.names ?? {},
    kind: m.kind,
    language: m.language,
    linkUrl: m.linkUrl,
    stock: m.stock,
    lowStockThreshold: m.lowStockThreshold,
    lowStock: isLowStock(m),
    retiredAt: m.retiredAt?.toISOString() ?? null,
  };
}
