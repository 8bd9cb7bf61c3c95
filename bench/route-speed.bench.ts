/**
 * R2, route speed: how long the solver takes, from nothing but the coordinates, to reach a tour
 * within 5% of the optimum, over how long a plain O(n^2) nearest-neighbour tour of the same
 * instance takes, in the same process. The two run in alternating slices (nearest-neighbour, solver,
 * nearest-neighbour, ...) after a warm-up, each slice repeating its side until the slice's time is
 * up (a 51-node tour takes microseconds), and the result per instance is the median over rounds of
 * (solver time per tour / nearest-neighbour time per tour). One line per instance: the solver's
 * set-up (spatial index, candidate lists) costs tens of microseconds whatever the size, which the
 * smallest instances cannot amortise, and a single average would hide how the ratio falls with n.
 *
 *   npm run bench -- R2 [--rounds 5] [--pairs 4] [--slice-ms 25] [--instance FILE.tsp --optimum N]
 */
import { availableParallelism, cpus } from 'node:os';
import { solveClosedTour } from '@app/geo';
import { BenchResult, interleavedRates, log, median, numberArg, round } from './common';
import { BenchInstance, closedTourLength, loadInstances, nearestNeighbourTour } from './tsplib';

export const id = 'R2';
export const description = 'route speed: solver time to reach 1.05 x optimum / time of a plain O(n^2) nearest-neighbour tour, per instance';

const TARGET = 3;
const QUALITY = 1.05;
/** A run that has not reached the quality by then counts as a failure rather than waiting on. */
const SOLVER_CAP_MS = 5_000;

interface Slice {
  count: number;
  seconds: number;
  /** Solver runs that stopped at the cap without reaching the quality. */
  missed: number;
  lengths: number[];
}

async function measure(bench: BenchInstance, rounds: number, pairsPerRound: number, sliceMs: number): Promise<BenchResult> {
  const { instance, optimum } = bench;
  const n = instance.dimension;
  const targetLength = QUALITY * optimum;
  let seed = 1;

  const repeat = (once: () => { length: number; missed: boolean }): Promise<Slice> => {
    const lengths: number[] = [];
    let missed = 0;
    const started = performance.now();
    let now: number;
    do {
      const r = once();
      lengths.push(r.length);
      if (r.missed) missed++;
      now = performance.now();
    } while (now - started < sliceMs);
    return Promise.resolve({ count: lengths.length, seconds: (now - started) / 1000, missed, lengths });
  };
  // Inside the slices the nearest-neighbour tour is only built; its length is taken once, outside.
  const nnOnly = () => repeat(() => ({ length: nearestNeighbourTour(n, instance.planar)[n - 1], missed: false }));
  const solver = () =>
    repeat(() => {
      const tour = solveClosedTour(n, instance.distance, instance.planar, { targetLength, budgetMs: SOLVER_CAP_MS, seed: seed++ });
      return { length: tour.length, missed: tour.length > targetLength };
    });

  const nnQuality = closedTourLength(instance, Array.from(nearestNeighbourTour(n, instance.planar))) / optimum;
  const result = await interleavedRates({
    rounds,
    pairsPerRound,
    warmUp: async () => {
      await nnOnly();
      await solver();
    },
    a: nnOnly,
    b: solver,
  });
  // a = nearest-neighbour tours per second, b = solver runs per second: a / b = solver time / NN time.
  const solverSlices = result.rounds.flatMap((r) => r.b);
  const solverLengths = solverSlices.flatMap((s) => s.lengths);
  const missed = solverSlices.reduce((t, s) => t + s.missed, 0);
  const value = result.medianRatio;
  const us = (perSecond: number) => round(1e6 / perSecond, 1);
  log(
    `${instance.name}: ratio ${round(value, 2)} (${us(median(result.rounds.map((r) => r.bPerSecond)))} us vs ${us(median(result.rounds.map((r) => r.aPerSecond)))} us)`,
  );
  return {
    bench: id,
    metric: `solver_time_to_${QUALITY}x_optimum / nearest_neighbour_time (${instance.name}, n=${n})`,
    value: round(value, 2),
    target: TARGET,
    pass: missed === 0 && value <= TARGET,
    detail: {
      solverUsPerTour: us(median(result.rounds.map((r) => r.bPerSecond))),
      nearestNeighbourUsPerTour: us(median(result.rounds.map((r) => r.aPerSecond))),
      rounds: result.rounds.map((r) => round(r.ratio, 2)),
      solverRuns: solverLengths.length,
      missedQuality: missed,
      solverMeanLengthOverOptimum: round(solverLengths.reduce((s, l) => s + l, 0) / solverLengths.length / optimum, 4),
      nearestNeighbourLengthOverOptimum: round(nnQuality, 4),
      slices: `${rounds} rounds x ${pairsPerRound} x (${sliceMs} ms nearest-neighbour, ${sliceMs} ms solver), after one warm-up slice of each`,
      reference: 'nearest-neighbour tour from node 0 over all remaining nodes, squared planar distances, typed arrays',
    },
  };
}

export async function run(args: string[]): Promise<BenchResult[]> {
  const rounds = Math.round(numberArg(args, 'rounds', 5));
  const pairsPerRound = Math.round(numberArg(args, 'pairs', 4));
  const sliceMs = numberArg(args, 'slice-ms', 25);
  const instances = loadInstances(args);
  const results: BenchResult[] = [];
  for (const bench of instances) results.push(await measure(bench, rounds, pairsPerRound, sliceMs));
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version };
  return results.map((r) => ({ ...r, detail: { ...r.detail, ...machine } }));
}
