import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { Clock } from '@app/core';
import { REMINDERS_PER_JOB, RemindersService } from '@app/events';
import { JobProducer, QUEUE } from '@app/queue';
import { INestApplicationContext } from '@nestjs/common';
import { createTestApp, TestApp } from '../../support/create-test-app';
import { addMember, bearer, OrganizerSession, Session, signupOrganizer } from '../../support/factories';
import { SmsSink, SmtpSink, startSmsSink, startSmtpSink, useSinks } from '../../support/messaging';
import { createPublicEvent, publicSignup } from '../../support/events';
import { waitFor } from '../../support/processes';
import { startWorker } from '../../support/worker';

type Member = Awaited<ReturnType<typeof addMember>>;

const ZONE = 'America/New_York';
/** The instant as the API and the database print it. */
const utc = (d: DateTime) => d.toJSDate().toISOString();
/** The Monday two to three weeks from the day the suite runs, 17:00 in New York: always ahead, on any date. */
const MONDAY_START = (() => {
  const inTwoWeeks = DateTime.now().setZone(ZONE).plus({ weeks: 2 }).startOf('day');
  return inTwoWeeks.plus({ days: (8 - inTwoWeeks.weekday) % 7 }).set({ hour: 17 });
})();
/** Monday 17:00 to 19:00 in New York. */
const MONDAY = { startsAt: MONDAY_START.toISO()!, endsAt: MONDAY_START.plus({ hours: 2 }).toISO()! };
/** The default schedule's reminders for an event starting at a whole hour: the day before at 11:00, the morning of at 08:00, 30 minutes before. */
const defaultReminders = (start: DateTime) =>
  [start.minus({ days: 1 }).set({ hour: 11 }), start.set({ hour: 8 }), start.minus({ minutes: 30 })].map(utc).sort();
/** The next Sunday, at least a week ahead, on which New York's clocks go forward (EST to EDT). */
const springForwardSunday = (): DateTime => {
  let day = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf('day');
  while (day.isInDST || !day.plus({ days: 1 }).isInDST) day = day.plus({ days: 1 });
  return day;
};

const mondayAction = (over: Record<string, unknown> = {}) => ({
  title: { en: 'Monday demonstration at the ICE office', es: 'Manifestación del lunes en la oficina de ICE' },
  description: { en: 'Bring water and your red card.', es: 'Traiga agua y su tarjeta roja.' },
  kind: 'action',
  address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
  location: { lon: -84.3923, lat: 33.7512 },
  ...MONDAY,
  timeZone: 'America/New_York',
  visibility: 'public',
  ...over,
});

describe('events, RSVPs and reminders', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let restoreEnv: () => void;
  let organizer: OrganizerSession;
  let volunteers: Member[];

  const mailTo = (address: string) =>
    smtp.messages.filter((m) => m.to && JSON.stringify(m.to).toLowerCase().includes(address.toLowerCase()));
  const reminders = async (eventId: string) =>
    t.db.query<
      {
        rsvp_id: string;
        kind: string;
        rule: number | null;
        due_at: Date;
        status: string;
        reason: string | null;
        sent_channel: string | null;
      }[]
    >('SELECT rsvp_id, kind, rule, due_at, status, reason, sent_channel FROM reminders WHERE event_id = $1 ORDER BY due_at, kind', [
      eventId,
    ]);
  const settled = (eventId: string) =>
    waitFor(
      async () =>
        (await reminders(eventId)).every((r) => r.status !== 'sending' && !(r.status === 'pending' && r.due_at.getTime() <= Date.now())),
      20_000,
      'the due reminders to be sent',
    );

  beforeAll(async () => {
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    restoreEnv = useSinks(smtp, sms);
    t = await createTestApp();
    worker = await startWorker();
    organizer = await signupOrganizer(t);
    volunteers = [];
    for (let i = 0; i < 3; i++) volunteers.push(await addMember(t, organizer, 'volunteer'));
    // Invitees answer in Spanish by default; two of the three prefer English.
    for (const v of volunteers.slice(1)) await t.http().patch('/me').set(bearer(v)).send({ language: 'en' }).expect(200);
  }, 60_000);
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await worker.close();
    await t.close();
    await smtp.close();
    await sms.close();
    restoreEnv();
  });

  it('schedules the Monday action’s reminders at the right instants, in each person’s language, and follows moves and cancellation', async () => {
    const created = await t.http().post('/events').set(bearer(organizer)).send(mondayAction()).expect(201);
    const event = created.body;
    expect(event).toMatchObject({
      startsAt: utc(MONDAY_START),
      localStartsAt: MONDAY_START.toISO(),
      status: 'scheduled',
    });
    expect(event.signupUrl).toMatch(/\/e\/[0-9a-f]{32}$/);
    const token = event.signupUrl.split('/').pop();

    for (const v of volunteers) await t.http().put(`/events/${event.id}/rsvp`).set(bearer(v)).send({ response: 'going' }).expect(200);
    const supporter = await publicSignup(t, token, {
      name: 'Rosa',
      email: 'rosa@example.org',
      phone: '(404) 555-0142',
      language: 'es',
      consent: true,
    });
    expect(supporter).toMatchObject({ status: 'confirmed' });

    // Each of the four: a confirmation now, then the day before at 11:00, the morning of at 08:00 and 30 minutes before, in UTC.
    const rows = await reminders(event.id);
    const scheduled = rows.filter((r) => r.kind === 'reminder');
    expect(new Set(scheduled.map((r) => r.rsvp_id)).size).toBe(4);
    expect([...new Set(scheduled.map((r) => r.due_at.toISOString()))].sort()).toEqual(defaultReminders(MONDAY_START));
    await settled(event.id);
    const confirmations = (await reminders(event.id)).filter((r) => r.kind === 'confirmation');
    expect(confirmations.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);

    const spanish = mailTo(volunteers[0].email);
    expect(spanish).toHaveLength(1);
    expect(spanish[0].subject).toBe('Quedó inscrito: Manifestación del lunes en la oficina de ICE');
    expect(spanish[0].text).toContain('180 Ted Turner Dr SW');
    expect(spanish[0].text).toContain('17:00');
    const english = mailTo(volunteers[1].email);
    expect(english[0].subject).toBe("You're signed up: Monday demonstration at the ICE office");
    const day = MONDAY_START.setLocale('en-US').toFormat('cccc, LLLL d, yyyy');
    expect(english[0].text).toMatch(new RegExp(`${day}(,| at) 5:00\\s?PM ${MONDAY_START.setLocale('en-US').offsetNameShort}`));
    expect(english[0].text).toMatch(/\/public\/rsvps\/[0-9a-f-]{36}\/[\w-]+\/calendar\.ics/);
    expect(english[0].text).toMatch(/\/rsvp\/[0-9a-f-]{36}\/[\w-]+/);
    const rosa = mailTo('rosa@example.org');
    expect(rosa[0].subject).toMatch(/^Quedó inscrito/);

    // The link in the message works: the calendar file, for that person.
    const calendarUrl = new URL(/(http\S+calendar\.ics)/.exec(rosa[0].text!)![1]);
    const ics = await t.http().get(calendarUrl.pathname).expect(200);
    expect(ics.headers['content-type']).toMatch(/text\/calendar/);
    expect(ics.text).toContain(`DTSTART:${MONDAY_START.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
    expect(ics.text).toContain('Manifestación del lunes');

    // Change and cancellation notices made in the quiet hours (21:00-08:00 in New York) wait for the
    // morning; what this part checks is what they say, so the services' clock reads an afternoon
    // there (the last 15:00 before now) while the event is moved and cancelled.
    const afternoon = DateTime.now().setZone('America/New_York').set({ hour: 15, minute: 0, second: 0, millisecond: 0 });
    const pinned = jest
      .spyOn(Clock.prototype, 'now')
      .mockReturnValue((afternoon > DateTime.now() ? afternoon.minus({ days: 1 }) : afternoon).toJSDate());

    // Moving it a day later and elsewhere: recorded, a change notice to each, reminders move along.
    const before = smtp.messages.length;
    const tuesday = MONDAY_START.plus({ days: 1 });
    const moved = await t
      .http()
      .patch(`/events/${event.id}`)
      .set(bearer(organizer))
      .send({ startsAt: tuesday.toISO(), endsAt: tuesday.plus({ hours: 2 }).toISO(), address: 'Woodruff Park, Atlanta' })
      .expect(200);
    expect(moved.body.startsAt).toBe(utc(tuesday));
    const changes = await t.http().get(`/events/${event.id}/changes`).set(bearer(organizer)).expect(200);
    expect(changes.body).toHaveLength(1);
    expect(changes.body[0].before).toMatchObject({
      address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
      startsAt: utc(MONDAY_START),
    });
    expect(changes.body[0].after).toMatchObject({ address: 'Woodruff Park, Atlanta', startsAt: utc(tuesday) });
    await settled(event.id);
    const notices = smtp.messages.slice(before);
    expect(notices).toHaveLength(4);
    expect(notices.map((m) => m.subject!.split(':')[0]).sort()).toEqual(['Cambio', 'Cambio', 'Changed', 'Changed']);
    expect(notices.every((m) => m.text!.includes('Woodruff Park'))).toBe(true);
    const pending = (await reminders(event.id)).filter((r) => r.kind === 'reminder' && r.status === 'pending');
    expect([...new Set(pending.map((r) => r.due_at.toISOString()))].sort()).toEqual(defaultReminders(tuesday));
    expect(pending).toHaveLength(12);

    // Cancelling: one cancellation notice each, and nothing more.
    const beforeCancel = smtp.messages.length;
    await t.http().post(`/events/${event.id}/cancel`).set(bearer(organizer)).expect(200);
    await settled(event.id);
    const cancellations = smtp.messages.slice(beforeCancel);
    expect(cancellations.map((m) => m.subject!.split(':')[0]).sort()).toEqual(['Cancelado', 'Cancelado', 'Cancelled', 'Cancelled']);
    const after = await reminders(event.id);
    expect(after.filter((r) => r.status === 'pending')).toEqual([]);
    expect(after.filter((r) => r.kind === 'reminder').every((r) => r.status === 'cancelled')).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages.length).toBe(beforeCancel + 4);
    pinned.mockRestore();
    // Nothing more can be done with a cancelled event.
    await t.http().put(`/events/${event.id}/rsvp`).set(bearer(volunteers[0])).send({ response: 'going' }).expect(409);

    const status = await t.http().get(`/events/${event.id}/reminders?rsvpId=${supporter.id}`).set(bearer(organizer)).expect(200);
    expect(status.body.items.map((r: { kind: string; status: string }) => `${r.kind}:${r.status}`)).toEqual(
      expect.arrayContaining(['confirmation:sent', 'change:sent', 'cancellation:sent', 'reminder:cancelled']),
    );
  });

  it('puts reminders at the right UTC instants across a daylight-saving change', async () => {
    // The Sunday the clocks go forward, 17:00 EDT: Saturday 11:00 is still EST (UTC-5), Sunday 08:00 is EDT (UTC-4).
    const sunday = springForwardSunday();
    const start = sunday.set({ hour: 17 });
    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ startsAt: start.toISO(), endsAt: start.plus({ hours: 2 }).toISO(), visibility: 'members' }))
      .expect(201);
    await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[1])).send({ response: 'going' }).expect(200);
    const due = (await reminders(e.body.id)).filter((r) => r.kind === 'reminder').map((r) => r.due_at.toISOString());
    const saturday = sunday.minus({ days: 1 }).toISODate();
    expect(due).toEqual([`${saturday}T16:00:00.000Z`, `${sunday.toISODate()}T12:00:00.000Z`, `${sunday.toISODate()}T20:30:00.000Z`]);
  });

  it('keeps a waiting list that moves up when someone cancels through their link', async () => {
    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ capacity: 1 }))
      .expect(201);
    const token = e.body.signupUrl.split('/').pop();
    const first = await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[2])).send({ response: 'going' }).expect(200);
    expect(first.body.status).toBe('confirmed');
    // Each member reads their own answer with the event, and only their own.
    const mine = async (who: Session) => (await t.http().get(`/events/${e.body.id}`).set(bearer(who)).expect(200)).body.myRsvp;
    expect(await mine(volunteers[2])).toEqual({ response: 'going', status: 'confirmed' });
    expect(await mine(volunteers[1])).toBeNull();
    const listed = await t.http().get('/events').set(bearer(volunteers[2])).expect(200);
    expect(listed.body.items.find((x: { id: string }) => x.id === e.body.id).myRsvp).toEqual({ response: 'going', status: 'confirmed' });
    const waiting = await publicSignup(t, token, { name: 'Luis', email: 'luis@example.org', language: 'en', consent: true });
    expect(waiting.status).toBe('waitlisted');
    await settled(e.body.id);
    expect(mailTo('luis@example.org').map((m) => m.subject)).toEqual(['On the waiting list: Monday demonstration at the ICE office']);

    await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[2])).send({ response: 'not_going' }).expect(200);
    expect(await mine(volunteers[2])).toEqual({ response: 'not_going', status: 'cancelled' });
    await settled(e.body.id);
    expect(mailTo('luis@example.org').map((m) => m.subject)).toContain('A place opened for you: Monday demonstration at the ICE office');
    const rsvps = await t.http().get(`/events/${e.body.id}/rsvps`).set(bearer(organizer)).expect(200);
    expect(rsvps.body.items.map((r: { status: string }) => r.status).sort()).toEqual(['cancelled', 'confirmed']);

    // Luis cancels through the link in his message; a second click changes nothing; a forged link is refused.
    const [, id, secret] = new URL(waiting.cancelUrl).pathname.split('/').filter(Boolean);
    await t.http().post(`/public/rsvps/${id}/${secret}x/cancel`).expect(404);
    expect((await t.http().post(`/public/rsvps/${id}/${secret}/cancel`).expect(200)).body.status).toBe('cancelled');
    await t.http().post(`/public/rsvps/${id}/${secret}/cancel`).expect(200);
    const left = (await reminders(e.body.id)).filter((r) => r.rsvp_id === id && r.kind === 'reminder');
    expect(left.every((r) => r.status === 'cancelled')).toBe(true);
  });

  it('sends by SMS when e-mail cannot reach the person, and survives the provider’s error answers', async () => {
    const e = await t.http().post('/events').set(bearer(organizer)).send(mondayAction()).expect(201);
    const token = e.body.signupUrl.split('/').pop();
    sms.rateLimitNext = 1;
    sms.downNext = 1;
    const phoneOnly = await publicSignup(t, token, { name: 'Marta', phone: '+1 404 555 0177', language: 'es', consent: true });
    sms.invalidNumbers.add('+14045550188');
    const invalid = await publicSignup(t, token, { name: 'Nadie', phone: '+14045550188', language: 'en', consent: true });
    await settled(e.body.id);
    const marta = sms.messages.filter((m) => m.to === '+14045550177');
    expect(marta).toHaveLength(1);
    expect(marta[0].body).toMatch(/quedó inscrito/);
    expect(marta[0].from).toBe('+14045550100');
    const rows = await reminders(e.body.id);
    expect(rows.find((r) => r.rsvp_id === phoneOnly.id && r.kind === 'confirmation')).toMatchObject({
      status: 'sent',
      sent_channel: 'sms',
    });
    const failed = rows.find((r) => r.rsvp_id === invalid.id && r.kind === 'confirmation')!;
    expect(failed.status).toBe('failed');
    expect(failed.reason).toContain('21211');

    // An organization that sends no SMS: Marta cannot be reached, and the reminder says why.
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ smsRemindersEnabled: false }).expect(200);
    const other = await t.http().post('/events').set(bearer(organizer)).send(mondayAction()).expect(201);
    const rsvp = await publicSignup(t, other.body.signupUrl.split('/').pop(), {
      name: 'Marta',
      phone: '+14045550177',
      language: 'es',
      consent: true,
    });
    await settled(other.body.id);
    const skipped = (await reminders(other.body.id)).find((r) => r.rsvp_id === rsvp.id && r.kind === 'confirmation')!;
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toMatch(/does not send SMS/);
    await t.http().patch('/organizations/current').set(bearer(organizer)).send({ smsRemindersEnabled: true }).expect(200);
  });

  it('skips a reminder that would fall in the quiet hours, and says so', async () => {
    // 08:15 local: 30 minutes before is 07:45, inside 21:00-08:00.
    const start = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).set({ hour: 8, minute: 15, second: 0, millisecond: 0 });
    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ startsAt: start.toISO(), endsAt: start.plus({ minutes: 45 }).toISO(), visibility: 'members' }))
      .expect(201);
    await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[1])).send({ response: 'going' }).expect(200);
    const rows = (await reminders(e.body.id)).filter((r) => r.kind === 'reminder');
    const quiet = rows.find((r) => r.due_at.toISOString() === utc(start.minus({ minutes: 30 })))!;
    expect(quiet).toMatchObject({ status: 'skipped' });
    expect(quiet.reason).toMatch(/quiet hours/);
  });

  it('refuses bad events and signups with clear errors, writing nothing', async () => {
    const count = async (table: string) => (await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    const before = await Promise.all(['events', 'rsvps', 'reminders'].map(count));
    const bad = async (over: Record<string, unknown>, field: string) => {
      const res = await t.http().post('/events').set(bearer(organizer)).send(mondayAction(over)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.details.fields)).toContain(field);
    };
    await bad({ timeZone: 'America/Atlanta' }, 'timeZone');
    await bad({ endsAt: MONDAY_START.minus({ hours: 1 }).toISO() }, 'endsAt');
    await bad({ startsAt: '2020-01-06T17:00:00-05:00', endsAt: '2020-01-06T19:00:00-05:00' }, 'startsAt');
    await bad({ title: { english: 'x' } }, 'title');
    await bad({ kind: 'riot' }, 'kind');
    await bad({ reminderSchedule: [{ type: 'day_before', at: '25:00', channel: 'email' }] }, 'reminderSchedule.0.at');
    await t.http().post('/events').set(bearer(volunteers[0])).send(mondayAction()).expect(403);

    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ capacity: 50 }))
      .expect(201);
    const token = e.body.signupUrl.split('/').pop();
    const signup = (body: object) => t.http().post(`/public/events/${token}/rsvps`).send(body);
    const person = { name: 'Ana', email: 'ana.public@example.org', language: 'es', consent: true };
    const fields = async (body: object, field: string) => {
      const res = await signup(body).expect(400);
      expect(Object.keys(res.body.details.fields)).toContain(field);
    };
    await fields({ ...person, phone: '12345' }, 'phone');
    await fields({ ...person, email: undefined }, 'email');
    await fields({ ...person, language: 'fr' }, 'language');
    await fields({ ...person, consent: false }, 'consent');
    await fields({ ...person, email: 'not-an-address' }, 'email');
    await t.http().post('/public/events/0123456789abcdef0123456789abcdef/rsvps').send(person).expect(404);
    await signup(person).expect(202);
    // Signing up again is answered as the first time, and makes no second RSVP.
    const dup = await signup({ ...person, email: 'ANA.PUBLIC@example.org' }).expect(202);
    expect(dup.body).toEqual({ received: true });
    const after = await Promise.all(['events', 'rsvps', 'reminders'].map(count));
    expect(after[0]).toBe(before[0] + 1);
    expect(after[1]).toBe(before[1] + 1);

    // A members-only event has no public page; another organization sees nothing.
    const members = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ visibility: 'members' }))
      .expect(201);
    expect(members.body.signupUrl).toBeNull();
    const other = await signupOrganizer(t);
    await t.http().get(`/events/${members.body.id}`).set(bearer(other)).expect(404);
    await t.http().put(`/events/${members.body.id}/rsvp`).set(bearer(other)).send({ response: 'going' }).expect(404);
    await t.http().get(`/events/${members.body.id}/reminders`).set(bearer(other)).expect(404);
  });

  it('answers a second signup with the same e-mail or phone as a first one, and tells the person by their own channel', async () => {
    const e = await t.http().post('/events').set(bearer(organizer)).send(mondayAction()).expect(201);
    const token = e.body.signupUrl.split('/').pop();
    const signup = (body: object) => t.http().post(`/public/events/${token}/rsvps`).send(body);
    const first = await signup({ name: 'Inés', email: 'ines.again@example.org', language: 'es', consent: true });
    const fresh = await signup({ name: 'Otro', email: 'someone.new@example.org', language: 'en', consent: true });
    // Someone else tries the same address, in another case and language, and then a phone already signed up.
    const again = await signup({ name: 'Curious', email: 'INES.AGAIN@example.org', language: 'en', consent: true });
    const byText = await signup({ name: 'Pablo', phone: '+14045550166', language: 'es', consent: true });
    const byTextAgain = await signup({ name: 'Curious', phone: '(404) 555-0166', language: 'en', consent: true });
    for (const res of [first, fresh, again, byText, byTextAgain]) {
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ received: true });
    }
    const rows = await t.db.query<{ id: string; email: string | null; phone: string | null }[]>(
      'SELECT id, email, phone FROM rsvps WHERE event_id = $1 ORDER BY created_at',
      [e.body.id],
    );
    expect(rows.map((r) => r.email ?? r.phone)).toEqual(['ines.again@example.org', 'someone.new@example.org', '+14045550166']);
    await settled(e.body.id);
    // Inés is sent her confirmation again, in her language, with the link to her own RSVP.
    const ines = mailTo('ines.again@example.org');
    expect(ines).toHaveLength(2);
    for (const m of ines) expect(m.subject).toMatch(/^Quedó inscrito/);
    expect(ines[1].text).toContain(`/rsvp/${rows[0].id}/`);
    expect(smtp.messages.some((m) => m.text?.includes('Curious'))).toBe(false);
    const pablo = sms.messages.filter((m) => m.to === '+14045550166');
    expect(pablo).toHaveLength(2);
    expect(pablo[1].body).toMatch(/quedó inscrito/);
    expect(pablo[1].body).toContain(`/rsvp/${rows[2].id}/`);
    // Trying again and again does not flood the person: at most three confirmations an hour.
    for (let i = 0; i < 3; i++)
      await signup({ name: 'Curious', email: 'ines.again@example.org', language: 'en', consent: true }).expect(202);
    await settled(e.body.id);
    expect(mailTo('ines.again@example.org')).toHaveLength(3);
  });

  it('gives each member a private calendar feed of the events they are going to', async () => {
    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ visibility: 'members' }))
      .expect(201);
    await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[0])).send({ response: 'maybe' }).expect(200);
    const { url } = (await t.http().post('/me/calendar-feed').set(bearer(volunteers[0])).expect(201)).body;
    const feed = await t.http().get(new URL(url).pathname).expect(200);
    expect(feed.text).toContain(`UID:${e.body.id}@porchlight`);
    const rotated = (await t.http().post('/me/calendar-feed').set(bearer(volunteers[0])).expect(201)).body.url;
    const gone = await t.http().get(new URL(url).pathname).expect(404);
    expect(gone.body.code).toBe('NOT_FOUND');
    await t.http().get(new URL(rotated).pathname).expect(200);
    const single = await t.http().get(`/events/${e.body.id}/calendar.ics`).set(bearer(volunteers[1])).expect(200);
    expect(single.text).toContain('BEGIN:VEVENT');
  });

  it('lets the organization reword a message in a language, and checks the placeholders', async () => {
    await t
      .http()
      .put('/message-templates/confirmation/email/en')
      .set(bearer(organizer))
      .send({ subject: 'See you at {{title}}', body: 'Hello {{name}}! {{when}} at {{place}}. {{cancelUrl}}' })
      .expect(200);
    const wrong = await t
      .http()
      .put('/message-templates/confirmation/email/en')
      .set(bearer(organizer))
      .send({ body: 'Hi {{surname}}' })
      .expect(400);
    expect(wrong.body.details.fields).toHaveProperty('body');
    await t.http().put('/message-templates/confirmation/email/fr').set(bearer(organizer)).send({ body: 'Bonjour' }).expect(400);
    const e = await t
      .http()
      .post('/events')
      .set(bearer(organizer))
      .send(mondayAction({ visibility: 'members' }))
      .expect(201);
    await t.http().put(`/events/${e.body.id}/rsvp`).set(bearer(volunteers[2])).send({ response: 'going' }).expect(200);
    await settled(e.body.id);
    const mine = mailTo(volunteers[2].email).filter((m) => m.subject === 'See you at Monday demonstration at the ICE office');
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toMatch(/^Hello A volunteer!/);
    await t.http().delete('/message-templates/confirmation/email/en').set(bearer(organizer)).expect(200);
  });

  it('sends reminders due at one instant in shared jobs, each once, trying again only those the server refused', async () => {
    const people = 2 * REMINDERS_PER_JOB + 7;
    const startsAt = DateTime.now().setZone('America/New_York').plus({ days: 5 }).set({ hour: 12 }).startOf('hour');
    const event = await createPublicEvent(t, organizer, startsAt, { reminderSchedule: [] });
    const rsvpIds: string[] = [];
    for (let i = 0; i < people; i++) {
      const res = await publicSignup(t, event.token, {
        name: `Burst ${i}`,
        email: `burst-${i}-${randomUUID().slice(0, 6)}@example.org`,
        language: 'en',
        consent: true,
      });
      rsvpIds.push(res.id);
    }
    await settled(event.id);
    const due = new Date(Date.now() + 2_000);
    const rows = await t.db.query<{ id: string; dueAt: Date }[]>(
      `INSERT INTO reminders (organization_id, event_id, rsvp_id, kind, rule, channel, due_at, status)
       SELECT $1, $2, unnest($3::uuid[]), 'reminder', 0, 'email', $4, 'pending' RETURNING id, due_at AS "dueAt"`,
      [organizer.organizationId, event.id, rsvpIds, due],
    );
    await t.app.get(RemindersService).enqueue(rows);
    // Three jobs for the 107 reminders, none of their own.
    const queue = t.app.get(JobProducer).queue(QUEUE.reminders);
    const delayed = (await queue.getDelayed()).filter(
      (j) => j.name === 'reminders-send' && new Date(j.data.reminders[0].dueAt).getTime() === due.getTime(),
    );
    expect(delayed.map((j) => j.data.reminders.length).sort((a: number, b: number) => a - b)).toEqual([
      7,
      REMINDERS_PER_JOB,
      REMINDERS_PER_JOB,
    ]);
    const ids = new Set(rows.map((r) => r.id));
    expect((await queue.getDelayed()).filter((j) => j.name === 'reminder-send' && ids.has(j.data.reminderId))).toEqual([]);

    // The SMTP server refuses from just before the due instant until it has refused a few: those jobs fail and come back.
    const refusedBefore = smtp.refused;
    smtp.refusing = true;
    await waitFor(() => smtp.refused >= refusedBefore + 5, 10_000, 'the server to refuse some of the burst');
    smtp.refusing = false;
    await waitFor(
      async () =>
        (
          await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM reminders WHERE id = ANY($1) AND status = 'sent'`, [[...ids]])
        )[0].n === people,
      20_000,
      'every reminder of the burst to be sent',
    );
    const sent = smtp.messages
      .map((m) => m.headers.get('x-porchlight-reference'))
      .filter((ref): ref is string => typeof ref === 'string' && ids.has(ref));
    expect(sent).toHaveLength(people);
    expect(new Set(sent).size).toBe(people);
    expect(smtp.refused).toBeGreaterThan(refusedBefore);
  });
});
