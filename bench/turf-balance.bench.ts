/**
 * R4, turf cutting, balance: max/min doors per turf and the coefficient of variation of the turfs'
 * walk lengths, on the Atlanta and San Francisco address files at 30, 50 and 80 doors per turf.
 * A building with more doors than a balanced turf may hold gets a turf of its own (the cutter never
 * splits a building), which no cut can balance; the figures without those turfs are reported
 * beside the strict ones.
 *
 *   npm run bench -- R4 [--rounds 5]
 */
import { availableParallelism, cpus } from 'node:os';
import { BenchResult, log, numberArg } from './common';
import { describeSets, measureAll, worstOf } from './turf-data';

export const id = 'R4';
export const description = 'turf cutting, balance: max/min doors per turf and CV of walk length, worst of 6 cases';

const MAX_MIN_TARGET = 1.1;
const CV_TARGET = 0.2;

export function run(args: string[]): Promise<BenchResult[]> {
  const rounds = Math.max(1, Math.round(numberArg(args, 'rounds', 5)));
  const { sets, cases } = measureAll(rounds, log);
  const doors = worstOf(cases, 'maxMinDoors');
  const doorsOthers = worstOf(cases, 'maxMinDoorsOthers');
  const cv = worstOf(cases, 'cvFromCentre');
  const cvOthers = worstOf(cases, 'cvFromCentreOthers');
  const cvEnd = worstOf(cases, 'cvFromEnd');
  const machine = { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version };
  return Promise.resolve([
    {
      bench: id,
      metric: 'max over cases of max/min doors per turf',
      value: doors.value,
      target: MAX_MIN_TARGET,
      pass: doors.value <= MAX_MIN_TARGET,
      detail: {
        byDataset: doors.byDataset,
        withoutOneBuildingTurfs: doorsOthers,
        cases: cases.map((c) => ({
          dataset: c.dataset,
          doorsPerTurf: c.doorsPerTurf,
          k: c.k,
          minDoors: c.minDoors,
          maxDoors: c.maxDoors,
          maxMin: c.maxMinDoors,
          oneBuildingTurfs: c.oneBuildingTurfs,
          maxMinWithoutThem: c.maxMinDoorsOthers,
          cutMs: c.cutMs,
        })),
        sets: describeSets(sets),
        cutRounds: rounds,
        ...machine,
      },
    },
    {
      bench: id,
      metric: 'max over cases of CV of walk length (from the door nearest the centroid)',
      value: cv.value,
      target: CV_TARGET,
      pass: cv.value <= CV_TARGET,
      detail: {
        byDataset: cv.byDataset,
        withoutOneBuildingTurfs: cvOthers,
        fromTheBetterEnd: cvEnd,
        cases: cases.map((c) => ({
          dataset: c.dataset,
          doorsPerTurf: c.doorsPerTurf,
          cv: c.cvFromCentre,
          cvWithoutOneBuildingTurfs: c.cvFromCentreOthers,
          cvFromTheBetterEnd: c.cvFromEnd,
        })),
      },
    },
  ]);
}
