import { seededRandom } from '../random';
import { greedyTour } from './construct';
import { gridStart } from './grid-start';
import { DistanceFn, SearchStats, SearchWork, TourSearch } from './local-search';
import { nearestNeighbours } from './neighbours';
import { growI32, growU8 } from './scratch';

/** Candidate neighbours per node: enough for 2-opt and Or-opt to find nearly every improving move. */
export const CANDIDATES = 10;

/**
 * Up to this many nodes the candidate lists and the first tour come from a grid in linear time
 * ({@link gridStart}) rather than from exact nearest neighbours and a sorted greedy construction,
 * whose set-up small instances cannot amortise. Above it the exact lists pay for themselves.
 */
export const GRID_START_MAX = 400;

/** Candidates per node from the grid (of the 18 to 27 points in a cell and its neighbours), as many as {@link CANDIDATES}. */
export const GRID_CANDIDATES = 10;

/** Up to this many nodes every tour is tried: 6! = 720 orders, cheaper than setting up a search. */
export const EXACT_MAX = 7;

export interface ClosedTourOptions {
  /** Time for improvement after construction; default {@link defaultBudgetMs}. */
  budgetMs?: number;
  /** Seed of the perturbations; the same seed gives the same tour when the search settles before the budget. */
  seed?: number;
  /** Stop as soon as the tour is at most this long (for measuring the time to reach a quality). */
  targetLength?: number;
  /** Perturbations allowed in all; 0 stops at the first local optimum, the same on any machine. */
  maxKicks?: number;
}

export interface ClosedTour {
  order: number[];
  length: number;
}

/** 50 ms up to 300 nodes, rising linearly to 500 ms at 1,200 and staying there. */
export function defaultBudgetMs(n: number): number {
  if (n <= 300) return 50;
  return Math.min(500, 50 + ((n - 300) * 450) / 900);
}

/**
 * Perturbations in a row without finding a shorter tour after which the search stops before its
 * budget: a caller routing many turfs should not wait out the budget of each small one. On TSPLIB,
 * eil51, berlin52 and kroA100 reached their optima within 1,000 perturbations for ten seeds out of
 * ten; a280 needed up to about 5,000 (20 n).
 */
export function stallLimit(n: number): number {
  return Math.max(1000, 20 * n);
}

/**
 * A short closed tour through nodes 0..n-1: greedy construction on k-nearest candidate edges, then
 * local search (2-opt, sequential 3-opt, Or-opt) inside an iterated local search until the budget
 * runs out or the search settles (see {@link TourSearch}). Up to {@link GRID_START_MAX} nodes the
 * candidates and the greedy tour come from a grid ({@link gridStart}). `coords` (x0, y0, x1, y1,
 * ...) only choose the candidate edges; lengths come from `dist`, which may be any symmetric metric.
 */
export function solveClosedTour(n: number, dist: DistanceFn, coords: Float64Array, options: ClosedTourOptions = {}): ClosedTour {
  const started = performance.now();
  if (n <= EXACT_MAX) return exactTour(n, dist);
  if (n <= GRID_START_MAX) {
    const start = gridStart(n, dist, coords, Math.min(GRID_CANDIDATES, n - 1));
    if (start !== undefined) return searchTour(n, dist, start, start.tour, started, options).tour;
  }
  const cand = candidates(n, dist, coords, Math.min(CANDIDATES, n - 1));
  return searchTour(n, dist, cand, greedyTour(n, coords, cand.neigh, cand.dist, cand.k, dist), started, options).tour;
}

/** Each node's k nearest others (`neigh[i * k + r]`, -1 for none) and the distances to them. */
export interface Candidates {
  k: number;
  neigh: Int32Array;
  dist: Float64Array;
}

export function candidates(n: number, dist: DistanceFn, coords: Float64Array, k: number): Candidates {
  const neigh = nearestNeighbours(coords, n, k);
  return { k, neigh, dist: candidateDistances(n, dist, neigh, k) };
}

/** Distances to each candidate, in the layout of `neigh`. */
export function candidateDistances(n: number, dist: DistanceFn, neigh: Int32Array, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = neigh[i * k + r];
      out[i * k + r] = j < 0 ? Infinity : dist(i, j);
    }
  }
  return out;
}

/** Runs the search from a given tour; shared by closed tours and walk routes (which add a node). */
export function searchTour(
  n: number,
  dist: DistanceFn,
  cand: Candidates,
  initial: ArrayLike<number>,
  started: number,
  options: ClosedTourOptions,
): { tour: ClosedTour; stats: SearchStats } {
  const search = new TourSearch(n, dist, cand.neigh, cand.dist, cand.k, initial, undefined, searchWork(n));
  const stats = search.optimise({
    deadline: started + (options.budgetMs ?? defaultBudgetMs(n)),
    targetLength: options.targetLength ?? -Infinity,
    maxStall: stallLimit(n),
    maxKicks: options.maxKicks,
    random: seededRandom(options.seed ?? 1),
  });
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = search.tour[i];
  // Summed afresh: with fractional lengths the running total has drifted by rounding.
  return { tour: { order, length: search.measure() }, stats };
}

/** The search's work arrays (see ./scratch); the tour is copied out of them before returning. */
const work: SearchWork = { tour: new Int32Array(0), pos: new Int32Array(0), queue: new Int32Array(0), queued: new Uint8Array(0) };

function searchWork(n: number): SearchWork {
  work.tour = growI32(work.tour, n);
  work.pos = growI32(work.pos, n);
  work.queue = growI32(work.queue, n);
  work.queued = growU8(work.queued, n);
  return work;
}

/** Every tour that starts at node 0 (each cycle is met twice, once per direction: cheap at this size). */
export function exactTour(n: number, dist: DistanceFn): ClosedTour {
  const order = Array.from({ length: n }, (_, i) => i);
  if (n <= 3) return { order, length: tourLength(order, dist) };
  const best = order.slice();
  let bestLength = tourLength(order, dist);
  const used = new Uint8Array(n);
  used[0] = 1;
  const extend = (depth: number, soFar: number): void => {
    if (soFar >= bestLength) return;
    if (depth === n) {
      const total = soFar + dist(order[n - 1], order[0]);
      if (total < bestLength) {
        bestLength = total;
        for (let i = 0; i < n; i++) best[i] = order[i];
      }
      return;
    }
    for (let c = 1; c < n; c++) {
      if (used[c]) continue;
      used[c] = 1;
      order[depth] = c;
      extend(depth + 1, soFar + dist(order[depth - 1], c));
      used[c] = 0;
    }
  };
  extend(1, 0);
  return { order: best, length: bestLength };
}

export function tourLength(order: ArrayLike<number>, dist: DistanceFn): number {
  let total = 0;
  for (let i = 0; i < order.length; i++) total += dist(order[i], order[i + 1 === order.length ? 0 : i + 1]);
  return order.length < 2 ? 0 : total;
}
