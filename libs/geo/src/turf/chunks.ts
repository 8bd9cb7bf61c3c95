import type { SiteGraph } from './graph';
import { Band, excess } from './partition';
import type { Sites } from './sites';

export interface SequenceCut {
  /** Turf of each site (-1 for sites not in the sequence). */
  assign: Int32Array;
  /** Doors outside the band: the most in one turf, and the sum over turfs. */
  worst: number;
  excess: number;
  /** Estimated walking cost, summed over turfs. */
  cost: number;
}

/**
 * Cuts a closed tour into `parts` runs of consecutive sites (see `cutSequence`), opened at its
 * longest step, which no run then has to walk. Slack (doors a run may hold outside the band)
 * widens only as far as needed: none, then half a building beyond the band's width, which lets a
 * run end somewhere whatever the buildings, then a whole building.
 *
 * With `spreadWeight` > 0 the cut is made twice: the second time each run also pays
 * spreadWeight x (cost - mean)^2 / mean, with the mean from the first cut, which evens out the
 * turfs' walks (within the door band) for a fraction of a per cent more walking in total.
 */
export function cutTour(
  sites: Sites,
  graph: SiteGraph,
  tour: readonly number[],
  parts: number,
  band: Band,
  radiusWeight: number,
  spreadWeight: number,
): SequenceCut | null {
  const n = tour.length;
  const { x, y, weight } = sites;
  let open = 0;
  let longest = -1;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const a = tour[i];
    const b = tour[(i + 1) % n];
    const step = (x[a] - x[b]) ** 2 + (y[a] - y[b]) ** 2;
    if (step > longest) {
      longest = step;
      open = (i + 1) % n;
    }
    largest = Math.max(largest, weight[a]);
  }
  const order = Array.from({ length: n }, (_, i) => tour[(open + i) % n]);
  for (const slack of [0, Math.max(0, Math.ceil((largest - (band.hi - band.lo)) / 2)), largest]) {
    const cut = cutSequence(sites, graph, order, parts, band, radiusWeight, slack);
    // Again, now charging each turf for straying from the mean walk the first cut found.
    if (cut)
      return spreadWeight > 0 ? cutSequence(sites, graph, order, parts, band, radiusWeight, slack, spreadWeight, cut.cost / parts) : cut;
  }
  return null;
}

/** Lexicographic: the worst turf's excess, then the total excess, then the cost. */
function better(worst: number, excess: number, cost: number, worst2: number, excess2: number, cost2: number): boolean {
  return worst < worst2 || (worst === worst2 && (excess < excess2 || (excess === excess2 && cost < cost2)));
}

/**
 * Cuts a sequence of sites into `parts` runs of consecutive sites by dynamic programming: first
 * the least excess over the band in the worst turf, then in all turfs together, then the least
 * total cost. A run's cost estimates the walk through it: the length of a spanning tree (each site
 * joins by its shortest edge to a neighbour earlier in the run, or by the step from its
 * predecessor when it has none there), plus `radiusWeight` times the run's root-mean-square
 * distance from its centroid, since a walk that starts in the middle of a turf pays for how far
 * the turf reaches out. With `spreadWeight` > 0 a run also pays spreadWeight x (cost - meanCost)^2
 * / meanCost.
 *
 * Runs hold between lo - slack and hi + slack doors, slack capped at the largest building; null
 * when no cut keeps to that. Time: O(sites x sites per run) for the run costs (the first
 * neighbour found in the run is the nearest, so joins are cheap) and O(parts x sites x (band width
 * + 2 slack)) for the table.
 */
export function cutSequence(
  sites: Sites,
  graph: SiteGraph,
  order: readonly number[],
  parts: number,
  band: Band,
  radiusWeight: number,
  slack: number,
  spreadWeight = 0,
  meanCost = 1,
): SequenceCut | null {
  const { x, y, weight } = sites;
  const n = order.length;
  const prefix = new Float64Array(n + 1);
  let largest = 0;
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = prefix[i] + weight[order[i]];
    largest = Math.max(largest, weight[order[i]]);
  }
  const room = Math.min(slack, largest);
  const maxRun = band.hi + room;
  const minRun = Math.max(1, band.lo - room);
  const position = new Int32Array(sites.count).fill(-1);
  order.forEach((site, i) => (position[site] = i));
  const join = (start: number, t: number): number => {
    const v = order[t];
    const p = order[t - 1];
    let best = (x[v] - x[p]) ** 2 + (y[v] - y[p]) ** 2;
    // Rows are nearest first: the first neighbour already in the run is the nearest one.
    for (let e = graph.start[v]; e < graph.start[v + 1]; e++) {
      const u = graph.to[e];
      const at = position[u];
      if (at >= start && at < t) {
        best = Math.min(best, (x[v] - x[u]) ** 2 + (y[v] - y[u]) ** 2);
        break;
      }
    }
    return Math.sqrt(best);
  };

  // runCost[runAt[s] + i - firstEnd[s]]: cost of the run order[s .. i - 1], for every end i the table can use.
  const firstEnd = new Int32Array(n);
  const runAt = new Int32Array(n + 1);
  let runCost = new Float64Array(n * 8);
  for (let s = 0; s < n; s++) {
    let tree = 0;
    let sx = 0;
    let sy = 0;
    let sq = 0;
    let at = runAt[s];
    firstEnd[s] = n + 1;
    for (let i = s + 1; i <= n; i++) {
      // order[i - 1] joins the run, which is then order[s .. i - 1].
      const v = order[i - 1];
      if (i - 1 > s) tree += join(s, i - 1);
      sx += x[v];
      sy += y[v];
      sq += x[v] * x[v] + y[v] * y[v];
      const doors = prefix[i] - prefix[s];
      if (doors > maxRun) break;
      if (doors < minRun) continue;
      if (at === runAt[s]) firstEnd[s] = i;
      const count = i - s;
      const spread = Math.sqrt(Math.max(0, sq / count - (sx / count) ** 2 - (sy / count) ** 2));
      if (at >= runCost.length) {
        const grown = new Float64Array(runCost.length * 2);
        grown.set(runCost);
        runCost = grown;
      }
      runCost[at++] = tree + radiusWeight * spread;
    }
    runAt[s + 1] = at;
  }

  // (worst, excess, cost) of the best cut of the first i sites into j runs; from[j - 1][i]: start of the last run.
  let bestWorst = new Float64Array(n + 1).fill(Infinity);
  let bestExcess = new Float64Array(n + 1).fill(Infinity);
  let bestCost = new Float64Array(n + 1).fill(Infinity);
  bestWorst[0] = 0;
  bestExcess[0] = 0;
  bestCost[0] = 0;
  const from: Int32Array[] = [];
  for (let j = 1; j <= parts; j++) {
    const nextWorst = new Float64Array(n + 1).fill(Infinity);
    const nextExcess = new Float64Array(n + 1).fill(Infinity);
    const nextCost = new Float64Array(n + 1).fill(Infinity);
    const back = new Int32Array(n + 1).fill(-1);
    // Starts s of a run ending at i with minRun..maxRun doors: lowStart <= s < highStart.
    let lowStart = 0;
    let highStart = 0;
    for (let i = 1; i <= n; i++) {
      while (prefix[i] - prefix[lowStart] > maxRun) lowStart++;
      while (highStart < i && prefix[i] - prefix[highStart] >= minRun) highStart++;
      for (let s = lowStart; s < highStart; s++) {
        if (bestExcess[s] === Infinity) continue;
        const at = runAt[s] + i - firstEnd[s];
        if (at < runAt[s] || at >= runAt[s + 1]) continue;
        const over = excess(prefix[i] - prefix[s], band);
        const w = Math.max(bestWorst[s], over);
        const e = bestExcess[s] + over;
        const c = bestCost[s] + runCost[at] + (spreadWeight * (runCost[at] - meanCost) ** 2) / meanCost;
        if (better(w, e, c, nextWorst[i], nextExcess[i], nextCost[i])) {
          nextWorst[i] = w;
          nextExcess[i] = e;
          nextCost[i] = c;
          back[i] = s;
        }
      }
    }
    from.push(back);
    bestWorst = nextWorst;
    bestExcess = nextExcess;
    bestCost = nextCost;
  }
  if (bestExcess[n] === Infinity) return null;
  const assign = new Int32Array(sites.count).fill(-1);
  let end = n;
  for (let j = parts; j >= 1; j--) {
    const start = from[j - 1][end];
    for (let i = start; i < end; i++) assign[order[i]] = j - 1;
    end = start;
  }
  return { assign, worst: bestWorst[n], excess: bestExcess[n], cost: bestCost[n] };
}
