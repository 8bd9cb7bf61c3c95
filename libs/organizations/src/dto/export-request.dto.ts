import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../services/password.service';
import { Trim } from './common';

export const EXPORT_REASON_MIN_LENGTH = 10;
export const EXPORT_REASON_MAX_LENGTH = 500;

/**
 * What an organizer gives to take door-level data out of Porchlight: their password again, and
 * why (kept in the audit log with the export).
 */
export class DoorLevelExportDto {
  @ApiProperty({ description: 'The password the organizer signs in with', maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({
    description: 'Why this export is needed; kept in the audit log',
    minLength: EXPORT_REASON_MIN_LENGTH,
    maxLength: EXPORT_REASON_MAX_LENGTH,
    example: 'Hand the open follow-ups to the legal clinic for Saturday',
  })
  @Trim()
  @IsString()
  @MinLength(EXPORT_REASON_MIN_LENGTH)
  @MaxLength(EXPORT_REASON_MAX_LENGTH)
  reason: string;
}
