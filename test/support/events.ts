import { DateTime } from 'luxon';
import { messagingConfig, MessagingConfig } from '@app/config';
import { rsvpLink } from '@app/events';
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

export interface PublicSignup {
  id: string;
  status: 'confirmed' | 'waitlisted';
  cancelUrl: string;
  calendarUrl: string;
}

/**
 * Signs up through a public event's link as a supporter would. The API answers 202 with the same
 * body whatever happened (the link goes by message); the test reads the RSVP it made from the
 * database, with the links its messages carry.
 */
export async function publicSignup(
  t: TestApp,
  token: string,
  body: { name: string; email?: string; phone?: string; language: string; consent: boolean; response?: string },
): Promise<PublicSignup> {
  const res = await t.http().post(`/public/events/${token}/rsvps`).send(body);
  if (res.status !== 202) throw new Error(`signup answered ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.body).toEqual({ received: true });
  const [row] = await t.db.query<{ id: string; status: PublicSignup['status'] }[]>(
    `SELECT r.id, r.status FROM rsvps r JOIN events e ON e.id = r.event_id
      WHERE e.public_token = $1 AND r.status <> 'cancelled' AND r.user_id IS NULL
        AND ((r.email IS NOT NULL AND r.email = $2::citext) OR (r.phone IS NOT NULL AND right(r.phone, 10) = right(regexp_replace($3, '[^0-9]', '', 'g'), 10)))
      ORDER BY r.created_at DESC LIMIT 1`,
    [token, body.email ?? null, body.phone ?? ''],
  );
  if (!row) throw new Error('no RSVP was made for the signup');
  return { ...row, ...rsvpLink(t.app.get<MessagingConfig>(messagingConfig.KEY), row.id) };
}
