import { seededRandom } from './random';

/** One address point in OpenAddresses terms (the import format), so it can be loaded like a file. */
export interface SyntheticAddress {
  lon: number;
  lat: number;
  number: string;
  street: string;
  unit: string | null;
  city: string;
  postcode: string;
  id: string;
}

export interface NeighbourhoodOptions {
  seed: number;
  /** South-west corner of the grid. Default: near Reynoldstown, Atlanta. */
  origin?: { lon: number; lat: number };
  /** Streets running north-south (avenues) and east-west (streets). */
  avenues?: number;
  streets?: number;
  /** Metres between two parallel streets. */
  blockMetres?: number;
  /** Houses on each side of a street along one block. */
  lotsPerBlockSide?: number;
  /** Share of lots that hold an apartment building instead of a house. */
  apartmentShare?: number;
  city?: string;
  postcode?: string;
}

const AVENUE_NAMES = ['Moreland', 'Kirkwood', 'Wylie', 'Flat Shoals', 'Pearl', 'Chester', 'Gibson', 'Holtzclaw', 'Kenyon', 'Lester'];
const STREET_NAMES = ['Memorial', 'Mauldin', 'Rogers', 'Estoria', 'Cornelia', 'Selman', 'Hardee', 'Whitefoord', 'Bixby', 'Stovall'];
const METRES_PER_DEGREE_LAT = 111_320;

/**
 * A street grid with house numbers (even on one side, odd on the other, a hundred per block)
 * and some apartment buildings whose units share one point, generated from a seed. For demos
 * and tests that must not depend on any file.
 */
export function generateNeighbourhood(options: NeighbourhoodOptions): SyntheticAddress[] {
  const {
    seed,
    origin = { lon: -84.352, lat: 33.738 },
    avenues = 4,
    streets = 4,
    blockMetres = 120,
    lotsPerBlockSide = 6,
    apartmentShare = 0.06,
    city = 'Atlanta',
    postcode = '30316',
  } = options;
  if (avenues < 1 || streets < 1 || avenues > AVENUE_NAMES.length || streets > STREET_NAMES.length) {
    throw new RangeError(`avenues and streets must be between 1 and ${AVENUE_NAMES.length}`);
  }
  const random = seededRandom(seed);
  const metresPerDegreeLon = METRES_PER_DEGREE_LAT * Math.cos((origin.lat * Math.PI) / 180);
  const at = (east: number, north: number) => ({
    lon: round6(origin.lon + east / metresPerDegreeLon),
    lat: round6(origin.lat + north / METRES_PER_DEGREE_LAT),
  });
  const out: SyntheticAddress[] = [];
  const setback = 12;

  const lotsAlong = (street: string, blocks: number, place: (along: number, side: -1 | 1) => { lon: number; lat: number }) => {
    for (let block = 0; block < blocks; block++) {
      for (let lot = 0; lot < lotsPerBlockSide; lot++) {
        for (const side of [-1, 1] as const) {
          const along = block * blockMetres + ((lot + 0.5) * blockMetres) / lotsPerBlockSide;
          const number = String(100 * (block + 1) + lot * 2 + (side === 1 ? 0 : 1));
          const point = place(along, side);
          const base = { ...point, number, street, city, postcode };
          if (random() < apartmentShare) {
            const floors = 2 + Math.floor(random() * 3);
            const perFloor = 2 + Math.floor(random() * 4);
            for (let f = 1; f <= floors; f++) {
              for (let u = 0; u < perFloor; u++) {
                const unit = `${f}${String.fromCharCode(65 + u)}`;
                out.push({ ...base, unit, id: `syn-${seed}-${street}-${number}-${unit}`.replace(/\s+/g, '_') });
              }
            }
          } else {
            out.push({ ...base, unit: null, id: `syn-${seed}-${street}-${number}`.replace(/\s+/g, '_') });
          }
        }
      }
    }
  };

  for (let a = 0; a < avenues; a++) {
    const x = a * blockMetres;
    lotsAlong(`${AVENUE_NAMES[a]} Ave SE`, streets - 1 || 1, (along, side) => at(x + side * setback, along));
  }
  for (let s = 0; s < streets; s++) {
    const y = s * blockMetres;
    lotsAlong(`${STREET_NAMES[s]} St SE`, avenues - 1 || 1, (along, side) => at(along, y + side * setback));
  }
  return out;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
