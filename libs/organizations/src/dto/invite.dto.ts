import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Role, ROLES } from '@app/auth';
import { PageMetaDto } from '@app/core';
import { Invite, Language, LANGUAGES } from '../entities';
import { PASSWORD_MAX_LENGTH } from '../services/password.service';
import { CreatedInvite, InvitePreview } from '../services/invite.service';
import { PhoneInput, Trim } from './common';

export class CreateInviteDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'When given, only this address can accept the invite' })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'Hours until the link expires (default: 168, a week)', minimum: 1, maximum: 2160 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2160)
  expiresInHours?: number;
}

export class InviteResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ description: 'True once the link can no longer be used because of its age' }) expired: boolean;
  @ApiProperty() createdAt: string;
}

export class CreatedInviteResponseDto extends InviteResponseDto {
  @ApiProperty({ description: 'The secret token; shown this once and never stored' }) token: string;
  @ApiProperty({ description: 'The link to send to the person', example: 'http://localhost:3000/join#inv_...' }) url: string;
}

export class InvitePageDto extends PageMetaDto {
  @ApiProperty({ type: [InviteResponseDto] }) items: InviteResponseDto[];
}

export class InviteTokenDto {
  @ApiProperty({ description: 'The token from the invite link (after #)' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

export class InvitePreviewResponseDto {
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty() expiresAt: string;
}

export class AcceptInviteDto extends InviteTokenDto {
  @ApiPropertyOptional({ description: 'Required when the invite names no address' })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiProperty({ description: "A new password, or the existing account's password" })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({ description: 'Required for a new account', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, description: 'Required for a new account' })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({
    example: '404-555-0123',
    description: "As dialled in the organization's country, or international with +; stored as E.164",
  })
  @IsOptional()
  @Trim()
  @PhoneInput()
  phone?: string;
}

export function toInviteResponse(invite: Invite, now: Date): InviteResponseDto {
  return {
    id: invite.id,
    role: invite.role,
    email: invite.email,
    expiresAt: invite.expiresAt.toISOString(),
    expired: invite.expiresAt <= now,
    createdAt: invite.createdAt.toISOString(),
  };
}

export function toCreatedInviteResponse(created: CreatedInvite, now: Date): CreatedInviteResponseDto {
  return { ...toInviteResponse(created.invite, now), token: created.token, url: created.url };
}

export function toInvitePreviewResponse(p: InvitePreview): InvitePreviewResponseDto {
  return { organizationName: p.organizationName, role: p.role, email: p.email, expiresAt: p.expiresAt.toISOString() };
}
