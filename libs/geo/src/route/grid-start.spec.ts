import { seededRandom } from '../random';
import { nearestNeighbours } from './neighbours';
import { gridStart } from './grid-start';

const euclid =
  (xy: Float64Array) =>
  (i: number, j: number): number =>
    Math.hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]);

function randomCoords(n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: 2 * n }, () => random() * 1000);
}

function expectValid(n: number, xy: Float64Array, k: number): void {
  const dist = euclid(xy);
  const start = gridStart(n, dist, xy, k);
  expect(start).toBeDefined();
  const { tour, neigh, dist: nd } = start!;
  expect([...tour.subarray(0, n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  const faults: string[] = [];
  for (let i = 0; i < n; i++) {
    const list = Array.from(neigh.subarray(i * k, i * k + k));
    const real = list.filter((j) => j >= 0);
    // Filled from the front, padded with -1, no repeats and never the point itself.
    if (!list.slice(real.length).every((j) => j === -1)) faults.push(`${i}: gap in the list`);
    if (new Set(real).size !== real.length || real.includes(i)) faults.push(`${i}: repeat or self`);
    for (let r = 0; r < k; r++) {
      if (nd[i * k + r] !== (r < real.length ? dist(i, real[r]) : Infinity)) faults.push(`${i}: distance ${r}`);
      if (r > 0 && nd[i * k + r] < nd[i * k + r - 1]) faults.push(`${i}: order at ${r}`);
    }
  }
  expect(faults).toEqual([]);
}

describe('gridStart', () => {
  it.each([8, 9, 50, 150, 400])('gives a tour through every point and sorted candidate lists (n = %i)', (n) => {
    for (let seed = 1; seed <= 3; seed++) expectValid(n, randomCoords(n, seed), Math.min(10, n - 1));
  });

  it('copes with points on one line, at one place, and in repeats', () => {
    const line = randomCoords(60, 4);
    for (let i = 0; i < 60; i++) line[2 * i] = 7;
    expectValid(60, line, 10);
    const repeats = randomCoords(60, 5);
    for (let i = 0; i < 20; i++) {
      repeats[2 * (59 - i)] = repeats[2 * i];
      repeats[2 * (59 - i) + 1] = repeats[2 * i + 1];
    }
    expectValid(60, repeats, 10);
    const same = new Float64Array(2 * 9).fill(3);
    expectValid(9, same, 8);
  });

  it('lists the nearest neighbours on evenly spread points, nearly always', () => {
    const n = 300;
    const k = 10;
    const xy = randomCoords(n, 6);
    const start = gridStart(n, euclid(xy), xy, k)!;
    const exact = nearestNeighbours(xy, n, k);
    let shared = 0;
    for (let i = 0; i < n; i++) {
      const mine = new Set(start.neigh.subarray(i * k, i * k + k));
      for (let r = 0; r < k; r++) if (mine.has(exact[i * k + r])) shared++;
    }
    expect(shared / (n * k)).toBeGreaterThan(0.9);
  });

  it('declines a dense cluster in a wide area, which would give one cell most of the pairs', () => {
    const n = 300;
    const xy = randomCoords(n, 7);
    for (let i = 2; i < n; i++) {
      xy[2 * i] = 500 + (xy[2 * i] % 1);
      xy[2 * i + 1] = 500 + (xy[2 * i + 1] % 1);
    }
    expect(gridStart(n, euclid(xy), xy, 10)).toBeUndefined();
  });
});
