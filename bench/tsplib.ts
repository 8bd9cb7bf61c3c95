/**
 * What the route benchmarks (R1 quality, R2 speed) share: the TSPLIB instances in
 * ../shared/data/tsplib with their proven optima, or one instance named on the command line.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseTsplib, parseTsplibSolutions, TsplibInstance } from '@app/geo';
import { REPO_ROOT } from './common';

export const TSPLIB_DIR = join(REPO_ROOT, '..', 'shared', 'data', 'tsplib');

/** The six instances of ../shared/guide/benchmarks.md, smallest first. */
export const STANDARD_INSTANCES = ['eil51', 'berlin52', 'kroA100', 'a280', 'rat783', 'pr1002'];

export interface BenchInstance {
  instance: TsplibInstance;
  optimum: number;
}

/** Reads `--name value` or `--name=value` as a string. */
export function stringArg(args: string[], name: string): string | undefined {
  const flag = `--${name}`;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === flag) {
      if (i + 1 >= args.length) throw new Error(`${flag} needs a value`);
      return args[i + 1];
    }
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
  }
  return undefined;
}

/**
 * `--instance FILE.tsp` (with `--optimum N`, or a `solutions` file beside it naming the instance),
 * or else the standard six.
 */
export function loadInstances(args: string[]): BenchInstance[] {
  const file = stringArg(args, 'instance');
  const optimumArg = stringArg(args, 'optimum');
  if (file === undefined) {
    if (optimumArg !== undefined) throw new Error('--optimum goes with --instance');
    const solutionsFile = join(TSPLIB_DIR, 'solutions');
    if (!existsSync(solutionsFile)) throw new Error(`No TSPLIB instances at ${TSPLIB_DIR} (the shared data directory beside the project).`);
    const optima = parseTsplibSolutions(readFileSync(solutionsFile, 'utf8'));
    return STANDARD_INSTANCES.map((name) => {
      const optimum = optima.get(name);
      if (optimum === undefined) throw new Error(`${solutionsFile} has no optimum for ${name}`);
      return { instance: parseTsplib(readFileSync(join(TSPLIB_DIR, `${name}.tsp`), 'utf8')), optimum };
    });
  }
  const path = resolve(file);
  const instance = parseTsplib(readFileSync(path, 'utf8'));
  let optimum = optimumArg === undefined ? undefined : Number(optimumArg);
  if (optimum === undefined) {
    const beside = join(dirname(path), 'solutions');
    const name = basename(path).replace(/\.tsp$/, '');
    optimum = existsSync(beside) ? parseTsplibSolutions(readFileSync(beside, 'utf8')).get(name) : undefined;
    if (optimum === undefined) throw new Error(`No optimum for ${name}: pass --optimum N`);
  }
  if (!Number.isFinite(optimum) || optimum <= 0) throw new Error(`--optimum must be a positive number, got ${optimumArg}`);
  return [{ instance, optimum }];
}

/** The tour's length in the instance's own metric, after checking that it visits every node once. */
export function closedTourLength(instance: TsplibInstance, order: readonly number[]): number {
  const n = instance.dimension;
  const seen = new Uint8Array(n);
  if (order.length !== n) throw new Error(`${instance.name}: the tour has ${order.length} nodes, not ${n}`);
  for (const c of order) {
    if (!(c >= 0 && c < n) || seen[c]) throw new Error(`${instance.name}: the tour is not a permutation (node ${c})`);
    seen[c] = 1;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += instance.distance(order[i], order[(i + 1) % n]);
  return total;
}

/**
 * The reference of R2: a plain nearest-neighbour tour from node 0, comparing every remaining node
 * at each step (O(n^2)). Deliberately lean, so that it is a hard yardstick: typed arrays, squared
 * planar distances inline (no square root, no rounding, no function call), unvisited nodes kept
 * packed at the front of an array.
 */
export function nearestNeighbourTour(n: number, xy: Float64Array): Int32Array {
  const tour = new Int32Array(n);
  if (n === 0) return tour;
  const left = new Int32Array(n);
  for (let i = 0; i < n; i++) left[i] = i;
  let remaining = n - 1;
  left[0] = left[remaining];
  let current = 0;
  for (let t = 1; t < n; t++) {
    const cx = xy[2 * current];
    const cy = xy[2 * current + 1];
    let best = 0;
    let bestD = Infinity;
    for (let r = 0; r < remaining; r++) {
      const j = left[r];
      const dx = xy[2 * j] - cx;
      const dy = xy[2 * j + 1] - cy;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = r;
      }
    }
    current = left[best];
    left[best] = left[--remaining];
    tour[t] = current;
  }
  return tour;
}

/** R1's budget: 50 ms up to 300 nodes, 500 ms above (benchmarks.md states it up to 1,200). */
export function r1BudgetMs(n: number): number {
  return n <= 300 ? 50 : 500;
}

export function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
}
