import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '@app/core';
import { DoorRow } from '../repositories/door.repository';

export class DoorResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) buildingId: string;
  @ApiProperty() number: string;
  @ApiProperty() street: string;
  @ApiProperty({ nullable: true, type: String }) unit: string | null;
  @ApiProperty({ nullable: true, type: String }) city: string | null;
  @ApiProperty({ nullable: true, type: String }) postcode: string | null;
  @ApiProperty() lon: number;
  @ApiProperty() lat: number;
  @ApiProperty({ description: 'Never routed again' }) doNotKnock: boolean;
}

export class DoorPageDto extends PageMetaDto {
  @ApiProperty({ type: [DoorResponseDto] }) items: DoorResponseDto[];
}

export function toDoorResponse(d: DoorRow): DoorResponseDto {
  return {
    id: d.id,
    buildingId: d.buildingId,
    number: d.number,
    street: d.street,
    unit: d.unit,
    city: d.city,
    postcode: d.postcode,
    lon: Number(d.lon),
    lat: Number(d.lat),
    doNotKnock: d.doNotKnockAt !== null,
  };
}
