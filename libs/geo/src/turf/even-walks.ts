import type { LonLat } from '../distance';
import { walkRoute } from '../route';
import { nextToLists, SiteGraph } from './graph';
import type { Band, Partition } from './partition';

/** Passes over all buildings; past three or four the moves found are few and small. */
const MAX_PASSES = 6;
/**
 * Buildings count as next to each other for keeping turfs in one piece when one is among the
 * other's this many nearest: on a street grid, the houses either side and across the street.
 */
const NEXT_TO = 4;
/** Improvements smaller than this (metres of the objective) are not worth a move. */
const EPSILON = 1e-6;
/**
 * Perturbations of each first walk's search: a budget of work, so that the same doors give the same
 * turfs on any machine. On the Atlanta file the turfs stop changing past about 100 (from 0 to 100
 * the total walk at 50 doors per turf fell 3%).
 */
const WALK_KICKS = 100;
/** Time allowed to each first walk; the work budget ends the search long before on any turf a cut makes. */
const WALK_BUDGET_MS = 1000;

/**
 * Trades buildings between neighbouring turfs where that shortens the turfs' walks or evens them
 * out, keeping every turf's door count in the band. The cut before it balances doors and
 * estimates walks; this works on walks: each turf's open walk from its meeting point (the
 * building nearest its door-weighted centroid, as routes start by default), first laid out by the
 * route search with a fixed budget of perturbations, then kept up to date by the moves themselves.
 *
 * A move takes a building out of one walk (joining its neighbours on the walk) and puts it in the
 * cheapest place in a neighbouring turf's walk; where either turf's count would leave the band,
 * it is exchanged instead for a building of the other turf next to it. A move is made when it
 * lowers the total walk plus spreadWeight x (sum of squared differences of the two walks from the
 * mean walk) / mean: the second part pays for evening out walks, which balanced door counts alone
 * do not give where houses stand farther apart in one part of the area than in another. Meeting
 * points stay where they are during the passes, and a meeting point is never moved.
 *
 * Returns the number of moves. Deterministic: no time limit or random choice decides anything.
 */
export function evenWalks(
  p: Partition,
  graph: SiteGraph,
  band: Band,
  pointOf: (site: number) => LonLat,
  spreadWeight: number,
  walks?: number[][],
): number {
  const { x, y, weight } = p.sites;
  const dist = (a: number, b: number) => Math.hypot(x[a] - x[b], y[a] - y[b]);
  const paths = walks ?? p.members.map((members) => firstWalk(p, members, pointOf));
  const length = paths.map((path) => {
    let sum = 0;
    for (let i = 1; i < path.length; i++) sum += dist(path[i - 1], path[i]);
    return sum;
  });

  // Turfs stay in one piece (or in no more pieces than they were): a building leaves a turf only if
  // the rest holds together without it, and joins one only next to a building of it.
  const near = nextToLists(graph, p.sites.count, NEXT_TO);
  const mark = new Int32Array(p.sites.count);
  let stamp = 0;
  /** Pieces of turf t with `out` taken out and `extra` put in (-1: none). */
  const pieces = (t: number, out: number, extra: number): number => {
    stamp++;
    let count = 0;
    const inTurf = (v: number) => v !== out && (p.assign[v] === t || v === extra);
    const stack: number[] = [];
    const members = extra >= 0 ? [...p.members[t], extra] : p.members[t];
    for (const root of members) {
      if (!inTurf(root) || mark[root] === stamp) continue;
      count++;
      mark[root] = stamp;
      stack.push(root);
      while (stack.length > 0) {
        const v = stack.pop() as number;
        for (const u of near[v]) {
          if (mark[u] !== stamp && inTurf(u)) {
            mark[u] = stamp;
            stack.push(u);
          }
        }
      }
    }
    return count;
  };
  const nextTo = (s: number, t: number, except: number) => near[s].some((u) => u !== except && p.assign[u] === t);

  /** What taking the building at `i` out of `path` saves (its neighbours on the walk then join). */
  const removal = (path: number[], i: number) =>
    i + 1 < path.length
      ? dist(path[i - 1], path[i]) + dist(path[i], path[i + 1]) - dist(path[i - 1], path[i + 1])
      : dist(path[i - 1], path[i]);
  /**
   * The cheapest place for site s in `path` with its entry `skip` taken out (-1: none): the extra
   * walking, and the index in the shortened path after which s goes. Never before the start.
   */
  const insertion = (path: number[], s: number, skip: number): { cost: number; after: number } => {
    let best = Infinity;
    let after = -1;
    let prev = -1;
    let index = -1;
    for (let i = 0; i < path.length; i++) {
      if (i === skip) continue;
      const cur = path[i];
      if (prev >= 0) {
        const c = dist(prev, s) + dist(s, cur) - dist(prev, cur);
        if (c < best) {
          best = c;
          after = index;
        }
      }
      prev = cur;
      index++;
    }
    if (prev >= 0 && dist(prev, s) < best) {
      best = dist(prev, s);
      after = index;
    }
    return { cost: best, after };
  };
  const replaced = (path: number[], skip: number, s: number, after: number) => {
    const out = path.filter((_, i) => i !== skip);
    out.splice(after + 1, 0, s);
    return out;
  };

  let moves = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const mean = length.reduce((sum, l) => sum + l, 0) / Math.max(1, length.length);
    const spread = (a: number, b: number, newA: number, newB: number) =>
      mean > 0 ? (spreadWeight * ((newA - mean) ** 2 + (newB - mean) ** 2 - (a - mean) ** 2 - (b - mean) ** 2)) / mean : 0;
    let moved = 0;
    for (let s = 0; s < p.sites.count; s++) {
      const from = p.assign[s];
      if (from < 0) continue;
      const pa = paths[from];
      const i = pa.indexOf(s);
      if (i <= 0) continue;
      const saved = removal(pa, i);
      const tried: number[] = [];
      for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
        const to = p.assign[graph.to[e]];
        if (to < 0 || to === from || tried.includes(to)) continue;
        tried.push(to);
        const pb = paths[to];
        if (p.weight[from] - weight[s] >= band.lo && p.weight[to] + weight[s] <= band.hi) {
          const put = insertion(pb, s, -1);
          const gain = put.cost - saved + spread(length[from], length[to], length[from] - saved, length[to] + put.cost);
          if (gain < -EPSILON && nextTo(s, to, -1) && pieces(from, s, -1) <= pieces(from, -1, -1)) {
            paths[from] = pa.filter((_, k) => k !== i);
            paths[to] = replaced(pb, -1, s, put.after);
            length[from] -= saved;
            length[to] += put.cost;
            p.move(s, to);
            moved++;
            break;
          }
          continue;
        }
        // The counts do not allow a one-way move: exchange s for a building of `to` next to it.
        let best: { u: number; j: number; gain: number; a: { cost: number; after: number }; b: { cost: number; after: number } } | null =
          null;
        let bestRemoved = 0;
        for (let f = graph.start[s]; f < graph.start[s + 1]; f++) {
          const u = graph.to[f];
          if (p.assign[u] !== to) continue;
          const wa = p.weight[from] - weight[s] + weight[u];
          const wb = p.weight[to] - weight[u] + weight[s];
          if (wa < band.lo || wa > band.hi || wb < band.lo || wb > band.hi) continue;
          const j = pb.indexOf(u);
          if (j <= 0) continue;
          const removed = removal(pb, j);
          const a = insertion(pa, u, i);
          const b = insertion(pb, s, j);
          const newA = length[from] - saved + a.cost;
          const newB = length[to] - removed + b.cost;
          const gain = newA + newB - length[from] - length[to] + spread(length[from], length[to], newA, newB);
          if (
            gain < -EPSILON &&
            (!best || gain < best.gain) &&
            nextTo(s, to, u) &&
            nextTo(u, from, s) &&
            pieces(from, s, u) <= pieces(from, -1, -1) &&
            pieces(to, u, s) <= pieces(to, -1, -1)
          ) {
            best = { u, j, gain, a, b };
            bestRemoved = removed;
          }
        }
        if (best) {
          paths[from] = replaced(pa, i, best.u, best.a.after);
          paths[to] = replaced(pb, best.j, s, best.b.after);
          length[from] += best.a.cost - saved;
          length[to] += best.b.cost - bestRemoved;
          p.move(s, to);
          p.move(best.u, from);
          moved++;
          break;
        }
      }
    }
    moves += moved;
    if (moved === 0) break;
  }
  return moves;
}

/** A turf's walk from the building nearest its door-weighted centroid, as site ids. */
export function firstWalk(p: Partition, members: readonly number[], pointOf: (site: number) => LonLat, kicks = WALK_KICKS): number[] {
  if (members.length <= 1) return [...members];
  const { x, y, weight } = p.sites;
  let cx = 0;
  let cy = 0;
  let doors = 0;
  for (const s of members) {
    cx += weight[s] * x[s];
    cy += weight[s] * y[s];
    doors += weight[s];
  }
  cx /= doors;
  cy /= doors;
  let start = 0;
  for (let i = 1; i < members.length; i++) {
    const s = members[i];
    const b = members[start];
    if ((x[s] - cx) ** 2 + (y[s] - cy) ** 2 < (x[b] - cx) ** 2 + (y[b] - cy) ** 2) start = i;
  }
  const { order } = walkRoute(
    members.map((s) => pointOf(s)),
    { startIndex: start, maxKicks: kicks, budgetMs: WALK_BUDGET_MS, seed: 1 },
  );
  return order.map((i) => members[i]);
}
