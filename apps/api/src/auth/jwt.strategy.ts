import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Actor, JWT_STRATEGY } from '@app/auth';
import { authConfig, AuthConfig } from '@app/config';
import { AppError } from '@app/core';
import { isDatabaseUnavailable } from '@app/database';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, AccessTokenClaims, accessTokenKey, AuthService } from '@app/organizations';

/** Verifies the token, then asks the database whether its session and membership still let it in. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly auth: AuthService,
    @Inject(authConfig.KEY) config: AuthConfig,
  ) {
    const key = accessTokenKey(config.accessSecret);
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // jsonwebtoken verifies with a KeyObject (see accessTokenKey); passport-jwt's types only name string | Buffer.
      secretOrKeyProvider: (_req: unknown, _token: unknown, done: (err: null, key: Buffer) => void) => done(null, key as unknown as Buffer),
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: AccessTokenClaims): Promise<Actor> {
    const actor = await this.auth.resolveActor(claims).catch((err: unknown) => {
      // The guard answers 401 to any other error, and a phone told 401 drops its session: a
      // database that cannot be reached is the server's trouble (503), not the token's.
      if (isDatabaseUnavailable(err)) throw new AppError('SERVICE_UNAVAILABLE', 'The service is briefly unavailable; try again shortly');
      throw err;
    });
    if (!actor) throw new AppError('UNAUTHENTICATED', 'This session has ended; log in again');
    return actor;
  }
}
