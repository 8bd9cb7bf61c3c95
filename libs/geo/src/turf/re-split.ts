import type { LonLat } from '../distance';
import { solveClosedTour } from '../route/closed-tour';
import { firstWalk } from './even-walks';
import { nextToLists, SiteGraph } from './graph';
import type { Band, Partition } from './partition';

/** Passes over all pairs of neighbouring turfs; pairs whose turfs did not change are not looked at again. */
const MAX_PASSES = 4;
/** Buildings count as next to each other (for neighbouring turfs and for turfs in one piece) among this many nearest. */
const NEXT_TO = 4;
/** Splits of a pair's joint tour whose walks are laid out exactly, best estimates first. */
const TRIED = 3;
/** Perturbations of the route search for the walks of a split tried; the walks kept are laid out again with the full budget. */
const TRIAL_KICKS = 20;
/** Improvements smaller than this (metres of the objective) are not worth a change. */
const EPSILON = 1e-6;

/**
 * Cuts pairs of neighbouring turfs again: the buildings of both are put on one short closed tour,
 * which is cut at two points into two arcs of balanced door counts, and the pair takes the two arcs
 * as its turfs when that lowers their walks from their meeting points (the buildings nearest their
 * centroids), with the same penalty on uneven walks as `evenWalks`.
 *
 * Why: a turf that is one side of a street is walked from its middle to one end and back, half as
 * far again as the street; the same number of doors as both sides of half the street is walked out
 * on one side and back on the other. Moving single buildings between turfs cannot get from the one
 * to the other, since every step on the way is longer; two new cut points on the pair's tour can.
 *
 * Each split of the tour is first estimated in constant time per arc after finding its meeting
 * point: the arc's own length plus the cheapest way of walking it from the meeting point with one
 * jump (to one end, then across to the rest). The few best are then routed with a small budget of
 * the route search, and a split is taken only when those walks beat the pair's present walks.
 * Arcs that would leave a turf in more than one piece are not taken. Deterministic.
 *
 * Returns each turf's walk (site ids from its meeting point) for the trades that follow, and the
 * number of pairs cut again.
 */
export function reSplitPairs(
  p: Partition,
  graph: SiteGraph,
  band: Band,
  pointOf: (site: number) => LonLat,
  spreadWeight: number,
): { walks: number[][]; changed: number } {
  const { x, y } = p.sites;
  const dist = (a: number, b: number) => Math.hypot(x[a] - x[b], y[a] - y[b]);
  const walkLength = (path: readonly number[]) => {
    let sum = 0;
    for (let i = 1; i < path.length; i++) sum += dist(path[i - 1], path[i]);
    return sum;
  };
  const walks = p.members.map((m) => firstWalk(p, m, pointOf));
  const length = walks.map(walkLength);
  /** Bumped whenever a turf changes, so that a pair already found wanting is skipped until one of its turfs changes. */
  const version = new Int32Array(p.turfs);
  const settled = new Map<number, string>();

  const near = nextToLists(graph, p.sites.count, NEXT_TO);
  const mark = new Int32Array(p.sites.count);
  let stamp = 0;
  /** Whether the sites hold together through `near`. */
  const onePiece = (sites: readonly number[]): boolean => {
    const member = ++stamp;
    for (const s of sites) mark[s] = member;
    const reached = ++stamp;
    const stack = [sites[0]];
    mark[sites[0]] = reached;
    let count = 1;
    while (stack.length > 0) {
      const v = stack.pop() as number;
      for (const u of near[v]) {
        if (mark[u] === member) {
          mark[u] = reached;
          count++;
          stack.push(u);
        }
      }
    }
    return count === sites.length;
  };

  let changed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const pairs = new Set<number>();
    for (let s = 0; s < p.sites.count; s++) {
      const a = p.assign[s];
      if (a < 0) continue;
      for (const u of near[s]) {
        const b = p.assign[u];
        if (b >= 0 && b !== a) pairs.add(Math.min(a, b) * p.turfs + Math.max(a, b));
      }
    }
    let changedThisPass = 0;
    for (const key of [...pairs].sort((m, n) => m - n)) {
      const a = Math.floor(key / p.turfs);
      const b = key % p.turfs;
      const stampOfPair = `${version[a]} ${version[b]}`;
      if (settled.get(key) === stampOfPair) continue;
      const mean = length.reduce((sum, l) => sum + l, 0) / Math.max(1, length.length);
      const objective = (la: number, lb: number) =>
        la + lb + (mean > 0 ? (spreadWeight * ((la - mean) ** 2 + (lb - mean) ** 2)) / mean : 0);
      const split = bestSplit(p, [...p.members[a], ...p.members[b]], band, objective, dist);
      let taken = false;
      for (const arcs of split) {
        // The arc holding more of turf a's buildings stays turf a, so meeting points move as little as they can.
        const [arcA, arcB] =
          arcs[0].filter((s) => p.assign[s] === a).length >= arcs[1].filter((s) => p.assign[s] === a).length ? arcs : [arcs[1], arcs[0]];
        if (arcA.every((s) => p.assign[s] === a) || arcA.every((s) => p.assign[s] === b)) continue;
        if (!onePiece(arcA) || !onePiece(arcB)) continue;
        const la = walkLength(firstWalk(p, arcA, pointOf, TRIAL_KICKS));
        const lb = walkLength(firstWalk(p, arcB, pointOf, TRIAL_KICKS));
        if (objective(la, lb) >= objective(length[a], length[b]) - EPSILON) continue;
        for (const s of arcA) if (p.assign[s] !== a) p.move(s, a);
        for (const s of arcB) if (p.assign[s] !== b) p.move(s, b);
        for (const t of [a, b]) {
          walks[t] = firstWalk(p, p.members[t], pointOf);
          length[t] = walkLength(walks[t]);
          version[t]++;
        }
        taken = true;
        changedThisPass++;
        break;
      }
      if (!taken) settled.set(key, stampOfPair);
    }
    changed += changedThisPass;
    if (changedThisPass === 0) break;
  }
  return { walks, changed };
}

/**
 * The balanced splits of a short closed tour through `union` into two arcs, best estimated first
 * (at most {@link TRIED}). An arc's walk is estimated from the building nearest its door-weighted
 * centroid: the arc's length, less the step on one side of that building, plus a jump from the end
 * reached first to the rest (the building's other neighbour on the arc, or the far end).
 */
function bestSplit(
  p: Partition,
  union: readonly number[],
  band: Band,
  objective: (a: number, b: number) => number,
  dist: (a: number, b: number) => number,
): [number[], number[]][] {
  const { x, y, weight } = p.sites;
  const m = union.length;
  if (m < 2) return [];
  const coords = new Float64Array(2 * m);
  union.forEach((s, i) => {
    coords[2 * i] = x[s];
    coords[2 * i + 1] = y[s];
  });
  // The first local optimum: the same on any machine, and enough to show where the pair can be cut.
  const { order } = solveClosedTour(m, (i, j) => dist(union[i], union[j]), coords, { maxKicks: 0, seed: 1 });
  const tour = order.map((i) => union[i]);
  // Prefix sums over the tour written out twice, so that every arc is a plain range.
  const at = (i: number) => tour[i % m];
  const step = new Float64Array(2 * m + 1);
  const sw = new Float64Array(2 * m + 1);
  const swx = new Float64Array(2 * m + 1);
  const swy = new Float64Array(2 * m + 1);
  for (let i = 0; i < 2 * m; i++) {
    const s = at(i);
    step[i + 1] = step[i] + (i > 0 ? dist(at(i - 1), s) : 0);
    sw[i + 1] = sw[i] + weight[s];
    swx[i + 1] = swx[i] + weight[s] * x[s];
    swy[i + 1] = swy[i] + weight[s] * y[s];
  }
  /** Estimated walk of the arc of tour positions [from, to). */
  const estimate = (from: number, to: number): number => {
    if (to - from <= 1) return 0;
    const w = sw[to] - sw[from];
    const cx = (swx[to] - swx[from]) / w;
    const cy = (swy[to] - swy[from]) / w;
    let c = from;
    let best = Infinity;
    for (let i = from; i < to; i++) {
      const d = (x[at(i)] - cx) ** 2 + (y[at(i)] - cy) ** 2;
      if (d < best) {
        best = d;
        c = i;
      }
    }
    const len = step[to] - step[from + 1];
    if (c === from || c === to - 1) return len;
    const [first, last, before, here, after] = [at(from), at(to - 1), at(c - 1), at(c), at(c + 1)];
    return (
      len +
      Math.min(
        dist(first, after) - dist(here, after),
        dist(first, last) - dist(here, after),
        dist(last, before) - dist(before, here),
        dist(last, first) - dist(before, here),
      )
    );
  };

  const total = sw[m];
  const found: { from: number; size: number; value: number }[] = [];
  for (let from = 0; from < m; from++) {
    for (let size = 1; size < m; size++) {
      const w = sw[from + size] - sw[from];
      if (w > band.hi) break;
      if (w < band.lo || total - w < band.lo || total - w > band.hi) continue;
      // Each split is met twice, once from either arc; the arc that does not wrap past the end stands for both.
      if (from + size > m || (from > 0 && from + size === m)) continue;
      found.push({ from, size, value: objective(estimate(from, from + size), estimate(from + size, from + m)) });
    }
  }
  found.sort((s, t) => s.value - t.value || s.from - t.from || s.size - t.size);
  return found
    .slice(0, TRIED)
    .map(({ from, size }) => [
      Array.from({ length: size }, (_, k) => at(from + k)),
      Array.from({ length: m - size }, (_, k) => at(from + size + k)),
    ]);
}
