/** The API's answers as the console uses them, and small helpers shared by the console screens. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { Role } from '../../auth';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Campaign {
  id: string;
  name: string;
  description: string;
  startsOn: string | null;
  endsOn: string | null;
  doorCount: number;
  allowSelfAssignment: boolean;
  timeZone: string;
  createdAt: string;
}

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface AddressImport {
  id: string;
  campaignId: string;
  fileName: string;
  format: 'csv' | 'geojson';
  sizeBytes: number;
  status: ImportStatus;
  progress: { rowsRead: number; rowsTotal: number | null; percent: number };
  report: {
    rowsImported: number;
    duplicatesMerged: number;
    rowsRejected: number;
    /** Addresses of the file at places more than mergeWithinMetres apart, kept as separate doors. */
    addressesKeptApart: number;
    keptApart: KeptApart[];
    mergeWithinMetres: number;
  };
  /** `details.reason` names the case (e.g. csv_missing_columns), worded by the app. */
  error: { code: string; message: string; details?: { reason: string; params: Record<string, string | number> } } | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface KeptApart {
  street: string;
  number: string;
  unit: string | null;
  places: number;
  farthestMetres: number;
}

export interface Rejection {
  line: number;
  /** Why, as a code the app words (null on imports made before codes). */
  code: string | null;
  params?: Record<string, string | number>;
  /** Why, in English. */
  reason: string;
}

export type AssignmentStatus = 'assigned' | 'in_progress' | 'completed' | 'released' | 'expired';

export interface Turf {
  id: string;
  campaignId: string;
  name: string;
  code: string;
  doorCount: number;
  walkMetres: number;
  walkMinutes: number;
  meetingDoorId: string | null;
  outline: GeoJSON.Polygon | GeoJSON.MultiPolygon | null;
  assignment: { id: string; status: AssignmentStatus; volunteerIds: string[]; expiresAt: string } | null;
}

export interface RouteStop {
  position: number;
  doorId: string;
  buildingId: string;
  number: string;
  street: string;
  unit: string | null;
  lon: number;
  lat: number;
}

export interface Route extends Turf {
  stops: RouteStop[];
}

export interface CutTurf {
  id: string | null;
  name: string | null;
  doorCount: number;
  walkMetres: number;
  walkMinutes: number;
  meetingDoorId: string;
  centroid: { lon: number; lat: number };
  doorIds: string[];
}

export interface CutResult {
  saved: boolean;
  turfs: CutTurf[];
  summary: { turfCount: number; doorCount: number; minDoors: number; maxDoors: number; totalWalkMetres: number };
}

export interface Door {
  id: string;
  buildingId: string;
  number: string;
  street: string;
  unit: string | null;
  lon: number;
  lat: number;
  doNotKnock: boolean;
}

export interface Member {
  id: string;
  userId: string;
  displayName: string;
  role: Role;
  status: 'active' | 'deactivated';
  language: string;
  email?: string;
  phone?: string | null;
  joinedAt: string;
}

export interface Organization {
  id: string;
  name: string;
  notesEnabled: boolean;
  coarseLocationEnabled: boolean;
  emailRemindersEnabled: boolean;
  smsRemindersEnabled: boolean;
  leaderboardsEnabled: boolean;
  mapTileUrl?: string | null;
  createdAt: string;
}

/** Every item of a paginated list, a hundred (the API's largest page) at a time. */
export async function fetchAll<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const sep = path.includes('?') ? '&' : '?';
  const first = await api<Page<T>>('GET', `${path}${sep}limit=100&offset=0`, { signal });
  const offsets: number[] = [];
  for (let o = 100; o < first.total; o += 100) offsets.push(o);
  const rest = await Promise.all(offsets.map((o) => api<Page<T>>('GET', `${path}${sep}limit=100&offset=${o}`, { signal })));
  return [first, ...rest].flatMap((p) => p.items);
}

/** Runs tasks a few at a time, so that a campaign of many routes does not flood the server. */
export async function inBatches<T, R>(items: T[], size: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(task))));
  return out;
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  reload: () => void;
}

/** Loads once per `load` (wrap it in useCallback) and again on reload(); an abandoned load is aborted. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown }>({});
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    load(ctl.signal).then(
      (data) => setState({ data }),
      (error: unknown) => {
        if (!ctl.signal.aborted) setState((s) => ({ data: s.data, error }));
      },
    );
    return () => ctl.abort();
  }, [load, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data: state.data, error: state.error, reload };
}

export const formatKm = (metres: number, lang: string) =>
  (metres / 1000).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatDate = (iso: string, lang: string) =>
  new Date(iso.length === 10 ? `${iso}T12:00:00` : iso).toLocaleDateString(lang, { year: 'numeric', month: 'short', day: 'numeric' });
