import type { Sites } from './sites';

/** Adjacency in compressed rows: the neighbours of site s are `to[start[s]]..to[start[s + 1] - 1]`, nearest first. */
export interface SiteGraph {
  start: Int32Array;
  to: Int32Array;
}

/**
 * Buildings that count as next to each other for keeping a turf in one piece: each with those
 * among its `nearest` nearest in the graph, both ways (on a street grid, with four: the houses
 * either side and across the street).
 */
export function nextToLists(graph: SiteGraph, count: number, nearest: number): number[][] {
  const near: number[][] = Array.from({ length: count }, () => []);
  for (let s = 0; s < count; s++) {
    for (let e = graph.start[s]; e < Math.min(graph.start[s + 1], graph.start[s] + nearest); e++) {
      const u = graph.to[e];
      if (!near[s].includes(u)) near[s].push(u);
      if (!near[u].includes(s)) near[u].push(s);
    }
  }
  return near;
}

/**
 * Which buildings are next to which: the symmetric k-nearest-neighbour graph of the sites in play,
 * plus edges joining its components, so that doors can always be passed from any turf to any
 * other through a chain of neighbours (an isolated cluster would otherwise be stuck with its turf).
 */
export function neighbourGraph(sites: Sites, ids: readonly number[], neighbours: number): SiteGraph {
  const { x, y } = sites;
  const n = ids.length;
  const grid = new Grid(sites, ids);
  const from: number[] = [];
  const to: number[] = [];
  const found = new Int32Array(neighbours);
  const distances = new Float64Array(neighbours);
  for (const s of ids) {
    const count = grid.nearest(s, neighbours, found, distances, () => true);
    for (let i = 0; i < count; i++) {
      from.push(s, found[i]);
      to.push(found[i], s);
    }
  }
  if (n > 1) joinComponents(sites, ids, grid, from, to);

  // Rows: by site, each nearest first, without the duplicates of edges found from both ends.
  const start = new Int32Array(sites.count + 1);
  for (const f of from) start[f + 1]++;
  for (let s = 0; s < sites.count; s++) start[s + 1] += start[s];
  const row = new Int32Array(from.length);
  const fill = start.slice(0, sites.count);
  for (let e = 0; e < from.length; e++) row[fill[from[e]]++] = to[e];
  const out = new Int32Array(from.length);
  const compact = new Int32Array(sites.count + 1);
  let kept = 0;
  for (let s = 0; s < sites.count; s++) {
    compact[s] = kept;
    const list = Array.from(row.subarray(start[s], start[s + 1]));
    const d2 = (t: number) => (x[s] - x[t]) ** 2 + (y[s] - y[t]) ** 2;
    list.sort((a, b) => d2(a) - d2(b) || a - b);
    for (let i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[i - 1]) out[kept++] = list[i];
  }
  compact[sites.count] = kept;
  return { start: compact, to: out.slice(0, kept) };
}

/** Joins each component to its nearest site outside it until one component remains. */
function joinComponents(sites: Sites, ids: readonly number[], grid: Grid, from: number[], to: number[]): void {
  const root = new Int32Array(sites.count).map((_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) {
      root[i] = root[root[i]];
      i = root[i];
    }
    return i;
  };
  for (let e = 0; e < from.length; e++) root[find(from[e])] = find(to[e]);
  const found = new Int32Array(1);
  const distance = new Float64Array(1);
  for (;;) {
    const members = new Map<number, number[]>();
    for (const s of ids) {
      const r = find(s);
      const list = members.get(r);
      if (list) list.push(s);
      else members.set(r, [s]);
    }
    if (members.size <= 1) return;
    // Every component but the largest takes its shortest link out, so each merges with another.
    const largest = [...members.values()].reduce((a, b) => (b.length > a.length ? b : a));
    const links: [number, number][] = [];
    for (const [r, list] of members) {
      if (list === largest) continue;
      let best = Infinity;
      let link: [number, number] | null = null;
      for (const s of list) {
        if (grid.nearest(s, 1, found, distance, (t) => find(t) !== r) === 0) continue;
        if (distance[0] < best) {
          best = distance[0];
          link = [s, found[0]];
        }
      }
      if (link) links.push(link);
    }
    for (const [a, b] of links) {
      from.push(a, b);
      to.push(b, a);
      root[find(a)] = find(b);
    }
  }
}

/**
 * A uniform grid over the sites for nearest-neighbour queries, with cells sized for about two
 * sites each; searched ring by ring outward until the ring is farther than the k-th nearest found.
 */
class Grid {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cell: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellStart: Int32Array;
  private readonly items: Int32Array;

  constructor(
    private readonly sites: Sites,
    ids: readonly number[],
  ) {
    const { x, y } = sites;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const s of ids) {
      minX = Math.min(minX, x[s]);
      maxX = Math.max(maxX, x[s]);
      minY = Math.min(minY, y[s]);
      maxY = Math.max(maxY, y[s]);
    }
    const width = Math.max(maxX - minX, 1e-6);
    const height = Math.max(maxY - minY, 1e-6);
    this.cell = Math.max(Math.sqrt((2 * width * height) / Math.max(1, ids.length)), Math.max(width, height) / 2048, 1e-6);
    this.columns = Math.floor(width / this.cell) + 1;
    this.rows = Math.floor(height / this.cell) + 1;
    this.minX = minX;
    this.minY = minY;
    const cells = this.columns * this.rows;
    this.cellStart = new Int32Array(cells + 1);
    const cellOf = ids.map((s) => this.cellIndex(x[s], y[s]));
    for (const c of cellOf) this.cellStart[c + 1]++;
    for (let c = 0; c < cells; c++) this.cellStart[c + 1] += this.cellStart[c];
    const fill = this.cellStart.slice(0, cells);
    this.items = new Int32Array(ids.length);
    ids.forEach((s, i) => (this.items[fill[cellOf[i]]++] = s));
  }

  private cellIndex(px: number, py: number): number {
    const cx = Math.min(this.columns - 1, Math.floor((px - this.minX) / this.cell));
    const cy = Math.min(this.rows - 1, Math.floor((py - this.minY) / this.cell));
    return cy * this.columns + cx;
  }

  /**
   * Up to k nearest sites to s (not s itself) that pass `accept`, nearest first, into `out` with
   * their squared distances in `dist`; returns how many.
   */
  nearest(s: number, k: number, out: Int32Array, dist: Float64Array, accept: (t: number) => boolean): number {
    const { x, y } = this.sites;
    const px = x[s];
    const py = y[s];
    const cx = Math.min(this.columns - 1, Math.floor((px - this.minX) / this.cell));
    const cy = Math.min(this.rows - 1, Math.floor((py - this.minY) / this.cell));
    let count = 0;
    const maxRing = Math.max(this.columns, this.rows);
    for (let ring = 0; ring <= maxRing; ring++) {
      // Everything in this ring or beyond is at least (ring - 1) cells away.
      if (count === k && (ring - 1) * this.cell > Math.sqrt(dist[k - 1])) break;
      for (let gy = cy - ring; gy <= cy + ring; gy++) {
        if (gy < 0 || gy >= this.rows) continue;
        const edge = gy === cy - ring || gy === cy + ring;
        for (let gx = cx - ring; gx <= cx + ring; gx += edge ? 1 : 2 * ring) {
          if (gx >= 0 && gx < this.columns) {
            const c = gy * this.columns + gx;
            for (let i = this.cellStart[c]; i < this.cellStart[c + 1]; i++) {
              const t = this.items[i];
              if (t === s) continue;
              const d = (x[t] - px) ** 2 + (y[t] - py) ** 2;
              if (count === k && (d > dist[k - 1] || (d === dist[k - 1] && t > out[k - 1]))) continue;
              if (!accept(t)) continue;
              // Insertion into the sorted list (distance, then index, for determinism).
              let at = count < k ? count++ : k - 1;
              while (at > 0 && (dist[at - 1] > d || (dist[at - 1] === d && out[at - 1] > t))) {
                dist[at] = dist[at - 1];
                out[at] = out[at - 1];
                at--;
              }
              dist[at] = d;
              out[at] = t;
            }
          }
          if (ring === 0) break;
        }
      }
    }
    return count;
  }
}
