import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  Validate,
} from 'class-validator';
import { PageMetaDto } from '@app/core';
import { CampaignRow } from '../repositories/campaign.repository';

const trim = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * What is wrong with a GeoJSON Polygon or MultiPolygon, or null: rings of [longitude, latitude]
 * positions, each within range (-180 to 180, -90 to 90). PostGIS then checks the geometry itself
 * (self-intersections and the like).
 */
export function polygonProblem(value: unknown): string | null {
  const g = value as { type?: unknown; coordinates?: unknown } | null;
  if (!g || typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
    return 'must be a GeoJSON Polygon or MultiPolygon ({"type":"Polygon","coordinates":[[[lon,lat],...]]})';
  }
  const polygons: unknown[] = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon)) return 'has a polygon that is not a list of rings';
    for (const ring of polygon as unknown[]) {
      if (!Array.isArray(ring)) return 'has a ring that is not a list of positions';
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))
          return 'has a position that is not [longitude, latitude]';
        const [lon, lat] = p as number[];
        if (lon < -180 || lon > 180) return `has a longitude out of range (-180 to 180): ${lon}`;
        if (lat < -90 || lat > 90) return `has a latitude out of range (-90 to 90): ${lat}`;
      }
    }
  }
  return null;
}

/** A GeoJSON Polygon or MultiPolygon whose positions are within range (see polygonProblem). */
@ValidatorConstraint({ name: 'geoJsonPolygon' })
export class GeoJsonPolygonConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return polygonProblem(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return polygonProblem(args.value) ?? 'must be a GeoJSON Polygon or MultiPolygon';
  }
}

/** An IANA zone the runtime knows (its time zone database is the one that converts the times). */
@ValidatorConstraint({ name: 'timeZone' })
export class TimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || value.length > 64) return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }

  defaultMessage(_args: ValidationArguments): string {
    return 'must be an IANA time zone such as America/New_York';
  }
}

const DATE_ONLY = { strict: true, strictSeparator: true } as const;

export class CreateCampaignDto {
  @ApiProperty({ example: 'Know your rights - Reynoldstown, July', maxLength: 200 })
  @trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiPropertyOptional({ example: '2026-07-01', format: 'date', nullable: true, type: String })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsISO8601(DATE_ONLY)
  startsOn?: string | null;

  @ApiPropertyOptional({ example: '2026-07-31', format: 'date', nullable: true, type: String })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsISO8601(DATE_ONLY)
  endsOn?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Let a volunteer take a route by typing or scanning its code' })
  @IsOptional()
  @IsBoolean()
  allowSelfAssignment?: boolean;

  @ApiPropertyOptional({
    example: 'America/New_York',
    default: 'UTC',
    description: "IANA time zone the dashboards' days and hours are counted in",
  })
  @IsOptional()
  @IsString()
  @Validate(TimeZoneConstraint)
  timeZone?: string;

  @ApiPropertyOptional({ description: 'GeoJSON Polygon or MultiPolygon (longitude, latitude)', nullable: true, type: Object })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @IsObject()
  @Validate(GeoJsonPolygonConstraint)
  area?: object | null;
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}

export class CampaignResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) startsOn: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) endsOn: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'GeoJSON MultiPolygon' }) area: object | null;
  @ApiProperty({ description: 'Doors imported into the campaign' }) doorCount: number;
  @ApiProperty() allowSelfAssignment: boolean;
  @ApiProperty() timeZone: string;
  @ApiProperty() createdAt: string;
}

export class CampaignPageDto extends PageMetaDto {
  @ApiProperty({ type: [CampaignResponseDto] }) items: CampaignResponseDto[];
}

export function toCampaignResponse(c: CampaignRow): CampaignResponseDto {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    area: c.area,
    doorCount: c.doorCount,
    allowSelfAssignment: c.allowSelfAssignment,
    timeZone: c.timeZone,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}
