import { randomInt, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { messagingConfig } from '@app/config';
import { rsvpToken } from '@app/events';
import { SmsSink, SmtpSink, startSmsSink, startSmtpSink, useSinks } from '../../support/messaging';
import { API_MAIN, ensureBuilt, freePort, Running, start, stopWithin, waitFor, WORKER_MAIN } from '../../support/processes';

/**
 * The privacy canary. Unique marker strings go into every sensitive field (notes, supporters'
 * names, phones and e-mails, members' e-mails, names and phones, door addresses, an event's
 * address), through the built API and worker, on the main flows and their error paths. Then the
 * places they must never reach are searched: both processes' logs (at debug level), every Redis
 * key and value under the run's prefix, every error body the API answered, and the audit log. The
 * messages sent are checked to carry only their own recipient's details. The request-log canary
 * of the bare API (tokens, passwords, headers) is test/e2e/platform/processes.e2e-spec.ts.
 */

interface Answer {
  status: number;
  text: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of many shapes, read field by field
}

/** A marker and the forms it may take in text (a phone number is also written without +1, or spaced). */
interface Marker {
  name: string;
  forms: string[];
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('privacy canary: marked personal data stays where it belongs', () => {
  const tag = randomUUID().replace(/-/g, '').slice(0, 12);
  /** A US number Porchlight and libphonenumber accept, unique to the run: 404, an exchange 200-999 (not 555), four digits. */
  const phone = () => {
    let exchange = randomInt(200, 1000);
    if (exchange === 555) exchange = 556;
    return `+1404${exchange}${String(randomInt(0, 10000)).padStart(4, '0')}`;
  };
  const m = {
    organizerEmail: `cnry-organizer-${tag}@example.org`,
    organizerName: `Cnryorganizer ${tag}`,
    organizerPassword: `cnry-password-${tag}-long enough`,
    wrongPassword: `cnry-wrong-${tag}`,
    volunteerEmail: `cnry-volunteer-${tag}@example.org`,
    volunteerName: `Cnryvolunteer ${tag}`,
    volunteerPhone: phone(),
    strangerEmail: `cnry-stranger-${tag}@example.org`,
    supporterName: `Cnrysupporter ${tag}`,
    supporterEmail: `cnry-supporter-${tag}@example.org`,
    supporterPhone: phone(),
    textOnlyName: `Cnrytextonly ${tag}`,
    textOnlyPhone: phone(),
    note: `cnrynote ${tag} the family asked about a lawyer`,
    rejectedNote: `cnryrejected ${tag} note on a door not on the route`,
    street: `Cnrystreet${tag} Ave`,
    badRowStreet: `Cnrybadrow${tag} Ave`,
    eventAddress: `12 Cnryplace${tag} St, Atlanta`,
  };
  const phoneForms = (e164: string) => [
    e164,
    e164.slice(2),
    `${e164.slice(5, 8)}-${e164.slice(8)}`,
    `${e164.slice(5, 8)} ${e164.slice(8)}`,
  ];
  const markers: Marker[] = [
    ...Object.entries(m)
      .filter(([k]) => !k.endsWith('Phone'))
      .map(([name, value]) => ({ name, forms: [value] })),
    // The distinctive part alone too, so that a fragment (a street without its number) is found.
    { name: 'tag', forms: [tag] },
    ...(['volunteerPhone', 'supporterPhone', 'textOnlyPhone'] as const).map((k) => ({ name: k, forms: phoneForms(m[k]) })),
  ];
  /**
   * The secrets links carry (an invite, a public event's signup, each RSVP's own link, a calendar
   * feed): like passwords, never in logs, Redis or error bodies. Filled in as the flow makes them.
   */
  const linkTokens: Record<string, string> = {};
  const linkMarker = (name: string, token: string) => {
    linkTokens[name] = token;
    markers.push({ name, forms: [token] });
  };
  /** Where each marker may legitimately appear among the messages sent: its own person's messages. */
  const person = {
    supporter: ['supporterName', 'supporterEmail', 'supporterPhone', 'eventAddress', 'publicEventToken', 'supporterRsvpToken'],
    textOnly: ['textOnlyName', 'textOnlyPhone', 'eventAddress', 'publicEventToken', 'textOnlyRsvpToken'],
    volunteer: ['volunteerName', 'volunteerEmail', 'volunteerPhone', 'eventAddress', 'publicEventToken'],
  };

  let smtp: SmtpSink;
  let sms: SmsSink;
  let restoreEnv: () => void;
  let api: Running;
  let worker: Running;
  let base: string;
  let db: Client;
  let redis: Redis;
  const errors: { request: string; status: number; body: string }[] = [];

  /** Every call goes through here, so that every error body the API answers is kept for the search. */
  const call = async (
    method: string,
    path: string,
    opts: { token?: string; body?: unknown; raw?: string; contentType?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    if (res.status >= 400) errors.push({ request: `${method} ${path}`, status: res.status, body: text });
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const ok = async (p: Promise<Answer>, ...statuses: number[]) => {
    const a = await p;
    if (!(statuses.length ? statuses : [200, 201, 202]).includes(a.status))
      throw new Error(`unexpected ${a.status}: ${a.text.slice(0, 300)}`);
    return a;
  };
  /** A door-level export: with the password again and a reason where the API asks for them. */
  const doorLevelExport = async (path: string, token: string) => {
    const posted = await call('POST', path, {
      token,
      body: { password: m.organizerPassword, reason: 'Hand the list to the legal clinic' },
    });
    if (posted.status !== 404) return posted;
    errors.pop();
    return call('GET', path, { token });
  };

  beforeAll(async () => {
    ensureBuilt();
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    sms.invalidNumbers.add(m.textOnlyPhone);
    restoreEnv = useSinks(smtp, sms);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = start(API_MAIN, { PORT: String(port), LOG_LEVEL: 'debug', PUBLIC_URL: base });
    worker = start(WORKER_MAIN, { LOG_LEVEL: 'debug', PUBLIC_URL: base });
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await waitFor(async () => (await fetch(`${base}/health`)).ok, 30_000, 'the api to answer');
    await waitFor(() => worker.output().includes('Porchlight worker started'), 30_000, 'the worker to start');
  }, 180_000);

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    worker?.child.kill('SIGKILL');
    await db?.end();
    redis?.disconnect();
    await smtp?.close();
    await sms?.close();
    restoreEnv?.();
  });

  it('finds no marker in the logs, Redis, error bodies or audit log, and each message only to its own person', async () => {
    // The organizer, their organization with notes on, and a volunteer with a phone.
    const signup = (
      await ok(
        call('POST', '/auth/signup', {
          body: {
            email: m.organizerEmail,
            password: m.organizerPassword,
            displayName: m.organizerName,
            language: 'en',
            organizationName: `Neighbours ${tag.slice(0, 4)}`,
          },
        }),
      )
    ).json();
    const organizer = signup.accessToken as string;
    await ok(call('PATCH', '/organizations/current', { token: organizer, body: { notesEnabled: true } }));
    const invite = (await ok(call('POST', '/invites', { token: organizer, body: { role: 'volunteer' } }))).json();
    linkMarker('inviteToken', invite.token as string);
    await ok(call('POST', '/invites/preview', { body: { token: invite.token } }));
    await call('GET', `/join?token=${encodeURIComponent(invite.token as string)}`);
    const volunteer = (
      await ok(
        call('POST', '/invites/accept', {
          body: {
            token: invite.token,
            email: m.volunteerEmail,
            password: m.organizerPassword,
            displayName: m.volunteerName,
            language: 'es',
          },
        }),
      )
    ).json().accessToken as string;
    const me = (await ok(call('PATCH', '/me', { token: volunteer, body: { phone: m.volunteerPhone } }))).json();
    await ok(call('GET', '/members?limit=100', { token: organizer }));

    // Doors from an address file, one row refused; turfs cut by the worker; the route handed to the volunteer.
    const campaignId = (await ok(call('POST', '/campaigns', { token: organizer, body: { name: `Canvass ${tag.slice(0, 4)}` } }))).json()
      .id as string;
    const lines = ['LON,LAT,NUMBER,STREET,UNIT,CITY'];
    for (let h = 1; h <= 12; h++) lines.push(`${(-84.35 + h * 0.0002).toFixed(5)},33.74000,${100 + 2 * h},${m.street},,Atlanta`);
    lines.push(`-84.35000,133.74000,7,${m.badRowStreet},,Atlanta`);
    const started = (
      await ok(
        call('POST', `/campaigns/${campaignId}/imports?fileName=canary.csv`, {
          token: organizer,
          raw: lines.join('\n'),
          contentType: 'text/csv',
        }),
      )
    ).json();
    await waitFor(
      async () => (await call('GET', `/imports/${started.id}`, { token: organizer })).json().status === 'completed',
      60_000,
      'the import',
    );
    const rejections = await ok(call('GET', `/imports/${started.id}/rejections.csv`, { token: organizer }));
    expect(rejections.text).toMatch(/^14,/m);
    const cut = (
      await ok(call('POST', `/campaigns/${campaignId}/turfs/cut`, { token: organizer, body: { doorsPerTurf: 50, save: true } }))
    ).json();
    const turfId = cut.turfs[0].id as string;
    const stops = (await ok(call('GET', `/turfs/${turfId}`, { token: organizer }))).json().stops as { doorId: string }[];
    await ok(call('PUT', `/turfs/${turfId}/assignment`, { token: organizer, body: { volunteerIds: [me.id] } }));
    await ok(call('GET', `/turfs/${turfId}/walk-list.csv`, { token: volunteer }));

    // In the field: a check-in with a location, a visit with a note and a follow-up, and two records refused while carrying notes.
    const shiftId = randomUUID();
    const synced = (
      await ok(
        call('POST', '/sync', {
          token: volunteer,
          body: {
            items: [
              { kind: 'check_in', id: shiftId, turfId, startedAt: ago(30), location: { lat: 33.741234, lon: -84.350678 } },
              {
                kind: 'visit',
                id: randomUUID(),
                turfId,
                doorId: stops[0].doorId,
                outcome: 'talked',
                language: 'es',
                followUp: true,
                note: m.note,
                recordedAt: ago(20),
                shiftId,
              },
              {
                kind: 'visit',
                id: randomUUID(),
                turfId,
                doorId: randomUUID(),
                outcome: 'talked',
                note: m.rejectedNote,
                recordedAt: ago(10),
              },
              {
                kind: 'visit',
                id: randomUUID(),
                turfId,
                doorId: stops[1].doorId,
                outcome: 'talked',
                note: `${m.rejectedNote} ${'x'.repeat(600)}`,
                recordedAt: ago(10),
              },
            ],
          },
        }),
      )
    ).json();
    expect(synced.counts).toMatchObject({ created: 2, rejected: 2 });
    await waitFor(
      async () => (await call('GET', `/campaigns/${campaignId}/coverage`, { token: organizer })).json().visits === 1,
      20_000,
      'the coverage figures',
    );

    // What organizers may read and export.
    await ok(call('GET', `/campaigns/${campaignId}/follow-ups?status=open`, { token: organizer }));
    await ok(call('GET', `/campaigns/${campaignId}/visits`, { token: organizer }));
    await ok(call('GET', `/campaigns/${campaignId}/shifts`, { token: organizer }));
    await ok(call('GET', `/campaigns/${campaignId}/coverage/export.csv`, { token: organizer }));
    await ok(call('GET', `/campaigns/${campaignId}/coverage/volunteers`, { token: organizer }));
    const followUps = await ok(doorLevelExport(`/campaigns/${campaignId}/follow-ups.csv`, organizer));
    expect(followUps.text).toContain(m.street);
    await ok(doorLevelExport(`/campaigns/${campaignId}/coverage/doors.geojson`, organizer));

    // An event at a marked address; the volunteer and two supporters sign up, one by text message to a number the provider refuses.
    const event = (
      await ok(
        call('POST', '/events', {
          token: organizer,
          body: {
            title: { en: 'Know your rights training', es: 'Taller: conozca sus derechos' },
            kind: 'training',
            address: m.eventAddress,
            timeZone: 'America/New_York',
            startsAt: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
            endsAt: new Date(Date.now() + 5 * 24 * 3600_000 + 7200_000).toISOString(),
            visibility: 'public',
          },
        }),
      )
    ).json();
    const publicToken = (event.signupUrl as string).split('/').pop()!;
    linkMarker('publicEventToken', publicToken);
    await ok(call('PUT', `/events/${event.id}/rsvp`, { token: volunteer, body: { response: 'going' } }));
    await ok(call('GET', `/public/events/${publicToken}`));
    await call('GET', `/e/${publicToken}`);
    // The answer carries no link (it is the same whether or not the person was signed up): the link
    // the messages carry is made from the RSVP's id, with the key the processes derive from the same environment.
    const linkOf = async (name: string) => {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM rsvps WHERE name = $1 ORDER BY created_at DESC LIMIT 1', [name]);
      return { cancelUrl: `${base}/rsvp/${rows[0].id}/${rsvpToken(messagingConfig(), rows[0].id)}` };
    };
    await ok(
      call('POST', `/public/events/${publicToken}/rsvps`, {
        body: { name: m.supporterName, email: m.supporterEmail, phone: m.supporterPhone, language: 'es', consent: true },
      }),
      202,
    );
    const supporterRsvp = await linkOf(m.supporterName);
    await ok(
      call('POST', `/public/events/${publicToken}/rsvps`, {
        body: { name: m.textOnlyName, phone: m.textOnlyPhone, language: 'en', consent: true },
      }),
      202,
    );
    const textOnlyRsvp = await linkOf(m.textOnlyName);
    // Each RSVP's own link, as the person opens it: the page, its data and the calendar file.
    for (const [name, rsvp] of [
      ['supporterRsvpToken', supporterRsvp],
      ['textOnlyRsvpToken', textOnlyRsvp],
    ] as const) {
      const [id, token] = new URL(rsvp.cancelUrl).pathname.split('/').slice(-2);
      linkMarker(name, token);
      await call('GET', `/rsvp/${id}/${token}`);
      await ok(call('GET', `/public/rsvps/${id}/${token}`));
      await ok(call('GET', `/public/rsvps/${id}/${token}/calendar.ics`));
    }
    // A member's private calendar feed, as a calendar app polls it.
    const feedUrl = (await ok(call('POST', '/me/calendar-feed', { token: volunteer }))).json().url as string;
    const feedToken = new URL(feedUrl).pathname
      .split('/')
      .pop()!
      .replace(/\.ics$/, '');
    linkMarker('calendarFeedToken', feedToken);
    await ok(call('GET', `/public/calendar/${feedToken}.ics`));
    const settled = async () => {
      const { rows } = await db.query<{ pending: number }>(
        `SELECT count(*)::int AS pending FROM reminders WHERE event_id = $1 AND kind = 'confirmation' AND status IN ('pending', 'sending')`,
        [event.id],
      );
      return rows[0].pending === 0;
    };
    await waitFor(settled, 60_000, 'the confirmations to be sent or given up');
    await ok(call('GET', `/events/${event.id}/rsvps`, { token: organizer }));
    await ok(call('GET', `/events/${event.id}/reminders`, { token: organizer }));

    // The error paths, each carrying markers.
    const refused = async (p: Promise<Answer>, status: number) => {
      const a = await p;
      expect({ status: a.status, body: a.text.slice(0, 200) }).toMatchObject({ status });
    };
    await refused(call('POST', '/auth/login', { body: { email: m.organizerEmail, password: m.wrongPassword } }), 401);
    await refused(call('POST', '/auth/login', { body: { email: m.strangerEmail, password: m.wrongPassword } }), 401);
    await refused(
      call('POST', '/auth/signup', {
        body: { email: m.strangerEmail, password: 'short', displayName: m.organizerName, language: 'xx', organizationName: m.street },
      }),
      400,
    );
    await refused(call('POST', '/auth/signup', { raw: `{"email":"${m.strangerEmail}","displayName":"${m.volunteerName}",` }), 400);
    await refused(call('POST', '/auth/signup', { raw: `{"email":"${m.strangerEmail}" "password": "${m.wrongPassword}"}` }), 400);
    await refused(
      call('POST', '/auth/login', { raw: `email=${m.strangerEmail}&password=${m.wrongPassword}`, contentType: 'text/plain' }),
      400,
    );
    await refused(
      call('POST', `/public/events/${publicToken}/rsvps`, {
        body: { name: m.supporterName, email: m.supporterEmail, phone: m.supporterPhone, language: 'es', consent: false },
      }),
      400,
    );
    // Signing up again is answered as the first time (the person is told by their own channel).
    await ok(
      call('POST', `/public/events/${publicToken}/rsvps`, {
        body: { name: m.supporterName, email: m.supporterEmail, language: 'es', consent: true },
      }),
      202,
    );
    await refused(
      call('POST', `/public/events/${publicToken}/rsvps`, {
        body: {
          name: m.textOnlyName,
          phone: `${m.textOnlyPhone}99999`,
          email: `not an address ${m.supporterEmail}`,
          language: 'en',
          consent: true,
        },
      }),
      400,
    );
    await refused(
      call('POST', `/public/events/0123456789abcdef0123456789abcdef/rsvps`, {
        body: { name: m.supporterName, email: m.supporterEmail, language: 'es', consent: true },
      }),
      404,
    );
    await refused(call('PATCH', '/me', { token: volunteer, body: { phone: `tel:${m.volunteerPhone}`, displayName: '' } }), 400);
    await refused(
      call('POST', '/invites/accept', {
        body: { token: `inv_${tag}`, email: m.strangerEmail, password: m.organizerPassword, displayName: m.volunteerName, language: 'es' },
      }),
      404,
    );
    await refused(
      call('POST', '/events', {
        token: organizer,
        body: { title: { en: 'Bad' }, kind: 'training', address: m.eventAddress, timeZone: 'Mars/Olympus', startsAt: 'soon' },
      }),
      400,
    );
    const reauth = await call('POST', `/campaigns/${campaignId}/follow-ups.csv`, {
      token: organizer,
      body: { password: m.wrongPassword, reason: `Checking ${m.supporterEmail}` },
    });
    expect(reauth.status).toBeGreaterThanOrEqual(400);
    await refused(call('POST', '/sync', { token: volunteer, body: { items: [{ kind: 'visit', note: m.note }], extra: m.street } }), 400);
    await refused(
      call('GET', `/campaigns/${campaignId}/follow-ups.csv?email=${encodeURIComponent(m.supporterEmail)}`, { token: volunteer }),
      404,
    );

    // Where the markers must not be.
    const places: { place: string; text: string; allowed?: string[] }[] = [];
    const prefix = process.env.REDIS_KEY_PREFIX!;
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'set'
                ? await redis.smembers(key)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : `(${type})`;
      places.push({ place: `redis ${key}`, text: `${key} ${JSON.stringify(value)}` });
    }
    const audit = await db.query('SELECT * FROM audit_log');
    for (const row of audit.rows) places.push({ place: `audit_log ${String(row.id)}`, text: JSON.stringify(row) });
    for (const e of errors) places.push({ place: `error body ${e.request} ${e.status}`, text: e.body });
    // The processes stop cleanly, so that every line is written, and their logs are searched whole.
    expect(await stopWithin(api, 15_000)).toBe(0);
    expect(await stopWithin(worker, 15_000)).toBe(0);
    places.push({ place: 'api log', text: api.output() }, { place: 'worker log', text: worker.output() });
    // Each message carries its own recipient's details and nobody else's.
    for (const mail of smtp.messages) {
      const to = JSON.stringify(mail.to).toLowerCase();
      const who = to.includes(m.supporterEmail) ? person.supporter : to.includes(m.volunteerEmail) ? person.volunteer : [];
      places.push({ place: `e-mail to ${to}`, text: `${mail.subject ?? ''}\n${mail.text ?? ''}\n${mail.html || ''}`, allowed: who });
    }
    for (const text of sms.messages) {
      const who = text.to === m.supporterPhone ? person.supporter : text.to === m.volunteerPhone ? person.volunteer : [];
      places.push({ place: `sms to ${text.to}`, text: text.body, allowed: [...who, 'tag'] });
    }

    const hits: string[] = [];
    for (const p of places) {
      const text = p.text.toLowerCase();
      for (const marker of markers) {
        if (p.allowed?.includes(marker.name)) continue;
        // A message to the marker's own person may contain the run's tag inside their own details.
        if (marker.name === 'tag' && p.allowed && p.allowed.length > 0) continue;
        const form = marker.forms.find((f) => text.includes(f.toLowerCase()));
        if (form) hits.push(`${marker.name} (${form}) in ${p.place}`);
      }
    }
    const count = (prefixOf: string) => places.filter((p) => p.place.startsWith(prefixOf)).length;
    console.log(
      `privacy canary: ${markers.length} markers (${markers.reduce((n, x) => n + x.forms.length, 0)} forms); ` +
        `places searched: ${places.length} (logs ${count('api log') + count('worker log')} with ${api.output().length + worker.output().length} chars, ` +
        `redis keys ${count('redis')}, error bodies ${count('error body')}, audit rows ${count('audit_log')}, ` +
        `messages ${count('e-mail') + count('sms')}); hits: ${hits.length}`,
    );
    // The search looked where the data went: the flows really ran, logged and sent.
    expect(api.output()).toContain('"statusCode":401');
    // The link routes were called and logged, with their tokens masked.
    expect(Object.keys(linkTokens).sort()).toEqual([
      'calendarFeedToken',
      'inviteToken',
      'publicEventToken',
      'supporterRsvpToken',
      'textOnlyRsvpToken',
    ]);
    expect(api.output()).toContain('"path":"/public/calendar/:token.ics"');
    expect(api.output()).toMatch(/"path":"\/public\/rsvps\/[0-9a-f-]+\/:token\/calendar\.ics"/);
    expect(api.output()).toContain('"path":"/public/events/:token"');
    expect(worker.output().length).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThanOrEqual(15);
    expect(keys.length).toBeGreaterThan(0);
    expect(smtp.messages.some((x) => JSON.stringify(x.to).toLowerCase().includes(m.supporterEmail))).toBe(true);
    // The text-only supporter's confirmation was tried by SMS and refused by the provider: the failure path ran too.
    expect(sms.requests).toBeGreaterThanOrEqual(1);
    expect(hits).toEqual([]);
  }, 240_000);
});
