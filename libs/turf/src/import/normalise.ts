/**
 * Keys that make two spellings of one address compare equal: "Moreland Avenue Southeast" and
 * "MORELAND AVE SE." give the same street key. Used to merge duplicates, never shown.
 */
const STREET_WORDS: Record<string, string> = {
  AVENUE: 'AVE',
  AV: 'AVE',
  STREET: 'ST',
  STR: 'ST',
  ROAD: 'RD',
  DRIVE: 'DR',
  BOULEVARD: 'BLVD',
  LANE: 'LN',
  PLACE: 'PL',
  COURT: 'CT',
  TERRACE: 'TER',
  CIRCLE: 'CIR',
  PARKWAY: 'PKWY',
  HIGHWAY: 'HWY',
  SQUARE: 'SQ',
  TRAIL: 'TRL',
  WAY: 'WAY',
  ALLEY: 'ALY',
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  NORTHWEST: 'NW',
  SOUTHEAST: 'SE',
  SOUTHWEST: 'SW',
  SAINT: 'ST',
  MOUNT: 'MT',
};

const collapse = (s: string) =>
  s
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[.,'’]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

export function streetKey(street: string): string {
  return collapse(street)
    .split(' ')
    .map((w) => STREET_WORDS[w] ?? w)
    .join(' ');
}

export function numberKey(number: string): string {
  return collapse(number).replace(/\s*([-/])\s*/g, '$1');
}

/** "Apt 2B", "#2b" and "2B" are one unit; an empty unit is the building's only door. */
export function unitKey(unit: string | null | undefined): string {
  if (!unit) return '';
  return collapse(unit)
    .replace(/^(APARTMENT|APT|UNIT|STE|SUITE|NO|#)\s*/, '')
    .replace(/^#/, '')
    .trim();
}
