/**
 * Rate limits of the credential routes (login, sign-up, invites): `ThrottlerGuard` with two
 * named throttlers, per IP address and per account, counted in Redis (see ApiModule) so that
 * every API process sees the same counts.
 */
export const THROTTLE_IP = 'ip';
export const THROTTLE_ACCOUNT = 'account';

/** The e-mail address a request is about, for the per-account limit; falls back to the address of the caller. */
export function accountTracker(req: Record<string, unknown>): string {
  const body = req.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return email ? `account:${email}` : `ip:${String(req.ip)}`;
}
