import { haversineMetres, LonLat } from '../distance';
import { seededRandom } from '../random';
import { walkRoute } from './walk-route';

/** About 111 m per 0.001 degree near the equator. */
const at = (x: number, y: number): LonLat => ({ lon: x * 0.001, lat: y * 0.001 });

function pathLength(points: readonly LonLat[], order: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < order.length; i++) total += haversineMetres(points[order[i - 1]], points[order[i]]);
  return total;
}

function expectPermutation(order: readonly number[], n: number): void {
  expect(order).toHaveLength(n);
  expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

function randomPoints(n: number, seed: number, spread = 5): LonLat[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => at(random() * spread, random() * spread));
}

/** The shortest open path from `start` through every point, by trying every order. */
function bruteForce(points: readonly LonLat[], start: number): number {
  const rest = points.map((_, i) => i).filter((i) => i !== start);
  let best = Infinity;
  const used = new Array<boolean>(points.length).fill(false);
  const extend = (last: number, count: number, soFar: number): void => {
    if (soFar >= best) return;
    if (count === rest.length) {
      best = soFar;
      return;
    }
    for (const c of rest) {
      if (used[c]) continue;
      used[c] = true;
      extend(c, count + 1, soFar + haversineMetres(points[last], points[c]));
      used[c] = false;
    }
  };
  extend(start, 0, 0);
  return best;
}

describe('walkRoute', () => {
  it('returns an empty route for no doors', () => {
    expect(walkRoute([])).toEqual({ order: [], lengthMetres: 0 });
  });

  it('returns the door itself for a single door', () => {
    expect(walkRoute([at(1, 1)])).toEqual({ order: [0], lengthMetres: 0 });
    expect(walkRoute([at(1, 1)], { startIndex: 0, groups: [7] })).toEqual({ order: [0], lengthMetres: 0 });
  });

  it('walks three sides of a square from a corner, never the diagonal', () => {
    const square = [at(0, 0), at(1, 0), at(1, 1), at(0, 1)];
    const route = walkRoute(square, { startIndex: 0 });
    expect(route.order[0]).toBe(0);
    expect([
      [0, 1, 2, 3],
      [0, 3, 2, 1],
    ]).toContainEqual(route.order);
    expect(route.lengthMetres).toBeCloseTo(pathLength(square, [0, 1, 2, 3]), 6);
  });

  it('walks points on a line in order from an end', () => {
    // Shuffled, so that the input order gives nothing away.
    const xs = [7, 2, 9, 0, 4, 1, 8, 3, 6, 5, 10, 11];
    const line = xs.map((x) => at(x, 0));
    const route = walkRoute(line, { startIndex: xs.indexOf(0) });
    expect(route.order.map((i) => xs[i])).toEqual([...xs].sort((a, b) => a - b));
    expect(route.lengthMetres).toBeCloseTo(pathLength(line, route.order), 6);
  });

  it('from the middle of a line, finishes the nearer side first and then walks the other side out', () => {
    const xs = Array.from({ length: 15 }, (_, i) => i);
    const line = xs.map((x) => at(x, 0));
    const route = walkRoute(line, { startIndex: 4 });
    const visited = route.order.map((i) => xs[i]);
    expect(visited[0]).toBe(4);
    // Every door left of the start (the nearer end) comes before any door right of it...
    expect(visited.slice(1, 5).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
    // ...then the far side in order, and the walk is as short as going to the near end and back.
    expect(visited.slice(5)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const optimum = haversineMetres(line[4], line[0]) + haversineMetres(line[0], line[14]);
    expect(route.lengthMetres).toBeCloseTo(optimum, 3);
  });

  it('handles doors at the same point', () => {
    const points = [at(0, 0), at(0, 0), at(2, 0), at(2, 0), at(2, 0), at(1, 0), at(0, 0), at(3, 0), at(3, 0), at(1, 0)];
    const route = walkRoute(points, { startIndex: 0 });
    expectPermutation(route.order, points.length);
    expect(route.order[0]).toBe(0);
    expect(route.lengthMetres).toBeCloseTo(haversineMetres(at(0, 0), at(3, 0)), 3);
  });

  it('keeps the units of a building together and in the given order', () => {
    const random = seededRandom(11);
    const buildings = 40;
    const points: LonLat[] = [];
    const groups: number[] = [];
    for (let b = 0; b < buildings; b++) {
      const where = at(random() * 6, random() * 6);
      const units = 1 + Math.floor(random() * 5);
      for (let u = 0; u < units; u++) {
        points.push(where);
        groups.push(b * 10);
      }
    }
    // Interleave the buildings in the input: a building's units need not be adjacent there.
    const perm = points.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101));
    const shuffledPoints = perm.map((i) => points[i]);
    const shuffledGroups = perm.map((i) => groups[i]);
    const route = walkRoute(shuffledPoints, { groups: shuffledGroups, seed: 3 });
    expectPermutation(route.order, shuffledPoints.length);
    const seen = new Set<number>();
    for (let i = 0; i < route.order.length;) {
      const group = shuffledGroups[route.order[i]];
      expect(seen.has(group)).toBe(false);
      seen.add(group);
      const members = shuffledGroups.map((g, idx) => (g === group ? idx : -1)).filter((idx) => idx >= 0);
      expect(route.order.slice(i, i + members.length)).toEqual(members);
      i += members.length;
    }
    expect(seen.size).toBe(buildings);
  });

  it('starts at the given door, and otherwise at the door nearest the centroid', () => {
    const points = randomPoints(60, 5);
    for (const start of [0, 17, 59]) expect(walkRoute(points, { startIndex: start }).order[0]).toBe(start);

    const ring = Array.from({ length: 12 }, (_, i) => at(Math.cos(i / 2) * 3, Math.sin(i / 2) * 3));
    ring.push(at(0.1, -0.1));
    expect(walkRoute(ring).order[0]).toBe(12);
  });

  it('starts a building at its first unit, and refuses to start in the middle of one', () => {
    const points = [at(0, 0), at(1, 0), at(1, 0), at(1, 0), at(2, 0)];
    const groups = [1, 2, 2, 2, 3];
    expect(walkRoute(points, { groups, startIndex: 1 }).order.slice(0, 3)).toEqual([1, 2, 3]);
    expect(() => walkRoute(points, { groups, startIndex: 2 })).toThrow(RangeError);
    expect(() => walkRoute(points, { startIndex: 5 })).toThrow(RangeError);
    expect(() => walkRoute(points, { startIndex: 1.5 })).toThrow(RangeError);
    expect(() => walkRoute(points, { groups: [1, 2] })).toThrow(RangeError);
  });

  it('visits every door exactly once and measures the route it returns', () => {
    for (const n of [2, 3, 5, 8, 13, 100, 700]) {
      const points = randomPoints(n, n);
      const route = walkRoute(points, { budgetMs: 20 });
      expectPermutation(route.order, n);
      expect(route.lengthMetres).toBeCloseTo(pathLength(points, route.order), 6);
    }
  });

  it('gives the same route for the same seed', () => {
    // Small enough that the search settles long before the (generous) budget, so time plays no part.
    const points = randomPoints(60, 99);
    const a = walkRoute(points, { seed: 42, budgetMs: 20_000 });
    const b = walkRoute(points, { seed: 42, budgetMs: 20_000 });
    expect(b).toEqual(a);
  });

  it('with a budget of perturbations, gives the same route whatever the time budget, and no worse with more of them', () => {
    const points = randomPoints(300, 7);
    const none = walkRoute(points, { seed: 3, maxKicks: 0, budgetMs: 60_000 });
    expect(walkRoute(points, { seed: 3, maxKicks: 0, budgetMs: 5_000 })).toEqual(none);
    const some = walkRoute(points, { seed: 3, maxKicks: 50, budgetMs: 60_000 });
    expect(walkRoute(points, { seed: 3, maxKicks: 50, budgetMs: 5_000 })).toEqual(some);
    expect(some.lengthMetres).toBeLessThanOrEqual(none.lengthMetres + 1e-6);
  });

  it('finds the shortest walk on small instances', () => {
    for (let n = 2; n <= 9; n++) {
      for (let trial = 0; trial < 4; trial++) {
        const points = randomPoints(n, 1000 * n + trial);
        const start = trial % n;
        const route = walkRoute(points, { startIndex: start, seed: trial });
        // Optimised on a local projection, measured on the sphere: equal to well within 0.1%.
        expect(route.lengthMetres).toBeLessThanOrEqual(bruteForce(points, start) * 1.001);
      }
    }
  });
});
