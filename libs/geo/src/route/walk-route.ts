import { haversineMetres, LonLat, projectToMetres } from '../distance';
import { candidates, CANDIDATES, defaultBudgetMs, EXACT_MAX, exactTour, searchTour } from './closed-tour';
import { greedyTour } from './construct';
import type { DistanceFn } from './local-search';

export interface WalkRouteOptions {
  /** The door to start from (the meeting point); default: the door nearest the centroid. Must be the first unit of its group. */
  startIndex?: number;
  /**
   * `groups[i]`: the building of door i. The doors of one building are visited one after the
   * other, in index order (the caller sorts them: floor, then unit), entering at the first and
   * leaving at the last.
   */
  groups?: readonly number[];
  /** Time budget for improvement; default 50 ms up to 300 stops, rising to 500 ms at 1,200. The search may settle sooner. */
  budgetMs?: number;
  /** Seed of the search; the same seed gives the same route whenever the search settles within the budget. */
  seed?: number;
  /** Perturbations allowed in all (default: as many as the budget allows); 0 returns the first local optimum. */
  maxKicks?: number;
}

export interface WalkRoute {
  /** Every door index once, starting at the start door; an open path (no walk back). */
  order: number[];
  lengthMetres: number;
}

/**
 * The order in which to knock on doors: a short open walk from a start door through every door.
 *
 * Each building becomes one stop (its units are walked in the given order and cost nothing to move
 * between when they share a point). The stops are projected to local metres and solved as a closed
 * tour with one extra node that is 0 m from the start and equally far from every other stop: a tour
 * then pays that fixed amount once, wherever the walk ends, so the shortest tour is the shortest
 * open walk from the start. The reported length is haversine along the final order.
 */
export function walkRoute(points: readonly LonLat[], options: WalkRouteOptions = {}): WalkRoute {
  const started = performance.now();
  const n = points.length;
  if (options.groups !== undefined && options.groups.length !== n) {
    throw new RangeError(`groups has ${options.groups.length} entries for ${n} points`);
  }
  if (options.startIndex !== undefined && !(Number.isInteger(options.startIndex) && options.startIndex >= 0 && options.startIndex < n)) {
    throw new RangeError(`startIndex ${options.startIndex} is not the index of one of the ${n} points`);
  }
  if (n === 0) return { order: [], lengthMetres: 0 };

  const xy = projectToMetres(points);
  const stops = groupStops(n, options.groups);
  const m = stops.length;

  // A stop sits halfway between where its building is entered and left (the same point, usually).
  const sxy = new Float64Array(2 * m);
  for (let s = 0; s < m; s++) {
    const first = stops[s][0];
    const last = stops[s][stops[s].length - 1];
    sxy[2 * s] = (xy[2 * first] + xy[2 * last]) / 2;
    sxy[2 * s + 1] = (xy[2 * first + 1] + xy[2 * last + 1]) / 2;
  }
  const stopOf = new Int32Array(n);
  stops.forEach((members, s) => members.forEach((i) => (stopOf[i] = s)));

  let start: number;
  if (options.startIndex !== undefined) {
    start = stopOf[options.startIndex];
    if (stops[start][0] !== options.startIndex) {
      throw new RangeError(`startIndex ${options.startIndex} is not the first unit of its building (${stops[start][0]} is)`);
    }
  } else {
    start = nearestToCentroid(xy, n, sxy, m);
  }

  const stopOrder = openPath(m, sxy, start, options, started);
  const order: number[] = [];
  for (const s of stopOrder) for (const i of stops[s]) order.push(i);
  let lengthMetres = 0;
  for (let i = 1; i < n; i++) lengthMetres += haversineMetres(points[order[i - 1]], points[order[i]]);
  return { order, lengthMetres };
}

/** Doors grouped by building, in order of each building's first door; a door without a group is alone. */
function groupStops(n: number, groups: readonly number[] | undefined): number[][] {
  if (groups === undefined) return Array.from({ length: n }, (_, i) => [i]);
  const byGroup = new Map<number, number[]>();
  const stops: number[][] = [];
  for (let i = 0; i < n; i++) {
    let members = byGroup.get(groups[i]);
    if (members === undefined) {
      members = [];
      byGroup.set(groups[i], members);
      stops.push(members);
    }
    members.push(i);
  }
  return stops;
}

function nearestToCentroid(xy: Float64Array, n: number, sxy: Float64Array, m: number): number {
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < n; i++) {
    cx += xy[2 * i];
    cy += xy[2 * i + 1];
  }
  cx /= n;
  cy /= n;
  let best = 0;
  let bestD = Infinity;
  for (let s = 0; s < m; s++) {
    const d = (sxy[2 * s] - cx) ** 2 + (sxy[2 * s + 1] - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = s;
    }
  }
  return best;
}

/** Stops 0..m-1 in walking order from `start`. */
function openPath(m: number, sxy: Float64Array, start: number, options: WalkRouteOptions, started: number): number[] {
  if (m <= 2) return m === 1 ? [0] : [start, 1 - start];
  const planar: DistanceFn = (i, j) => {
    const dx = sxy[2 * i] - sxy[2 * j];
    const dy = sxy[2 * i + 1] - sxy[2 * j + 1];
    return Math.sqrt(dx * dx + dy * dy);
  };
  // The extra node: 0 m from the start, `far` from every other stop, with `far` longer than any
  // walk through all stops so that a tour never gains by leaving the start's side.
  const end = m;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let s = 0; s < m; s++) {
    minX = Math.min(minX, sxy[2 * s]);
    maxX = Math.max(maxX, sxy[2 * s]);
    minY = Math.min(minY, sxy[2 * s + 1]);
    maxY = Math.max(maxY, sxy[2 * s + 1]);
  }
  const far = (m + 1) * Math.hypot(maxX - minX, maxY - minY) + 1;
  const dist: DistanceFn = (i, j) => {
    if (i === end || j === end) {
      const other = i === end ? j : i;
      return other === start || other === end ? 0 : far;
    }
    return planar(i, j);
  };

  let tour: number[];
  if (m + 1 <= EXACT_MAX) {
    tour = exactTour(m + 1, dist).order;
  } else {
    const real = candidates(m, planar, sxy, Math.min(CANDIDATES, m - 1));
    const k = real.k;
    const greedy = greedyTour(m, sxy, real.neigh, real.dist, k, planar);
    // The extra node goes next to the start, on the side of the start's longer edge.
    const initial = new Int32Array(m + 1);
    const at = greedy.indexOf(start);
    const before = greedy[(at + m - 1) % m];
    const after = greedy[(at + 1) % m];
    const cut = planar(start, after) >= planar(start, before) ? at + 1 : at;
    initial.set(greedy.subarray(0, cut), 0);
    initial[cut] = end;
    initial.set(greedy.subarray(cut), cut + 1);
    // The extra node's only candidate is the start; no stop lists it, as it is no stop's neighbour.
    const neigh = new Int32Array((m + 1) * k).fill(-1);
    neigh.set(real.neigh);
    neigh[m * k] = start;
    const nd = new Float64Array((m + 1) * k).fill(Infinity);
    nd.set(real.dist);
    nd[m * k] = 0;
    const budgetMs = options.budgetMs ?? defaultBudgetMs(m);
    tour = searchTour(m + 1, dist, { k, neigh, dist: nd }, initial, started, { budgetMs, seed: options.seed, maxKicks: options.maxKicks })
      .tour.order;
  }

  // Read the tour from the start, heading away from the extra node.
  const size = m + 1;
  const at = tour.indexOf(start);
  const step = tour[(at + size - 1) % size] === end ? 1 : -1;
  const path: number[] = [];
  for (let q = 0, i = at; q < size; q++, i = (i + step + size) % size) {
    if (tour[i] !== end) path.push(tour[i]);
  }
  return path;
}
