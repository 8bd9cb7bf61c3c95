import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CutDoor, CutTurf, cutTurfs, haversineMetres, LonLat, walkRoute } from '@app/geo';

export const ADDRESS_DIR = join(__dirname, '..', '..', 'shared', 'data', 'addresses');

export const DATASETS = [
  { name: 'atlanta-reynoldstown', file: 'us-ga-atlanta-reynoldstown.csv' },
  { name: 'san-francisco-civic-center', file: 'us-ca-san-francisco-civic-center.csv' },
] as const;

export const DOORS_PER_TURF = [30, 50, 80] as const;

/** Splits CSV text into rows of fields, honouring double quotes (doubled quotes inside a quoted field). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

export interface AddressSet {
  name: string;
  rows: number;
  /** Rows that repeat an earlier row's ID: the same address listed again, so not another door. */
  duplicateRows: number;
  doors: CutDoor[];
  buildings: number;
  largestBuilding: number;
}

/**
 * Doors of an OpenAddresses file. Rows at the same point are units of one building (the file
 * has no building ids). Rows repeating an earlier ID are dropped: the San Francisco excerpt lists
 * some addresses over a thousand times (327 and 329 Fulton St), which is not a thousand doors.
 */
export function loadAddresses(name: string, file: string): AddressSet {
  const path = join(ADDRESS_DIR, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: the turf benchmarks need ../shared/data/addresses`);
  const [header, ...body] = parseCsv(readFileSync(path, 'utf8'));
  const col = (n: string) => {
    const i = header.indexOf(n);
    if (i < 0) throw new Error(`${file} has no ${n} column`);
    return i;
  };
  const [lonCol, latCol, idCol] = [col('LON'), col('LAT'), col('ID')];
  const seen = new Set<string>();
  const building = new Map<string, number>();
  const doors: CutDoor[] = [];
  const sizes: number[] = [];
  for (const r of body) {
    if (seen.has(r[idCol])) continue;
    seen.add(r[idCol]);
    const point = `${r[lonCol]},${r[latCol]}`;
    let b = building.get(point);
    if (b === undefined) {
      b = building.size;
      building.set(point, b);
      sizes.push(0);
    }
    sizes[b]++;
    doors.push({ lon: Number(r[lonCol]), lat: Number(r[latCol]), building: b });
  }
  return {
    name,
    rows: body.length,
    duplicateRows: body.length - doors.length,
    doors,
    buildings: building.size,
    largestBuilding: Math.max(...sizes),
  };
}

// ---------------------------------------------------------------------------------------------
// The lower bound

/** Distinct points of the doors (units of a building add nothing to any walk or tree). */
export function distinctPoints(points: readonly LonLat[]): LonLat[] {
  const seen = new Map<string, LonLat>();
  for (const p of points) {
    const key = `${p.lon},${p.lat}`;
    if (!seen.has(key)) seen.set(key, { lon: p.lon, lat: p.lat });
  }
  return [...seen.values()];
}

/**
 * The k-minimum-spanning-forest bound: the minimum spanning tree of all doors (haversine metres,
 * plain O(n^2) Prim) less its k - 1 longest edges. Any k turfs' walks together form a spanning
 * forest of at most k trees over the doors, so no cut and no route can walk less.
 */
export function kMsfLowerBound(points: readonly LonLat[], k: number): { mst: number; bound: number } {
  const p = distinctPoints(points);
  const n = p.length;
  const edges: number[] = [];
  if (n > 1) {
    const key = new Float64Array(n).fill(Infinity);
    const done = new Uint8Array(n);
    let current = 0;
    done[0] = 1;
    for (let added = 1; added < n; added++) {
      let best = -1;
      for (let i = 0; i < n; i++) {
        if (done[i]) continue;
        const d = haversineMetres(p[current], p[i]);
        if (d < key[i]) key[i] = d;
        if (best < 0 || key[i] < key[best]) best = i;
      }
      done[best] = 1;
      edges.push(key[best]);
      current = best;
    }
  }
  edges.sort((a, b) => b - a);
  const mst = edges.reduce((s, e) => s + e, 0);
  const bound = edges.slice(Math.max(0, k - 1)).reduce((s, e) => s + e, 0);
  return { mst, bound };
}

// ---------------------------------------------------------------------------------------------
// Measuring a cut

/** Haversine metres along `order`. */
export function pathLength(points: readonly LonLat[], order: readonly number[]): number {
  let sum = 0;
  for (let i = 1; i < order.length; i++) sum += haversineMetres(points[order[i - 1]], points[order[i]]);
  return sum;
}

export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return mean > 0 ? Math.sqrt(variance) / mean : 0;
}

export interface TurfWalks {
  /** From the door nearest the turf's centroid, as the product routes it (walkRoute's default start). */
  fromCentre: number;
  /** From whichever end of the turf's longest span walks less: close to the shortest walk from anywhere. */
  fromEnd: number;
}

/**
 * A turf's walk with walkRoute, units of a building together (`groups`), from the meeting point
 * and from either end of the turf. The length is measured again here in haversine metres along
 * the order, the metric of the lower bound.
 */
export function turfWalks(doors: readonly CutDoor[], turf: CutTurf): TurfWalks {
  const members = turf.doorIndexes.map((i) => doors[i]);
  const groups = members.map((d) => d.building);
  const measure = (startIndex?: number) => pathLength(members, walkRoute(members, { groups, startIndex, seed: 1 }).order);
  // The ends: the door farthest from the centroid, and the door farthest from that one, each
  // entered at the first unit of its building (walkRoute's rule for a start).
  const farthestFrom = (p: LonLat) =>
    members.reduce((best, d, i) => (haversineMetres(p, d) > haversineMetres(p, members[best]) ? i : best), 0);
  const firstUnit = (i: number) => groups.indexOf(groups[i]);
  const a = firstUnit(farthestFrom(turf.centroid));
  const b = firstUnit(farthestFrom(members[a]));
  return { fromCentre: measure(), fromEnd: a === b ? measure(a) : Math.min(measure(a), measure(b)) };
}

export interface CutCase {
  dataset: string;
  doorsPerTurf: number;
  doors: number;
  buildings: number;
  k: number;
  /** Turfs that are one building with more doors than the median turf: the cut cannot balance those. */
  oneBuildingTurfs: number;
  minDoors: number;
  maxDoors: number;
  maxMinDoors: number;
  /** max/min over the turfs that are not one oversized building. */
  maxMinDoorsOthers: number;
  cutMs: number;
  lowerBoundMetres: number;
  walkFromCentreMetres: number;
  walkFromEndMetres: number;
  /** R3: sum of walks / k-MSF lower bound. */
  fromCentreOverBound: number;
  fromEndOverBound: number;
  /** R4: coefficient of variation of the turfs' walk lengths. */
  cvFromCentre: number;
  cvFromEnd: number;
  cvFromCentreOthers: number;
}

function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const r3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * Cuts one address set at one size, times the cut (median of `rounds` after a warm-up), and
 * measures walks, balance and the lower bound.
 */
export function measureCase(set: AddressSet, doorsPerTurf: number, rounds: number): CutCase {
  cutTurfs(set.doors, { doorsPerTurf });
  const times: number[] = [];
  let turfs: CutTurf[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    turfs = cutTurfs(set.doors, { doorsPerTurf });
    times.push(performance.now() - started);
  }
  const sizes = turfs.map((t) => t.doorIndexes.length);
  const typical = medianOf(sizes);
  const oversized = turfs.map((t) => new Set(t.doorIndexes.map((i) => set.doors[i].building)).size === 1 && t.doorIndexes.length > typical);
  const others = sizes.filter((_, i) => !oversized[i]);
  const walks = turfs.map((t) => turfWalks(set.doors, t));
  const fromCentre = walks.map((w) => w.fromCentre);
  const fromEnd = walks.map((w) => w.fromEnd);
  const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
  const { bound } = kMsfLowerBound(set.doors, turfs.length);
  return {
    dataset: set.name,
    doorsPerTurf,
    doors: set.doors.length,
    buildings: set.buildings,
    k: turfs.length,
    oneBuildingTurfs: oversized.filter(Boolean).length,
    minDoors: Math.min(...sizes),
    maxDoors: Math.max(...sizes),
    maxMinDoors: r3(Math.max(...sizes) / Math.min(...sizes)),
    maxMinDoorsOthers: r3(Math.max(...others) / Math.min(...others)),
    cutMs: Math.round(medianOf(times) * 10) / 10,
    lowerBoundMetres: Math.round(bound),
    walkFromCentreMetres: Math.round(sum(fromCentre)),
    walkFromEndMetres: Math.round(sum(fromEnd)),
    fromCentreOverBound: r3(sum(fromCentre) / bound),
    fromEndOverBound: r3(sum(fromEnd) / bound),
    cvFromCentre: r3(coefficientOfVariation(fromCentre)),
    cvFromEnd: r3(coefficientOfVariation(fromEnd)),
    cvFromCentreOthers: r3(coefficientOfVariation(fromCentre.filter((_, i) => !oversized[i]))),
  };
}

export interface Datasets {
  sets: AddressSet[];
  cases: CutCase[];
}

/** Every case of R3 and R4: both files at 30, 50 and 80 doors per turf. */
export function measureAll(rounds: number, log: (message: string) => void): Datasets {
  const sets = DATASETS.map((d) => loadAddresses(d.name, d.file));
  const cases: CutCase[] = [];
  for (const set of sets) {
    log(`${set.name}: ${set.doors.length} doors in ${set.buildings} buildings (${set.duplicateRows} repeated rows dropped)`);
    for (const doorsPerTurf of DOORS_PER_TURF) {
      const c = measureCase(set, doorsPerTurf, rounds);
      log(
        `  ${doorsPerTurf} doors/turf: k ${c.k}, doors ${c.minDoors}..${c.maxDoors}, walk/bound ${c.fromCentreOverBound} ` +
          `(from an end ${c.fromEndOverBound}), CV ${c.cvFromCentre}, cut ${c.cutMs} ms`,
      );
      cases.push(c);
    }
  }
  return { sets, cases };
}

/** What the sets are, for the result's detail. */
export function describeSets(sets: readonly AddressSet[]): Record<string, unknown>[] {
  return sets.map((s) => ({
    dataset: s.name,
    rows: s.rows,
    repeatedRowsDropped: s.duplicateRows,
    doors: s.doors.length,
    buildings: s.buildings,
    largestBuilding: s.largestBuilding,
  }));
}

/** The largest value of `key` over the cases, over all and per dataset. */
export function worstOf(cases: readonly CutCase[], key: keyof CutCase): { value: number; byDataset: Record<string, number> } {
  const byDataset: Record<string, number> = {};
  for (const c of cases) byDataset[c.dataset] = Math.max(byDataset[c.dataset] ?? -Infinity, c[key] as number);
  return { value: Math.max(...cases.map((c) => c[key] as number)), byDataset };
}
