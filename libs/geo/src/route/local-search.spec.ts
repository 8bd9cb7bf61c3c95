import { seededRandom } from '../random';
import { candidateDistances } from './closed-tour';
import { greedyTour } from './construct';
import { TourSearch } from './local-search';
import { nearestNeighbours } from './neighbours';

function setUp(n: number, seed: number, grid: boolean) {
  const random = seededRandom(seed);
  // A grid has many equal distances and collinear points, where move bookkeeping goes wrong first.
  const xy = Float64Array.from({ length: 2 * n }, () => (grid ? Math.floor(random() * 6) : random() * 100));
  const dist = (i: number, j: number) => Math.round(Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]) * 10);
  const k = Math.min(10, n - 1);
  const neigh = nearestNeighbours(xy, n, k);
  const nd = candidateDistances(n, dist, neigh, k);
  return { dist, k, neigh, nd, xy };
}

describe('TourSearch', () => {
  it.each([8, 9, 10, 12, 30, 200])('keeps a valid tour and an exact running length (n = %i)', (n) => {
    for (const grid of [false, true]) {
      for (let seed = 1; seed <= 5; seed++) {
        const { dist, k, neigh, nd, xy } = setUp(n, seed, grid);
        const initial = greedyTour(n, xy, neigh, nd, k, dist);
        const search = new TourSearch(n, dist, neigh, nd, k, initial);
        const before = search.length;
        // A fixed number of perturbations rather than a time, so that every run does the same work.
        search.optimise({ deadline: Infinity, targetLength: -Infinity, maxStall: 300, random: seededRandom(seed) });
        for (let i = 0; i < n; i++) expect(search.tour[search.pos[i]]).toBe(i);
        expect(new Set(search.tour).size).toBe(n);
        // The running total is integral here, so any slip in a move's gain would show exactly.
        expect(search.length).toBe(search.measure());
        expect(search.length).toBeLessThanOrEqual(before);
      }
    }
  });

  it('stops as soon as the tour is at most the target length, before the local optimum', () => {
    const n = 200;
    const { dist, k, neigh, nd, xy } = setUp(n, 7, false);
    const initial = greedyTour(n, xy, neigh, nd, k, dist);
    const full = new TourSearch(n, dist, neigh, nd, k, initial);
    full.optimise({ deadline: Infinity, targetLength: -Infinity, maxStall: 0, random: seededRandom(1) });
    const start = new TourSearch(n, dist, neigh, nd, k, initial).length;
    // Halfway between the greedy tour and the local optimum: reached during the first descent.
    const target = (start + full.length) / 2;
    const search = new TourSearch(n, dist, neigh, nd, k, initial);
    const stats = search.optimise({ deadline: Infinity, targetLength: target, maxStall: 1000, random: seededRandom(1) });
    expect(stats.kicks).toBe(0);
    expect(search.length).toBeLessThanOrEqual(target);
    expect(search.length).toBeGreaterThan(full.length);
    expect(search.length).toBe(search.measure());
    for (let i = 0; i < n; i++) expect(search.tour[search.pos[i]]).toBe(i);
  });
});
