/** Distance between two nodes by index; symmetric, non-negative. */
export type DistanceFn = (i: number, j: number) => number;

/**
 * Gains below this are treated as zero, so that rounding noise in floating-point lengths cannot
 * make the search cycle between two equally long tours.
 */
const EPS = 1e-7;

/** Longest segment Or-opt moves as one piece; longer ones are the business of 2-opt. */
const OR_OPT_MAX = 3;

/** Candidates tried for the second step of a sequential 3-opt move. */
const SECOND_STEP_BREADTH = 5;

export interface SearchLimits {
  /** `performance.now()` value at which to stop. */
  deadline: number;
  /** Stop as soon as the tour is at most this long (benchmarks measure the time to reach a quality). */
  targetLength: number;
  /** Stop after this many perturbations in a row that found nothing shorter: the search has settled. */
  maxStall: number;
  /** Stop after this many perturbations in all: a budget of work rather than time, the same on any machine. */
  maxKicks?: number;
  random: () => number;
}

/** Work arrays for {@link TourSearch}, each of at least n entries. */
export interface SearchWork {
  tour: Int32Array;
  pos: Int32Array;
  queue: Int32Array;
  queued: Uint8Array;
}

export interface SearchStats {
  kicks: number;
  improvements: number;
}

/**
 * A closed tour under local search (2-opt, its one-step extension to sequential 3-opt, and Or-opt)
 * with neighbour lists and a work queue ("don't-look bits"), inside an iterated local search:
 * perturb the tour with a double-bridge kick, repair it locally, keep the result unless it is
 * longer.
 *
 * The tour is an array with the position of each node, so that "what follows x" and "is b between
 * a and c" are O(1). Every change is a reversal of a stretch of positions, choosing whichever of
 * the stretch and its complement is shorter (both give the same cycle), so one move costs at most
 * n/2 swaps and usually a handful. An Or-opt move (a segment lifted out and put back elsewhere,
 * possibly reversed) is performed as two or three such reversals; the moves are written in terms
 * of the edges they remove and add, which does not depend on which way round the array reads, so
 * they stay correct when a reversal flips the orientation of the whole tour.
 *
 * Because a reversal of a fixed set of positions is its own inverse, logging the positions of each
 * reversal lets a rejected perturbation be undone exactly, at the cost of the work it did rather
 * than of copying the whole tour.
 */
export class TourSearch {
  readonly tour: Int32Array;
  readonly pos: Int32Array;
  /** Current length, kept up to date from the gains of the moves (exact for integer metrics). */
  length = 0;

  private readonly queue: Int32Array;
  private readonly queued: Uint8Array;
  private qHead = 0;
  private qCount = 0;

  // Grown on the first perturbation: a search that reaches its target without one never needs it.
  private log = new Int32Array(0);
  private logLen = 0;
  private logging = false;

  constructor(
    readonly n: number,
    private readonly dist: DistanceFn,
    /** `neigh[i * k + r]`: the r-th nearest candidate of node i, or -1. */
    private readonly neigh: Int32Array,
    /** `neighDist[i * k + r] = dist(i, neigh[i * k + r])`, ascending for each i. */
    private readonly neighDist: Float64Array,
    private readonly k: number,
    initial: ArrayLike<number>,
    /**
     * Largest length of each of the two stretches a perturbation swaps. Long ones measured better
     * than short ones for the same time on the TSPLIB instances (a quarter of the tour: 1.005 on
     * pr1002 in 500 ms, against 1.011 with at most 30).
     */
    private readonly kickSegment = Math.max(50, n >> 2),
    /**
     * Arrays of at least n entries to work in instead of allocating them (see ./scratch): a small
     * tour is solved in microseconds, and allocating typed arrays is a good part of that. The tour
     * then lives in `work.tour` and must be copied out before the arrays are used again.
     */
    work?: SearchWork,
  ) {
    if (work === undefined) {
      // A copy either way; slice copies a typed array in one block where from() iterates.
      this.tour = initial instanceof Int32Array ? initial.slice() : Int32Array.from(initial);
      this.pos = new Int32Array(n);
      this.queue = new Int32Array(n);
      this.queued = new Uint8Array(n);
    } else {
      this.tour = work.tour;
      for (let i = 0; i < n; i++) this.tour[i] = initial[i];
      this.pos = work.pos;
      this.queue = work.queue;
      this.queued = work.queued.fill(0, 0, n);
    }
    for (let i = 0; i < n; i++) this.pos[this.tour[i]] = i;
    this.length = this.measure();
  }

  /** The length summed afresh (the running total drifts by rounding over many moves). */
  measure(): number {
    let total = 0;
    for (let i = 0; i < this.n; i++) total += this.dist(this.tour[i], this.tour[i + 1 === this.n ? 0 : i + 1]);
    return total;
  }

  next(c: number): number {
    const p = this.pos[c] + 1;
    return this.tour[p === this.n ? 0 : p];
  }

  prev(c: number): number {
    const p = this.pos[c];
    return this.tour[p === 0 ? this.n - 1 : p - 1];
  }

  /**
   * Local search from every node, then perturb-and-repair until the deadline, the target length
   * or the stall limit. Only changes that leave the tour no longer are kept, so the tour at the
   * end is the best one seen.
   */
  optimise(limits: SearchLimits): SearchStats {
    const stats: SearchStats = { kicks: 0, improvements: 0 };
    if (this.n < 8) return stats;
    for (let i = 0; i < this.n; i++) this.push(this.tour[i]);
    this.localSearch(limits.deadline, limits.targetLength);
    let stall = 0;
    const maxKicks = limits.maxKicks ?? Infinity;
    while (this.length > limits.targetLength && stall < limits.maxStall && stats.kicks < maxKicks && performance.now() < limits.deadline) {
      const before = this.length;
      this.logging = true;
      this.logLen = 0;
      this.kick(limits.random);
      this.localSearch(limits.deadline, limits.targetLength);
      this.logging = false;
      stats.kicks++;
      if (this.length < before - EPS) {
        stall = 0;
        stats.improvements++;
      } else {
        stall++;
        // An equally long tour is kept: drifting across plateaus is how the search gets past them.
        if (this.length > before + EPS) this.undo(before);
      }
    }
    return stats;
  }

  // -------------------------------------------------------------------------------------------
  // Reversals

  /** Reverses positions i..j (inclusive, going forward, wrapping around). */
  private rawReverse(i: number, j: number): void {
    const n = this.n;
    const tour = this.tour;
    const pos = this.pos;
    if (this.logging) {
      if (this.logLen + 2 > this.log.length) {
        const bigger = new Int32Array(Math.max(256, this.log.length * 2));
        bigger.set(this.log);
        this.log = bigger;
      }
      this.log[this.logLen++] = i;
      this.log[this.logLen++] = j;
    }
    let len = j - i;
    if (len < 0) len += n;
    len += 1;
    for (let s = len >> 1; s > 0; s--) {
      const a = tour[i];
      const b = tour[j];
      tour[i] = b;
      pos[b] = i;
      tour[j] = a;
      pos[a] = j;
      if (++i === n) i = 0;
      if (--j < 0) j = n - 1;
    }
  }

  /** Same cycle as reversing positions i..j, but reverses the complement instead when that is shorter. */
  private reverse(i: number, j: number): void {
    const n = this.n;
    let len = j - i;
    if (len < 0) len += n;
    len += 1;
    if (len >= n) return;
    if (2 * len > n) this.rawReverse(j + 1 === n ? 0 : j + 1, i === 0 ? n - 1 : i - 1);
    else this.rawReverse(i, j);
  }

  /**
   * Removes the edges (a, b) and (c, d) and adds (a, c) and (b, d), where b follows a and d follows
   * c in one and the same direction of travel, whichever way round the array currently reads (d
   * names the edge for the reader; the reversal only needs a, b and c).
   */
  private move2(a: number, b: number, c: number, _d: number): void {
    if (this.next(a) === b) this.reverse(this.pos[b], this.pos[c]);
    else this.reverse(this.pos[c], this.pos[b]);
  }

  private undo(length: number): void {
    for (let e = this.logLen - 2; e >= 0; e -= 2) {
      this.rawReverse(this.log[e], this.log[e + 1]);
    }
    this.logLen = 0;
    this.length = length;
  }

  // -------------------------------------------------------------------------------------------
  // Work queue

  private push(c: number): void {
    if (this.queued[c]) return;
    this.queued[c] = 1;
    let at = this.qHead + this.qCount;
    if (at >= this.n) at -= this.n;
    this.queue[at] = c;
    this.qCount++;
  }

  /**
   * Improves from the queued nodes until none has an improving move, the deadline passes or the
   * tour is at most `target` long: a caller that asked for a quality wants it as soon as it is
   * there, not the local optimum beyond it.
   */
  private localSearch(deadline: number, target: number): void {
    let steps = 0;
    while (this.qCount > 0) {
      const a = this.queue[this.qHead];
      if (++this.qHead === this.n) this.qHead = 0;
      this.qCount--;
      this.queued[a] = 0;
      if (this.improveCity(a)) {
        if (this.length <= target) break;
        this.push(a);
      }
      if ((++steps & 255) === 0 && performance.now() >= deadline) break;
    }
    this.clearQueue();
  }

  private clearQueue(): void {
    while (this.qCount > 0) {
      this.queued[this.queue[this.qHead]] = 0;
      if (++this.qHead === this.n) this.qHead = 0;
      this.qCount--;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Moves

  /** Looks for one improving move that touches node a and makes it; true when it did. */
  private improveCity(a: number): boolean {
    return this.sequentialMove(a, true) || this.sequentialMove(a, false) || this.orOpt(a);
  }

  /** Whether b lies on the way from a to c, travelling in direction `forward`. */
  private between(a: number, b: number, c: number, forward: boolean): boolean {
    const pa = forward ? this.pos[a] : this.pos[c];
    const pb = this.pos[b];
    const pc = forward ? this.pos[c] : this.pos[a];
    return pa <= pc ? pa <= pb && pb <= pc : pb >= pa || pb <= pc;
  }

  /**
   * 2-opt, and its extension to a sequential 3-opt move, from t1 = a. Drop the edge (t1, t2) where
   * t2 follows a in direction `forward`, add an edge (t2, t3) to one of t2's nearest candidates,
   * drop (t3, t4) and close the tour with (t4, t1): a 2-opt move. When that does not pay, go one
   * step further before closing: drop (t1, t4) instead, add (t4, t5) to a candidate of t4, drop
   * (t5, t6) and close with (t6, t1). Candidates are sorted by distance and every partial sum must
   * stay positive (the Lin-Kernighan gain criterion), so each scan stops early.
   *
   * The second step is judged on the tour as the first 2-opt move would leave it, without making
   * that move: the move reverses the path t2..t4, so inside it "before" and "after" swap.
   */
  private sequentialMove(t1: number, forward: boolean): boolean {
    const k = this.k;
    const neigh = this.neigh;
    const neighDist = this.neighDist;
    const t2 = forward ? this.next(t1) : this.prev(t1);
    const d12 = this.dist(t1, t2);
    for (let r = 0, base = t2 * k; r < k; r++) {
      const t3 = neigh[base + r];
      if (t3 < 0) break;
      const g1 = d12 - neighDist[base + r];
      if (g1 <= EPS) break;
      const t4 = forward ? this.prev(t3) : this.next(t3);
      if (t3 === t1 || t4 === t2) continue;
      const g2 = g1 + this.dist(t3, t4);
      const gain = g2 - this.dist(t4, t1);
      if (gain > EPS) {
        this.move2(t1, t2, t4, t3);
        this.length -= gain;
        this.push(t1);
        this.push(t2);
        this.push(t3);
        this.push(t4);
        return true;
      }
      for (let q = 0, base4 = t4 * k; q < SECOND_STEP_BREADTH; q++) {
        const t5 = neigh[base4 + q];
        if (t5 < 0) break;
        const g3 = g2 - neighDist[base4 + q];
        if (g3 <= EPS) break;
        if (t5 === t1 || t5 === t3) continue;
        const reversed = this.between(t2, t5, t4, forward);
        const t6 = reversed === forward ? this.next(t5) : this.prev(t5);
        const gain3 = g3 + this.dist(t5, t6) - this.dist(t6, t1);
        if (gain3 > EPS) {
          this.move2(t1, t2, t4, t3);
          this.move2(t1, t4, t6, t5);
          this.length -= gain3;
          this.push(t1);
          this.push(t2);
          this.push(t3);
          this.push(t4);
          this.push(t5);
          this.push(t6);
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Or-opt: lift out a segment of one to three nodes that starts at a (going either way), close
   * the gap, and put the segment back between two neighbouring nodes near one of its ends, in
   * either orientation.
   */
  private orOpt(a: number): boolean {
    const n = this.n;
    for (let len = 1; len <= OR_OPT_MAX && len + 3 <= n; len++) {
      for (let dir = 0; dir < (len === 1 ? 1 : 2); dir++) {
        const forward = dir === 0;
        const s1 = a;
        let mid = a;
        let s2 = a;
        for (let step = 1; step < len; step++) {
          mid = s2;
          s2 = forward ? this.next(s2) : this.prev(s2);
        }
        const p = forward ? this.prev(s1) : this.next(s1);
        const nx = forward ? this.next(s2) : this.prev(s2);
        const removed = this.dist(p, s1) + this.dist(s2, nx) - this.dist(p, nx);
        if (removed <= EPS) continue;
        if (this.insertNear(s1, s1, s2, mid, p, nx, forward, removed)) return true;
        if (len > 1 && this.insertNear(s2, s1, s2, mid, p, nx, forward, removed)) return true;
      }
    }
    return false;
  }

  /**
   * Tries to put the segment s1..s2 (travelling in direction `forward`, between p and nx) next to
   * a candidate c of `end`, on either side of c.
   */
  private insertNear(end: number, s1: number, s2: number, mid: number, p: number, nx: number, forward: boolean, removed: number): boolean {
    const k = this.k;
    const base = end * k;
    const other = end === s1 ? s2 : s1;
    for (let r = 0; r < k; r++) {
      const c = this.neigh[base + r];
      if (c < 0) break;
      const dc = this.neighDist[base + r];
      if (dc >= removed - EPS) break;
      if (c === s1 || c === s2 || c === mid) continue;
      for (let side = 0; side < 2; side++) {
        const after = side === 0;
        // e is c's neighbour on the chosen side, in the segment's direction of travel.
        const e = after === forward ? this.next(c) : this.prev(c);
        if (e === s1 || e === s2 || e === mid) continue;
        const gain = removed - (dc + this.dist(other, e) - this.dist(c, e));
        if (gain <= EPS) continue;
        // (u, v): the edge the segment goes into, with v after u in the segment's direction.
        const u = after ? c : e;
        const v = after ? e : c;
        // Kept in its direction (u s1..s2 v) when s1 meets c on the near side, else reversed.
        const reversed = end === s1 ? !after : after;
        this.moveSegment(p, s1, s2, nx, u, v, reversed);
        this.length -= gain;
        this.push(p);
        this.push(nx);
        this.push(s1);
        this.push(s2);
        this.push(u);
        this.push(v);
        return true;
      }
    }
    return false;
  }

  /**
   * Moves the segment s1..s2 (p before it and nx after it) between u and v (v after u, same
   * direction), as u s1..s2 v, or u s2..s1 v when `reversed`, by at most three 2-opt moves:
   *   p s1..s2 nx..u v  ->  p u..nx s2..s1 v  ->  p nx..u s2..s1 v  ->  p nx..u s1..s2 v
   */
  private moveSegment(p: number, s1: number, s2: number, nx: number, u: number, v: number, reversed: boolean): void {
    if (v === p) {
      if (u === nx) return;
      // Seen from the other direction the gap is right after the segment, the case handled below.
      this.moveSegment(nx, s2, s1, p, p, u, reversed);
      return;
    }
    this.move2(p, s1, u, v);
    if (u !== nx) this.move2(p, u, nx, s2);
    if (!reversed && s1 !== s2) this.move2(u, s2, s1, v);
  }

  // -------------------------------------------------------------------------------------------
  // Perturbation

  /**
   * The double-bridge kick: cut the tour after a, b2 and c2 and swap the two stretches between
   * (a B C d -> a C B d). It changes three edges in one place in a way that 2-opt and Or-opt cannot
   * undo in one step, and since only the six nodes at the cuts go back on the work queue, the
   * repair that follows costs microseconds instead of a pass over the whole tour.
   */
  private kick(random: () => number): void {
    const n = this.n;
    const most = Math.max(1, Math.min(this.kickSegment, Math.floor((n - 2) / 2)));
    const l1 = 1 + Math.floor(random() * most);
    const l2 = 1 + Math.floor(random() * most);
    const i = Math.floor(random() * n);
    const pb1 = (i + 1) % n;
    const pb2 = (i + l1) % n;
    const pc1 = (i + l1 + 1) % n;
    const pc2 = (i + l1 + l2) % n;
    const a = this.tour[i];
    const b1 = this.tour[pb1];
    const b2 = this.tour[pb2];
    const c1 = this.tour[pc1];
    const c2 = this.tour[pc2];
    const d = this.tour[(i + l1 + l2 + 1) % n];
    const dist = this.dist;
    this.length += dist(a, c1) + dist(c2, b1) + dist(b2, d) - dist(a, b1) - dist(b2, c1) - dist(c2, d);
    // a C^r B^r d, then each stretch turned back the right way round.
    this.rawReverse(pb1, pc2);
    this.rawReverse(pb1, (i + l2) % n);
    this.rawReverse((i + l2 + 1) % n, pc2);
    this.push(a);
    this.push(b1);
    this.push(b2);
    this.push(c1);
    this.push(c2);
    this.push(d);
  }
}
