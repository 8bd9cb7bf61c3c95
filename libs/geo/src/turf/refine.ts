import type { SiteGraph } from './graph';
import { Band, excess, Partition } from './partition';

/** Turfs with a site next to a site of turf `t`. */
function neighbourTurfs(p: Partition, graph: SiteGraph, t: number): Set<number> {
  const out = new Set<number>();
  for (const s of p.members[t]) {
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) {
      const u = p.assign[graph.to[e]];
      if (u >= 0 && u !== t) out.add(u);
    }
  }
  return out;
}

function touches(p: Partition, graph: SiteGraph, s: number, t: number): boolean {
  for (let e = graph.start[s]; e < graph.start[s + 1]; e++) if (p.assign[graph.to[e]] === t) return true;
  return false;
}

/** Sum of squared distances from a turf's buildings to their centroid, from the turf's running sums. */
function inertia(n: number, sx: number, sy: number, sq: number): number {
  return n > 0 ? sq - (sx * sx + sy * sy) / n : 0;
}

/** How much rounder (negative) or less round the two turfs get if site s moves to turf `to`. */
function moveInertia(p: Partition, s: number, to: number): number {
  const { x, y } = p.sites;
  const from = p.assign[s];
  const q = x[s] * x[s] + y[s] * y[s];
  const n = (t: number) => p.members[t].length;
  return (
    inertia(n(from) - 1, p.sumX[from] - x[s], p.sumY[from] - y[s], p.sumSq[from] - q) +
    inertia(n(to) + 1, p.sumX[to] + x[s], p.sumY[to] + y[s], p.sumSq[to] + q) -
    inertia(n(from), p.sumX[from], p.sumY[from], p.sumSq[from]) -
    inertia(n(to), p.sumX[to], p.sumY[to], p.sumSq[to])
  );
}

/**
 * Brings every turf's door count into the band where buildings allow it. A turf with too many
 * doors passes buildings along a shortest chain of neighbouring turfs to the nearest turf with
 * room (and a turf with too few draws them the same way), each link passing the building that
 * best keeps the receiving turf in the band, the one that keeps the turfs roundest if several
 * do. A chain that would not lower the total excess is undone. Returns whether every turf ended
 * in the band.
 */
export function repairBalance(p: Partition, graph: SiteGraph, band: Band): boolean {
  const failed = new Set<number>();
  const { weight: siteWeight } = p.sites;
  const totalExcess = () => {
    let sum = 0;
    for (let t = 0; t < p.turfs; t++) sum += excess(p.weight[t], band);
    return sum;
  };
  for (let round = 0; round < 20 * p.turfs; round++) {
    let worst = -1;
    for (let t = 0; t < p.turfs; t++) {
      if (failed.has(t) || excess(p.weight[t], band) === 0) continue;
      if (worst < 0 || excess(p.weight[t], band) > excess(p.weight[worst], band)) worst = t;
    }
    if (worst < 0) break;
    const over = p.weight[worst] > band.hi;
    // Breadth-first over turf adjacency, nearest partners first.
    const previous = new Map<number, number>([[worst, -1]]);
    const queue = [worst];
    const partners: number[] = [];
    for (let head = 0; head < queue.length && partners.length < 3; head++) {
      const t = queue[head];
      for (const u of [...neighbourTurfs(p, graph, t)].sort((a, b) => a - b)) {
        if (previous.has(u)) continue;
        previous.set(u, t);
        queue.push(u);
        if (over ? p.weight[u] < band.hi : p.weight[u] > band.lo) partners.push(u);
      }
    }
    let done = false;
    for (const partner of partners) {
      // Partner back to worst; doors flow from chain[0] to the end of the chain.
      const back: number[] = [];
      for (let t = partner; t >= 0; t = previous.get(t) as number) back.push(t);
      const chain = over ? back.reverse() : back;
      const before = totalExcess();
      const undo: [number, number][] = [];
      for (let i = chain.length - 2; i >= 0; i--) {
        const from = chain[i];
        const to = chain[i + 1];
        let best = -1;
        let bestMiss = Infinity;
        let bestCost = Infinity;
        for (const s of p.members[from]) {
          if (p.members[from].length === 1 || !touches(p, graph, s, to)) continue;
          const miss = excess(p.weight[to] + siteWeight[s], band) + (i === 0 ? excess(p.weight[from] - siteWeight[s], band) : 0);
          if (miss > bestMiss) continue;
          const c = moveInertia(p, s, to);
          if (miss < bestMiss || c < bestCost) {
            best = s;
            bestMiss = miss;
            bestCost = c;
          }
        }
        if (best < 0) break;
        undo.push([best, from]);
        p.move(best, to);
      }
      if (undo.length === chain.length - 1 && totalExcess() < before) {
        done = true;
        break;
      }
      for (const [s, from] of undo.reverse()) p.move(s, from);
    }
    if (done) failed.clear();
    else failed.add(worst);
  }
  return totalExcess() === 0;
}

/** Subsets of up to two of `items`, as lists (the empty one included). */
function smallSubsets(items: readonly number[]): number[][] {
  const out: number[][] = [[]];
  for (let i = 0; i < items.length; i++) {
    out.push([items[i]]);
    for (let j = i + 1; j < items.length; j++) out.push([items[i], items[j]]);
  }
  return out;
}

/**
 * Where buildings are too big for chains of single moves (a turf one door over the band whose
 * smallest building is five doors), trades up to two boundary buildings of an out-of-band turf
 * for up to two of a neighbouring turf's: the trade that lowers the two turfs' excess most, the
 * one that keeps the turfs roundest (least added inertia) among equals. Returns whether any trade
 * was made.
 */
export function tradeBalance(p: Partition, graph: SiteGraph, band: Band): boolean {
  const { x, y, weight: siteWeight } = p.sites;
  let traded = false;
  for (let round = 0; round < p.turfs; round++) {
    let any = false;
    const out = Array.from({ length: p.turfs }, (_, t) => t)
      .filter((t) => excess(p.weight[t], band) > 0)
      .sort((a, b) => excess(p.weight[b], band) - excess(p.weight[a], band) || a - b);
    for (const a of out) {
      if (excess(p.weight[a], band) === 0) continue;
      let best: { give: number[]; take: number[]; to: number; gain: number; added: number } | null = null;
      for (const b of [...neighbourTurfs(p, graph, a)].sort((u, v) => u - v)) {
        // The boundary buildings nearest the other turf's centroid: a dozen is plenty to choose from.
        const boundary = (t: number, other: number) => {
          const cx = p.sumX[other] / p.members[other].length;
          const cy = p.sumY[other] / p.members[other].length;
          return p.members[t]
            .filter((s) => touches(p, graph, s, other))
            .sort((s, u) => (x[s] - cx) ** 2 + (y[s] - cy) ** 2 - ((x[u] - cx) ** 2 + (y[u] - cy) ** 2) || s - u)
            .slice(0, 12);
        };
        const gives = smallSubsets(boundary(a, b));
        const takes = smallSubsets(boundary(b, a));
        const before = excess(p.weight[a], band) + excess(p.weight[b], band);
        const sums = (list: number[]) => {
          let w = 0;
          let sx = 0;
          let sy = 0;
          let sq = 0;
          for (const s of list) {
            w += siteWeight[s];
            sx += x[s];
            sy += y[s];
            sq += x[s] * x[s] + y[s] * y[s];
          }
          return { w, sx, sy, sq, n: list.length };
        };
        const takeSums = takes.map(sums);
        const inertiaNow =
          inertia(p.members[a].length, p.sumX[a], p.sumY[a], p.sumSq[a]) + inertia(p.members[b].length, p.sumX[b], p.sumY[b], p.sumSq[b]);
        for (const give of gives) {
          const g = sums(give);
          if (g.n >= p.members[a].length) continue;
          takes.forEach((take, i) => {
            const t = takeSums[i];
            if ((g.n === 0 && t.n === 0) || t.n >= p.members[b].length) return;
            const after = excess(p.weight[a] - g.w + t.w, band) + excess(p.weight[b] + g.w - t.w, band);
            const gain = before - after;
            if (gain <= 0) return;
            const added =
              inertia(p.members[a].length - g.n + t.n, p.sumX[a] - g.sx + t.sx, p.sumY[a] - g.sy + t.sy, p.sumSq[a] - g.sq + t.sq) +
              inertia(p.members[b].length + g.n - t.n, p.sumX[b] + g.sx - t.sx, p.sumY[b] + g.sy - t.sy, p.sumSq[b] + g.sq - t.sq) -
              inertiaNow;
            if (!best || gain > best.gain || (gain === best.gain && added < best.added)) best = { give, take, to: b, gain, added };
          });
        }
      }
      if (!best) continue;
      const { give, take, to } = best as { give: number[]; take: number[]; to: number };
      for (const s of give) p.move(s, to);
      for (const s of take) p.move(s, a);
      any = true;
      traded = true;
    }
    if (!any) break;
  }
  return traded;
}
