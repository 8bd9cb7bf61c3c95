import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Actor, Role, ROLES } from '@app/auth';
import { PageMetaDto } from '@app/core';
import { Membership, MEMBERSHIP_STATUSES, MembershipStatus } from '../entities';
import { MemberRow } from '../repositories/membership.repository';

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;
}

export class MemberResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The membership id' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: MembershipStatus;
  @ApiProperty({ enum: ['en', 'es'] }) language: string;
  @ApiPropertyOptional({ description: 'Shown to organizers only' }) email?: string;
  @ApiPropertyOptional({ description: 'Shown to organizers only', nullable: true, type: String }) phone?: string | null;
  @ApiProperty() joinedAt: string;
}

export class MemberPageDto extends PageMetaDto {
  @ApiProperty({ type: [MemberResponseDto] }) items: MemberResponseDto[];
}

export class MembershipResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: MembershipStatus;
}

/** Contact details are for organizers; coordinators see names and roles. */
export function toMemberResponse(row: MemberRow, viewer: Actor): MemberResponseDto {
  const base: MemberResponseDto = {
    id: row.membership.id,
    userId: row.user.id,
    displayName: row.user.displayName,
    role: row.membership.role,
    status: row.membership.status,
    language: row.user.language,
    joinedAt: row.membership.createdAt.toISOString(),
  };
  return viewer.role === 'organizer' ? { ...base, email: row.user.email, phone: row.user.phone } : base;
}

export function toMembershipResponse(m: Membership): MembershipResponseDto {
  return { id: m.id, userId: m.userId, role: m.role, status: m.status };
}
