import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  Validate,
} from 'class-validator';
import { GeoJsonPolygonConstraint } from './campaign.dto';
import { PageMetaDto } from '@app/core';
import { ASSIGNMENT_STATUSES, AssignmentStatus } from '../entities';
import { RouteStop, TurfRow } from '../repositories/turf.repository';
import { CutResult } from '../services/turf.service';

export class CutTurfsDto {
  @ApiPropertyOptional({
    description: 'Cut only the doors inside this GeoJSON Polygon or MultiPolygon (a neighbourhood); default the whole campaign',
    type: Object,
  })
  @IsOptional()
  @IsObject()
  @Validate(GeoJsonPolygonConstraint)
  area?: object;

  @ApiProperty({ minimum: 5, maximum: 500, example: 50, description: 'About how many doors each turf should hold' })
  @IsInt()
  @Min(5)
  @Max(500)
  doorsPerTurf: number;

  @ApiPropertyOptional({ default: false, description: 'false: preview only; true: save the turfs and their routes' })
  @IsOptional()
  @IsBoolean()
  save: boolean = false;

  @ApiPropertyOptional({ default: false, description: 'Cut again the doors of turfs nobody is walking (they are replaced)' })
  @IsOptional()
  @IsBoolean()
  replace: boolean = false;

  @ApiPropertyOptional({ default: 4.5, minimum: 1, maximum: 10, description: 'Walking speed for time estimates (km/h)' })
  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  walkingSpeedKmh: number = 4.5;

  @ApiPropertyOptional({ default: 2, minimum: 0, maximum: 30, description: 'Minutes spent at each door, for time estimates' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(30)
  minutesPerDoor: number = 2;
}

export class DrawTurfDto {
  @ApiProperty({ description: 'The turf as drawn: a GeoJSON Polygon or MultiPolygon; its free doors become the turf', type: Object })
  @IsObject()
  @Validate(GeoJsonPolygonConstraint)
  area: object;

  @ApiPropertyOptional({
    default: false,
    description:
      'Also take the doors inside the area that other turfs hold (whole buildings); those turfs get new routes, and one left with no door to knock is removed. Refused (409 TURF_ASSIGNED) when somebody walks one of them',
  })
  @IsOptional()
  @IsBoolean()
  takeFromTurfs: boolean = false;

  @ApiPropertyOptional({ default: 4.5, minimum: 1, maximum: 10 })
  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  walkingSpeedKmh: number = 4.5;

  @ApiPropertyOptional({ default: 2, minimum: 0, maximum: 30 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(30)
  minutesPerDoor: number = 2;
}

export class CutTurfDto {
  @ApiProperty({ nullable: true, type: String, description: 'Set once saved' }) id: string | null;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty() doorCount: number;
  @ApiProperty() walkMetres: number;
  @ApiProperty() walkMinutes: number;
  @ApiProperty({ format: 'uuid' }) meetingDoorId: string;
  @ApiProperty({ type: Object, example: { lon: -84.35, lat: 33.74 } }) centroid: { lon: number; lat: number };
  @ApiProperty({ type: [String], description: 'The route: door ids in walking order from the meeting point' }) doorIds: string[];
}

export class CutSummaryDto {
  @ApiProperty() turfCount: number;
  @ApiProperty() doorCount: number;
  @ApiProperty() minDoors: number;
  @ApiProperty() maxDoors: number;
  @ApiProperty() totalWalkMetres: number;
}

export class CutResponseDto {
  @ApiProperty() saved: boolean;
  @ApiProperty({ type: [CutTurfDto] }) turfs: CutTurfDto[];
  @ApiProperty({ type: CutSummaryDto }) summary: CutSummaryDto;
}

export class AssignRouteDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 2, description: 'One volunteer, or a pair (user ids)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2)
  @IsUUID('all', { each: true })
  volunteerIds: string[];

  @ApiPropertyOptional({ default: 7, minimum: 1, maximum: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  expiresInDays: number = 7;
}

export class ReorderRouteDto {
  @ApiProperty({
    type: [String],
    description: 'Every door of the route, each once, in the new walking order; the first is the new meeting point',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  doorIds: string[];
}

export class RenameTurfDto {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'Reynoldstown north', description: 'Unique within the campaign' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'must not be blank' })
  name: string;
}

export class MergeTurfsDto {
  @ApiProperty({ type: [String], minItems: 2, maxItems: 20, description: 'Turfs of one campaign that nobody is walking' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  turfIds: string[];
}

export class MoveDoorsDto {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 500,
    description: "Doors of the turf's campaign to move into it; the other units of their buildings come too",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  doorIds: string[];
}

export class SplitTurfDto {
  @ApiPropertyOptional({ default: 2, minimum: 2, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(10)
  parts: number = 2;
}

export class ClaimRouteDto {
  @ApiProperty({ example: 'K7M2Q9XA', description: "The route's code, from its walk list or QR code" })
  @IsString()
  @Length(8, 8)
  @Matches(/^[2-9A-Za-z]+$/, { message: 'must be the 8-character code of a route' })
  code: string;
}

export class AssignmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ASSIGNMENT_STATUSES }) status: AssignmentStatus;
  @ApiProperty({ type: [String] }) volunteerIds: string[];
  @ApiProperty() expiresAt: string;
}

export class TurfResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ description: "The campaign's name" }) campaignName: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Short code to hand the route out by' }) code: string;
  @ApiProperty() doorCount: number;
  @ApiProperty() walkMetres: number;
  @ApiProperty() walkMinutes: number;
  @ApiProperty({ nullable: true, type: String }) meetingDoorId: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'GeoJSON Polygon for the map' }) outline: object | null;
  @ApiProperty({ nullable: true, type: AssignmentDto }) assignment: AssignmentDto | null;
}

export class TurfPageDto extends PageMetaDto {
  @ApiProperty({ type: [TurfResponseDto] }) items: TurfResponseDto[];
}

export class RouteStopDto {
  @ApiProperty() position: number;
  @ApiProperty({ format: 'uuid' }) doorId: string;
  @ApiProperty({ format: 'uuid' }) buildingId: string;
  @ApiProperty() number: string;
  @ApiProperty() street: string;
  @ApiProperty({ nullable: true, type: String }) unit: string | null;
  @ApiProperty() lon: number;
  @ApiProperty() lat: number;
}

export class RouteResponseDto extends TurfResponseDto {
  @ApiProperty({ type: [RouteStopDto], description: 'The doors in walking order ("do not knock" doors left out)' }) stops: RouteStopDto[];
}

export function toTurfResponse(t: TurfRow): TurfResponseDto {
  return {
    id: t.id,
    campaignId: t.campaignId,
    campaignName: t.campaignName,
    name: t.name,
    code: t.code,
    doorCount: t.doorCount,
    walkMetres: t.walkMetres,
    walkMinutes: t.walkMinutes,
    meetingDoorId: t.meetingDoorId,
    outline: t.outline,
    assignment: t.assignmentId
      ? {
          id: t.assignmentId,
          status: t.assignmentStatus!,
          volunteerIds: t.assigneeIds ?? [],
          expiresAt: new Date(t.assignmentExpiresAt!).toISOString(),
        }
      : null,
  };
}

export function toRouteResponse(r: { turf: TurfRow; route: RouteStop[] }): RouteResponseDto {
  return { ...toTurfResponse(r.turf), stops: r.route.map((s) => ({ ...s, lon: Number(s.lon), lat: Number(s.lat) })) };
}

export const toCutResponse = (r: CutResult): CutResponseDto => r;
