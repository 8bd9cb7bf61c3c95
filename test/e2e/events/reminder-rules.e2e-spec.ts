import { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { createPublicEvent } from '../../support/events';
import { addMember, bearer, createInvite, OrganizerSession, signupOrganizer, STRONG_PASSWORD, uniqueEmail } from '../../support/factories';
import { waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';

const ZONE = 'America/Chicago';

interface ReminderItem {
  kind: string;
  dueAt: string;
  status: string;
  reason: string | null;
  reasonCode: string | null;
  reasonParams: Record<string, string> | null;
  blocked: boolean;
}

/**
 * A server with neither SMTP nor an SMS provider says so (GET /message-channels, and each
 * reminder as blocked with a reason code); the morning-of reminder of an early event goes the
 * evening before; phone numbers are read as dialled in the organization's country.
 */
describe('reminders that can go, and numbers people type', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let organizer: OrganizerSession;
  const saved = { SMTP_URL: process.env.SMTP_URL, SMS_API_URL: process.env.SMS_API_URL };

  const reminders = async (eventId: string): Promise<ReminderItem[]> =>
    (await t.http().get(`/events/${eventId}/reminders?limit=100`).set(bearer(organizer)).expect(200)).body.items as ReminderItem[];
  /** The next day at least a week ahead, at this local time. */
  const weekAheadAt = (hour: number, minute: number) =>
    DateTime.now().setZone(ZONE).plus({ weeks: 1 }).set({ hour, minute, second: 0, millisecond: 0 });

  beforeAll(async () => {
    // This server sends nothing: no SMTP, no SMS provider.
    process.env.SMTP_URL = '';
    process.env.SMS_API_URL = '';
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
  }, 60_000);
  afterAll(async () => {
    await worker.close();
    await t.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('says which channels this server can send on', async () => {
    const res = await t.http().get('/message-channels').set(bearer(organizer)).expect(200);
    expect(res.body).toEqual({ email: false, sms: false });
    const volunteer = await addMember(t, organizer, 'volunteer');
    await t.http().get('/message-channels').set(bearer(volunteer)).expect(403);
  });

  it('marks the confirmation skipped and the reminders still to go blocked, with codes saying no channel is set up', async () => {
    const event = await createPublicEvent(t, organizer, weekAheadAt(17, 0));
    await t
      .http()
      .post(`/public/events/${event.token}/rsvps`)
      .send({ name: 'Rosa', email: 'rosa@example.org', language: 'es', consent: true })
      .expect(202);
    const notSet = { email: 'not_configured', sms: 'not_configured' };

    await waitFor(
      async () => (await reminders(event.id)).some((r) => r.kind === 'confirmation' && r.status === 'skipped'),
      20_000,
      'the confirmation',
    );
    const items = await reminders(event.id);
    const confirmation = items.find((r) => r.kind === 'confirmation')!;
    expect(confirmation).toMatchObject({ status: 'skipped', reasonCode: 'no_channel', reasonParams: notSet, blocked: false });
    // The English text stays, for logs and older readers.
    expect(confirmation.reason).toMatch(/e-mail is not configured on this server/);

    const ahead = items.filter((r) => r.kind === 'reminder');
    expect(ahead).toHaveLength(3);
    for (const r of ahead) expect(r).toMatchObject({ status: 'pending', blocked: true, reasonCode: 'no_channel', reasonParams: notSet });
  });

  it('sends the morning-of reminder of an early event the evening before at 19:00, outside the quiet hours', async () => {
    const morningOf = async (start: DateTime) => {
      const event = await createPublicEvent(t, organizer, start);
      const member = await addMember(t, organizer, 'volunteer');
      await t.http().put(`/events/${event.id}/rsvp`).set(bearer(member)).send({ response: 'going' }).expect(200);
      // The day before at 11:00, the morning of, 30 minutes before: the second in time.
      const rule = (await reminders(event.id)).filter((r) => r.kind === 'reminder')[1];
      expect(rule.status).not.toBe('skipped');
      expect(rule.reasonCode).not.toBe('quiet_hours');
      return DateTime.fromISO(rule.dueAt, { zone: ZONE });
    };
    for (const [hour, minute] of [
      [7, 30],
      [8, 30],
      [9, 59],
    ]) {
      const start = weekAheadAt(hour, minute);
      const due = await morningOf(start);
      expect(due.toISO()).toBe(start.minus({ days: 1 }).set({ hour: 19, minute: 0 }).toISO());
    }
    const ten = weekAheadAt(10, 0);
    expect((await morningOf(ten)).toISO()).toBe(ten.set({ hour: 8 }).toISO());
  });

  it('reads members’ and supporters’ phone numbers as dialled in the organization’s country', async () => {
    // A new organization works in the US: a national number is taken, and stored as E.164.
    const ownEmail = uniqueEmail('organizer');
    const signup = await t
      .http()
      .post('/auth/signup')
      .send({
        email: ownEmail,
        password: STRONG_PASSWORD,
        displayName: 'Ana',
        language: 'es',
        organizationName: 'Grupo',
        phone: '404-555-0199',
      })
      .expect(201);
    const me = await t.http().get('/me').set(bearer(signup.body)).expect(200);
    expect(me.body.phone).toBe('+14045550199');
    const org = await t.http().get('/organizations/current').set(bearer(signup.body)).expect(200);
    expect(org.body.country).toBe('US');

    await t.http().patch('/me').set(bearer(organizer)).send({ phone: '(404) 555-0142' }).expect(200);
    expect((await t.http().get('/me').set(bearer(organizer))).body.phone).toBe('+14045550142');

    // A group in Mexico: national Mexican numbers; international ones still work.
    const country = await t.http().patch('/organizations/current').set(bearer(organizer)).send({ country: 'MX' }).expect(200);
    expect(country.body.country).toBe('MX');
    await t.http().patch('/me').set(bearer(organizer)).send({ phone: '55 1234 5678' }).expect(200);
    expect((await t.http().get('/me').set(bearer(organizer))).body.phone).toBe('+525512345678');
    await t.http().patch('/me').set(bearer(organizer)).send({ phone: '+1 404 555 0142' }).expect(200);
    expect((await t.http().get('/me').set(bearer(organizer))).body.phone).toBe('+14045550142');

    const invite = await createInvite(t, organizer, 'volunteer');
    const joined = await t
      .http()
      .post('/invites/accept')
      .send({
        token: invite.token,
        email: uniqueEmail('v'),
        password: STRONG_PASSWORD,
        displayName: 'Beto',
        language: 'es',
        phone: '33 1234 5678',
      })
      .expect(201);
    expect((await t.http().get('/me').set(bearer(joined.body))).body.phone).toBe('+523312345678');

    const event = await createPublicEvent(t, organizer, weekAheadAt(17, 0));
    await t
      .http()
      .post(`/public/events/${event.token}/rsvps`)
      .send({ name: 'Lupe', phone: '55 8765 4321', language: 'es', consent: true })
      .expect(202);
    const [row] = await t.db.query<{ phone: string }[]>('SELECT phone FROM rsvps WHERE event_id = $1 AND name = $2', [event.id, 'Lupe']);
    expect(row.phone).toBe('+525587654321');

    // Numbers that are not numbers: 400, naming the field.
    const refused = (res: { body: { code: string; details: { fields: Record<string, string[]> } } }, field: string) => {
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.details.fields)).toEqual([field]);
    };
    refused(await t.http().patch('/me').set(bearer(organizer)).send({ phone: '12345' }).expect(400), 'phone');
    refused(await t.http().patch('/me').set(bearer(organizer)).send({ phone: 'call me' }).expect(400), 'phone');
    refused(
      await t
        .http()
        .post(`/public/events/${event.token}/rsvps`)
        .send({ name: 'X', phone: '555', language: 'es', consent: true })
        .expect(400),
      'phone',
    );
    refused(
      await t
        .http()
        .post(`/public/events/${event.token}/rsvps`)
        .send({ name: 'X', phone: '1234 5678', language: 'es', consent: true })
        .expect(400),
      'phone',
    );
    refused(await t.http().patch('/organizations/current').set(bearer(organizer)).send({ country: 'XX' }).expect(400), 'country');
    expect((await t.http().get('/me').set(bearer(organizer))).body.phone).toBe('+14045550142');
  });
});
