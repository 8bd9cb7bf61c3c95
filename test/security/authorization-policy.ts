/**
 * Who may call what: the API's authorization policy as a table, one entry per operation of the
 * OpenAPI document (`METHOD /path` exactly as `/docs-json` spells it). The matrix test
 * (test/e2e/security/authorization-matrix.e2e-spec.ts) calls every operation as every actor
 * against every target and compares each answer with this table; docs/security.md explains it.
 *
 * An outcome is `'allow'` (2xx, or one of the operation's `normal` answers) or the exact status of
 * the refusal: 401 without a valid session, 403 for a role that may not, 404 for what the caller
 * may not know exists (another organization's ids answer exactly like ids that exist nowhere).
 */

export const ACTORS = [
  'anonymous',
  'assignedVolunteer',
  'otherVolunteer',
  'coordinator',
  'organizer',
  'outsider',
  'deactivated',
  'expired',
] as const;
export type ActorName = (typeof ACTORS)[number];

/**
 * `own`: the caller's organization's object, for volunteers the one handed to them (their route,
 * their event); `sameOrg`: one of the same organization that is not theirs; `otherOrg`: another
 * organization's; `nonexistent`: a random id. `n/a`: the operation names no object.
 */
export const TARGETS = ['own', 'sameOrg', 'otherOrg', 'nonexistent', 'n/a'] as const;
export type Target = (typeof TARGETS)[number];

export type Outcome = 'allow' | 401 | 403 | 404;
type Row = Partial<Record<Target, Outcome>>;
type Matrix = Record<ActorName, Row>;

export interface Policy {
  targets: readonly Target[];
  expect: Matrix;
  /** Answers that still mean "allowed": the operation refused the (valid) request on its merits, status -> error code. */
  normal?: Record<number, string>;
}

const BY_ID = ['own', 'sameOrg', 'otherOrg', 'nonexistent'] as const;
const NONE = ['n/a'] as const;
/** Capability links (a public event's token, an RSVP's signed link): a real one, and one that exists nowhere. */
const LINK = ['own', 'nonexistent'] as const;

const SIGNED_OUT = ['anonymous', 'deactivated', 'expired'] as const;
const MEMBERS = ['assignedVolunteer', 'otherVolunteer', 'coordinator', 'organizer', 'outsider'] as const;

/** Fills a row for the targets: members' own organization allowed, anything else unknown. */
const reach = (targets: readonly Target[], inOrg: Outcome, elsewhere: Outcome = 404): Row =>
  Object.fromEntries(targets.map((t) => [t, t === 'own' || t === 'sameOrg' || t === 'n/a' ? inOrg : elsewhere]));
const all = (targets: readonly Target[], outcome: Outcome): Row => Object.fromEntries(targets.map((t) => [t, outcome]));

/** Members by role; the three who have no valid session get 401 everywhere. */
function members(targets: readonly Target[], rows: { volunteer: Row; assignedVolunteer?: Row; coordinator: Row; organizer: Row }): Policy {
  const signedOut = Object.fromEntries(SIGNED_OUT.map((a) => [a, all(targets, 401)]));
  return {
    targets,
    expect: {
      ...signedOut,
      assignedVolunteer: rows.assignedVolunteer ?? rows.volunteer,
      otherVolunteer: rows.volunteer,
      coordinator: rows.coordinator,
      organizer: rows.organizer,
      // An organizer of another organization is an organizer there: the same rights, in their own world.
      outsider: rows.organizer,
    } as Matrix,
  };
}

/** Organizers only. */
export const organizerOnly = (targets: readonly Target[] = BY_ID): Policy =>
  members(targets, { volunteer: all(targets, 403), coordinator: all(targets, 403), organizer: reach(targets, 'allow') });

/** Organizers and coordinators. */
export const staff = (targets: readonly Target[] = BY_ID): Policy =>
  members(targets, { volunteer: all(targets, 403), coordinator: reach(targets, 'allow'), organizer: reach(targets, 'allow') });

/** Every active member of the organization. */
export const anyMember = (targets: readonly Target[] = BY_ID): Policy =>
  members(targets, { volunteer: reach(targets, 'allow'), coordinator: reach(targets, 'allow'), organizer: reach(targets, 'allow') });

/** Staff see all of their organization's; a volunteer only what is handed to them (anything else is "not found"). */
export const assignedVolunteerOrStaff = (): Policy =>
  members(BY_ID, {
    assignedVolunteer: { own: 'allow', sameOrg: 404, otherOrg: 404, nonexistent: 404 },
    volunteer: all(BY_ID, 404),
    coordinator: reach(BY_ID, 'allow'),
    organizer: reach(BY_ID, 'allow'),
  });

/** No token needed; a link that exists nowhere answers 404 whoever asks. */
export const publicAccess = (targets: readonly Target[] = NONE): Policy => ({
  targets,
  expect: Object.fromEntries(ACTORS.map((a) => [a, reach(targets, 'allow')])) as Matrix,
});

/** A preset with some cells changed. */
const override = (base: Policy, changes: Partial<Record<ActorName, Row>>, normal?: Record<number, string>): Policy => ({
  targets: base.targets,
  expect: Object.fromEntries(ACTORS.map((a) => [a, { ...base.expect[a], ...changes[a] }])) as Matrix,
  ...(normal ? { normal } : {}),
});

const withNormal = (base: Policy, normal: Record<number, string>): Policy => ({ ...base, normal });

export const POLICY: Record<string, Policy> = {
  // Platform and sign-in
  'GET /health': publicAccess(),
  'GET /health/ready': publicAccess(),
  'POST /auth/signup': publicAccess(),
  // Public, but a deactivated member can neither log in (NO_ACTIVE_MEMBERSHIP) nor refresh the session they had.
  'POST /auth/login': override(publicAccess(), { deactivated: { 'n/a': 403 } }),
  'POST /auth/refresh': override(publicAccess(), { deactivated: { 'n/a': 401 } }),
  // The body names the organization: one the caller is not an active member of answers 403
  // NO_ACTIVE_MEMBERSHIP, whether it exists or not.
  'POST /auth/switch-organization': override(
    anyMember(['own', 'otherOrg', 'nonexistent']),
    Object.fromEntries(MEMBERS.map((m) => [m, { otherOrg: 403, nonexistent: 403 }])),
  ),
  'POST /auth/logout': anyMember(NONE),
  // The same answer for any address, with an account or not; a link that exists nowhere is refused on its merits.
  'POST /auth/password-reset': publicAccess(),
  'POST /auth/password-reset/confirm': withNormal(publicAccess(), { 400: 'RESET_TOKEN_INVALID' }),
  'POST /invites/preview': publicAccess(),
  'POST /invites/accept': publicAccess(),

  // Organization, people, invites, audit
  'GET /me': anyMember(NONE),
  'PATCH /me': anyMember(NONE),
  // Called with a wrong current password, so that no account's password changes under the other calls.
  'POST /me/password': withNormal(anyMember(NONE), { 400: 'WRONG_CURRENT_PASSWORD' }),
  'POST /organizations': anyMember(NONE),
  'GET /organizations/current': anyMember(NONE),
  'PATCH /organizations/current': organizerOnly(NONE),
  'GET /members': staff(NONE),
  'PATCH /members/{id}/role': organizerOnly(),
  'POST /members/{id}/deactivate': organizerOnly(),
  'POST /members/{id}/reactivate': organizerOnly(),
  // Coordinators bring in volunteers: they invite them, see and withdraw those invites (an invite
  // for another role is refused to them, 403). The fixture's invites are for volunteers; whoever
  // revokes one second is told it was revoked already.
  'POST /invites': staff(NONE),
  'GET /invites': staff(NONE),
  'DELETE /invites/{id}': withNormal(staff(), { 410: 'INVITE_REVOKED' }),
  'GET /audit-log': organizerOnly(NONE),

  // Campaigns, doors, imports
  'POST /campaigns': organizerOnly(NONE),
  'GET /campaigns': staff(NONE),
  'GET /campaigns/{id}': staff(),
  'PATCH /campaigns/{id}': organizerOnly(),
  'GET /campaigns/{id}/doors': organizerOnly(),
  'PUT /doors/{id}/do-not-knock': organizerOnly(),
  'DELETE /doors/{id}/do-not-knock': organizerOnly(),
  'POST /campaigns/{id}/imports': organizerOnly(),
  'GET /campaigns/{id}/imports': organizerOnly(),
  'GET /imports/{id}': organizerOnly(),
  'GET /imports/{id}/rejections': organizerOnly(),
  'GET /imports/{id}/rejections.csv': organizerOnly(),

  // Turfs and routes. Cutting or drawing where no free doors are left, and merging or splitting a
  // route somebody walks, are refused on their merits once the caller is let in.
  'POST /campaigns/{id}/turfs/cut': withNormal(organizerOnly(), { 400: 'NOTHING_TO_CUT' }),
  'POST /campaigns/{id}/turfs': withNormal(organizerOnly(), { 400: 'NOTHING_TO_CUT' }),
  'GET /campaigns/{id}/turfs': staff(),
  'GET /me/routes': anyMember(NONE),
  'GET /turfs/{id}': assignedVolunteerOrStaff(),
  'GET /turfs/{id}/walk-list.csv': assignedVolunteerOrStaff(),
  'GET /turfs/{id}/walk-list.pdf': assignedVolunteerOrStaff(),
  'PUT /turfs/{id}/route': organizerOnly(),
  'PATCH /turfs/{id}': organizerOnly(),
  'POST /turfs/merge': withNormal(organizerOnly(), { 409: 'TURF_ASSIGNED' }),
  'POST /turfs/{id}/doors': withNormal(organizerOnly(), { 409: 'TURF_ASSIGNED' }),
  'POST /turfs/{id}/split': withNormal(organizerOnly(), { 409: 'TURF_ASSIGNED' }),
  // The fixture's campaigns hand routes out by organizers only: a known code is refused to everyone (403).
  'POST /routes/claim': override(anyMember(), {
    assignedVolunteer: { own: 403, sameOrg: 403 },
    otherVolunteer: { own: 403, sameOrg: 403 },
    coordinator: { own: 403, sameOrg: 403 },
    organizer: { own: 403, sameOrg: 403 },
    outsider: { own: 403, sameOrg: 403 },
  }),
  'GET /turfs/{id}/qr.svg': staff(),
  // Coordinators hand routes out and take them back; cutting and reshaping turfs stay with organizers.
  'PUT /turfs/{id}/assignment': staff(),
  'DELETE /turfs/{id}/assignment': staff(),

  // The field
  'GET /campaigns/{id}/shifts': staff(),
  'GET /campaigns/{id}/material-counts': staff(),
  'GET /campaigns/{id}/follow-ups': staff(),
  'POST /campaigns/{id}/follow-ups.csv': organizerOnly(),
  'POST /follow-ups/{id}/close': staff(),
  'GET /campaigns/{id}/visits': staff(),
  // A quarantined visit is reviewed once; the next reviewer is told it is no longer quarantined.
  'POST /visits/{id}/review': withNormal(staff(), { 409: 'CONFLICT' }),
  'GET /turfs/{id}/door-status': assignedVolunteerOrStaff(),
  'POST /turfs/{id}/paper-visits': staff(),
  // Records are answered one by one inside a 200: a route not handed to the caller is NOT_YOUR_ROUTE
  // (counted as 403), one not of their organization UNKNOWN_ROUTE (counted as 404).
  'POST /sync': override(anyMember(), {
    assignedVolunteer: { sameOrg: 403 },
    otherVolunteer: { own: 403, sameOrg: 403 },
    coordinator: { own: 403, sameOrg: 403 },
    organizer: { own: 403, sameOrg: 403 },
    outsider: { own: 403, sameOrg: 403 },
  }),
  'GET /sync/changes': anyMember(NONE),

  // Materials: coordinators lead the field, so they keep the catalogue and its stock with organizers.
  'POST /materials': staff(NONE),
  'GET /materials': staff(NONE),
  'PATCH /materials/{id}': staff(),
  'POST /materials/{id}/retire': staff(),
  'POST /materials/{id}/restore': staff(),
  'GET /campaigns/{id}/materials': anyMember(),
  'PUT /campaigns/{id}/materials': staff(),

  // Coverage
  'GET /campaigns/{id}/coverage': staff(),
  'GET /campaigns/{id}/coverage/turfs': staff(),
  'GET /campaigns/{id}/coverage/series': staff(),
  'PUT /campaigns/{id}/coverage/neighbourhoods': organizerOnly(),
  'GET /campaigns/{id}/coverage/neighbourhoods': staff(),
  'GET /campaigns/{id}/coverage/volunteers': staff(),
  'GET /campaigns/{id}/coverage/leaderboard': anyMember(),
  'GET /campaigns/{id}/coverage/turfs.geojson': staff(),
  'GET /campaigns/{id}/coverage/doors.geojson': organizerOnly(),
  'GET /campaigns/{id}/coverage/export.csv': staff(),
  'GET /campaigns/{id}/coverage/stream': staff(),

  // Events
  'POST /events': staff(NONE),
  'GET /events': anyMember(NONE),
  'GET /events/{id}': anyMember(),
  'PATCH /events/{id}': staff(),
  'POST /events/{id}/cancel': staff(),
  'GET /events/{id}/changes': staff(),
  'PUT /events/{id}/rsvp': anyMember(),
  'GET /events/{id}/rsvps': staff(),
  'GET /events/{id}/reminders': staff(),
  'GET /events/{id}/calendar.ics': anyMember(),
  'POST /me/calendar-feed': anyMember(NONE),
  'GET /reminder-schedule': staff(NONE),
  'GET /message-channels': staff(NONE),
  'PUT /reminder-schedule': organizerOnly(NONE),
  'GET /message-templates': staff(NONE),
  'PUT /message-templates/{kind}/{channel}/{language}': organizerOnly(NONE),
  'DELETE /message-templates/{kind}/{channel}/{language}': organizerOnly(NONE),

  // What people reach through links, without an account
  'GET /public/events/{token}': publicAccess(LINK),
  'POST /public/events/{token}/rsvps': publicAccess(LINK),
  'GET /public/rsvps/{id}/{token}': publicAccess(LINK),
  'POST /public/rsvps/{id}/{token}/cancel': publicAccess(LINK),
  'GET /public/rsvps/{id}/{token}/calendar.ics': publicAccess(LINK),
  'GET /public/calendar/{file}': publicAccess(LINK),
};

/** Served by the API but not operations of the document itself: the reference and its sources. */
export const OUTSIDE_DOCUMENT: Record<string, Policy> = {
  'GET /docs': publicAccess(),
  'GET /docs-json': publicAccess(),
  'GET /docs-yaml': publicAccess(),
};
