import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateNeighbourhood } from '../synthetic-neighbourhood';
import { cutTurfs } from './cut-turfs';
import type { CutDoor, CutTurf } from './types';

const METRES_PER_DEGREE = 111_320;

/** Doors on a square grid `spacing` metres apart, one building each, starting in Atlanta. */
function grid(columns: number, rows: number, spacing: number): CutDoor[] {
  const doors: CutDoor[] = [];
  const lat0 = 33.74;
  const lonScale = METRES_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      doors.push({ lon: -84.35 + (c * spacing) / lonScale, lat: lat0 + (r * spacing) / METRES_PER_DEGREE, building: doors.length });
    }
  }
  return doors;
}

/** The generated street grid as doors; units of one address share a building. */
function neighbourhood(seed: number, options: { avenues?: number; streets?: number } = {}): CutDoor[] {
  const ids = new Map<string, number>();
  return generateNeighbourhood({ seed, ...options }).map((a) => {
    const key = `${a.street}|${a.number}`;
    if (!ids.has(key)) ids.set(key, ids.size);
    return { lon: a.lon, lat: a.lat, building: ids.get(key) as number };
  });
}

function sizes(turfs: CutTurf[]): number[] {
  return turfs.map((t) => t.doorIndexes.length);
}

function expectEveryDoorOnce(turfs: CutTurf[], doorCount: number): void {
  const all = turfs.flatMap((t) => t.doorIndexes).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: doorCount }, (_, i) => i));
}

function expectBuildingsWhole(turfs: CutTurf[], doors: CutDoor[]): void {
  const turfOf = new Map<number, number>();
  turfs.forEach((t, ti) => {
    for (const i of t.doorIndexes) {
      const b = doors[i].building;
      expect(turfOf.get(b) ?? ti).toBe(ti);
      turfOf.set(b, ti);
    }
  });
}

describe('cutTurfs', () => {
  it('returns no turfs for no doors', () => {
    expect(cutTurfs([], { doorsPerTurf: 30 })).toEqual([]);
  });

  it.each([0, 4, 4.99, 501, NaN, Infinity, -30])('rejects doorsPerTurf %p with a RangeError', (doorsPerTurf) => {
    expect(() => cutTurfs(grid(3, 3, 20), { doorsPerTurf })).toThrow(RangeError);
  });

  it('rejects a door without a valid position', () => {
    expect(() => cutTurfs([{ lon: NaN, lat: 33.7, building: 1 }], { doorsPerTurf: 10 })).toThrow(RangeError);
  });

  it('puts one door, one building, or fewer doors than a turf holds into one turf', () => {
    const one = cutTurfs([{ lon: -84.35, lat: 33.74, building: 7 }], { doorsPerTurf: 30 });
    expect(one).toEqual([{ doorIndexes: [0], centroid: { lon: -84.35, lat: 33.74 } }]);

    const tower = Array.from({ length: 120 }, () => ({ lon: -84.35, lat: 33.74, building: 1 }));
    expect(sizes(cutTurfs(tower, { doorsPerTurf: 30 }))).toEqual([120]);

    const street = grid(20, 1, 15);
    const turfs = cutTurfs(street, { doorsPerTurf: 50 });
    expect(turfs).toHaveLength(1);
    expectEveryDoorOnce(turfs, 20);
  });

  it('finds two well-separated clusters of ten', () => {
    const west = grid(5, 2, 15);
    const east = grid(5, 2, 15).map((d) => ({ ...d, lon: d.lon + 0.02, building: d.building + 100 }));
    // Interleaved, so that input order gives nothing away.
    const doors = west.flatMap((d, i) => [d, east[i]]);
    const turfs = cutTurfs(doors, { doorsPerTurf: 10 });
    expect(turfs).toHaveLength(2);
    const groups = turfs.map((t) => t.doorIndexes.map((i) => (doors[i].building >= 100 ? 'east' : 'west')));
    expect(groups.map((g) => new Set(g).size)).toEqual([1, 1]);
    expect(new Set(groups.map((g) => g[0]))).toEqual(new Set(['east', 'west']));
    expect(sizes(turfs)).toEqual([10, 10]);
  });

  it('splits a grid into equal turfs whose doors are contiguous', () => {
    const doors = grid(10, 10, 20);
    const turfs = cutTurfs(doors, { doorsPerTurf: 10 });
    // Ten turfs of 10 to 11 doors adding up to 100 leaves only ten each.
    expect(sizes(turfs)).toEqual(Array(10).fill(10));
    expectEveryDoorOnce(turfs, 100);
    for (const t of turfs) {
      // Connected through grid neighbours (20 m apart): a walkable block, not scattered doors.
      const members = new Set(t.doorIndexes);
      const seen = new Set([t.doorIndexes[0]]);
      const stack = [t.doorIndexes[0]];
      while (stack.length > 0) {
        const i = stack.pop() as number;
        const [c, r] = [i % 10, Math.floor(i / 10)];
        const around = [c > 0 ? i - 1 : -1, c < 9 ? i + 1 : -1, r > 0 ? i - 10 : -1, r < 9 ? i + 10 : -1];
        for (const j of around) {
          if (j >= 0 && members.has(j) && !seen.has(j)) {
            seen.add(j);
            stack.push(j);
          }
        }
      }
      expect(seen.size).toBe(members.size);
    }
  });

  it('makes round(doors / doorsPerTurf) turfs, each door in exactly one, buildings whole, centroids right', () => {
    const doors = neighbourhood(3);
    const turfs = cutTurfs(doors, { doorsPerTurf: 30 });
    expect(turfs).toHaveLength(Math.round(doors.length / 30));
    expectEveryDoorOnce(turfs, doors.length);
    expectBuildingsWhole(turfs, doors);
    for (const t of turfs) {
      const lon = t.doorIndexes.reduce((s, i) => s + doors[i].lon, 0) / t.doorIndexes.length;
      const lat = t.doorIndexes.reduce((s, i) => s + doors[i].lat, 0) / t.doorIndexes.length;
      expect(t.centroid.lon).toBeCloseTo(lon, 9);
      expect(t.centroid.lat).toBeCloseTo(lat, 9);
      expect(t.doorIndexes).toEqual([...t.doorIndexes].sort((a, b) => a - b));
    }
  });

  it.each([
    [1, 20],
    [2, 30],
    [5, 50],
    [8, 30],
  ])('keeps door counts within 10%% on generated neighbourhood %i at %i doors per turf', (seed, doorsPerTurf) => {
    const doors = neighbourhood(seed, { avenues: 6, streets: 6 });
    const turfs = cutTurfs(doors, { doorsPerTurf });
    const counts = sizes(turfs);
    expect(Math.max(...counts) / Math.min(...counts)).toBeLessThanOrEqual(1.1);
    expectEveryDoorOnce(turfs, doors.length);
    expectBuildingsWhole(turfs, doors);
  });

  it('gives a building too big for any turf a turf of its own and balances the rest', () => {
    const houses = grid(20, 10, 15);
    const tower = Array.from({ length: 100 }, () => ({ lon: houses[105].lon, lat: houses[105].lat + 0.00005, building: 999 }));
    const doors = [...houses, ...tower];
    const turfs = cutTurfs(doors, { doorsPerTurf: 30 });
    expect(turfs).toHaveLength(10);
    const alone = turfs.filter((t) => t.doorIndexes.some((i) => doors[i].building === 999));
    expect(alone).toHaveLength(1);
    expect(alone[0].doorIndexes).toHaveLength(100);
    const others = sizes(turfs.filter((t) => t !== alone[0]));
    expect(others.reduce((s, n) => s + n, 0)).toBe(200);
    expect(Math.max(...others) / Math.min(...others)).toBeLessThanOrEqual(1.1);
  });

  it('keeps small turfs within one door of each other when 10% is less than a door', () => {
    const doors = grid(13, 4, 15);
    const counts = sizes(cutTurfs(doors, { doorsPerTurf: 5 }));
    expect(counts).toHaveLength(10);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('makes no more turfs than there are buildings', () => {
    const doors = [0, 1, 2].flatMap((b) => Array.from({ length: 10 }, () => ({ lon: -84.35 + b * 0.001, lat: 33.74, building: b })));
    const turfs = cutTurfs(doors, { doorsPerTurf: 5 });
    expect(sizes(turfs)).toEqual([10, 10, 10]);
  });

  it('gives the same turfs for the same doors and seed', () => {
    const doors = neighbourhood(4, { avenues: 5, streets: 5 });
    const a = cutTurfs(doors, { doorsPerTurf: 25, seed: 42 });
    const b = cutTurfs(doors, { doorsPerTurf: 25, seed: 42 });
    expect(b).toEqual(a);
    expect(cutTurfs(doors, { doorsPerTurf: 25 })).toEqual(cutTurfs(doors, { doorsPerTurf: 25 }));
  });

  const atlanta = join(__dirname, '../../../../../shared/data/addresses/us-ga-atlanta-reynoldstown.csv');
  const withData = existsSync(atlanta) ? it : it.skip;
  withData('cuts the Atlanta Reynoldstown file into balanced turfs (skipped without ../shared/data)', () => {
    const [, ...rows] = readFileSync(atlanta, 'utf8').trim().split('\n');
    // Plain split is enough here: this file quotes no field.
    const doors = rows.map((row, i) => {
      const [lon, lat] = row.split(',');
      return { lon: Number(lon), lat: Number(lat), building: i };
    });
    for (const doorsPerTurf of [30, 50, 80]) {
      const turfs = cutTurfs(doors, { doorsPerTurf });
      const counts = sizes(turfs);
      expect(turfs).toHaveLength(Math.round(doors.length / doorsPerTurf));
      expect(Math.max(...counts) / Math.min(...counts)).toBeLessThanOrEqual(1.1);
      expectEveryDoorOnce(turfs, doors.length);
    }
  });
});
