import { solveClosedTour } from './route';
import { parseTsplib, parseTsplibSolutions } from './tsplib';

/** ulysses16 from TSPLIB (Grötschel and Padberg): 16 places of the Odyssey, GEO metric, optimum 6859. */
const ULYSSES16 = `NAME: ulysses16.tsp
TYPE: TSP
COMMENT: Odyssey of Ulysses (Groetschel/Padberg)
DIMENSION: 16
EDGE_WEIGHT_TYPE: GEO
DISPLAY_DATA_TYPE: COORD_DISPLAY
NODE_COORD_SECTION
 1 38.24 20.42
 2 39.57 26.15
 3 40.56 25.32
 4 36.26 23.12
 5 33.48 10.54
 6 37.56 12.19
 7 38.42 13.11
 8 37.52 20.44
 9 41.23 9.10
 10 41.17 13.05
 11 36.08 -5.21
 12 38.47 15.13
 13 38.15 15.35
 14 37.51 15.17
 15 35.49 14.32
 16 39.36 19.56
EOF
`;

const tourLength = (order: number[], d: (i: number, j: number) => number) =>
  order.reduce((total, c, i) => total + d(c, order[(i + 1) % order.length]), 0);

describe('TSPLIB', () => {
  it('reads EUC_2D instances and rounds distances to the nearest integer', () => {
    const instance = parseTsplib(
      [
        'NAME : tiny',
        'TYPE : TSP',
        'DIMENSION : 3',
        'EDGE_WEIGHT_TYPE : EUC_2D',
        'NODE_COORD_SECTION',
        '1 0 0',
        '3 3.0 4.0',
        '2 1.5 0',
        'EOF',
      ].join('\n'),
    );
    expect(instance).toMatchObject({ name: 'tiny', metric: 'EUC_2D', dimension: 3 });
    expect(Array.from(instance.coords)).toEqual([0, 0, 1.5, 0, 3, 4]);
    expect(instance.distance(0, 2)).toBe(5);
    expect(instance.distance(0, 1)).toBe(2); // 1.5 rounds up
    expect(instance.distance(1, 2)).toBe(4); // hypot(1.5, 4) = 4.27
  });

  it('implements CEIL_2D and ATT as TSPLIB defines them', () => {
    const text = (metric: string) => `NAME: t\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: ${metric}\nNODE_COORD_SECTION\n1 0 0\n2 3 4.2\n`;
    expect(parseTsplib(text('CEIL_2D')).distance(0, 1)).toBe(6); // 5.16 rounded up
    // ATT: sqrt((9 + 17.64) / 10) = 1.632, nint 2 >= 1.632, so 2.
    expect(parseTsplib(text('ATT')).distance(0, 1)).toBe(2);
    const att = parseTsplib(`NAME: t\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: ATT\nNODE_COORD_SECTION\n1 0 0\n2 10 10\n`);
    // sqrt(200 / 10) = 4.47, nint 4 < 4.47, so 5.
    expect(att.distance(0, 1)).toBe(5);
  });

  it('implements GEO as TSPLIB defines it: the optimal tour of ulysses16 measures 6859', () => {
    const instance = parseTsplib(ULYSSES16);
    expect(instance.metric).toBe('GEO');
    const optimal = [1, 14, 13, 12, 7, 6, 15, 5, 11, 9, 10, 16, 3, 2, 4, 8].map((id) => id - 1);
    expect(tourLength(optimal, instance.distance)).toBe(6859);
    const tour = solveClosedTour(instance.dimension, instance.distance, instance.planar, { budgetMs: 100, seed: 1 });
    expect(tour.length).toBe(6859);
  });

  it('refuses what it cannot read', () => {
    expect(() => parseTsplib('NAME: x\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_SECTION\n0 1\n')).toThrow(
      /EXPLICIT/,
    );
    expect(() => parseTsplib('NAME: x\nTYPE: ATSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n')).toThrow(
      /ATSP/,
    );
    expect(() =>
      parseTsplib('NAME: x\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nEOF\n'),
    ).toThrow(/2 nodes/);
    expect(() => parseTsplib('NAME: x\nTYPE: TSP\nDIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n1 1 1\n')).toThrow(
      /bad node line/,
    );
  });

  it('reads a list of optima', () => {
    const optima = parseTsplibSolutions('eil51 : 426\nberlin52 : 7542\n\na280 : 2579 (proven)\n');
    expect([...optima]).toEqual([
      ['eil51', 426],
      ['berlin52', 7542],
      ['a280', 2579],
    ]);
  });
});
