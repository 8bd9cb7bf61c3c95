import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Strategy } from 'passport-local';
import { AppError, ValidationFailedError } from '@app/core';
import { AuthService, LoginDto } from '@app/organizations';
import { fieldErrors } from '../common/validation';

export const LOCAL_STRATEGY = 'local';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, LOCAL_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super({ usernameField: 'email', passwordField: 'password', session: false });
  }

  validate(email: string, password: string): Promise<{ userId: string }> {
    return this.auth.verifyCredentials(email.trim(), password);
  }
}

/**
 * Guards run before pipes, so the login body is validated here first: a malformed body is
 * a 400 naming its fields, not a failed login.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard(LOCAL_STRATEGY) {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    const dto = plainToInstance(LoginDto, body ?? {});
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ValidationFailedError({ body: ['must be a JSON object'] });
    }
    if (errors.length > 0) throw new ValidationFailedError(fieldErrors(errors));
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err instanceof Error) throw err;
    if (err || !user) throw new AppError('INVALID_CREDENTIALS', 'The e-mail address or the password is wrong');
    return user;
  }
}
