import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { Role, ROLES } from '@app/auth';
import { Language, LANGUAGES, Organization, RETENTION_DAYS } from '../entities';
import { isPhoneCountry } from '../phone';
import { Me } from '../services/account.service';
import { PhoneInput, Trim } from './common';

export class MyMembershipDto {
  @ApiProperty({ format: 'uuid' }) organizationId: string;
  @ApiProperty() organizationName: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export class MeResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: LANGUAGES }) language: Language;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ format: 'uuid', description: 'The organization this session works in' }) organizationId: string;
  @ApiProperty({ enum: ROLES, description: 'Your role in that organization' }) role: Role;
  @ApiProperty({ type: [MyMembershipDto] }) memberships: MyMembershipDto[];
}

export class UpdateProfileDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;

  @ApiPropertyOptional({ enum: LANGUAGES })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '404-555-0123',
    description: "As dialled in the organization's country, or international with +; stored as E.164; null removes it",
  })
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Trim()
  @PhoneInput()
  phone?: string | null;
}

export class OrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({
    example: 'US',
    description: "ISO 3166-1 alpha-2 country the organization works in: members' and supporters' phone numbers are read as dialled there",
  })
  country: string;
  @ApiProperty({ description: 'Volunteers may add a short note to a visit (organizers alone read them)' }) notesEnabled: boolean;
  @ApiProperty({ description: 'Volunteers may share a coarse location (about 100 m) when they check in' })
  coarseLocationEnabled: boolean;
  @ApiProperty({ description: 'Reminders may go by e-mail' }) emailRemindersEnabled: boolean;
  @ApiProperty({ description: 'Reminders may go by SMS' }) smsRemindersEnabled: boolean;
  @ApiProperty({ description: 'Members see a leaderboard of volunteers by doors attempted' }) leaderboardsEnabled: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Map tile URL template for the web app; null draws no background tiles' })
  mapTileUrl: string | null;
  @ApiProperty({ description: 'Days after a campaign ends that visit notes are kept' }) notesRetentionDays: number;
  @ApiProperty({ description: 'Days after a campaign ends that coarse check-in locations are kept' }) locationsRetentionDays: number;
  @ApiProperty({ description: "Days after an event ends that supporters' names, phones and e-mails are kept" })
  supporterContactsRetentionDays: number;
  @ApiProperty({ description: 'Days after a campaign ends that its door-level visits are kept (the figures stay)' })
  visitsRetentionDays: number;
  @ApiProperty() createdAt: string;
}

@ValidatorConstraint({ name: 'phoneCountry' })
class PhoneCountry implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isPhoneCountry(value);
  }

  defaultMessage(): string {
    return 'must be a two-letter country code in capitals (ISO 3166-1), e.g. US, MX, CA';
  }
}

/** A retention period: whole days, from RETENTION_DAYS.min to RETENTION_DAYS.max. */
const RetentionDays = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ description, type: 'integer', minimum: RETENTION_DAYS.min, maximum: RETENTION_DAYS.max }),
    // Absent leaves it as it is; null is not a period (the column has no "forever").
    ValidateIf((_o, v) => v !== undefined),
    IsInt({ message: '$property must be a whole number of days' }),
    Min(RETENTION_DAYS.min, { message: `$property must be at least ${RETENTION_DAYS.min} day` }),
    Max(RETENTION_DAYS.max, { message: `$property must be at most ${RETENTION_DAYS.max} days (ten years)` }),
  );

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ description: 'Required when the server only lets holders of a sign-up code create organizations' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  signupCode?: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: 'US',
    description: 'ISO 3166-1 alpha-2 country the organization works in; phone numbers typed without + are read as dialled there',
  })
  @IsOptional()
  @Trim()
  @IsString()
  @Validate(PhoneCountry)
  country?: string;

  @ApiPropertyOptional({ description: 'Let volunteers add a note (at most 500 characters) to a visit' })
  @IsOptional()
  @IsBoolean()
  notesEnabled?: boolean;

  @ApiPropertyOptional({ description: 'Let volunteers share a coarse location at check-in; off means none is ever stored' })
  @IsOptional()
  @IsBoolean()
  coarseLocationEnabled?: boolean;

  @ApiPropertyOptional({ description: 'Send reminders by e-mail (when the server has SMTP settings)' })
  @IsOptional()
  @IsBoolean()
  emailRemindersEnabled?: boolean;

  @ApiPropertyOptional({ description: 'Send reminders by SMS (when the server has SMS provider settings)' })
  @IsOptional()
  @IsBoolean()
  smsRemindersEnabled?: boolean;

  @ApiPropertyOptional({ description: 'Show members a leaderboard of volunteers by doors attempted (off by default)' })
  @IsOptional()
  @IsBoolean()
  leaderboardsEnabled?: boolean;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 500,
    description:
      'Map tiles for the web app, an https URL template with {z}, {x} and {y}, e.g. https://tiles.example.org/{z}/{x}/{y}.png; null removes it (maps then contact no other server)',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(500)
  @Matches(/^https:\/\/[^\s"'<>]+$/, { message: 'mapTileUrl must be an https:// URL' })
  @Matches(/\{z\}/, { message: 'mapTileUrl must contain {z}, {x} and {y}' })
  @Matches(/\{x\}/, { message: 'mapTileUrl must contain {z}, {x} and {y}' })
  @Matches(/\{y\}/, { message: 'mapTileUrl must contain {z}, {x} and {y}' })
  mapTileUrl?: string | null;

  @RetentionDays('Days after a campaign ends before visit notes are deleted (default 90)')
  notesRetentionDays?: number;

  @RetentionDays('Days after a campaign ends before coarse check-in locations are deleted (default 90)')
  locationsRetentionDays?: number;

  @RetentionDays("Days after an event ends before its supporters' names, phones and e-mails are deleted (default 90)")
  supporterContactsRetentionDays?: number;

  @RetentionDays('Days after a campaign ends before its door-level visits are deleted; its figures stay (default 90)')
  visitsRetentionDays?: number;
}

export function toMeResponse(me: Me): MeResponseDto {
  return {
    id: me.user.id,
    email: me.user.email,
    displayName: me.user.displayName,
    language: me.user.language,
    phone: me.user.phone,
    organizationId: me.actor.organizationId,
    role: me.actor.role,
    memberships: me.memberships.map((m) => ({
      organizationId: m.organization.id,
      organizationName: m.organization.name,
      role: m.membership.role,
    })),
  };
}

export function toOrganizationResponse(o: Organization): OrganizationResponseDto {
  return {
    id: o.id,
    name: o.name,
    country: o.country,
    notesEnabled: o.notesEnabled,
    coarseLocationEnabled: o.coarseLocationEnabled,
    emailRemindersEnabled: o.emailRemindersEnabled,
    smsRemindersEnabled: o.smsRemindersEnabled,
    leaderboardsEnabled: o.leaderboardsEnabled,
    mapTileUrl: o.mapTileUrl,
    notesRetentionDays: o.notesRetentionDays,
    locationsRetentionDays: o.locationsRetentionDays,
    supporterContactsRetentionDays: o.supporterContactsRetentionDays,
    visitsRetentionDays: o.visitsRetentionDays,
    createdAt: o.createdAt.toISOString(),
  };
}
