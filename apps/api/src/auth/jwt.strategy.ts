import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor, JWT_STRATEGY } from '@app/auth';
import { authConfig, AuthConfig } from '@app/config';
import { AppError } from '@app/core';
import { AccessTokenClaims, AuthService } from '@app/organizations';

/** Verifies the token, then asks the database whether its session and membership still let it in. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly auth: AuthService,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.accessSecret,
      issuer: 'porchlight',
      audience: 'porchlight-api',
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Actor> {
    const actor = await this.auth.resolveActor(claims);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'This session has ended; log in again');
    return actor;
  }
}
