import { ExecutionContext, Injectable, CanActivate, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { AppError, ForbiddenError } from '@app/core';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Actor, Role } from './roles';

export const JWT_STRATEGY = 'jwt';

/** Global: a valid access token on every route not marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser = Actor>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err instanceof AppError) throw err;
    if (err || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw new AppError('UNAUTHENTICATED', expired ? 'The access token has expired; refresh it' : 'A valid access token is required');
    }
    return user;
  }
}

/** Global, after JwtAuthGuard: the caller's role must be one the route names. Deny by default. */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares neither @Public nor @Roles; refusing`);
      throw new ForbiddenError('This route is closed');
    }
    const actor = context.switchToHttp().getRequest<{ user?: Actor }>().user;
    if (!actor || !roles.includes(actor.role)) throw new ForbiddenError();
    return true;
  }
}
