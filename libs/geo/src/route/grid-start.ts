import type { DistanceFn } from './local-search';
import { growF64, growI32, growU8 } from './scratch';

/**
 * Points per grid cell on average: a cell and its eight neighbours then hold about 27, or 18
 * above {@link LARGER_CELLS_MAX} points. Measured on random instances (uniform and clustered) for
 * the time to come within 5% of the best tour known: at 50 points two per cell gave lists that
 * missed more near neighbours (a larger share of the points lie near the edge of the area, where
 * the block of cells is cut off) and took about a quarter more time than three; at 100 they were
 * level; at 280 two per cell was as good and is cheaper.
 */
const PER_CELL_SMALL = 3;
const PER_CELL = 2;
const LARGER_CELLS_MAX = 200;

/** Pairs per point beyond which the points are too unevenly spread for the grid (8.5 or 13 when even). */
const MAX_PAIRS_PER_POINT = 40;

/** Work arrays (see ./scratch): the grid, the pairs in buckets, the fragments and the result. */
let cellStart = new Int32Array(0);
let cellItems = new Int32Array(0);
let cellOf = new Int32Array(0);
let bucketHead = new Int32Array(0);
let pairU = new Int32Array(0);
let pairV = new Int32Array(0);
let pairNext = new Int32Array(0);
let listed = new Int32Array(0);
let links = new Int32Array(0);
let degrees = new Uint8Array(0);
let parents = new Int32Array(0);
let freeEnds = new Int32Array(0);
let startNeigh = new Int32Array(0);
let startDist = new Float64Array(0);
let startTour = new Int32Array(0);

/** Candidate lists in the layout of `Candidates` (./closed-tour), and a first tour. */
export interface GridStart {
  k: number;
  neigh: Int32Array;
  dist: Float64Array;
  tour: Int32Array;
}

/**
 * Candidate lists and a greedy tour together, in time linear in n, for a search that has to be
 * under way within a few nearest-neighbour tours' time (a 51-node one takes microseconds).
 *
 * The points go into a grid of two or three per cell (a counting sort), and only pairs in the same
 * or adjacent cells are considered, 8.5 or 13 per point. They are put in buckets by squared length,
 * which for pairs that are at most two cells apart on each axis needs no sort; walking the buckets
 * shortest first then does two things at once: each point's list takes its first `k` partners,
 * nearest first, and the greedy-edge rule takes every pair whose ends both have a free side and are
 * not already joined. The greedy fragments are chained nearest end first. The lists are the `k`
 * nearest within the block of nine cells, not always the `k` nearest overall (a point at the edge
 * of a sparse area may have fewer); the local search does not need more.
 *
 * Everything lives in work arrays, valid until the next call. Returns undefined when the points
 * are too unevenly spread (a dense cluster in a wide area gives one cell quadratically many pairs):
 * the caller then takes the general route.
 */
export function gridStart(n: number, dist: DistanceFn, coords: Float64Array, k: number): GridStart | undefined {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i];
    const y = coords[2 * i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const w = maxX - minX;
  const h = maxY - minY;
  if (!(w >= 0 && h >= 0)) return undefined;
  const wanted = Math.max(1, n / (n <= LARGER_CELLS_MAX ? PER_CELL_SMALL : PER_CELL));
  let gx = 1;
  let gy = 1;
  if (h <= w * 1e-9) gx = w > 0 ? Math.ceil(wanted) : 1;
  else if (w <= h * 1e-9) gy = Math.ceil(wanted);
  else {
    gx = Math.max(1, Math.round(Math.sqrt((wanted * w) / h)));
    gy = Math.max(1, Math.round(wanted / gx));
  }
  const sx = w > 0 ? gx / w : 0;
  const sy = h > 0 ? gy / h : 0;
  const cells = gx * gy;

  // Counting sort into cells: cell c holds items[start[c] .. start[c + 1]).
  const start = (cellStart = growI32(cellStart, cells + 2)).fill(0, 0, cells + 2);
  const of = (cellOf = growI32(cellOf, n));
  for (let i = 0; i < n; i++) {
    let cx = Math.floor((coords[2 * i] - minX) * sx);
    let cy = Math.floor((coords[2 * i + 1] - minY) * sy);
    if (cx >= gx) cx = gx - 1;
    if (cy >= gy) cy = gy - 1;
    of[i] = cx + gx * cy;
    start[of[i] + 2]++;
  }
  for (let c = 2; c < cells + 2; c++) start[c] += start[c - 1];
  const items = (cellItems = growI32(cellItems, n));
  for (let i = 0; i < n; i++) items[start[of[i] + 1]++] = i;

  // Pairs within a cell and with the next cell on the right and the three below, each pair once,
  // pushed onto the list of its bucket. Two cells apart on each axis bounds the squared length.
  const cw = w / gx;
  const ch = h / gy;
  const maxD = 4 * (cw * cw + ch * ch);
  const buckets = 4 * n;
  const scale = maxD > 0 ? (buckets - 1) / maxD : 0;
  const head = (bucketHead = growI32(bucketHead, buckets)).fill(-1, 0, buckets);
  const maxPairs = MAX_PAIRS_PER_POINT * n;
  let pu = (pairU = growI32(pairU, 16 * n));
  let pv = (pairV = growI32(pairV, 16 * n));
  let pn = (pairNext = growI32(pairNext, 16 * n));
  let m = 0;
  for (let cy = 0; cy < gy; cy++) {
    for (let cx = 0; cx < gx; cx++) {
      const c = cx + gx * cy;
      const a0 = start[c];
      const a1 = start[c + 1];
      if (a0 === a1) continue;
      for (let t = 0; t < 5; t++) {
        // t = 0: the cell itself; 1: right; 2, 3, 4: below left, below, below right.
        const ox = t === 0 ? cx : t === 1 ? cx + 1 : cx + t - 3;
        const oy = t <= 1 ? cy : cy + 1;
        if (ox < 0 || ox >= gx || oy >= gy) continue;
        const o = ox + gx * oy;
        const b1 = start[o + 1];
        for (let p = a0; p < a1; p++) {
          const from = t === 0 ? p + 1 : start[o];
          if (m + b1 - from > pu.length) {
            if (m + b1 - from > maxPairs) return undefined;
            const size = Math.min(maxPairs, 2 * (m + b1 - from));
            pu = pairU = grown(pu, m, size);
            pv = pairV = grown(pv, m, size);
            pn = pairNext = grown(pn, m, size);
          }
          const i = items[p];
          const x = coords[2 * i];
          const y = coords[2 * i + 1];
          for (let q = from; q < b1; q++) {
            const j = items[q];
            const dx = coords[2 * j] - x;
            const dy = coords[2 * j + 1] - y;
            let b = Math.floor((dx * dx + dy * dy) * scale);
            if (b >= buckets) b = buckets - 1;
            pu[m] = i;
            pv[m] = j;
            pn[m] = head[b];
            head[b] = m++;
          }
        }
      }
    }
  }

  // Shortest first: candidate lists and greedy fragments.
  const count = (listed = growI32(listed, n)).fill(0, 0, n);
  const neigh = (startNeigh = growI32(startNeigh, n * k));
  const adj = (links = growI32(links, 2 * n));
  const degree = (degrees = growU8(degrees, n)).fill(0, 0, n);
  const parent = (parents = growI32(parents, n));
  for (let i = 0; i < n; i++) parent[i] = i;
  for (let b = 0; b < buckets; b++) {
    for (let e = head[b]; e >= 0; e = pn[e]) {
      const u = pu[e];
      const v = pv[e];
      if (count[u] < k) neigh[u * k + count[u]++] = v;
      if (count[v] < k) neigh[v * k + count[v]++] = u;
      if (degree[u] >= 2 || degree[v] >= 2) continue;
      let ru = u;
      while (parent[ru] !== ru) ru = parent[ru] = parent[parent[ru]];
      let rv = v;
      while (parent[rv] !== rv) rv = parent[rv] = parent[parent[rv]];
      if (ru === rv) continue;
      parent[ru] = rv;
      adj[2 * u + degree[u]++] = v;
      adj[2 * v + degree[v]++] = u;
    }
  }

  // Distances in the metric, each list put in exact order by them (a bucket's pairs come unordered).
  const nd = (startDist = growF64(startDist, n * k));
  for (let i = 0; i < n; i++) {
    const base = i * k;
    const size = count[i];
    for (let r = 0; r < size; r++) {
      const j = neigh[base + r];
      const d = dist(i, j);
      let at = base + r;
      while (at > base && nd[at - 1] > d) {
        nd[at] = nd[at - 1];
        neigh[at] = neigh[at - 1];
        at--;
      }
      nd[at] = d;
      neigh[at] = j;
    }
    for (let r = size; r < k; r++) {
      neigh[base + r] = -1;
      nd[base + r] = Infinity;
    }
  }

  // The fragments' free ends (a lone point counts once) are joined by the same rule over every
  // pair of them: there are few, and chaining nearest first would leave a long edge back at the end.
  const ends = (freeEnds = growI32(freeEnds, n));
  let left = 0;
  for (let i = 0; i < n; i++) if (degree[i] < 2) ends[left++] = i;
  const endPairs = (left * (left - 1)) / 2;
  if (left > 2 && endPairs <= maxPairs) {
    if (endPairs > pu.length) {
      pu = pairU = new Int32Array(endPairs);
      pv = pairV = new Int32Array(endPairs);
      pn = pairNext = new Int32Array(endPairs);
    }
    const endBuckets = Math.max(buckets, endPairs);
    const endHead = (bucketHead = growI32(bucketHead, endBuckets)).fill(-1, 0, endBuckets);
    const span = w * w + h * h;
    const endScale = span > 0 ? (endBuckets - 1) / span : 0;
    m = 0;
    for (let a = 0; a < left; a++) {
      const i = ends[a];
      const x = coords[2 * i];
      const y = coords[2 * i + 1];
      for (let c = a + 1; c < left; c++) {
        const j = ends[c];
        const dx = coords[2 * j] - x;
        const dy = coords[2 * j + 1] - y;
        let b = Math.floor((dx * dx + dy * dy) * endScale);
        if (b >= endBuckets) b = endBuckets - 1;
        pu[m] = i;
        pv[m] = j;
        pn[m] = endHead[b];
        endHead[b] = m++;
      }
    }
    for (let b = 0; b < endBuckets; b++) {
      for (let e = endHead[b]; e >= 0; e = pn[e]) {
        const u = pu[e];
        const v = pv[e];
        if (degree[u] >= 2 || degree[v] >= 2) continue;
        let ru = u;
        while (parent[ru] !== ru) ru = parent[ru] = parent[parent[ru]];
        let rv = v;
        while (parent[rv] !== rv) rv = parent[rv] = parent[parent[rv]];
        if (ru === rv) continue;
        parent[ru] = rv;
        adj[2 * u + degree[u]++] = v;
        adj[2 * v + degree[v]++] = u;
      }
    }
    left = 0;
    for (let i = 0; i < n; i++) if (degree[i] < 2) ends[left++] = i;
  }

  // Walk the path (or, if the ends were too many to pair, chain the fragments nearest end first).
  const tour = (startTour = growI32(startTour, n));
  const VISITED = 3;
  let len = 0;
  let current = left > 0 ? ends[0] : 0;
  for (;;) {
    let prev = -1;
    let node = current;
    for (;;) {
      const d = degree[node];
      degree[node] = VISITED;
      tour[len++] = node;
      let next = -1;
      if (d >= 1 && adj[2 * node] !== prev && degree[adj[2 * node]] !== VISITED) next = adj[2 * node];
      else if (d === 2 && adj[2 * node + 1] !== prev && degree[adj[2 * node + 1]] !== VISITED) next = adj[2 * node + 1];
      if (next === -1) break;
      prev = node;
      node = next;
    }
    if (len >= n) break;
    const x = coords[2 * node];
    const y = coords[2 * node + 1];
    let best = -1;
    let bestD = Infinity;
    let kept = 0;
    for (let r = 0; r < left; r++) {
      const c = ends[r];
      if (degree[c] === VISITED) continue;
      ends[kept++] = c;
      const dx = coords[2 * c] - x;
      const dy = coords[2 * c + 1] - y;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    left = kept;
    current = best;
  }
  return { k, neigh, dist: nd, tour };
}

function grown(a: Int32Array, used: number, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a.subarray(0, used));
  return b;
}
