import { DateTime } from 'luxon';
import type { TestApp } from './create-test-app';
import { bearer, Session } from './factories';

export interface PublicEvent {
  id: string;
  signupUrl: string;
  /** The token of the signup link, for POST /public/events/:token/rsvps. */
  token: string;
}

/**
 * A public event made through the API by an organizer, starting at `startsAt` in its zone and
 * lasting `hours`, with the organization's reminder schedule unless another is given.
 */
export async function createPublicEvent(
  t: TestApp,
  organizer: Session,
  startsAt: DateTime,
  options: { title?: Record<string, string>; kind?: string; address?: string; hours?: number; reminderSchedule?: object[] } = {},
): Promise<PublicEvent> {
  const res = await t
    .http()
    .post('/events')
    .set(bearer(organizer))
    .send({
      title: options.title ?? { en: 'Training', es: 'Capacitación' },
      kind: options.kind ?? 'training',
      address: options.address ?? 'Community hall',
      startsAt: startsAt.toISO(),
      endsAt: startsAt.plus({ hours: options.hours ?? 2 }).toISO(),
      timeZone: startsAt.zoneName,
      visibility: 'public',
      ...(options.reminderSchedule ? { reminderSchedule: options.reminderSchedule } : {}),
    })
    .expect(201);
  const { id, signupUrl } = res.body as { id: string; signupUrl: string };
  return { id, signupUrl, token: signupUrl.split('/').pop()! };
}
