import { numberKey, streetKey, unitKey } from './normalise';

/** The OpenAddresses columns the import reads (any order, any case; others are ignored). */
export const REQUIRED_COLUMNS = ['LON', 'LAT', 'NUMBER', 'STREET'] as const;
export const OPTIONAL_COLUMNS = ['UNIT', 'CITY', 'POSTCODE', 'ID'] as const;

export interface RawAddress {
  LON?: unknown;
  LAT?: unknown;
  NUMBER?: unknown;
  STREET?: unknown;
  UNIT?: unknown;
  CITY?: unknown;
  POSTCODE?: unknown;
  ID?: unknown;
}

export interface ValidAddress {
  line: number;
  lon: number;
  lat: number;
  number: string;
  numberKey: string;
  street: string;
  streetKey: string;
  unit: string | null;
  unitKey: string;
  city: string | null;
  postcode: string | null;
  sourceId: string | null;
}

/**
 * Why a row was refused: a stable code (with `params` where the sentence needs them) that the app
 * words in the reader's language, beside the English `reason` kept for the CSV and the API's
 * other readers.
 */
export const REJECTION_CODES = [
  'missing_coordinate',
  'missing_longitude',
  'missing_latitude',
  'longitude_not_number',
  'latitude_not_number',
  'coordinates_swapped',
  'longitude_out_of_range',
  'latitude_out_of_range',
  'null_island',
  'empty_street',
  'missing_number',
  /** params: field (NUMBER, STREET, UNIT, CITY, POSTCODE or ID), max. */
  'field_too_long',
  'feature_not_point',
  'feature_not_json',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];
export type RejectionParams = Record<string, string | number>;

export type RowResult =
  { ok: true; address: ValidAddress } | { ok: false; line: number; code: RejectionCode; params?: RejectionParams; reason: string };

const LIMITS = { NUMBER: 20, STREET: 200, UNIT: 40, CITY: 100, POSTCODE: 20, ID: 100 } as const;

/** A cell as text; GeoJSON properties may be numbers, anything else (objects, arrays) counts as empty. */
function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

function coordinate(value: unknown): number | null | 'nan' {
  const t = text(value);
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : 'nan';
}

/** Checks one row and says, in words a person can act on, what is wrong with it. */
export function validateAddress(raw: RawAddress, line: number): RowResult {
  const fail = (reason: string, code: RejectionCode, params?: RejectionParams): RowResult => ({
    ok: false,
    line,
    code,
    ...(params ? { params } : {}),
    reason,
  });
  const lon = coordinate(raw.LON);
  const lat = coordinate(raw.LAT);
  if (lon === null || lat === null)
    return lon === null && lat === null
      ? fail('missing coordinate', 'missing_coordinate')
      : lon === null
        ? fail('missing longitude', 'missing_longitude')
        : fail('missing latitude', 'missing_latitude');
  if (lon === 'nan') return fail('longitude is not a number', 'longitude_not_number');
  if (lat === 'nan') return fail('latitude is not a number', 'latitude_not_number');
  const lonOk = lon >= -180 && lon <= 180;
  const latOk = lat >= -90 && lat <= 90;
  if (!latOk && lonOk && Math.abs(lon) <= 90 && Math.abs(lat) <= 180)
    return fail('longitude and latitude appear swapped', 'coordinates_swapped');
  if (!lonOk) return fail('longitude out of range (-180 to 180)', 'longitude_out_of_range');
  if (!latOk) return fail('latitude out of range (-90 to 90)', 'latitude_out_of_range');
  if (lon === 0 && lat === 0) return fail('coordinate is 0,0 (a placeholder, not a place)', 'null_island');

  const street = text(raw.STREET);
  const number = text(raw.NUMBER);
  if (street === '') return fail('empty street', 'empty_street');
  if (number === '') return fail('missing house number', 'missing_number');
  const fields = {
    NUMBER: number,
    STREET: street,
    UNIT: text(raw.UNIT),
    CITY: text(raw.CITY),
    POSTCODE: text(raw.POSTCODE),
    ID: text(raw.ID),
  };
  for (const [name, max] of Object.entries(LIMITS) as [keyof typeof LIMITS, number][]) {
    if (fields[name].length > max) return fail(`${name} longer than ${max} characters`, 'field_too_long', { field: name, max });
  }
  return {
    ok: true,
    address: {
      line,
      lon,
      lat,
      number,
      numberKey: numberKey(number),
      street,
      streetKey: streetKey(street),
      unit: fields.UNIT || null,
      unitKey: unitKey(fields.UNIT),
      city: fields.CITY || null,
      postcode: fields.POSTCODE || null,
      sourceId: fields.ID || null,
    },
  };
}
