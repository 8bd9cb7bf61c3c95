/**
 * The field app's state and its sync with the server. Every record is written to the outbox in
 * IndexedDB first, with an id made on the phone, and only then sent: a resend after a lost reply
 * is answered `duplicate` and stored once. The outbox is sent on open, when the connection comes
 * back, after each record and every 30 seconds; the routes and the visits on them are pulled in
 * the same pass.
 */
import { useSyncExternalStore } from 'react';
import { api, ApiError } from '../api/client';
import { turfLabel } from '../i18n';
import { db, deleteFieldDb, getMeta, KnownVisit, Material, OutboxEntry, Outcome, setMeta, Shift, Stop, StoredRoute, SyncItem } from './db';

export interface FieldState {
  loaded: boolean;
  online: boolean;
  syncing: boolean;
  lastSyncAt: string | null;
  /** The last sync's failure other than "no connection" (a server error, say), worded by the page in the reader's language. */
  syncError: ApiError | null;
  routes: StoredRoute[];
  visits: KnownVisit[];
  outbox: OutboxEntry[];
  materials: Record<string, Material[]>;
  shift: Shift | null;
}

const BATCH = 100;
const INTERVAL_MS = 30_000;

let state: FieldState = {
  loaded: false,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  syncing: false,
  lastSyncAt: null,
  syncError: null,
  routes: [],
  visits: [],
  outbox: [],
  materials: {},
  shift: null,
};
const listeners = new Set<() => void>();
/** Records in a batch on its way to the server: too late to undo. */
const inFlight = new Set<string>();
let counter = 0;

function set(patch: Partial<FieldState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export function useField(): FieldState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

async function reload(): Promise<void> {
  const d = await db();
  const [routes, visits, outbox, shift] = await Promise.all([
    d.getAll('routes'),
    d.getAll('visits'),
    d.getAllFromIndex('outbox', 'order').then((all) => all.filter((e) => e.userId === userId)),
    getMeta<Shift>('shift'),
  ]);
  const materials = (await getMeta<Record<string, Material[]>>('materials')) ?? {};
  const lastSyncAt = (await getMeta<string>('lastSyncAt')) ?? null;
  routes.sort(byCampaignAndName);
  set({ loaded: true, routes, visits, outbox, shift: shift ?? null, materials, lastSyncAt });
}

let started = false;
let timer: ReturnType<typeof setInterval> | undefined;

/** Starts syncing on the connection's return and on a timer; safe to call more than once. */
export function startField(): () => void {
  if (!started) {
    started = true;
    const onOnline = () => {
      set({ online: true });
      void syncNow();
    };
    const onOffline = () => set({ online: false });
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    timer = setInterval(() => void syncNow(), INTERVAL_MS);
    // The first load waits for the signed-in user (setFieldUser): the data shown is theirs.
  }
  return () => undefined;
}

function nextOrder(): number {
  counter = (counter + 1) % 1000;
  return Date.now() * 1000 + counter;
}

/** The phone's time with its offset, as the API asks (e.g. 2026-07-14T10:31:00-04:00). */
export function localTime(d = new Date()): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  return `${local}${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`;
}

/** Writes a record to the outbox (it is safe on the phone from here on), then tries to send it. */
export async function record(item: SyncItem): Promise<void> {
  if (!userId) throw new Error('record before sign-in');
  const entry: OutboxEntry = { id: item.id, order: nextOrder(), state: 'pending', userId, item };
  await (await db()).put('outbox', entry);
  set({ outbox: [...state.outbox, entry] });
  void syncNow();
}

export type UndoResult = 'undone' | 'sending' | 'sent';

/** Takes a record back while it is still only on the phone; the server keeps every visit it has. */
export async function undo(id: string): Promise<UndoResult> {
  if (inFlight.has(id)) return 'sending';
  const entry = state.outbox.find((e) => e.id === id);
  if (!entry || entry.state !== 'pending') return 'sent';
  await (await db()).delete('outbox', id);
  set({ outbox: state.outbox.filter((e) => e.id !== id) });
  return 'undone';
}

export async function discard(id: string): Promise<void> {
  await (await db()).delete('outbox', id);
  set({ outbox: state.outbox.filter((e) => e.id !== id) });
}

export async function retry(id: string): Promise<void> {
  const entry = state.outbox.find((e) => e.id === id);
  if (!entry) return;
  const next: OutboxEntry = { id: entry.id, order: entry.order, userId: entry.userId, item: entry.item, state: 'pending' };
  await (await db()).put('outbox', next);
  set({ outbox: state.outbox.map((e) => (e.id === id ? next : e)) });
  void syncNow();
}

export async function saveShift(shift: Shift | null): Promise<void> {
  await setMeta('shift', shift ?? undefined);
  set({ shift });
}

/** Routes grouped by campaign, then by name. */
function byCampaignAndName(a: StoredRoute, b: StoredRoute): number {
  return (a.campaignName ?? '').localeCompare(b.campaignName ?? '') || a.name.localeCompare(b.name, undefined, { numeric: true });
}

/** How a route is named to the volunteer: with its campaign, as two campaigns may both have a "Turf 1". */
export function routeLabel(r: Pick<StoredRoute, 'name' | 'campaignName'>): string {
  return r.campaignName ? `${turfLabel(r.name)} · ${r.campaignName}` : turfLabel(r.name);
}

interface SyncAnswer {
  results: {
    index: number;
    id: string | null;
    status: 'created' | 'duplicate' | 'rejected' | 'quarantined';
    code?: string;
    message?: string;
    visitIds?: string[];
  }[];
}

interface Changes {
  cursor: string;
  routes: {
    turfId: string;
    name: string;
    campaignName: string;
    code: string;
    routeUpdatedAt: string;
    assigneeIds: string[];
    expiresAt: string;
    doNotKnockDoorIds: string[];
  }[];
  visits: { id: string; turfId: string; doorId: string; userId: string; outcome: Outcome; effectiveAt: string }[];
}

interface RouteAnswer {
  id: string;
  campaignId: string;
  name: string;
  code: string;
  walkMinutes: number;
  stops: Stop[];
}

/** Visits the phone made itself, known at once so that progress does not wait for the next pull. */
function ownVisits(item: SyncItem, ids: string[] | undefined, userId: string): KnownVisit[] {
  if (item.kind === 'visit')
    return [{ id: item.id, turfId: item.turfId, doorId: item.doorId, userId, outcome: item.outcome, at: item.recordedAt }];
  if (item.kind === 'not_home' && ids)
    return item.doorIds.map((doorId, i) => ({
      id: ids[i],
      turfId: item.turfId,
      doorId,
      userId,
      outcome: 'not_home' as const,
      at: item.recordedAt,
    }));
  return [];
}

async function push(userId: string): Promise<void> {
  const pending = state.outbox.filter((e) => e.state === 'pending' && e.userId === userId);
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    batch.forEach((e) => inFlight.add(e.id));
    try {
      const answer = await api<SyncAnswer>('POST', '/sync', { body: { items: batch.map((e) => e.item) } });
      const d = await db();
      const tx = d.transaction(['outbox', 'visits'], 'readwrite');
      const done = new Set<string>();
      const changed = new Map<string, OutboxEntry>();
      const known: KnownVisit[] = [];
      for (const r of answer.results) {
        const entry = batch[r.index];
        if (!entry) continue;
        if (r.status === 'created' || r.status === 'duplicate') {
          done.add(entry.id);
          void tx.objectStore('outbox').delete(entry.id);
          known.push(...ownVisits(entry.item, r.visitIds, userId));
        } else {
          const next: OutboxEntry = { ...entry, state: r.status, code: r.code, message: r.message };
          changed.set(entry.id, next);
          void tx.objectStore('outbox').put(next);
        }
      }
      for (const v of known) void tx.objectStore('visits').put(v);
      await tx.done;
      set({
        outbox: state.outbox.filter((e) => !done.has(e.id)).map((e) => changed.get(e.id) ?? e),
        visits: mergeVisits(state.visits, known),
      });
    } finally {
      batch.forEach((e) => inFlight.delete(e.id));
    }
  }
}

function mergeVisits(old: KnownVisit[], fresh: KnownVisit[]): KnownVisit[] {
  if (fresh.length === 0) return old;
  const byId = new Map(old.map((v) => [v.id, v]));
  for (const v of fresh) byId.set(v.id, v);
  return [...byId.values()];
}

async function pull(): Promise<void> {
  const cursor = await getMeta<string>('cursor');
  const changes = await api<Changes>('GET', `/sync/changes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
  const d = await db();
  const stored = new Map(state.routes.map((r) => [r.id, r]));
  const routes: StoredRoute[] = [];
  const campaigns = new Set<string>();
  for (const c of changes.routes) {
    const old = stored.get(c.turfId);
    let stops = old?.stops;
    let campaignId = old?.campaignId;
    let walkMinutes = old?.walkMinutes ?? 0;
    // A route re-ordered by the organizer has a new routeUpdatedAt: fetch its doors again.
    if (!old || old.routeUpdatedAt !== c.routeUpdatedAt) {
      const full = await api<RouteAnswer>('GET', `/turfs/${c.turfId}`);
      stops = full.stops;
      campaignId = full.campaignId;
      walkMinutes = full.walkMinutes;
    }
    campaigns.add(campaignId!);
    routes.push({
      id: c.turfId,
      campaignId: campaignId!,
      campaignName: c.campaignName,
      name: c.name,
      code: c.code,
      walkMinutes,
      assigneeIds: c.assigneeIds,
      expiresAt: c.expiresAt,
      routeUpdatedAt: c.routeUpdatedAt,
      doNotKnockDoorIds: c.doNotKnockDoorIds,
      stops: stops ?? [],
    });
  }
  const materials: Record<string, Material[]> = { ...state.materials };
  for (const id of campaigns) {
    try {
      materials[id] = (await api<Material[]>('GET', `/campaigns/${id}/materials`)).map((m) => ({
        id: m.id,
        name: m.name,
        names: m.names ?? {},
        kind: m.kind,
        language: m.language,
      }));
    } catch (err) {
      // Materials are a convenience: a route without them can still be walked.
      if (!(err instanceof ApiError)) throw err;
    }
  }
  const visits: KnownVisit[] = changes.visits.map((v) => ({
    id: v.id,
    turfId: v.turfId,
    doorId: v.doorId,
    userId: v.userId,
    outcome: v.outcome,
    at: v.effectiveAt,
  }));
  const keep = new Set(routes.map((r) => r.id));
  const tx = d.transaction(['routes', 'visits', 'meta'], 'readwrite');
  // A route missing from the answer is no longer the volunteer's: its doors leave the phone.
  for (const r of state.routes) if (!keep.has(r.id)) void tx.objectStore('routes').delete(r.id);
  for (const r of routes) void tx.objectStore('routes').put(r);
  for (const v of visits) void tx.objectStore('visits').put(v);
  void tx.objectStore('meta').put(changes.cursor, 'cursor');
  void tx.objectStore('meta').put(materials, 'materials');
  const now = new Date().toISOString();
  void tx.objectStore('meta').put(now, 'lastSyncAt');
  await tx.done;
  routes.sort(byCampaignAndName);
  set({ routes, visits: mergeVisits(state.visits, visits).filter((v) => keep.has(v.turfId)), materials, lastSyncAt: now });
}

let running: Promise<void> | null = null;
let again = false;

/** One sync at a time; a request during a sync runs one more pass after it, so no record waits 30 s. */
export function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      const userId = currentUserId();
      if (!state.loaded || !navigator.onLine || !userId) break;
      set({ syncing: true, online: true });
      try {
        await push(userId);
        await pull();
        set({ syncError: null });
      } catch (err) {
        if (err instanceof ApiError) set({ syncError: err });
        // No connection: the records stay in the outbox for the next pass.
        else if (!navigator.onLine) set({ online: false });
        break;
      } finally {
        set({ syncing: false });
      }
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

let userId: string | null = null;

/** The signed-in volunteer: their own visits are told apart from the partner's. */
export function setFieldUser(id: string | null): void {
  if (id === userId) return;
  userId = id;
  if (id) void switchUser(id);
}

/**
 * Another volunteer signing in on the same phone starts from their own routes: the previous
 * one's routes and visits go, and their unsent records stay on the phone, hidden and unsent,
 * until they sign in again.
 */
async function switchUser(id: string): Promise<void> {
  const previous = await getMeta<string>('userId');
  if (previous && previous !== id) {
    const d = await db();
    const tx = d.transaction(['routes', 'visits', 'meta'], 'readwrite');
    void tx.objectStore('routes').clear();
    void tx.objectStore('visits').clear();
    for (const key of ['cursor', 'materials', 'shift', 'lastSyncAt', 'rsvps']) void tx.objectStore('meta').delete(key);
    await tx.done;
  }
  await setMeta('userId', id);
  await reload();
  void syncNow();
}

function currentUserId(): string | null {
  return userId;
}

/** "Wipe this phone": the database, the saved session and profile, and the service worker's caches. */
export async function wipePhone(): Promise<void> {
  if (timer) clearInterval(timer);
  await deleteFieldDb();
  localStorage.clear();
  if ('caches' in window) for (const key of await caches.keys()) await caches.delete(key);
  state = { ...state, routes: [], visits: [], outbox: [], materials: {}, shift: null };
}

/** The outcome shown for a door: the latest record, whether still on the phone or on the server. */
export interface DoorStatus {
  outcome: Outcome;
  byPartner: boolean;
  waiting: boolean;
}

export function doorStatuses(route: StoredRoute, s: FieldState, me: string | undefined): Map<string, DoorStatus> {
  const out = new Map<string, DoorStatus & { at: number }>();
  // Phone times carry their offset and server times are UTC: compare instants, not text.
  const put = (doorId: string, time: string, st: DoorStatus) => {
    const at = Date.parse(time);
    const old = out.get(doorId);
    if (!old || old.at <= at) out.set(doorId, { ...st, at });
  };
  for (const v of s.visits)
    if (v.turfId === route.id) put(v.doorId, v.at, { outcome: v.outcome, byPartner: !!me && v.userId !== me, waiting: false });
  for (const e of s.outbox) {
    const it = e.item;
    if (e.state === 'rejected' || !('turfId' in it) || it.turfId !== route.id) continue;
    if (it.kind === 'visit') put(it.doorId, it.recordedAt, { outcome: it.outcome, byPartner: false, waiting: true });
    else if (it.kind === 'not_home')
      for (const doorId of it.doorIds) put(doorId, it.recordedAt, { outcome: 'not_home', byPartner: false, waiting: true });
  }
  return out;
}
