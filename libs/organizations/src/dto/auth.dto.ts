import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Language, LANGUAGES } from '../entities';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../services/password.service';
import { TokenPair } from '../services/session-tokens.service';
import { PhoneInput, Trim } from './common';

export class SignupDto {
  @ApiProperty({ example: 'ana@example.org', maxLength: 254 })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH, description: 'Not one of the most common passwords' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiProperty({ example: 'Ana', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName: string;

  @ApiProperty({ enum: LANGUAGES, example: 'es' })
  @IsIn(LANGUAGES)
  language: Language;

  @ApiPropertyOptional({
    example: '404-555-0123',
    description: "As dialled in the organization's country, or international with +; stored as E.164",
  })
  @IsOptional()
  @Trim()
  @PhoneInput()
  phone?: string;

  @ApiProperty({ example: 'Reynoldstown Rapid Response', maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  organizationName: string;

  @ApiPropertyOptional({ description: 'Required when the server only lets holders of a sign-up code create organizations' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  signupCode?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ana@example.org' })
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({ description: 'Which of your organizations to work in; the oldest membership when omitted', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}

export class SwitchOrganizationDto {
  @ApiProperty({ format: 'uuid', description: 'One of your organizations (see GET /me)' })
  @IsUUID()
  organizationId: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh; it works once' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken: string;
}

export class TokenPairResponseDto {
  @ApiProperty({ description: 'Bearer token for the Authorization header' })
  accessToken: string;

  @ApiProperty()
  accessTokenExpiresAt: string;

  @ApiProperty({ description: 'Trade it at POST /auth/refresh for a new pair; each works once' })
  refreshToken: string;

  @ApiProperty()
  refreshTokenExpiresAt: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType: 'Bearer';
}

export function toTokenPairResponse(pair: TokenPair): TokenPairResponseDto {
  return {
    accessToken: pair.accessToken,
    accessTokenExpiresAt: pair.accessTokenExpiresAt.toISOString(),
    refreshToken: pair.refreshToken,
    refreshTokenExpiresAt: pair.refreshTokenExpiresAt.toISOString(),
    tokenType: 'Bearer',
  };
}
