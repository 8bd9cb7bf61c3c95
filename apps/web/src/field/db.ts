/**
 * What the field app keeps on the phone, in IndexedDB: the routes handed to the volunteer with
 * their doors, the visits known on them, and the outbox of records not yet accepted by the
 * server. IndexedDB survives a closed tab and a restarted phone, which localStorage does not
 * promise for this much data, and it is what "Wipe this phone" clears.
 */
import { DBSchema, deleteDB, IDBPDatabase, openDB } from 'idb';

export const OUTCOMES = ['not_home', 'talked', 'refused', 'moved', 'no_access', 'do_not_knock', 'come_back_later'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Stop {
  position: number;
  doorId: string;
  buildingId: string;
  number: string;
  street: string;
  unit: string | null;
  lon: number;
  lat: number;
}

export interface Material {
  id: string;
  name: string;
  /** The name in each language of the app that has one; absent on materials stored before it was pulled. */
  names?: Record<string, string>;
  kind: string;
  language: string;
}

export interface StoredRoute {
  id: string;
  campaignId: string;
  /** Names the campaign: routes of two campaigns may share a name ("Turf 1"). Absent on routes stored before it was pulled. */
  campaignName?: string;
  name: string;
  code: string;
  walkMinutes: number;
  assigneeIds: string[];
  expiresAt: string;
  routeUpdatedAt: string;
  doNotKnockDoorIds: string[];
  stops: Stop[];
}

/** A visit the server holds (ours or the partner's), as pulled from /sync/changes. */
export interface KnownVisit {
  id: string;
  turfId: string;
  doorId: string;
  userId: string;
  outcome: Outcome;
  at: string;
}

export interface Quantity {
  materialId: string;
  quantity: number;
}

export type SyncItem =
  | {
      kind: 'visit';
      id: string;
      turfId: string;
      doorId: string;
      outcome: Outcome;
      recordedAt: string;
      shiftId?: string;
      language?: string;
      followUp?: boolean;
      materials?: Quantity[];
    }
  | { kind: 'not_home'; id: string; turfId: string; doorIds: string[]; recordedAt: string; shiftId?: string; materialsPerDoor?: Quantity[] }
  | { kind: 'check_in'; id: string; turfId: string; startedAt: string; partnerUserId?: string; materialsTaken?: Quantity[] }
  | { kind: 'check_out'; id: string; shiftId: string; endedAt: string; materialsReturned?: Quantity[] };

/**
 * pending: not yet accepted; rejected: the server refused it (kept aside with its reason);
 * quarantined: stored by the server but held for a coordinator (the route was taken away).
 */
export type OutboxState = 'pending' | 'rejected' | 'quarantined';

export interface OutboxEntry {
  id: string;
  /** Creation order: records are sent in the order they were made (a check-in before its visits). */
  order: number;
  state: OutboxState;
  /** Who made it: a record is only ever sent with its author's session (a phone may be shared). */
  userId: string;
  item: SyncItem;
  code?: string;
  message?: string;
}

export interface Shift {
  id: string;
  turfId: string;
  startedAt: string;
  taken: Quantity[];
}

interface FieldDB extends DBSchema {
  routes: { key: string; value: StoredRoute };
  visits: { key: string; value: KnownVisit; indexes: { turfId: string } };
  outbox: { key: string; value: OutboxEntry; indexes: { order: number } };
  meta: { key: string; value: unknown };
}

const NAME = 'porchlight-field';
let opening: Promise<IDBPDatabase<FieldDB>> | null = null;

export function db(): Promise<IDBPDatabase<FieldDB>> {
  opening ??= openDB<FieldDB>(NAME, 1, {
    upgrade(d) {
      d.createObjectStore('routes', { keyPath: 'id' });
      d.createObjectStore('visits', { keyPath: 'id' }).createIndex('turfId', 'turfId');
      d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('order', 'order');
      d.createObjectStore('meta');
    },
    // Another tab wiping the phone must not be blocked by this one.
    blocking() {
      void opening?.then((d) => d.close());
      opening = null;
    },
  });
  return opening;
}

/** Closes the connection (a delete waits for every open one) and removes the whole database. */
export async function deleteFieldDb(): Promise<void> {
  if (opening) (await opening).close();
  opening = null;
  await deleteDB(NAME);
}

export async function getMeta<T>(key: string): Promise<T | undefined> {
  return (await (await db()).get('meta', key)) as T | undefined;
}

export async function setMeta(key: string, value: unknown): Promise<void> {
  const d = await db();
  if (value === undefined) await d.delete('meta', key);
  else await d.put('meta', value, key);
}
