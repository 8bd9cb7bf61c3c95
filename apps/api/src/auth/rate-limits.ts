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
