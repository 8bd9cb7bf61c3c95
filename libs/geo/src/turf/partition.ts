import type { Sites } from './sites';

/** Door counts a turf may hold. */
export interface Band {
  lo: number;
  hi: number;
}

/** The most doors a turf may hold over the fewest (the balance bar of the cut). */
export const MAX_RATIO = 1.1;

/**
 * The widest integer band [lo, hi] around the mean `total / parts` with hi / lo <= MAX_RATIO, split
 * evenly in ratio on both sides of the mean. Below about ten doors per turf no such band holds a
 * non-integer mean (5 and 6 doors are 20% apart), so the band is then floor..ceil of the mean:
 * one door apart, the best integers allow.
 */
export function balanceBand(total: number, parts: number): Band {
  const mean = total / parts;
  const lo = Math.min(Math.floor(mean), Math.ceil(mean / Math.sqrt(MAX_RATIO) - 1e-9));
  const hi = Math.max(Math.ceil(mean), Math.floor(lo * MAX_RATIO + 1e-9));
  return { lo, hi };
}

export function excess(weight: number, band: Band): number {
  return weight > band.hi ? weight - band.hi : weight < band.lo ? band.lo - weight : 0;
}

/** Turf membership with the running sums the repairs need, kept current by `move`. */
export class Partition {
  readonly members: number[][];
  /** Where each site sits in its turf's member list, for O(1) removal. */
  readonly slot: Int32Array;
  readonly weight: Float64Array;
  readonly sumX: Float64Array;
  readonly sumY: Float64Array;
  /** Sum of squared coordinates, for the turf's inertia (sum of squared distances to its centroid). */
  readonly sumSq: Float64Array;

  constructor(
    readonly sites: Sites,
    readonly assign: Int32Array,
    readonly turfs: number,
  ) {
    this.members = Array.from({ length: turfs }, () => []);
    this.slot = new Int32Array(sites.count).fill(-1);
    this.weight = new Float64Array(turfs);
    this.sumX = new Float64Array(turfs);
    this.sumY = new Float64Array(turfs);
    this.sumSq = new Float64Array(turfs);
    for (let s = 0; s < sites.count; s++) {
      const t = assign[s];
      if (t >= 0) this.add(s, t);
    }
  }

  move(s: number, to: number): void {
    this.remove(s);
    this.add(s, to);
  }

  private add(s: number, t: number): void {
    const { x, y, weight } = this.sites;
    this.assign[s] = t;
    this.slot[s] = this.members[t].length;
    this.members[t].push(s);
    this.weight[t] += weight[s];
    this.sumX[t] += x[s];
    this.sumY[t] += y[s];
    this.sumSq[t] += x[s] * x[s] + y[s] * y[s];
  }

  private remove(s: number): void {
    const { x, y, weight } = this.sites;
    const t = this.assign[s];
    const list = this.members[t];
    const last = list.pop() as number;
    if (last !== s) {
      list[this.slot[s]] = last;
      this.slot[last] = this.slot[s];
    }
    this.weight[t] -= weight[s];
    this.sumX[t] -= x[s];
    this.sumY[t] -= y[s];
    this.sumSq[t] -= x[s] * x[s] + y[s] * y[s];
  }
}
