import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { authConfig, AuthConfig } from '@app/config';
import { Clock } from '@app/core';
import { ORGANIZATION_ENTITIES } from './entities';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, accessTokenKey } from './services/access-token-key';
import { InviteRepository } from './repositories/invite.repository';
import { MembershipRepository } from './repositories/membership.repository';
import { OrganizationRepository } from './repositories/organization.repository';
import { PasswordResetRepository } from './repositories/password-reset.repository';
import { SessionRepository } from './repositories/session.repository';
import { UserRepository } from './repositories/user.repository';
import { AccountPasswordService } from './services/account-password.service';
import { AccountService } from './services/account.service';
import { AuthService } from './services/auth.service';
import { DemoDataService } from './services/demo-data.service';
import { InviteService } from './services/invite.service';
import { MembershipService } from './services/membership.service';
import { PasswordService } from './services/password.service';
import { SessionMaintenanceService } from './services/session-maintenance.service';
import { SessionTokensService } from './services/session-tokens.service';

const services = [
  AccountPasswordService,
  AccountService,
  AuthService,
  DemoDataService,
  InviteService,
  MembershipService,
  PasswordService,
  SessionMaintenanceService,
];

@Module({
  imports: [
    TypeOrmModule.forFeature(ORGANIZATION_ENTITIES),
    AuditModule,
    JwtModule.registerAsync({
      inject: [authConfig.KEY],
      useFactory: (auth: AuthConfig) => ({
        privateKey: accessTokenKey(auth.accessSecret),
        publicKey: accessTokenKey(auth.accessSecret),
        signOptions: { expiresIn: auth.accessTtlSeconds, issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, algorithm: 'HS256' },
        verifyOptions: { issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    ...services,
    SessionTokensService,
    Clock,
    OrganizationRepository,
    UserRepository,
    MembershipRepository,
    InviteRepository,
    SessionRepository,
    PasswordResetRepository,
  ],
  exports: services,
})
export class OrganizationsModule {}
