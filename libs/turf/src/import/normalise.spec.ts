import { numberKey, streetKey, unitKey } from './normalise';

describe('address keys', () => {
  it('gives one street key to the written-out and abbreviated spellings', () => {
    expect(streetKey('Moreland Avenue Southeast')).toBe(streetKey('MORELAND AVE. SE'));
    expect(streetKey('  Octavia   St ')).toBe('OCTAVIA ST');
    expect(streetKey('Flat Shoals Avenue SE')).toBe('FLAT SHOALS AVE SE');
    expect(streetKey('Octavia St')).not.toBe(streetKey('Octavia Blvd'));
  });

  it('normalises house numbers and units', () => {
    expect(numberKey(' 12 a ')).toBe('12 A');
    expect(numberKey('12 - 14')).toBe('12-14');
    expect(unitKey('Apt 2b')).toBe('2B');
    expect(unitKey('#2B')).toBe('2B');
    expect(unitKey('Unit #2B')).toBe('2B');
    expect(unitKey('0 C')).toBe('0 C');
    expect(unitKey('')).toBe('');
    expect(unitKey(null)).toBe('');
  });
});
