import { randomUUID } from 'node:crypto';
import type { TestApp } from './create-test-app';

export const uniqueEmail = (label = 'person') => `${label}-${randomUUID().slice(0, 12)}@example.org`;
export const STRONG_PASSWORD = 'correct horse battery staple 42';

export interface Session {
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
}

export interface OrganizerSession extends Session {
  organizationId: string;
}

export const bearer = (s: { accessToken: string }) => ({ Authorization: `Bearer ${s.accessToken}` });

export async function signupOrganizer(t: TestApp, organizationName = `Org ${randomUUID().slice(0, 8)}`): Promise<OrganizerSession> {
  const email = uniqueEmail('organizer');
  const res = await t
    .http()
    .post('/auth/signup')
    .send({ email, password: STRONG_PASSWORD, displayName: 'Olivia', language: 'en', organizationName });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  const me = await t.http().get('/me').set(bearer(res.body));
  return { ...res.body, email, password: STRONG_PASSWORD, organizationId: me.body.organizationId };
}

export async function createInvite(t: TestApp, organizer: Session, role: string, extra: Record<string, unknown> = {}) {
  const res = await t
    .http()
    .post('/invites')
    .set(bearer(organizer))
    .send({ role, ...extra });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; token: string; url: string; role: string; expiresAt: string };
}

/** Invites a new person with the role, accepts as them, and returns their session and membership id. */
export async function addMember(t: TestApp, organizer: Session, role: 'organizer' | 'coordinator' | 'volunteer') {
  const invite = await createInvite(t, organizer, role);
  const email = uniqueEmail(role);
  const res = await t
    .http()
    .post('/invites/accept')
    .send({ token: invite.token, email, password: STRONG_PASSWORD, displayName: `A ${role}`, language: 'es' });
  if (res.status !== 201) throw new Error(`accept failed: ${res.status} ${JSON.stringify(res.body)}`);
  const me = await t.http().get('/me').set(bearer(res.body));
  const members = await t.http().get('/members?limit=100').set(bearer(organizer));
  const membershipId = (members.body.items as { id: string; userId: string }[]).find((m) => m.userId === me.body.id)!.id;
  return { ...res.body, email, password: STRONG_PASSWORD, membershipId, userId: me.body.id as string } as Session & {
    membershipId: string;
    userId: string;
  };
}
