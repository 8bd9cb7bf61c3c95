import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import { authConfig, AuthConfig } from '@app/config';

/**
 * Rate limits of the credential routes (login, sign-up, invites, password changes and resets,
 * door-level exports): `ThrottlerGuard` with two named throttlers, per IP address and per
 * account, counted in Redis (see ApiModule) so that every API process sees the same counts.
 */
export const THROTTLE_IP = 'ip';
export const THROTTLE_ACCOUNT = 'account';

/**
 * The account a request is about, for the per-account limit: the e-mail address it names, else
 * the signed-in person (a password asked again, as for door-level exports), else the caller's address.
 */
export function accountTracker(req: Record<string, unknown>): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  const userId = (req.user as { userId?: unknown } | undefined)?.userId;
  if (email) return `account:${email}`;
  return typeof userId === 'string' ? `user:${userId}` : `ip:${String(req.ip)}`;
}

/** The throttler of the public routes: per address, counted in Redis like the others. */
export const THROTTLE_PUBLIC = 'public';

/**
 * The limit of the routes anyone may call without signing in that are no credential route
 * (trading a refresh token, public event pages, RSVP links, calendars): PUBLIC_LIMIT_PER_MINUTE
 * requests a minute from one address, to each route. Generous, so that people behind one address
 * (an office, a phone carrier) are not throttled together, and it stops a flood.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(authConfig.KEY) private readonly auth: AuthConfig,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = [{ name: THROTTLE_PUBLIC, ttl: 60_000, limit: this.auth.publicLimitPerMinute }];
  }
}

/** The throttler of taking a route by its code: per account, counted in Redis like the others. */
export const THROTTLE_CLAIM = 'claim';
/**
 * Tries at taking a route by its code, per account and minute: a volunteer who mistypes a code a
 * few times is not stopped, and guessing codes (8 characters of 32) gets nowhere. Counted per
 * signed-in person, never per address, so that volunteers behind one address (a campaign office,
 * a phone carrier) are not throttled together.
 */
export const CLAIM_LIMIT_PER_MINUTE = 10;

/** The signed-in person only, whatever the body says (guards run before the body is checked). */
export function signedInTracker(req: Record<string, unknown>): string {
  const userId = (req.user as { userId?: unknown } | undefined)?.userId;
  return typeof userId === 'string' ? `user:${userId}` : `ip:${String(req.ip)}`;
}

@Injectable()
export class ClaimRateLimitGuard extends ThrottlerGuard {
  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.throttlers = [{ name: THROTTLE_CLAIM, ttl: 60_000, limit: CLAIM_LIMIT_PER_MINUTE, getTracker: signedInTracker }];
  }
}
