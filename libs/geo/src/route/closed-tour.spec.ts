import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../random';
import { parseTsplib, parseTsplibSolutions } from '../tsplib';
import { exactTour, solveClosedTour, tourLength } from './closed-tour';
import { nearestNeighbours, SCAN_MAX } from './neighbours';

const euclid =
  (xy: Float64Array) =>
  (i: number, j: number): number =>
    Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);

function randomCoords(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: 2 * n }, () => random() * 1000);
}

function expectPermutation(order: readonly number[], n: number): void {
  expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
}

const TSPLIB = join(__dirname, '../../../../../shared/data/tsplib');

describe('solveClosedTour', () => {
  it('goes round a square, not across it', () => {
    const xy = Float64Array.from([0, 0, 1, 1, 1, 0, 0, 1]);
    const tour = solveClosedTour(4, euclid(xy), xy);
    expect(tour.length).toBeCloseTo(4, 9);
    expectPermutation(tour.order, 4);
  });

  it('visits points on a circle in angular order', () => {
    const n = 40;
    const angles = Array.from({ length: n }, (_, i) => (((i * 17) % n) / n) * 2 * Math.PI);
    const xy = Float64Array.from(angles.flatMap((a) => [Math.cos(a) * 100, Math.sin(a) * 100]));
    const tour = solveClosedTour(n, euclid(xy), xy, { budgetMs: 50, seed: 1 });
    expectPermutation(tour.order, n);
    const perimeter = n * 2 * 100 * Math.sin(Math.PI / n);
    expect(tour.length).toBeCloseTo(perimeter, 6);
  });

  it('reports the length of the order it returns', () => {
    for (const n of [1, 2, 3, 5, 8, 9, 50, 400]) {
      const xy = randomCoords(n, n);
      const dist = euclid(xy);
      const tour = solveClosedTour(n, dist, xy, { budgetMs: 20, seed: 2 });
      expectPermutation(tour.order, n);
      expect(tour.length).toBeCloseTo(tourLength(tour.order, dist), 6);
    }
  });

  it('matches an exhaustive search on small instances', () => {
    for (let n = 4; n <= 9; n++) {
      for (let seed = 1; seed <= 3; seed++) {
        const xy = randomCoords(n, 100 * n + seed);
        const dist = euclid(xy);
        let best = Infinity;
        // Every tour from node 0, for comparison with the solver's own exact path for n <= 7.
        const rest = Array.from({ length: n - 1 }, (_, i) => i + 1);
        const permute = (k: number): void => {
          if (k === rest.length) {
            best = Math.min(best, tourLength([0, ...rest], dist));
            return;
          }
          for (let i = k; i < rest.length; i++) {
            [rest[k], rest[i]] = [rest[i], rest[k]];
            permute(k + 1);
            [rest[k], rest[i]] = [rest[i], rest[k]];
          }
        };
        permute(0);
        expect(solveClosedTour(n, dist, xy, { seed }).length).toBeCloseTo(best, 6);
        expect(exactTour(n, dist).length).toBeCloseTo(best, 6);
      }
    }
  });

  it('stops once it reaches a target length', () => {
    const xy = randomCoords(300, 7);
    const dist = euclid(xy);
    const target = solveClosedTour(300, dist, xy, { budgetMs: 0 }).length;
    const started = performance.now();
    const tour = solveClosedTour(300, dist, xy, { budgetMs: 10_000, targetLength: target });
    expect(tour.length).toBeLessThanOrEqual(target + 1e-6);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  const haveTsplib = existsSync(join(TSPLIB, 'solutions'));
  (haveTsplib ? it : it.skip)('comes within 2% of the optimum of kroA100 (../shared/data/tsplib)', () => {
    const instance = parseTsplib(readFileSync(join(TSPLIB, 'kroA100.tsp'), 'utf8'));
    const optimum = parseTsplibSolutions(readFileSync(join(TSPLIB, 'solutions'), 'utf8')).get('kroA100');
    const tour = solveClosedTour(instance.dimension, instance.distance, instance.planar, { budgetMs: 200, seed: 1 });
    expectPermutation(tour.order, instance.dimension);
    expect(tour.length / optimum!).toBeLessThan(1.02);
  });
  if (!haveTsplib) console.warn(`TSPLIB instances not found at ${TSPLIB}: the kroA100 test is skipped.`);
});

describe('nearestNeighbours', () => {
  // Above SCAN_MAX the k-d tree answers, up to it the sweep along x; a street along one meridian
  // gives the sweep many points at the same x.
  it.each([
    ['k-d tree', SCAN_MAX + 100, false],
    ['sweep', SCAN_MAX - 100, false],
    ['sweep, one street north-south', 60, true],
  ])('finds the k nearest other points, nearest first, as a full scan would (%s)', (_name, n, street) => {
    const xy = randomCoords(n, 3);
    if (street) for (let i = 0; i < n; i++) xy[2 * i] = 7;
    // Duplicates and a tight cluster, as real doors have.
    for (let i = 0; i < 40; i++) {
      xy[2 * (n - 1 - i)] = xy[2 * i];
      xy[2 * (n - 1 - i) + 1] = xy[2 * i + 1];
    }
    const k = 10;
    const near = nearestNeighbours(xy, n, k);
    const d2 = (i: number, j: number) => (xy[2 * i] - xy[2 * j]) ** 2 + (xy[2 * i + 1] - xy[2 * j + 1]) ** 2;
    for (let i = 0; i < n; i++) {
      const expected = Array.from({ length: n }, (_, j) => j)
        .filter((j) => j !== i)
        .map((j) => d2(i, j))
        .sort((a, b) => a - b)
        .slice(0, k);
      const got = Array.from(near.subarray(i * k, i * k + k));
      expect(got).not.toContain(i);
      expect(new Set(got).size).toBe(k);
      expect(got.map((j) => d2(i, j))).toEqual(expected);
    }
  });

  it('pads with -1 when there are fewer than k other points', () => {
    const xy = Float64Array.from([0, 0, 1, 0, 5, 5]);
    expect(Array.from(nearestNeighbours(xy, 3, 4))).toEqual([1, 2, -1, -1, 0, 2, -1, -1, 1, 0, -1, -1]);
    expect(Array.from(nearestNeighbours(Float64Array.from([3, 3]), 1, 2))).toEqual([-1, -1]);
  });
});
