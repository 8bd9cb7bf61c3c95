import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { TestApp } from '../support/create-test-app';
import {
  addMember,
  bearer,
  createInvite,
  OrganizerSession,
  Session,
  signupOrganizer,
  STRONG_PASSWORD,
  uniqueEmail,
} from '../support/factories';
import { publicSignup } from '../support/events';
import { assignRoute, routeFixture, sync } from '../support/field';
import { waitFor } from '../support/processes';
import type { ActorName, Target } from './authorization-policy';

type Member = Awaited<ReturnType<typeof addMember>>;

/** The kinds of object a path id (or a body id) names. */
export type Kind =
  'campaign' | 'turf' | 'splitTurf' | 'door' | 'import' | 'member' | 'invite' | 'material' | 'followUp' | 'visit' | 'event' | 'cancelEvent';

/**
 * One organization's share of the fixture world. For each kind: `own` is the object handed to the
 * assigned volunteer where that means something (their route, its door and follow-up, the event
 * they answered), `sameOrg` another of the organization's (a route walked by someone else...).
 */
export interface World {
  organizationId: string;
  organizer: OrganizerSession;
  assignedVolunteer: Member;
  otherVolunteer: Member;
  coordinator: Member;
  deactivated: Member;
  /** Walks the `sameOrg` route; not an actor. */
  partner: Member;
  ids: Record<Kind, { own: string; sameOrg: string }>;
  /** Two routes nobody walks, for the merge (the first stays until the `sameOrg` call merges both). */
  mergeTurfs: [string, string];
  /** A house on the last merge route, moved into the route to split by the `sameOrg` call. */
  spareDoor: string;
  turfCodes: Map<string, string>;
  /** A door of each route that visits are recorded at (never marked "do not knock"). */
  visitDoor: Map<string, string>;
  materialIds: string[];
  previewInviteToken: string;
  publicEventToken: string;
  rsvpLink: { id: string; token: string };
  cancelLink: { id: string; token: string };
  feedFile: string;
  reminderSchedule: unknown[];
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** Ninety days after the run, at the minute: an event that is always ahead, on any date. */
const inNinetyDays = (hours: number) => {
  const at = new Date(Date.now() + 90 * 86_400_000 + hours * 3_600_000);
  at.setUTCSeconds(0, 0);
  return at.toISOString();
};

export const eventBody = (over: Record<string, unknown> = {}) => ({
  title: { en: 'Know your rights training', es: 'Taller conozca sus derechos' },
  kind: 'training',
  address: '180 Ted Turner Dr SW, Atlanta, GA 30303',
  startsAt: inNinetyDays(0),
  endsAt: inNinetyDays(2),
  timeZone: 'America/New_York',
  visibility: 'members',
  ...over,
});

/** The link's two last path segments: `/rsvp/{id}/{token}`. */
const linkOf = (cancelUrl: string) => {
  const [, id, token] = new URL(cancelUrl).pathname.split('/').filter(Boolean);
  return { id, token };
};

/**
 * Builds one organization through the real API (the worker must run: imports and cutting are
 * its jobs): members of every role, a campaign of six routes and a second campaign, visits,
 * follow-ups, quarantined visits, materials, invites, events with RSVPs and links, a calendar feed.
 */
export async function buildWorld(t: TestApp, name: string): Promise<World> {
  const organizer = await signupOrganizer(t, name);
  const http = () => t.http();
  const as = (s: Session) => bearer(s);
  await http().patch('/organizations/current').set(as(organizer)).send({ leaderboardsEnabled: true }).expect(200);

  const assignedVolunteer = await addMember(t, organizer, 'volunteer');
  const otherVolunteer = await addMember(t, organizer, 'volunteer');
  const coordinator = await addMember(t, organizer, 'coordinator');
  const partner = await addMember(t, organizer, 'volunteer');
  const deactivated = await addMember(t, organizer, 'volunteer');
  const memberA = await addMember(t, organizer, 'volunteer');
  const memberB = await addMember(t, organizer, 'volunteer');
  const feedOwner = await addMember(t, organizer, 'volunteer');

  // Six routes of ten doors: 1 handed to the volunteer, 2 to the partner, 3 taken off both
  // (their visits there are quarantined), 4 to split, 5 and 6 to merge.
  const f = await routeFixture(t, organizer, 6, 4);
  const [r1, r2, r3, r4, r5, r6] = f.turfIds;
  await assignRoute(t, organizer, r1, [assignedVolunteer.userId]);
  await assignRoute(t, organizer, r2, [partner.userId]);
  await assignRoute(t, organizer, r3, [assignedVolunteer.userId, partner.userId]);
  await http().delete(`/turfs/${r3}/assignment`).set(as(organizer)).expect(200);
  const doorsOf = (turf: string) => f.doors.get(turf)!.map((d) => d.id);
  const visit = (turfId: string, doorId: string, over: Record<string, unknown> = {}) => ({
    kind: 'visit',
    id: randomUUID(),
    turfId,
    doorId,
    outcome: 'talked',
    recordedAt: ago(5),
    ...over,
  });
  const mine = visit(r1, doorsOf(r1)[0], { followUp: true });
  const theirs = visit(r2, doorsOf(r2)[0], { followUp: true });
  const heldMine = visit(r3, doorsOf(r3)[0]);
  const heldTheirs = visit(r3, doorsOf(r3)[1]);
  expect((await sync(t, assignedVolunteer, [mine, heldMine]).expect(200)).body.counts).toMatchObject({ created: 1, quarantined: 1 });
  expect((await sync(t, partner, [theirs, heldTheirs]).expect(200)).body.counts).toMatchObject({ created: 1, quarantined: 1 });
  const followUpOf = async (visitId: string) =>
    (await t.db.query<{ id: string }[]>('SELECT id FROM follow_ups WHERE visit_id = $1', [visitId]))[0].id;

  const campaign2 = (await http().post('/campaigns').set(as(organizer)).send({ name: 'Second campaign' }).expect(201)).body.id as string;
  const started = await http()
    .post(`/campaigns/${campaign2}/imports`)
    .set(as(organizer))
    .set('Content-Type', 'text/csv')
    .send('LON,LAT,NUMBER,STREET\n-84.3600,33.7300,7,Oak St\nnot-a-number,33.73,9,Oak St')
    .expect(202);
  await waitFor(
    async () => ['completed', 'failed'].includes((await http().get(`/imports/${started.body.id}`).set(as(organizer))).body.status),
    30_000,
    'the second import',
  );
  const [{ id: import1 }] = await t.db.query<{ id: string }[]>('SELECT id FROM address_imports WHERE campaign_id = $1', [f.campaignId]);

  const invite1 = await createInvite(t, organizer, 'volunteer');
  const invite2 = await createInvite(t, organizer, 'volunteer');
  const preview = await createInvite(t, organizer, 'volunteer');

  const event = async (over: Record<string, unknown> = {}) =>
    (await http().post('/events').set(as(organizer)).send(eventBody(over)).expect(201)).body as { id: string; signupUrl?: string };
  const event1 = await event({ visibility: 'public' });
  const event2 = await event();
  const cancel1 = await event();
  const cancel2 = await event();
  await http().put(`/events/${event1.id}/rsvp`).set(as(assignedVolunteer)).send({ response: 'going' }).expect(200);
  await http().put(`/events/${event2.id}/rsvp`).set(as(partner)).send({ response: 'going' }).expect(200);
  const publicEventToken = event1.signupUrl!.split('/').pop()!;
  const supporter = async () =>
    linkOf(
      (await publicSignup(t, publicEventToken, { name: 'Rosa', email: uniqueEmail('supporter'), language: 'es', consent: true })).cancelUrl,
    );
  const rsvpLink = await supporter();
  const cancelLink = await supporter();
  await http().put(`/events/${event2.id}/rsvp`).set(as(feedOwner)).send({ response: 'going' }).expect(200);
  const feedUrl = (await http().post('/me/calendar-feed').set(as(feedOwner)).expect(201)).body.url as string;
  const reminderSchedule = (await http().get('/reminder-schedule').set(as(organizer)).expect(200)).body as unknown[];

  await http().post(`/members/${deactivated.membershipId}/deactivate`).set(as(organizer)).expect(200);

  const codes = await t.db.query<{ id: string; code: string }[]>('SELECT id, code FROM turfs WHERE campaign_id = $1', [f.campaignId]);
  return {
    organizationId: organizer.organizationId,
    organizer,
    assignedVolunteer,
    otherVolunteer,
    coordinator,
    deactivated,
    partner,
    ids: {
      campaign: { own: f.campaignId, sameOrg: campaign2 },
      turf: { own: r1, sameOrg: r2 },
      splitTurf: { own: r1, sameOrg: r4 },
      // The last door of each route: marked "do not knock" and back, away from the recorded visits.
      door: { own: doorsOf(r1).at(-1)!, sameOrg: doorsOf(r2).at(-1)! },
      import: { own: import1, sameOrg: started.body.id as string },
      member: { own: memberA.membershipId, sameOrg: memberB.membershipId },
      invite: { own: invite1.id, sameOrg: invite2.id },
      material: { own: f.materials.kyrEs, sameOrg: f.materials.kyrEn },
      followUp: { own: await followUpOf(mine.id), sameOrg: await followUpOf(theirs.id) },
      visit: { own: heldMine.id, sameOrg: heldTheirs.id },
      event: { own: event1.id, sameOrg: event2.id },
      cancelEvent: { own: cancel1.id, sameOrg: cancel2.id },
    },
    mergeTurfs: [r5, r6],
    spareDoor: f.doors
      .get(r6)!
      .filter((d) => d.unit === null)
      .at(-1)!.id,
    turfCodes: new Map(codes.map((c) => [c.id, c.code])),
    visitDoor: new Map(f.turfIds.map((id) => [id, doorsOf(id)[1]])),
    materialIds: Object.values(f.materials),
    previewInviteToken: preview.token,
    publicEventToken,
    rsvpLink,
    cancelLink,
    feedFile: new URL(feedUrl).pathname.split('/').pop()!,
    reminderSchedule,
  };
}

/** One call of the matrix: who, against what, in which world ("home" is the caller's organization's). */
export interface Call {
  t: TestApp;
  actor: ActorName;
  target: Target;
  home: World;
  away: World;
}

/** The id a target stands for: the caller's organization's own or other object, another organization's, or none. */
export function pick(c: Call, kind: Kind): string {
  switch (c.target) {
    case 'own':
      return c.home.ids[kind].own;
    case 'sameOrg':
      return c.home.ids[kind].sameOrg;
    case 'otherOrg':
      return c.away.ids[kind].own;
    case 'nonexistent':
      return randomUUID();
    case 'n/a':
      throw new Error(`an operation that names no object has no ${kind}`);
  }
}

const link = (c: Call, which: 'rsvpLink' | 'cancelLink') =>
  c.target === 'nonexistent' ? { id: randomUUID(), token: randomBytes(16).toString('base64url') } : c.home[which];

const login = async (t: TestApp, s: { email: string; password: string }) =>
  (await t.http().post('/auth/login').send({ email: s.email, password: s.password }).expect(200)).body as Session;

export interface RequestSpec {
  /** The kind of object `{id}` names. */
  kind?: Kind;
  /** Path parameters other than a plain `{id}` of `kind`. */
  params?: (c: Call) => Record<string, string>;
  /** A valid body, so that what answers is the authorization and not the validation; `path` holds the parameters used. */
  body?: (c: Call, path: Record<string, string>) => unknown;
  contentType?: string;
  /** The call ends the caller's session: it is made with a session opened for it. */
  freshSession?: boolean;
  /** A server-sent event stream: only the answer's status and error body are read. */
  stream?: boolean;
  /** Records are answered one by one inside a 200 (the sync): the first record's answer is what counts. */
  perRecord?: boolean;
  /** 1..3: runs after every operation of a lower phase (objects changed, then put back). */
  phase?: number;
}

const routeDoorIds = async (c: Call, turfId: string) =>
  (
    await c.t.db.query<{ doorId: string }[]>('SELECT door_id AS "doorId" FROM turf_doors WHERE turf_id = $1 ORDER BY position', [turfId])
  ).map((r) => r.doorId);
/** A square around the first synthetic street (lon -84.35..-84.349, lat 33.74). */
const BLOCK = {
  type: 'Polygon',
  coordinates: [
    [
      [-84.3505, 33.7395],
      [-84.3485, 33.7395],
      [-84.3485, 33.7405],
      [-84.3505, 33.7405],
      [-84.3505, 33.7395],
    ],
  ],
};
/** Somewhere no campaign has doors. */
const EMPTY_AREA = {
  type: 'Polygon',
  coordinates: [
    [
      [10, 10],
      [10.001, 10],
      [10.001, 10.001],
      [10, 10.001],
      [10, 10],
    ],
  ],
};

/** How to call each operation that names an object or takes a body. */
export const REQUESTS: Record<string, RequestSpec> = {
  'POST /auth/signup': {
    body: () => ({
      email: uniqueEmail('signup'),
      password: STRONG_PASSWORD,
      displayName: 'Sam',
      language: 'en',
      organizationName: `Org ${randomUUID().slice(0, 8)}`,
    }),
  },
  // Each caller with an account logs in as themselves (the deactivated member is refused); the others as the organizer.
  'POST /auth/login': {
    body: (c) => {
      const account = accountFor(c) ?? c.home.organizer;
      return { email: account.email, password: account.password };
    },
  },
  // Refresh tokens work once: each call trades one of a session opened for it; the deactivated
  // member presents the one they held when their membership ended.
  'POST /auth/refresh': {
    body: async (c) => ({
      refreshToken:
        c.actor === 'deactivated' ? c.home.deactivated.refreshToken : (await login(c.t, accountFor(c) ?? c.home.organizer)).refreshToken,
    }),
  },
  'POST /auth/switch-organization': {
    body: (c) => ({
      organizationId: { own: c.home.organizationId, otherOrg: c.away.organizationId }[c.target as string] ?? randomUUID(),
    }),
  },
  'POST /auth/logout': { freshSession: true },
  'POST /auth/password-reset': { body: () => ({ email: uniqueEmail('reset') }) },
  'POST /auth/password-reset/confirm': {
    body: () => ({ token: `pr_${randomBytes(32).toString('base64url')}`, password: STRONG_PASSWORD }),
  },
  'POST /invites/preview': { body: (c) => ({ token: c.home.previewInviteToken }) },
  'POST /invites/accept': {
    body: async (c) => ({
      token: (await createInvite(c.t, c.home.organizer, 'volunteer')).token,
      email: uniqueEmail('accept'),
      password: STRONG_PASSWORD,
      displayName: 'Val',
      language: 'es',
    }),
  },
  'PATCH /me': { body: () => ({ displayName: 'Sam Door' }) },
  'POST /me/password': { body: () => ({ currentPassword: 'not the password of anyone', newPassword: STRONG_PASSWORD }) },
  'POST /organizations': { body: () => ({ name: `Org ${randomUUID().slice(0, 8)}` }) },
  'PATCH /organizations/current': { body: () => ({ leaderboardsEnabled: true }) },
  'PATCH /members/{id}/role': { kind: 'member', body: () => ({ role: 'volunteer' }) },
  'POST /members/{id}/deactivate': { kind: 'member', phase: 1 },
  'POST /members/{id}/reactivate': { kind: 'member', phase: 2 },
  'POST /invites': { body: () => ({ role: 'volunteer' }) },
  'DELETE /invites/{id}': { kind: 'invite', phase: 1 },

  'POST /campaigns': { body: () => ({ name: `Campaign ${randomUUID().slice(0, 6)}` }) },
  'GET /campaigns/{id}': { kind: 'campaign' },
  'PATCH /campaigns/{id}': { kind: 'campaign', body: () => ({ description: 'Door to door before the raids' }) },
  'GET /campaigns/{id}/doors': { kind: 'campaign' },
  'PUT /doors/{id}/do-not-knock': { kind: 'door', phase: 1 },
  'DELETE /doors/{id}/do-not-knock': { kind: 'door', phase: 2 },
  // An address the first campaign already has: importing it again changes nothing there.
  'POST /campaigns/{id}/imports': {
    kind: 'campaign',
    contentType: 'text/csv',
    body: () => 'LON,LAT,NUMBER,STREET,UNIT\n-84.3500,33.74000,100,Main St 0,Apt 1',
  },
  'GET /campaigns/{id}/imports': { kind: 'campaign' },
  'GET /imports/{id}': { kind: 'import' },
  'GET /imports/{id}/rejections': { kind: 'import' },
  'GET /imports/{id}/rejections.csv': { kind: 'import' },

  'POST /campaigns/{id}/turfs/cut': { kind: 'campaign', body: () => ({ doorsPerTurf: 10 }) },
  'POST /campaigns/{id}/turfs': { kind: 'campaign', body: () => ({ area: EMPTY_AREA }) },
  'GET /campaigns/{id}/turfs': { kind: 'campaign' },
  'GET /turfs/{id}': { kind: 'turf' },
  // A new name each call: names are unique within a campaign.
  'PATCH /turfs/{id}': { kind: 'turf', body: () => ({ name: `Route ${randomUUID().slice(0, 8)}` }) },
  'GET /turfs/{id}/walk-list.csv': { kind: 'turf' },
  'GET /turfs/{id}/walk-list.pdf': { kind: 'turf' },
  'PUT /turfs/{id}/route': {
    kind: 'turf',
    body: async (c, path) => {
      // The route's own doors in their order (a route that exists nowhere gets any door).
      const doorIds = await routeDoorIds(c, path.id);
      return { doorIds: doorIds.length > 0 ? doorIds : [randomUUID()] };
    },
  },
  // The caller's own idle route first, then the target: the second id is the probe.
  'POST /turfs/merge': {
    phase: 1,
    body: (c) => {
      const [first, second] = c.home.mergeTurfs;
      const probe = { own: c.home.ids.turf.own, sameOrg: second, otherOrg: c.away.ids.turf.own, nonexistent: randomUUID() };
      return { turfIds: [first, probe[c.target as keyof typeof probe]] };
    },
  },
  // Before the split: the route to split takes a house from a route to merge.
  'POST /turfs/{id}/doors': { kind: 'splitTurf', body: (c) => ({ doorIds: [c.home.spareDoor] }) },
  'POST /turfs/{id}/split': { kind: 'splitTurf', phase: 1, body: () => ({ parts: 2 }) },
  'POST /routes/claim': {
    body: (c) => {
      const codes = {
        own: c.home.turfCodes.get(c.home.ids.turf.own)!,
        sameOrg: c.home.turfCodes.get(c.home.ids.turf.sameOrg)!,
        otherOrg: c.away.turfCodes.get(c.away.ids.turf.own)!,
        nonexistent: Array.from({ length: 8 }, () => '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'[randomInt(32)]).join(''),
      };
      return { code: codes[c.target as keyof typeof codes] };
    },
  },
  'GET /turfs/{id}/qr.svg': { kind: 'turf' },
  // Released late, handed back last: the volunteer keeps their route for everything before.
  'DELETE /turfs/{id}/assignment': { kind: 'turf', phase: 2 },
  'PUT /turfs/{id}/assignment': {
    kind: 'turf',
    phase: 3,
    body: (c) => ({ volunteerIds: [c.target === 'sameOrg' ? c.home.partner.userId : c.home.assignedVolunteer.userId] }),
  },

  'GET /campaigns/{id}/shifts': { kind: 'campaign' },
  'GET /campaigns/{id}/material-counts': { kind: 'campaign' },
  'GET /campaigns/{id}/follow-ups': { kind: 'campaign' },
  // Door-level: the caller's password again, and a reason for the audit log.
  'POST /campaigns/{id}/follow-ups.csv': {
    kind: 'campaign',
    body: (c) => ({ password: accountFor(c)?.password ?? STRONG_PASSWORD, reason: 'Hand the open follow-ups to the legal clinic' }),
  },
  'POST /follow-ups/{id}/close': { kind: 'followUp' },
  'GET /campaigns/{id}/visits': { kind: 'campaign' },
  'POST /visits/{id}/review': { kind: 'visit', body: () => ({ decision: 'accept' }) },
  'GET /turfs/{id}/door-status': { kind: 'turf' },
  // A fresh sheet each call, walked by a volunteer of the caller's organization, one line on a door of the route.
  'POST /turfs/{id}/paper-visits': {
    kind: 'turf',
    body: (c, path) => ({
      sheetId: randomUUID(),
      walkedBy: c.home.assignedVolunteer.userId,
      walkedAt: ago(60),
      entries: [{ doorId: c.home.visitDoor.get(path.id) ?? randomUUID(), outcome: 'not_home' }],
    }),
  },
  'POST /sync': {
    perRecord: true,
    body: (c) => {
      const turfId = pick(c, 'turf');
      const world = c.target === 'otherOrg' ? c.away : c.home;
      return {
        items: [
          {
            kind: 'visit',
            id: randomUUID(),
            turfId,
            doorId: world.visitDoor.get(turfId) ?? randomUUID(),
            outcome: 'not_home',
            recordedAt: ago(1),
          },
        ],
      };
    },
  },

  'POST /materials': {
    body: () => ({ name: `Card ${randomUUID().slice(0, 8)}`, kind: 'kyr_card', language: 'es', stock: 10 }),
  },
  'PATCH /materials/{id}': { kind: 'material', body: () => ({ stock: 900 }) },
  // Retired after every other call that names the materials, and put back after.
  'POST /materials/{id}/retire': { kind: 'material', phase: 2 },
  'POST /materials/{id}/restore': { kind: 'material', phase: 3 },
  'GET /campaigns/{id}/materials': { kind: 'campaign' },
  'PUT /campaigns/{id}/materials': { kind: 'campaign', body: (c) => ({ materialIds: c.home.materialIds }) },

  'GET /campaigns/{id}/coverage': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/turfs': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/series': { kind: 'campaign' },
  'PUT /campaigns/{id}/coverage/neighbourhoods': {
    kind: 'campaign',
    body: () => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Main St' }, geometry: BLOCK }] }),
  },
  'GET /campaigns/{id}/coverage/neighbourhoods': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/volunteers': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/leaderboard': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/turfs.geojson': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/doors.geojson': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/export.csv': { kind: 'campaign' },
  'GET /campaigns/{id}/coverage/stream': { kind: 'campaign', stream: true },

  'POST /events': { body: () => eventBody() },
  'GET /events/{id}': { kind: 'event' },
  'PATCH /events/{id}': { kind: 'event', body: () => ({ capacity: 500 }) },
  'POST /events/{id}/cancel': { kind: 'cancelEvent', phase: 1 },
  'GET /events/{id}/changes': { kind: 'event' },
  'PUT /events/{id}/rsvp': { kind: 'event', body: () => ({ response: 'going' }) },
  'GET /events/{id}/rsvps': { kind: 'event' },
  'GET /events/{id}/reminders': { kind: 'event' },
  'GET /events/{id}/calendar.ics': { kind: 'event' },
  'PUT /reminder-schedule': { body: (c) => ({ reminderSchedule: c.home.reminderSchedule }) },
  'PUT /message-templates/{kind}/{channel}/{language}': {
    params: () => ({ kind: 'confirmation', channel: 'email', language: 'en' }),
    body: () => ({ subject: 'See you at {{title}}', body: 'Hello {{name}}, {{when}} at {{place}}. {{cancelUrl}}' }),
  },
  'DELETE /message-templates/{kind}/{channel}/{language}': {
    params: () => ({ kind: 'confirmation', channel: 'email', language: 'en' }),
  },

  'GET /public/events/{token}': {
    params: (c) => ({ token: c.target === 'nonexistent' ? randomBytes(16).toString('hex') : c.home.publicEventToken }),
  },
  'POST /public/events/{token}/rsvps': {
    params: (c) => ({ token: c.target === 'nonexistent' ? randomBytes(16).toString('hex') : c.home.publicEventToken }),
    body: () => ({ name: 'Luis', email: uniqueEmail('supporter'), language: 'en', consent: true }),
  },
  'GET /public/rsvps/{id}/{token}': { params: (c) => link(c, 'rsvpLink') },
  'POST /public/rsvps/{id}/{token}/cancel': { params: (c) => link(c, 'cancelLink') },
  'GET /public/rsvps/{id}/{token}/calendar.ics': { params: (c) => link(c, 'rsvpLink') },
  'GET /public/calendar/{file}': {
    params: (c) => ({ file: c.target === 'nonexistent' ? `${randomBytes(24).toString('base64url')}.ics` : c.home.feedFile }),
  },
};

/** The caller's account, for those who have one that works (the outsider is their organization's organizer). */
export function accountFor(c: Call): { email: string; password: string } | null {
  switch (c.actor) {
    case 'assignedVolunteer':
    case 'otherVolunteer':
    case 'coordinator':
    case 'deactivated':
      return c.home[c.actor];
    case 'organizer':
    case 'outsider':
      return c.home.organizer;
    case 'anonymous':
    case 'expired':
      return null;
  }
}

/** A session of its own for a call that ends it (logout); those who cannot log in keep the token they have. */
export async function freshToken(c: Call): Promise<string | null> {
  const account = c.actor === 'deactivated' ? null : accountFor(c);
  return account ? (await login(c.t, account)).accessToken : null;
}
