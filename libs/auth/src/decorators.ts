import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '@app/core';
import { Actor, Role, ROLES } from './roles';

export const IS_PUBLIC_KEY = 'porchlight:public';
export const ROLES_KEY = 'porchlight:roles';

/** Open to anyone, without a token. Use sparingly: every other route is closed by default. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * The roles that may call a route. Every route that is not `@Public()` must say this;
 * a route that says neither is refused to everybody.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No token, an expired token, or a revoked session', type: ErrorResponseDto }),
    ...(roles.length < ROLES.length
      ? [ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}`, type: ErrorResponseDto })]
      : []),
  );

/** Any active member of the organization the token is for. */
export const AnyMember = () => Roles(...ROLES);

export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<{ user?: Actor }>();
  if (!req.user) throw new Error('CurrentActor used on a route without authentication');
  return req.user;
});
