/**
 * R3, turf cutting, walking: the turfs' walks together against the k-minimum-spanning-forest lower
 * bound (the minimum spanning tree of all doors less its k - 1 longest edges), on the Atlanta and
 * San Francisco address files at 30, 50 and 80 doors per turf. Walks come from walkRoute, units of a
 * building together, from the door nearest the turf's centroid as the product routes them; the same
 * from the better end of each turf is reported beside it, being the walk the bound speaks of (an
 * open path from anywhere).
 *
 *   npm run bench -- R3 [--rounds 5]
 */
import { availableParallelism, cpus } from 'node:os';
import { BenchResult, log, numberArg } from './common';
import { describeSets, measureAll, worstOf } from './turf-data';

export const id = 'R3';
export const description =
  'turf cutting, walking: sum of turf walks / k-MSF lower bound, worst of 6 cases (2 files x 30/50/80 doors per turf)';

const TARGET = 1.2;

export function run(args: string[]): Promise<BenchResult[]> {
  const rounds = Math.max(1, Math.round(numberArg(args, 'rounds', 5)));
  const { sets, cases } = measureAll(rounds, log);
  const centre = worstOf(cases, 'fromCentreOverBound');
  const end = worstOf(cases, 'fromEndOverBound');
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version };
  const perCase = (key: 'fromCentreOverBound' | 'fromEndOverBound') =>
    cases.map((c) => ({
      dataset: c.dataset,
      doorsPerTurf: c.doorsPerTurf,
      k: c.k,
      ratio: c[key],
      walkMetres: key === 'fromCentreOverBound' ? c.walkFromCentreMetres : c.walkFromEndMetres,
      lowerBoundMetres: c.lowerBoundMetres,
      cutMs: c.cutMs,
    }));
  return Promise.resolve([
    {
      bench: id,
      metric: 'max over cases of sum(walk from the door nearest the centroid) / k-MSF lower bound',
      value: centre.value,
      target: TARGET,
      pass: centre.value <= TARGET,
      detail: {
        byDataset: centre.byDataset,
        cases: perCase('fromCentreOverBound'),
        sets: describeSets(sets),
        cutRounds: rounds,
        ...machine,
      },
    },
    {
      bench: id,
      metric: 'max over cases of sum(walk from the better end of each turf) / k-MSF lower bound',
      value: end.value,
      target: TARGET,
      pass: end.value <= TARGET,
      detail: { byDataset: end.byDataset, cases: perCase('fromEndOverBound') },
    },
  ]);
}
