/**
 * R1, walk-route quality: closed tours on TSPLIB instances in their own (rounded) metric, against
 * the proven optimum, within the time budget of ../shared/guide/benchmarks.md (50 ms up to 300
 * nodes, 500 ms above). Every instance is solved with several seeds and its ratio is the mean over
 * them; the result is the geometric mean over instances.
 *
 *   npm run bench -- R1 [--seeds 5] [--budget MS] [--instance FILE.tsp --optimum N]
 */
import { availableParallelism, cpus } from 'node:os';
import { solveClosedTour } from '@app/geo';
import { BenchResult, log, median, numberArg, round } from './common';
import { closedTourLength, geometricMean, loadInstances, r1BudgetMs, stringArg } from './tsplib';

export const id = 'R1';
export const description = 'route quality: TSPLIB tour length / proven optimum within 50 ms (n <= 300) or 500 ms, geometric mean';

const TARGET = 1.02;

export function run(args: string[]): Promise<BenchResult[]> {
  const seeds = Math.round(numberArg(args, 'seeds', 5));
  const budgetOverride = stringArg(args, 'budget') === undefined ? undefined : numberArg(args, 'budget', 0);
  const instances = loadInstances(args);

  // Routes are computed in a long-running process: measure compiled code, not the first cold call.
  log('warm-up');
  const first = instances[0].instance;
  for (let s = 0; s < 3; s++) solveClosedTour(first.dimension, first.distance, first.planar, { budgetMs: 100, seed: 1000 + s });

  const perInstance: Record<string, unknown> = {};
  const means: number[] = [];
  for (const { instance, optimum } of instances) {
    const budgetMs = budgetOverride ?? r1BudgetMs(instance.dimension);
    const ratios: number[] = [];
    const elapsed: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const started = performance.now();
      const tour = solveClosedTour(instance.dimension, instance.distance, instance.planar, { budgetMs, seed });
      elapsed.push(performance.now() - started);
      // Measured again from the order alone, in the instance's metric, so the solver's own figure is not trusted.
      const length = closedTourLength(instance, tour.order);
      if (Math.abs(length - tour.length) > 1e-6 * length) throw new Error(`${instance.name}: reported ${tour.length}, measured ${length}`);
      ratios.push(length / optimum);
    }
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    means.push(mean);
    log(`${instance.name}: ${ratios.map((r) => round(r, 4)).join(' ')} (mean ${round(mean, 4)})`);
    perInstance[instance.name] = {
      n: instance.dimension,
      optimum,
      budgetMs,
      meanRatio: round(mean, 4),
      best: round(Math.min(...ratios), 4),
      worst: round(Math.max(...ratios), 4),
      ratios: ratios.map((r) => round(r, 4)),
      medianMs: round(median(elapsed), 1),
    };
  }

  const value = geometricMean(means);
  return Promise.resolve([
    {
      bench: id,
      metric: 'geomean(length/optimum)',
      value: round(value, 4),
      target: TARGET,
      pass: value <= TARGET,
      detail: {
        instances: perInstance,
        seeds,
        metric: instances[0].instance.metric,
        warmUp: `3 solves of ${first.name}, 100 ms each`,
        cores: availableParallelism(),
        cpu: cpus()[0]?.model,
        node: process.version,
      },
    },
  ]);
}
