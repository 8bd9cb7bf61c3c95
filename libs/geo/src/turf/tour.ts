import type { SiteGraph } from './graph';
import type { Sites } from './sites';

/**
 * A short closed tour through the sites in play: greedy matching of the neighbour graph's edges
 * into paths, joined end to nearest end, then 2-opt and Or-opt over the neighbour lists, then
 * `kicks` seeded perturbations (see `TourSearch`). A few per cent above the optimum, in
 * milliseconds.
 *
 * The cutter only needs it as a sequence in which sites that are close on foot come one after the
 * other: runs of such a sequence are turfs without far-flung pieces, which a depth-first order of
 * the spanning tree (whose runs jump back from finished branches) does not give.
 */
export function siteTour(sites: Sites, ids: readonly number[], graph: SiteGraph, kicks: number, random: () => number): number[] {
  const n = ids.length;
  if (n <= 3) return [...ids];
  const local = new Int32Array(sites.count).fill(-1);
  ids.forEach((s, i) => (local[s] = i));
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  ids.forEach((s, i) => {
    px[i] = sites.x[s];
    py[i] = sites.y[s];
  });
  const dist = (a: number, b: number) => {
    const dx = px[a] - px[b];
    const dy = py[a] - py[b];
    return Math.sqrt(dx * dx + dy * dy);
  };
  // Candidate lists, nearest first.
  const near: number[][] = ids.map((s) => {
    const list: number[] = [];
    for (let e = graph.start[s]; e < graph.start[s + 1]; e++) list.push(local[graph.to[e]]);
    return list;
  });
  near.forEach((list, i) => list.sort((a, b) => dist(i, a) - dist(i, b) || a - b));

  const tour = greedyTour(n, near, dist, px, py);
  improveTour(tour, near, dist, kicks, random);
  return Array.from(tour, (i) => ids[i]);
}

function greedyTour(n: number, near: number[][], dist: (a: number, b: number) => number, px: Float64Array, py: Float64Array): Int32Array {
  const a: number[] = [];
  const b: number[] = [];
  const len: number[] = [];
  near.forEach((list, i) => {
    for (const j of list) {
      if (j <= i) continue;
      a.push(i);
      b.push(j);
      len.push(dist(i, j));
    }
  });
  const edges = Array.from({ length: len.length }, (_, e) => e).sort((e, f) => len[e] - len[f] || e - f);
  const degree = new Uint8Array(n);
  const link: number[][] = Array.from({ length: n }, () => []);
  const root = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (root[i] !== i) {
      root[i] = root[root[i]];
      i = root[i];
    }
    return i;
  };
  for (const e of edges) {
    const i = a[e];
    const j = b[e];
    if (degree[i] >= 2 || degree[j] >= 2) continue;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    root[ri] = rj;
    degree[i]++;
    degree[j]++;
    link[i].push(j);
    link[j].push(i);
  }
  // Paths (and lone sites) joined greedily: from the end of the tour so far to the nearest free end.
  const used = new Uint8Array(n);
  const isEnd = (i: number) => !used[i] && degree[i] < 2;
  const order: number[] = [];
  const walk = (start: number) => {
    let previous = -1;
    let at = start;
    for (;;) {
      used[at] = 1;
      order.push(at);
      const next = link[at].find((j) => j !== previous && !used[j]);
      if (next === undefined) return;
      previous = at;
      at = next;
    }
  };
  // Start from the westernmost free end (any path has two), so that the result does not depend on input order.
  let start = -1;
  for (let i = 0; i < n; i++) {
    if (degree[i] < 2 && (start < 0 || px[i] < px[start] || (px[i] === px[start] && py[i] < py[start]))) start = i;
  }
  walk(start);
  while (order.length < n) {
    const tail = order[order.length - 1];
    let best = -1;
    let bestD = Infinity;
    for (const j of near[tail]) {
      if (isEnd(j)) {
        best = j;
        break;
      }
    }
    if (best < 0) {
      for (let j = 0; j < n; j++) {
        if (!isEnd(j)) continue;
        const d = dist(tail, j);
        if (d < bestD) {
          bestD = d;
          best = j;
        }
      }
    }
    walk(best);
  }
  return Int32Array.from(order);
}

const EPSILON = 1e-9;

/**
 * 2-opt and Or-opt (segments of up to three sites, either way round) over candidate lists with a
 * queue of sites to look at, then perturbation: a random segment of the tour is cut in three and
 * its last two pieces swapped (a local double bridge, which 2-opt and Or-opt cannot undo), the
 * search repairs the tour around it, and the result is kept only if shorter.
 */
class TourSearch {
  readonly pos: Int32Array;
  private readonly queue: number[] = [];
  private readonly queued: Uint8Array;
  private readonly n: number;
  /** Change in length since the last `commit` (negative: shorter). */
  change = 0;
  /** Positions written since the last `commit`, with what they held, so that `rollback` can undo them. */
  private readonly journal: number[] = [];
  private readonly written: Uint8Array;

  constructor(
    readonly tour: Int32Array,
    private readonly near: number[][],
    private readonly dist: (a: number, b: number) => number,
  ) {
    this.n = tour.length;
    this.pos = new Int32Array(this.n);
    this.queued = new Uint8Array(this.n);
    this.written = new Uint8Array(this.n);
    tour.forEach((c, i) => (this.pos[c] = i));
  }

  private put(p: number, c: number): void {
    if (!this.written[p]) {
      this.written[p] = 1;
      this.journal.push(p, this.tour[p]);
    }
    this.tour[p] = c;
    this.pos[c] = p;
  }

  /** Keeps the changes since the last commit. */
  commit(): void {
    for (let i = 0; i < this.journal.length; i += 2) this.written[this.journal[i]] = 0;
    this.journal.length = 0;
    this.change = 0;
  }

  /** Undoes the changes since the last commit. */
  rollback(): void {
    const { journal, tour, pos } = this;
    for (let i = journal.length - 2; i >= 0; i -= 2) {
      tour[journal[i]] = journal[i + 1];
      pos[journal[i + 1]] = journal[i];
      this.written[journal[i]] = 0;
    }
    journal.length = 0;
    this.change = 0;
  }

  private next(c: number): number {
    return this.tour[(this.pos[c] + 1) % this.n];
  }

  private prev(c: number): number {
    return this.tour[(this.pos[c] + this.n - 1) % this.n];
  }

  push(c: number): void {
    if (!this.queued[c]) {
      this.queued[c] = 1;
      this.queue.push(c);
    }
  }

  /** Runs 2-opt and Or-opt from the queued sites until none improves. */
  settle(): void {
    const { queue, queued } = this;
    while (queue.length > 0) {
      const a = queue.pop() as number;
      queued[a] = 0;
      if (this.twoOpt(a) || this.orOpt(a)) this.push(a);
    }
  }

  /** Reverses the tour from position i to position j (cyclically, going forward). */
  private reverse(i: number, j: number): void {
    const { n, tour } = this;
    let inner = (j - i + n) % n;
    // Reversing the complement gives the same cycle; take the shorter side.
    if (inner * 2 > n) {
      const ni = (j + 1) % n;
      j = (i + n - 1) % n;
      i = ni;
      inner = (j - i + n) % n;
    }
    for (let s = 0; s < (inner + 1) >> 1; s++) {
      const p = (i + s) % n;
      const q = (j - s + n) % n;
      const cp = tour[p];
      this.put(p, tour[q]);
      this.put(q, cp);
    }
  }

  private twoOpt(a: number): boolean {
    const { dist } = this;
    for (const forward of [true, false]) {
      const b = forward ? this.next(a) : this.prev(a);
      const ab = dist(a, b);
      for (const c of this.near[a]) {
        const ac = dist(a, c);
        if (ac >= ab) break;
        const d = forward ? this.next(c) : this.prev(c);
        if (c === b || d === a) continue;
        const gain = ab + dist(c, d) - ac - dist(b, d);
        if (gain <= EPSILON) continue;
        // Forward: a b ... c d becomes a c ... b d. Backward: d c ... b a becomes d b ... c a.
        if (forward) this.reverse(this.pos[b], this.pos[c]);
        else this.reverse(this.pos[c], this.pos[b]);
        this.change -= gain;
        for (const x of [a, b, c, d]) this.push(x);
        return true;
      }
    }
    return false;
  }

  private orOpt(a: number): boolean {
    const { dist, n } = this;
    for (let length = 1; length <= 3 && length < n - 2; length++) {
      const seg: number[] = [a];
      for (let s = 1; s < length; s++) seg.push(this.next(seg[s - 1]));
      const first = seg[0];
      const last = seg[length - 1];
      const p = this.prev(first);
      const q = this.next(last);
      const removeGain = dist(p, first) + dist(last, q) - dist(p, q);
      if (removeGain <= EPSILON) continue;
      for (const end of [first, last]) {
        for (const c of this.near[end]) {
          if (dist(end, c) >= removeGain) break;
          if (seg.includes(c)) continue;
          // Between c and one of its tour neighbours, outside the gap being closed.
          for (const d of [this.next(c), this.prev(c)]) {
            if (seg.includes(d)) continue;
            const joinForward = dist(c, first) + dist(last, d) - dist(c, d);
            const joinReversed = dist(c, last) + dist(first, d) - dist(c, d);
            const add = Math.min(joinForward, joinReversed);
            if (removeGain - add <= EPSILON) continue;
            this.moveSegment(seg, c, d, joinReversed < joinForward);
            this.change -= removeGain - add;
            for (const x of [p, q, c, d, first, last]) this.push(x);
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Moves `seg` (consecutive, forward) between the tour neighbours c and d, reversed or not (as seen from c). */
  private moveSegment(seg: number[], c: number, d: number, reversed: boolean): void {
    const { n, pos } = this;
    // Orient so that d follows c; the segment then faces the other way round.
    if (this.next(c) !== d) {
      [c, d] = [d, c];
      reversed = !reversed;
    }
    const inserted = reversed ? [...seg].reverse() : seg;
    const first = seg[0];
    const last = seg[seg.length - 1];
    const moved: number[] = [];
    let at: number;
    if ((pos[c] - pos[last] + n) % n <= (pos[first] - pos[d] + n) % n) {
      // c lies ahead: the sites after the segment up to c move back over its place, then the segment.
      for (let x = this.next(last); ; x = this.next(x)) {
        moved.push(x);
        if (x === c) break;
      }
      moved.push(...inserted);
      at = pos[first];
    } else {
      // d lies behind: the segment goes where d was, and the sites from d up to the segment move on.
      moved.push(...inserted);
      for (let x = d; x !== first; x = this.next(x)) moved.push(x);
      at = pos[d];
    }
    for (const x of moved) {
      this.put(at, x);
      at = (at + 1) % n;
    }
  }

  /**
   * The local double bridge: positions i+1 .. i+a | .. +b | .. +c become i+1 .. i+a, then the third
   * piece, then the second; the change in length goes into `change`.
   */
  kick(i: number, a: number, b: number, c: number): void {
    const { n, tour, dist } = this;
    const at = (k: number) => tour[(i + k) % n];
    const [p1, p2, p3, p4] = [at(a), at(a + 1), at(a + b), at(a + b + 1)];
    const [p5, p6] = [at(a + b + c), at(a + b + c + 1)];
    this.change += dist(p1, p4) + dist(p5, p2) + dist(p3, p6) - dist(p1, p2) - dist(p3, p4) - dist(p5, p6);
    const second = Array.from({ length: b }, (_, k) => at(a + 1 + k));
    const third = Array.from({ length: c }, (_, k) => at(a + b + 1 + k));
    let w = (i + a + 1) % n;
    for (const x of [...third, ...second]) {
      this.put(w, x);
      w = (w + 1) % n;
    }
    for (const x of [p1, p2, p3, p4, p5, p6]) this.push(x);
  }
}

/** Local search, then `kicks` seeded perturbations, each kept only if the tour got shorter. */
function improveTour(
  tour: Int32Array,
  near: number[][],
  dist: (a: number, b: number) => number,
  kicks: number,
  random: () => number,
): void {
  const n = tour.length;
  const search = new TourSearch(tour, near, dist);
  for (let i = 0; i < n; i++) search.push(tour[i]);
  search.settle();
  search.commit();
  if (n < 8) return;
  // Pieces of up to 20 sites: local enough for 2-opt and Or-opt to repair, big enough to escape their optimum.
  const longest = Math.max(1, Math.min(20, Math.floor((n - 2) / 3)));
  for (let k = 0; k < kicks; k++) {
    const piece = () => 1 + Math.floor(random() * longest);
    search.kick(Math.floor(random() * n), piece(), piece(), piece());
    search.settle();
    if (search.change < -EPSILON) search.commit();
    else search.rollback();
  }
}
