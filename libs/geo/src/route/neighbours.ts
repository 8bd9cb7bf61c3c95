import { KDBush } from '../spatial-index';
import { growF64, growI32, growU32 } from './scratch';

/**
 * Small leaves suit k-nearest queries: a query reads a few leaves whole, so a leaf of 64 points
 * (the library's default, tuned for range queries) would cost far more distance computations.
 */
const NODE_SIZE = 8;

/**
 * Up to this many points a sweep along x answers instead (see {@link scanNeighbours}): measured
 * against the tree it took about two thirds of the time at 100 points and four fifths at 280, but
 * above this it lists equally near neighbours in another order, which sends the search down
 * other, not better, paths on the larger TSPLIB instances.
 */
export const SCAN_MAX = 200;

/**
 * The `k` nearest other points of every point, nearest first, as `out[i * k + r]` (padded with -1
 * when there are fewer than `k` other points). Points at the same place count as nearest, so the
 * units of a building find each other.
 *
 * KDBush sorts its points into an implicit k-d tree (each range `[left, right]` is split at its
 * middle item, alternately on x and y, down to leaves of `nodeSize`); the search below walks that
 * tree depth-first, nearer half first, and skips a half once its splitting line is farther away
 * than the k-th best found so far. That keeps candidate lists at O(n log n) instead of the O(n^2)
 * of comparing every pair. It is one loop over typed arrays with an explicit stack, since this
 * runs for every point before any routing starts. The layout it reads (`ids`, `coords`, `nodeSize`)
 * is KDBush's own, not its query API, so the spec checks the result against a full scan.
 */
export function nearestNeighbours(coords: Float64Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n * k).fill(-1);
  if (n < 2 || k < 1) return out;
  if (n <= SCAN_MAX) return scanNeighbours(coords, n, k, out);
  const index = new KDBush(n, NODE_SIZE);
  for (let i = 0; i < n; i++) index.add(coords[2 * i], coords[2 * i + 1]);
  index.finish();
  const ids = index.ids;
  const kd = index.coords as Float64Array;
  const leaf = index.nodeSize;

  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  // Pending halves (left, right, axis) and the squared distance from the query to their splitting line.
  const stack = new Int32Array(3 * 64);
  const gaps = new Float64Array(64);

  // Querying in the tree's own order keeps consecutive queries near each other in memory.
  for (let t = 0; t < n; t++) {
    const self = ids[t];
    const qx = kd[2 * t];
    const qy = kd[2 * t + 1];
    let count = 0;
    let worst = Infinity;
    stack[0] = 0;
    stack[1] = n - 1;
    stack[2] = 0;
    gaps[0] = 0;
    let sp = 1;
    while (sp > 0) {
      sp--;
      if (gaps[sp] >= worst) continue;
      const left = stack[3 * sp];
      const right = stack[3 * sp + 1];
      const axis = stack[3 * sp + 2];
      if (right - left <= leaf) {
        for (let i = left; i <= right; i++) {
          const dx = kd[2 * i] - qx;
          const dy = kd[2 * i + 1] - qy;
          const d = dx * dx + dy * dy;
          if (d >= worst || ids[i] === self) continue;
          let at = count < k ? count++ : k - 1;
          while (at > 0 && bestD[at - 1] > d) {
            bestD[at] = bestD[at - 1];
            bestI[at] = bestI[at - 1];
            at--;
          }
          bestD[at] = d;
          bestI[at] = ids[i];
          if (count === k) worst = bestD[k - 1];
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = kd[2 * m];
      const y = kd[2 * m + 1];
      const dx = x - qx;
      const dy = y - qy;
      const d = dx * dx + dy * dy;
      if (d < worst && ids[m] !== self) {
        let at = count < k ? count++ : k - 1;
        while (at > 0 && bestD[at - 1] > d) {
          bestD[at] = bestD[at - 1];
          bestI[at] = bestI[at - 1];
          at--;
        }
        bestD[at] = d;
        bestI[at] = ids[m];
        if (count === k) worst = bestD[k - 1];
      }
      const diff = axis === 0 ? qx - x : qy - y;
      const far = diff * diff;
      const next = 1 - axis;
      // Far half pushed first so that the near half is searched first and tightens `worst`.
      const gap = gaps[sp];
      const nearLeft = diff <= 0;
      stack[3 * sp] = nearLeft ? m + 1 : left;
      stack[3 * sp + 1] = nearLeft ? right : m - 1;
      stack[3 * sp + 2] = next;
      gaps[sp++] = far;
      stack[3 * sp] = nearLeft ? left : m + 1;
      stack[3 * sp + 1] = nearLeft ? m - 1 : right;
      stack[3 * sp + 2] = next;
      gaps[sp++] = gap;
    }
    const base = self * k;
    for (let r = 0; r < count; r++) out[base + r] = bestI[r];
  }
  return out;
}

/** The sweep's work arrays (see ./scratch). */
let sweepKeys = new Uint32Array(0);
let sweepX = new Float64Array(0);
let sweepY = new Float64Array(0);
let sweepIds = new Int32Array(0);
let sweepBestD = new Float64Array(0);
let sweepBestI = new Int32Array(0);

/**
 * The same lists by a sweep along x: points sorted by x, each query walks outwards from its own
 * place in that order, always to whichever side is nearer in x, and stops once the gap in x alone
 * is at least the k-th best distance so far (everything further on either side is at least as far).
 * Nearby points come first, so the list fills with good candidates at once and most of the rest
 * are rejected by one comparison. No tree to build, which is what a few dozen points cannot afford.
 */
function scanNeighbours(coords: Float64Array, n: number, k: number, out: Int32Array): Int32Array {
  // Sorted through the native numeric sort: x scaled to an integer with the index in the low bits.
  let minX = Infinity;
  let maxX = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = coords[2 * i];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  let bits = 1;
  while (2 ** bits < n) bits++;
  const slots = 2 ** bits;
  const top = 2 ** (32 - bits) - 1;
  const scale = maxX > minX ? top / (maxX - minX) : 0;
  const keys = (sweepKeys = growU32(sweepKeys, n)).subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = Math.min(top, Math.floor((coords[2 * i] - minX) * scale)) * slots + i;
  keys.sort();
  const mask = slots - 1;
  const xs = (sweepX = growF64(sweepX, n));
  const ys = (sweepY = growF64(sweepY, n));
  const ids = (sweepIds = growI32(sweepIds, n));
  for (let q = 0; q < n; q++) {
    const i = keys[q] & mask;
    ids[q] = i;
    xs[q] = coords[2 * i];
    ys[q] = coords[2 * i + 1];
  }
  // Points whose x fell into the same step of the integer scale are in index order: an insertion
  // pass puts them in exact order (the stopping rule below needs it), in one step each as a rule.
  for (let q = 1; q < n; q++) {
    const x = xs[q];
    if (xs[q - 1] <= x) continue;
    const y = ys[q];
    const id = ids[q];
    let at = q;
    while (at > 0 && xs[at - 1] > x) {
      xs[at] = xs[at - 1];
      ys[at] = ys[at - 1];
      ids[at] = ids[at - 1];
      at--;
    }
    xs[at] = x;
    ys[at] = y;
    ids[at] = id;
  }
  const kk = Math.min(k, n - 1);
  const bestD = (sweepBestD = growF64(sweepBestD, kk));
  const bestI = (sweepBestI = growI32(sweepBestI, kk));
  for (let q = 0; q < n; q++) {
    const qx = xs[q];
    const qy = ys[q];
    let count = 0;
    let worst = Infinity;
    let lo = q - 1;
    let hi = q + 1;
    while (lo >= 0 || hi < n) {
      let s: number;
      if (hi >= n || (lo >= 0 && qx - xs[lo] <= xs[hi] - qx)) s = lo--;
      else s = hi++;
      const dx = xs[s] - qx;
      const gap = dx * dx;
      // The nearer side in x was taken, so the other side is at least as far: both are done.
      if (gap >= worst) break;
      const dy = ys[s] - qy;
      const d = gap + dy * dy;
      if (d >= worst) continue;
      let at = count < kk ? count++ : kk - 1;
      while (at > 0 && bestD[at - 1] > d) {
        bestD[at] = bestD[at - 1];
        bestI[at] = bestI[at - 1];
        at--;
      }
      bestD[at] = d;
      bestI[at] = ids[s];
      if (count === kk) worst = bestD[kk - 1];
    }
    const base = ids[q] * k;
    for (let r = 0; r < count; r++) out[base + r] = bestI[r];
  }
  return out;
}
